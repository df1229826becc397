"""Batched projection engine: read models whose writes and tracking position commit together.

Each projection lives in its own PostgreSQL schema (`view_<name>`), tracking row included,
so a rebuild can build a fresh schema and swap it in by renaming, atomically.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE, EventStore
from domain.event_conventions import topics_of
from projections.engine.row_writes import Writes

Handler = Callable[[Any, Any], None]  # (psycopg.Cursor or row_writes.Writes, event)


@dataclass
class Projection:
    """A read model: its tables (DDL without schema names) and the events it consumes."""

    name: str
    tables: list[str]
    handlers: dict[type, Handler] = field(default_factory=dict)
    # The handlers that take a Writes (set-based row statements) instead of a cursor.
    set_based: set[Handler] = field(default_factory=set)
    # Raise it when the tables or the handlers change what they hold: a database whose read
    # model was built by another version is rebuilt by its runner before it applies anything.
    version: int = 1

    @property
    def schema(self) -> str:
        return f"view_{self.name}"

    @property
    def topics(self) -> list[str]:
        return [topic for cls in self.handlers for topic in topics_of(cls)]

    def on(self, *event_classes: Any) -> Any:
        """`@projection.on` over a handler `(cur, e: EventA | EventB)` registers it for the events
        its annotation names; `projection.on(EventA, ...)(handler)` names them explicitly (for
        handlers made in a loop)."""
        if len(event_classes) == 1 and callable(event_classes[0]) and not isinstance(event_classes[0], type):
            handler = event_classes[0]
            for cls in _annotated_events(handler):
                self.handlers[cls] = handler
            self._note_writes(handler)
            return handler

        def register(handler: Handler) -> Handler:
            for cls in event_classes:
                self.handlers[cls] = handler
            self._note_writes(handler)
            return handler

        return register

    def _note_writes(self, handler: Handler) -> None:
        first = list(inspect.signature(handler).parameters)[0]
        if typing.get_type_hints(handler).get(first) is Writes:
            self.set_based.add(handler)


def _annotated_events(handler: Handler) -> tuple[type, ...]:
    event_parameter = list(inspect.signature(handler).parameters)[1]
    annotation = typing.get_type_hints(handler)[event_parameter]
    classes = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    if not classes or not all(isinstance(c, type) for c in classes):
        raise TypeError(f"{handler.__qualname__}: annotate its event parameter with the event classes it handles")
    return classes


def lock_key(purpose: str, projection: Projection) -> str:
    return f"skillhub:{purpose}:{projection.name}"


def _tracking(cur: psycopg.Cursor) -> None:
    # Read models made before versions existed have no version column: they are version 1.
    cur.execute("CREATE TABLE IF NOT EXISTS tracking (position bigint NOT NULL)")
    cur.execute("ALTER TABLE tracking ADD COLUMN IF NOT EXISTS version int NOT NULL DEFAULT 1")


def create_schema(cur: psycopg.Cursor, projection: Projection, schema: str) -> None:
    cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
    for ddl in projection.tables:
        cur.execute(ddl)
    _tracking(cur)
    cur.execute("INSERT INTO tracking (position, version) SELECT 0, %s WHERE NOT EXISTS (SELECT 1 FROM tracking)",
                (projection.version,))


def built_version(cur: psycopg.Cursor, projection: Projection) -> int | None:
    """The version of the code that built the read model in the database; None if there is none."""
    cur.execute("SELECT to_regclass(%s) AS t", (f"{projection.schema}.tracking",))
    if cur.fetchone()["t"] is None:
        return None
    cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(projection.schema)))
    _tracking(cur)
    cur.execute("SELECT version FROM tracking")
    row = cur.fetchone()
    return row["version"] if row else None


def ensure_schema(pool: ConnectionPool, projection: Projection) -> bool:
    """Create the read model if missing. False when the one in the database was built by another
    version: its tables are left as they are (this version's DDL may not apply to them) until
    the runner rebuilds it."""
    with pool.connection() as conn, conn.cursor() as cur:
        # Serialise concurrent first starts of the same projection.
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_key("ddl", projection),))
        if built_version(cur, projection) not in (None, projection.version):
            return False
        create_schema(cur, projection, projection.schema)
        return True


_BATCH_SQL = sql.SQL(
    "SELECT h.head, e.* FROM (SELECT max(notification_id) AS head FROM public.{table}) h "
    "LEFT JOIN LATERAL (SELECT notification_id, originator_id, originator_version, topic, state "
    "  FROM public.{table} WHERE notification_id > %s AND topic = ANY(%s) "
    "  ORDER BY notification_id LIMIT %s) e ON true"
).format(table=sql.Identifier(EVENTS_TABLE))


def apply_events(cur: psycopg.Cursor, projection: Projection, events: list[Any]) -> None:
    """Run the handlers in log order. Their statements are pipelined (sent without waiting for
    each reply; an error still aborts the transaction), and set-based handlers' row statements
    go as one statement per kind and round (projections/engine/row_writes.py)."""
    writes = Writes(cur)
    with cur.connection.pipeline():
        for event in events:
            handler = projection.handlers[type(event)]
            if handler in projection.set_based:
                handler(writes, event)
            else:
                handler(writes.cursor, event)
        writes.flush()


def apply_batch_in(
    cur: psycopg.Cursor, store: EventStore, projection: Projection, schema: str, batch_size: int
) -> tuple[int, int, int]:
    """Apply the next batch inside the caller's transaction. Returns (applied, position, head)."""
    position = lock_tracking(cur, schema)
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


def lock_tracking(cur: psycopg.Cursor, schema: str) -> int:
    """Point the transaction at the read model's schema and lock its tracking row: the position."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
    cur.execute("SELECT position FROM tracking FOR UPDATE")
    return cur.fetchone()["position"]


@contextmanager
def batch_transaction(pool: ConnectionPool, projection: Projection) -> Iterator[psycopg.Cursor]:
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        # Shared: many batches may run; a rebuild's swap takes it exclusively.
        cur.execute("SELECT pg_advisory_xact_lock_shared(hashtext(%s))", (lock_key("swap", projection),))
        yield cur


def apply_batch(pool: ConnectionPool, store: EventStore, projection: Projection, batch_size: int) -> tuple[int, int, int]:
    with batch_transaction(pool, projection) as cur:
        return apply_batch_in(cur, store, projection, projection.schema, batch_size)
