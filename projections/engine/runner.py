"""The follower that keeps one read model up to date from the process's LogReader: it applies
the events of its types in batches, each committed with its tracking position, and moves its
position over stretches without its events lazily (queries derive that it is caught up, see
projections/engine/tracking.py). One active runner per read model across processes (an advisory lock,
held by the reader's connection); the others wait as hot standbys. A runner behind the reader's
memory (first start, after a rebuild or a long stop) catches up by reading the log itself.

Any failure (the database restarting, a handler raising on a bad event) is logged and recorded
in `projection_runner_errors` (shown by `projections status` and `/readyz`); the runner then
waits a growing pause and resumes from its tracking position, so a failed batch is retried,
never skipped. A read model built by another version of the projection is rebuilt first.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EventStore
from projections.engine import runner_errors
from projections.engine.engine import (
    Projection,
    apply_batch,
    apply_events,
    batch_transaction,
    ensure_schema,
    lock_key,
)
from projections.engine.log_reader import LogReader, Subscription, reader_of_its_own
from projections.engine.rebuild import rebuild
from projections.engine.tracking import position_of

log = logging.getLogger(__name__)


class MovedUnderneath(Exception):
    """The tracking row is not where this runner left it (a rebuild swapped the read model in)."""


class ProjectionRunner:
    def __init__(
        self, projection: Projection, database_url: str, pool: ConnectionPool,
        store: EventStore, batch_size: int, reader: LogReader | None = None,
    ) -> None:
        self.projection, self.database_url = projection, database_url
        self.pool, self.store, self.batch_size = pool, store, batch_size
        self.reader = reader  # None: the runner starts a reader of its own (tests, single runs)
        self.active = threading.Event()
        self.idle_timeout = 5.0  # a private reader's bound on a lost notification
        # An idle read model's position is written at most this often (queries do not wait for it).
        self.flush_seconds = 1.0
        # Pause after the n-th failure in a row: retry_base * 2**(n-1), at most retry_max.
        self.retry_base, self.retry_max = 0.5, 30.0
        self.failures = 0
        self.last_error: str | None = None
        self._cleared = False  # this activation's first good batch cleared the failure record
        self.position = 0  # the committed tracking position
        self._flushed_at = 0.0
        self.event_topics = frozenset(projection.topics)

    def run(self, stop: threading.Event) -> None:
        with reader_of_its_own(self.reader, self.database_url, self.pool, self.store, stop,
                               self.projection.name, self.idle_timeout) as reader:
            subscription = reader.subscribe(f"projection {self.projection.name}", sorted(self.event_topics),
                                            lock_key("active", self.projection))
            try:
                while not stop.is_set():
                    try:
                        self._run_active(reader, subscription, stop)
                    except Exception as e:  # noqa: BLE001 - whatever broke, retry from the position
                        self._failed(e)
                        stop.wait(min(self.retry_max, self.retry_base * 2 ** (self.failures - 1)))
            finally:
                self.active.clear()
                reader.unsubscribe(subscription)

    def _failed(self, error: Exception) -> None:
        self.failures += 1
        self.last_error = f"{type(error).__name__}: {error}"[:1000]
        log.exception("projection %s: failure %d, retrying", self.projection.name, self.failures)
        try:
            runner_errors.record(self.pool, self.projection.name, self.last_error)
        except Exception:  # noqa: BLE001 - the database may be the thing that is down
            log.warning("projection %s: could not record the failure", self.projection.name)

    def _run_active(self, reader: LogReader, subscription: Subscription, stop: threading.Event) -> None:
        """Wait to be made active, then follow until stopped or no longer active; raises on failure."""
        self.active.clear()
        while not subscription.active.wait(0.25):
            if stop.is_set():
                return
        if not ensure_schema(self.pool, self.projection):
            log.warning("projection %s: built by another version; rebuilding to version %d",
                        self.projection.name, self.projection.version)
            rebuild(self.pool, self.store, self.projection)
        self.position = position_of(self.pool, self.projection)
        self._cleared = False
        self.active.set()
        self._follow(reader, subscription, stop)

    def _follow(self, reader: LogReader, subscription: Subscription, stop: threading.Event) -> None:
        """Apply the log while active; a subclass may read elsewhere (workers/streaming/kafka_feed.py)."""
        while not stop.is_set() and subscription.active.is_set():
            subscription.wake.clear()
            taken = reader.take(subscription, self.position, self.batch_size)
            if taken is None:  # behind the reader's memory: read the log directly
                _, self.position, head = apply_batch(self.pool, self.store, self.projection, self.batch_size)
                self._healthy()
                if self.position >= head:
                    subscription.wake.wait(0.1)
                continue
            events, end = taken
            try:
                if events or (end > self.position and time.monotonic() - self._flushed_at >= self.flush_seconds):
                    self._commit(events, end)
                    self._healthy()
                    continue
            except MovedUnderneath:
                log.info("projection %s: moved underneath (a rebuild?); resuming from its position",
                         self.projection.name)
                self.position = position_of(self.pool, self.projection)
                continue
            subscription.wake.wait(self.flush_seconds if end > self.position else self.idle_timeout)

    def _commit(self, events: list[Any], end: int) -> None:
        """The events and the new position in one transaction, from where this runner left it."""
        with batch_transaction(self.pool, self.projection) as cur:
            cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(self.projection.schema)))
            cur.execute("UPDATE tracking SET position = %s WHERE position = %s", (end, self.position))
            if cur.rowcount != 1:
                raise MovedUnderneath()
            apply_events(cur, self.projection, events)
        self.position, self._flushed_at = end, time.monotonic()

    def _healthy(self) -> None:
        """The first successful batch of an activation clears any recorded failure."""
        if not self._cleared:
            runner_errors.clear(self.pool, self.projection.name)
            self._cleared, self.failures, self.last_error = True, 0, None

