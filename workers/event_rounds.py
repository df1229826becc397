"""A worker that runs one round of work at start and again after every event recorded in the
log (woken by the store's NOTIFY, not by busy polling), at least every idle_timeout seconds.
A round reads read models that apply a new event a moment after its NOTIFY, hence a short
grace wait after each wake-up. A round that fails (a database hiccup) is logged and the next
one runs after the next wake-up. Used by the class-courses and certificates workers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import psycopg
from psycopg import sql

from adapters.event_store import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
GRACE_SECONDS = 0.2


class EventRounds:
    def __init__(self, name: str, round_of_work: Callable[[], object], database_url: str,
                 idle_timeout: float = 5.0) -> None:
        self.name, self.round_of_work = name, round_of_work
        self.database_url, self.idle_timeout = database_url, idle_timeout

    def run(self, stop: threading.Event) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_CHANNEL)))
            while not stop.is_set():
                try:
                    self.round_of_work()
                except Exception:  # a database hiccup must not end the worker
                    log.exception("%s: round failed", self.name)
                self._wait(conn, stop)
                stop.wait(GRACE_SECONDS)

    def _wait(self, conn: psycopg.Connection, stop: threading.Event) -> None:
        deadline = time.monotonic() + self.idle_timeout
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in conn.notifies(timeout=0.25, stop_after=1):
                return
