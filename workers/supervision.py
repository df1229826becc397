"""The threads of a process's workers: each runs under one supervision policy (a worker whose
loop raises is logged and restarted after a growing pause, never lost), and the process's one
reader of the log (projections/engine/log_reader.py) is started by the first worker that follows it.

Workers import this module, never workers/runtime.py, which starts them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.infrastructure import Infrastructure
from projections.engine.log_reader import LogReader
from projections.engine.runner import ProjectionRunner

log = logging.getLogger(__name__)


@dataclass
class Workers:
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    runners: list[ProjectionRunner] = field(default_factory=list)
    reader: LogReader | None = None  # the process's one reader of the log, started by the first follower

    # Pause before restarting a worker whose loop raised: doubles from 1 s up to 60 s.
    restart_base, restart_max = 1.0, 60.0

    def spawn(self, name: str, target: Callable[[threading.Event], None]) -> None:
        thread = threading.Thread(target=self._supervise, args=(name, target), name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _supervise(self, name: str, target: Callable[[threading.Event], None]) -> None:
        """Run a worker until stop; one that raises is logged and restarted, never lost."""
        failures = 0
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                target(self.stop)
                return
            except Exception:  # noqa: BLE001 - a worker must outlive any one failure
                # A worker that ran a while before failing starts its pauses afresh.
                failures = 1 if time.monotonic() - started > self.restart_max else failures + 1
                log.exception("worker %s failed (%d in a row); restarting", name, failures)
                self.stop.wait(min(self.restart_max, self.restart_base * 2 ** (failures - 1)))

    def log_reader(self, infra: Infrastructure) -> LogReader:
        if self.reader is None:
            self.reader = LogReader(infra.database_url, infra.pool, infra.store, infra.settings.projection_batch_size)
            self.spawn("log-reader", self.reader.run)
        return self.reader

    def shutdown(self, timeout: float = 5.0) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout)
