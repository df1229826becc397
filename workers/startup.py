"""What every process does first: open the infrastructure and create the operational tables and
every projection's schema. Kept apart from workers/runtime.py so that commands which only read or
write the log (`skillhub events replay`, `audit verify`, `keys`, ...) start without importing the
background workers and their libraries."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from adapters.infrastructure import Infrastructure, open_infrastructure
from adapters.postgres import schema_lock
from adapters.settings import Settings, get_settings
from api.platform import idempotency
from commands.forum import reading as forum_reading
from commands.identity import throttle
from projections.audit import hash_chain
from projections.engine import runner_errors
from projections.engine.engine import ensure_schema
from projections.identity.identity import finish_erasures
from projections.learner.tables import create_tables as create_learner_tables
from projections.notification import store as notification_store
from projections.recommendations import served as served_recommendations
from projections.registry import ALL
from projections.streaming import kafka_offsets, relay_position, xapi_position

log = logging.getLogger(__name__)


def prepare(infra: Infrastructure) -> None:
    """Create the operational tables and every projection's schema (idempotent)."""
    with schema_lock(infra.database_url):
        throttle.create_tables(infra.pool)
        forum_reading.create_tables(infra.pool)
        idempotency.create_tables(infra.pool)
        notification_store.create_tables(infra.pool)
        relay_position.create_tables(infra.pool)
        runner_errors.create_tables(infra.pool)
        kafka_offsets.create_tables(infra.pool)
        create_learner_tables(infra.pool)
        hash_chain.create_tables(infra.pool)
        served_recommendations.create_tables(infra.pool)
        xapi_position.create_tables(infra.pool)
        for projection in ALL:
            ensure_schema(infra.pool, projection)
    if repaired := finish_erasures(infra.pool):
        log.warning("destroyed the surviving keys of %d erased people", repaired)


@contextmanager
def infrastructure(settings: Settings | None = None) -> Iterator[Infrastructure]:
    infra = open_infrastructure(settings or get_settings())
    try:
        prepare(infra)
        yield infra
    finally:
        infra.close()
