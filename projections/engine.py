"""Batched projection engine: read models whose writes and tracking position commit together.

Each projection lives in its own PostgreSQL schema (`view_<name>`), tracking row included,
so a rebuild can build a fresh schema and swap it in by renaming, atomically.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.event_store import EVENTS_TABLE, NOTIFY_CHANNEL, EventStore
from domain.event_conventions import topics_of
from projections import runner_errors

log = logging.getLogger(__name__)

Handler = Callable[[psycopg.Cursor, Any], None]


@dataclass
class Projection:
    """A read model: its tables (DDL without schema names) and the events it consumes."""

    name: str
    tables: list[str]
    handlers: dict[type, Handler] = field(default_factory=dict)

    @property
    def schema(self) -> str:
        return f"view_{self.name}"

    @property
    def topics(self) -> list[str]:
        return [topic for cls in self.handlers for topic in topics_of(cls)]

    def on(self, *event_classes: type) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for cls in event_classes:
                self.handlers[cls] = handler
            return handler

        return register


def lock_key(purpose: str, projection: Projection) -> str:
    return f"skillhub:{purpose}:{projection.name}"


def create_schema(cur: psycopg.Cursor, projection: Projection, schema: str) -> None:
    cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
    for ddl in projection.tables:
        cur.execute(ddl)
    cur.execute("CREATE TABLE IF NOT EXISTS tracking (position bigint NOT NULL)")
    cur.execute("INSERT INTO tracking SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM tracking)")


def ensure_schema(pool: ConnectionPool, projection: Projection) -> None:
    with pool.connection() as conn, conn.cursor() as cur:
        # Serialise concurrent first starts of the same projection.
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_key("ddl", projection),))
        create_schema(cur, projection, projection.schema)


_BATCH_SQL = sql.SQL(
    "SELECT h.head, e.* FROM (SELECT max(notification_id) AS head FROM public.{table}) h "
    "LEFT JOIN LATERAL (SELECT notification_id, originator_id, originator_version, topic, state "
    "  FROM public.{table} WHERE notification_id > %s AND topic = ANY(%s) "
    "  ORDER BY notification_id LIMIT %s) e ON true"
).format(table=sql.Identifier(EVENTS_TABLE))


def apply_events(cur: psycopg.Cursor, projection: Projection, events: list[Any]) -> None:
    for event in events:
        projection.handlers[type(event)](cur, event)


def apply_batch_in(
    cur: psycopg.Cursor, store: EventStore, projection: Projection, schema: str, batch_size: int
) -> tuple[int, int, int]:
    """Apply the next batch inside the caller's transaction. Returns (applied, position, head)."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
    cur.execute("SELECT position FROM tracking FOR UPDATE")
    position = cur.fetchone()["position"]
    cur.execute(_BATCH_SQL, (position, projection.topics, batch_size))
    rows = cur.fetchall()
    head = (rows[0]["head"] or 0) if rows else 0
    found = [r for r in rows if r["notification_id"] is not None]
    apply_events(cur, projection, store.decode_many(found))
    # A short batch means everything up to head was seen, matching or not.
    new_position = found[-1]["notification_id"] if len(found) == batch_size else max(head, position)
    if new_position != position:
        cur.execute("UPDATE tracking SET position = %s", (new_position,))
    return len(found), new_position, head


def apply_batch(pool: ConnectionPool, store: EventStore, projection: Projection, batch_size: int) -> tuple[int, int, int]:
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        # Shared: many batches may run; a rebuild's swap takes it exclusively.
        cur.execute("SELECT pg_advisory_xact_lock_shared(hashtext(%s))", (lock_key("swap", projection),))
        return apply_batch_in(cur, store, projection, projection.schema, batch_size)


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
            ensure_schema(self.pool, self.projection)
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_CHANNEL)))
            healthy = False
            while not stop.is_set():
                _, position, head = apply_batch(self.pool, self.store, self.projection, self.batch_size)
                if not healthy:
                    # One successful batch in this activation clears any recorded failure.
                    runner_errors.clear(self.pool, self.projection.name)
                    healthy, self.failures, self.last_error = True, 0, None
                if position < head:
                    continue
                self._wait_for_notification(conn, stop)

    def _wait_for_notification(self, conn: psycopg.Connection, stop: threading.Event) -> None:
        """Caught up: sleep until the store announces new events (checking `stop` often)."""
        deadline = time.monotonic() + self.idle_timeout
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in conn.notifies(timeout=0.25, stop_after=1):
                return
