"""Rebuild a projection from the whole log into a fresh schema, then swap it in.

The old tables keep serving queries (and keep being updated by the live runner) until
the swap, which waits for the live runner's current batch, applies the last events and
renames the schemas in one transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EventStore
from domain.errors import Conflict
from projections.engine.engine import (
    Projection,
    apply_batch_in,
    create_schema,
    lock_key,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RebuildReport:
    name: str
    events_applied: int
    position: int
    seconds: float


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def rebuild(pool: ConnectionPool, store: EventStore, projection: Projection, batch_size: int,
            progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Raises Conflict while another rebuild of the same projection runs (any process).
    `progress(position, head)` is called after each batch."""
    with pool.connection() as conn:
        key = lock_key("rebuild", projection)
        if not conn.execute("SELECT pg_try_advisory_lock(hashtext(%s)) AS got", (key,)).fetchone()["got"]:
            raise Conflict(f"a rebuild of {projection.name} is already running; wait for it to finish")
        try:
            return _rebuild(pool, store, projection, batch_size, progress or _quiet)
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))


def _quiet(position: int, head: int) -> None:
    pass


def _rebuild(pool: ConnectionPool, store: EventStore, projection: Projection, batch_size: int,
             progress: Callable[[int, int], None]) -> RebuildReport:
    started = time.perf_counter()
    fresh, old = projection.schema + "__rebuild", projection.schema + "__old"
    with pool.connection() as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_ident(fresh)))
        create_schema(cur, projection, fresh)
    applied, position, head = 0, 0, 1
    while position < head:
        with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            n, position, head = apply_batch_in(cur, store, projection, fresh, batch_size)
            applied += n
        log.debug("rebuild %s: %d events, position %d of %d", projection.name, applied, position, head)
        progress(position, head)
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock_key("swap", projection),))
        while True:
            n, position, head = apply_batch_in(cur, store, projection, fresh, batch_size)
            applied += n
            if position >= head:
                break
        cur.execute("SET LOCAL search_path TO public")
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_ident(old)))
        cur.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (projection.schema,)
        )
        if cur.fetchone():
            cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(_ident(projection.schema), _ident(old)))
        cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(_ident(fresh), _ident(projection.schema)))
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_ident(old)))
    return RebuildReport(projection.name, applied, position, time.perf_counter() - started)
