"""One reader of the log per process: it reads each new stretch once, decodes it once (one key
query per stretch), keeps in memory what its active followers have not taken yet (at most
`memory` events), and wakes only the followers whose event types the stretch holds. A follower
with nothing in a stretch is not woken and costs nothing; one that is behind the memory (a first
start, a rebuild, a long stop, a standby becoming active) reads the log itself until it reaches it.

Wake-ups come from the store's NOTIFY on one connection, coalesced: however many commits arrive
while a stretch is read, the next read takes them all. The same connection holds the advisory
locks that make a follower active (one per read model across processes, the others waiting as
hot standbys): if it drops, every follower of this process stops until the locks are taken again.
"""

from __future__ import annotations

import bisect
import logging
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE, NOTIFY_CHANNEL, EventStore

log = logging.getLogger(__name__)

_STRETCH_SQL = sql.SQL(
    "SELECT h.head, e.* FROM (SELECT coalesce(max(notification_id), 0) AS head FROM public.{table}) h "
    "LEFT JOIN LATERAL (SELECT notification_id, originator_id, originator_version, topic, state "
    "  FROM public.{table} WHERE notification_id > %s AND topic = ANY(%s) "
    "  ORDER BY notification_id LIMIT %s) e ON true"
).format(table=sql.Identifier(EVENTS_TABLE))


@dataclass
class Subscription:
    """A follower's interest: its event topics (None: woken by any new event, which it reads
    itself, e.g. the relay's sealed rows), the advisory lock that makes it active (None: needs
    none), and the flags the reader sets for it."""

    name: str
    topics: frozenset[str] | None
    lock_key: str | None = None
    wake: threading.Event = field(default_factory=threading.Event)
    active: threading.Event = field(default_factory=threading.Event)
    taken_after: int | None = None  # where its last take started: it never asks for older events again


class LogReader:
    def __init__(self, database_url: str, pool: ConnectionPool, store: EventStore,
                 batch_size: int = 500, memory: int = 50_000) -> None:
        self.database_url, self.pool, self.store = database_url, pool, store
        self.batch_size, self.memory = batch_size, memory
        self.subscriptions: list[Subscription] = []
        self._lock = threading.Lock()
        self._positions: list[int] = []  # the remembered events, in log order
        self._entries: list[tuple[str, Any]] = []  # (topic, decoded event) beside each position
        # Every event after `start` and up to `read_to` is remembered; nothing before the first read.
        self.start, self.read_to = sys.maxsize, 0
        self.started = threading.Event()  # set while connected, once the first stretch was read
        self.lock_retry_seconds = 0.5
        self.idle_timeout = 5.0  # a lost notification delays a stretch at most this long

    def subscribe(self, name: str, topics: Sequence[str] | None, lock_key: str | None = None) -> Subscription:
        subscription = Subscription(name, None if topics is None else frozenset(topics), lock_key)
        if lock_key is None:
            subscription.active.set()
        with self._lock:
            self.subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self.subscriptions.remove(subscription)
        subscription.active.clear()

    # The follower's side --------------------------------------------------------------------

    def take(self, subscription: Subscription, after: int, limit: int,
             with_positions: bool = False) -> tuple[list[Any], int] | None:
        """The remembered events after `after` of the subscription's topics (at most `limit`) and
        the position up to which that answer is complete; None when `after` is older than memory.
        With positions: (position, event) pairs, for followers that record where a fact came from."""
        topics = subscription.topics or frozenset()
        with self._lock:
            subscription.taken_after = after
            if after < self.start:
                return None
            first = bisect.bisect_right(self._positions, after)
            events, end = [], self.read_to
            for i in range(first, len(self._positions)):
                topic, event = self._entries[i]
                if topic in topics:
                    if len(events) == limit:
                        end = self._positions[i - 1]
                        break
                    events.append((self._positions[i], event) if with_positions else event)
            return events, max(end, after)

    # The reader's own thread ----------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Follow the log until stopped; raises on a lost connection (the supervisor retries)."""
        try:
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_CHANNEL)))
                self._begin_at_head(conn)
                next_lock_try = 0.0
                while not stop.is_set():
                    if time.monotonic() >= next_lock_try:
                        self._take_locks(conn)
                        next_lock_try = time.monotonic() + self.lock_retry_seconds
                    while self._read_stretch(conn):
                        pass
                    self.started.set()
                    self._wait(conn, stop, next_lock_try)
        finally:
            self.started.clear()
            for s in self.subscriptions:
                if s.lock_key is not None:
                    s.active.clear()  # the locks went with the connection
                s.wake.set()

    def _begin_at_head(self, conn: psycopg.Connection) -> None:
        """Memory starts empty at the log's head: followers behind it catch up from the log."""
        head = conn.execute(sql.SQL("SELECT coalesce(max(notification_id), 0) FROM public.{}").format(
            sql.Identifier(EVENTS_TABLE))).fetchone()[0]
        with self._lock:
            if head > self.read_to or self.start > head:  # a reconnect keeps a memory still whole
                self._positions, self._entries, self.start, self.read_to = [], [], head, head

    def _take_locks(self, conn: psycopg.Connection) -> None:
        waiting = [s for s in list(self.subscriptions) if s.lock_key is not None and not s.active.is_set()]
        if not waiting:
            return
        rows = conn.execute("SELECT k, pg_try_advisory_lock(hashtext(k)) FROM unnest(%s::text[]) k",
                            ([s.lock_key for s in waiting],)).fetchall()
        got = {key for key, taken in rows if taken}
        for s in waiting:
            if s.lock_key in got:
                log.info("%s: active", s.name)
                s.active.set()
                s.wake.set()

    def _wanted_topics(self) -> list[str]:
        return sorted({t for s in list(self.subscriptions) for t in s.topics or ()})

    def _read_stretch(self, conn: psycopg.Connection) -> bool:
        """Read, decode and remember the next stretch; True when more is waiting."""
        topics = self._wanted_topics()
        cur = conn.cursor(row_factory=dict_row)
        rows = cur.execute(_STRETCH_SQL, (self.read_to, topics, self.batch_size)).fetchall()
        found = [r for r in rows if r["notification_id"] is not None]
        head = rows[0]["head"] if rows else self.read_to
        full = len(found) == self.batch_size
        end = found[-1]["notification_id"] if full else max(head, self.read_to)
        if end == self.read_to:
            return False
        events = self.store.decode_many(found)
        with self._lock:
            self._positions.extend(r["notification_id"] for r in found)
            self._entries.extend(zip((r["topic"] for r in found), events, strict=True))
            self.read_to = end
            self._forget_beyond_memory()
        present = {r["topic"] for r in found}
        for s in list(self.subscriptions):
            if s.topics is None or not s.topics.isdisjoint(present):
                s.wake.set()
        return full

    def _forget_beyond_memory(self) -> None:
        """Forget what every active follower has taken (a follower that restarts from an older
        position reads the log), and beyond `memory` events whatever is left. Without the first
        rule a worker kept `memory` decoded events (~3 KB each: 150 MB) once the log had that many."""
        taken = [s.taken_after for s in self.subscriptions if s.active.is_set()]
        # A follower that has not taken yet (just subscribed) asks from a position the reader does
        # not know: keep everything for it, up to `memory`.
        oldest = -1 if None in taken else min(taken, default=self.read_to)
        passed = bisect.bisect_right(self._positions, oldest)
        extra = max(passed, len(self._positions) - self.memory)
        if extra > 0:
            self.start = self._positions[extra - 1]
            del self._positions[:extra], self._entries[:extra]

    def _wait(self, conn: psycopg.Connection, stop: threading.Event, next_lock_try: float) -> None:
        """Until a notification (all pending ones are taken at once), a lock try is due, or stop."""
        deadline = min(time.monotonic() + self.idle_timeout, next_lock_try if self._lock_wanted() else float("inf"))
        while not stop.is_set() and time.monotonic() < deadline:
            if any(True for _ in conn.notifies(timeout=0.1, stop_after=1)):
                for _ in conn.notifies(timeout=0, stop_after=10_000):
                    pass  # coalesce: one read covers every commit announced so far
                return

    def _lock_wanted(self) -> bool:
        return any(s.lock_key is not None and not s.active.is_set() for s in list(self.subscriptions))


def keep_reading(reader: LogReader, stop: threading.Event) -> None:
    """A reader's loop under its owner's stop: a lost connection is retried after a pause."""
    while not stop.is_set():
        try:
            reader.run(stop)
        except (psycopg.Error, OSError) as e:
            log.warning("log reader: %s; reconnecting", e)
            stop.wait(0.5)


@contextmanager
def reader_of_its_own(reader: LogReader | None, database_url: str, pool: ConnectionPool, store: EventStore,
                      stop: threading.Event, name: str, idle_timeout: float = 5.0) -> Iterator[LogReader]:
    """The process's reader when given; else one for this follower alone (tests, single runs),
    read on a thread that ends with `stop`."""
    if reader is not None:
        yield reader
        return
    own = LogReader(database_url, pool, store)
    own.idle_timeout = idle_timeout
    thread = threading.Thread(target=keep_reading, args=(own, stop), daemon=True, name=f"log-reader-{name}")
    thread.start()
    try:
        yield own
    finally:
        thread.join(5)
