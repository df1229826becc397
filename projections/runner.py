"""The process that keeps one read model up to date: batches while there is work, NOTIFY
wake-ups when caught up, one active runner per projection (advisory lock), retries after any
failure, and a rebuild first when the read model in the database was built by another version
of the projection."""

from __future__ import annotations

import logging
import threading
import time

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.event_store import NOTIFY_CHANNEL, EventStore
from projections import runner_errors
from projections.engine import Projection, apply_batch, ensure_schema, lock_key
from projections.rebuild import rebuild

log = logging.getLogger(__name__)


class ProjectionRunner:
    """Keeps one projection up to date. Only the holder of its advisory lock applies
    events; other runners of the same projection wait as hot standbys.

    Any failure (the database restarting, a handler raising on a bad event) is logged and
    recorded in `projection_runner_errors` (shown by `projections status` and `/readyz`);
    the runner then reconnects after a growing pause, takes the lock again and resumes from
    its tracking position, so a failed batch is retried, never skipped.
    """

    def __init__(
        self, projection: Projection, database_url: str, pool: ConnectionPool,
        store: EventStore, batch_size: int,
    ) -> None:
        self.projection, self.database_url = projection, database_url
        self.pool, self.store, self.batch_size = pool, store, batch_size
        self.active = threading.Event()
        # Notifications wake the runner; this only bounds the wait if one were lost.
        self.idle_timeout = 5.0
        # Pause after the n-th failure in a row: retry_base * 2**(n-1), at most retry_max.
        self.retry_base, self.retry_max = 0.5, 30.0
        self.failures = 0
        self.last_error: str | None = None
        self._cleared = False  # this activation's first good batch cleared the failure record

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self._run_active(stop)
            except Exception as e:  # noqa: BLE001 - whatever broke, retry from the position
                self._failed(e)
                stop.wait(min(self.retry_max, self.retry_base * 2 ** (self.failures - 1)))
            finally:
                self.active.clear()

    def _failed(self, error: Exception) -> None:
        self.failures += 1
        self.last_error = f"{type(error).__name__}: {error}"[:1000]
        log.exception("projection %s: failure %d, retrying", self.projection.name, self.failures)
        try:
            runner_errors.record(self.pool, self.projection.name, self.last_error)
        except Exception:  # noqa: BLE001 - the database may be the thing that is down
            log.warning("projection %s: could not record the failure", self.projection.name)

    def _run_active(self, stop: threading.Event) -> None:
        """Wait for the lock, then apply batches until stopped; raises on any failure."""
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            key = lock_key("active", self.projection)
            while not stop.is_set():
                if conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (key,)).fetchone()[0]:
                    break
                stop.wait(0.5)
            else:
                return
            self.active.set()
            log.info("projection %s: active", self.projection.name)
            if not ensure_schema(self.pool, self.projection):
                log.warning("projection %s: built by another version; rebuilding to version %d",
                            self.projection.name, self.projection.version)
                rebuild(self.pool, self.store, self.projection, self.batch_size)
            self._cleared = False
            self._follow(conn, stop)

    def _follow(self, conn: psycopg.Connection, stop: threading.Event) -> None:
        """Apply the log while holding the lock (conn holds it); a subclass may read elsewhere."""
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_CHANNEL)))
        while not stop.is_set():
            _, position, head = apply_batch(self.pool, self.store, self.projection, self.batch_size)
            self._healthy()
            if position < head:
                continue
            self._wait_for_notification(conn, stop)

    def _healthy(self) -> None:
        """The first successful batch of an activation clears any recorded failure."""
        if not self._cleared:
            runner_errors.clear(self.pool, self.projection.name)
            self._cleared, self.failures, self.last_error = True, 0, None

    def _wait_for_notification(self, conn: psycopg.Connection, stop: threading.Event) -> None:
        """Caught up: sleep until the store announces new events (checking `stop` often)."""
        deadline = time.monotonic() + self.idle_timeout
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in conn.notifies(timeout=0.25, stop_after=1):
                return
