"""A worker that runs one round of work at start and again whenever the log gains events of the
types it watches (woken by the process's LogReader, not by a connection or a poll of its own),
at least every idle_timeout seconds. A round reads read models that apply a new event a moment
after the reader sees it, hence a short grace wait after each wake-up. A round that fails (a
database hiccup) is logged and the next one runs after the next wake-up. Used by the
class-courses and certificates workers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from psycopg_pool import ConnectionPool

from adapters.events.event_store import EventStore
from projections.engine.log_reader import LogReader, reader_of_its_own

log = logging.getLogger(__name__)
GRACE_SECONDS = 0.2


class EventRounds:
    def __init__(self, name: str, round_of_work: Callable[[], object], topics: Sequence[str],
                 reader: LogReader | None, database_url: str, pool: ConnectionPool, store: EventStore,
                 idle_timeout: float = 5.0) -> None:
        self.name, self.round_of_work, self.topics = name, round_of_work, list(topics)
        self.reader, self.database_url, self.pool, self.store = reader, database_url, pool, store
        self.idle_timeout = idle_timeout

    def run(self, stop: threading.Event) -> None:
        with reader_of_its_own(self.reader, self.database_url, self.pool, self.store, stop, self.name) as reader:
            subscription = reader.subscribe(self.name, self.topics)
            try:
                while not stop.is_set():
                    subscription.wake.clear()
                    try:
                        self.round_of_work()
                    except Exception:  # a database hiccup must not end the worker
                        log.exception("%s: round failed", self.name)
                    subscription.wake.wait(self.idle_timeout)
                    stop.wait(GRACE_SECONDS)
            finally:
                reader.unsubscribe(subscription)
