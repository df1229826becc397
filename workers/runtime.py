"""Process set-up shared by every entry point: infrastructure, tables, worker threads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from adapters.infrastructure import Infrastructure, open_infrastructure
from adapters.settings import Settings, get_settings
from api import idempotency
from commands import login_throttle
from projections.engine import Projection, ProjectionRunner, ensure_schema
from projections.registry import ALL

log = logging.getLogger(__name__)


def prepare(infra: Infrastructure) -> None:
    """Create the operational tables and every projection's schema (idempotent)."""
    login_throttle.create_tables(infra.pool)
    idempotency.create_tables(infra.pool)
    for projection in ALL:
        ensure_schema(infra.pool, projection)


@contextmanager
def infrastructure(settings: Settings | None = None) -> Iterator[Infrastructure]:
    infra = open_infrastructure(settings or get_settings())
    try:
        prepare(infra)
        yield infra
    finally:
        infra.close()


@dataclass
class Workers:
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    runners: list[ProjectionRunner] = field(default_factory=list)

    def shutdown(self, timeout: float = 5.0) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout)


def start_projection_runners(infra: Infrastructure, projections: list[Projection] | None = None) -> Workers:
    workers = Workers()
    for projection in projections or ALL:
        runner = ProjectionRunner(
            projection, infra.database_url, infra.pool, infra.store, infra.settings.projection_batch_size
        )
        thread = threading.Thread(target=runner.run, args=(workers.stop,), name=f"projection-{projection.name}", daemon=True)
        thread.start()
        workers.threads.append(thread)
        workers.runners.append(runner)
    return workers
