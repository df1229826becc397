"""Rebuild read models from the whole log into fresh schemas, then swap them in.

One pass over the log serves every read model rebuilt together: a thread reads and decodes the
batches ahead (projections/engine/read_ahead.py) while the handlers' set-based statements run.

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
from projections.engine.engine import Projection, apply_batch_in, apply_events, create_schema, lock_key
from projections.engine.read_ahead import read_ahead

log = logging.getLogger(__name__)


# Events per batch of a rebuild: larger than a live batch, as a rebuild's batch costs few
# set-based statements and one commit whatever its size (memory: ~10 MB of decoded events).
REBUILD_BATCH_SIZE = 5000


@dataclass(frozen=True)
class RebuildReport:
    name: str
    events_applied: int
    position: int
    seconds: float


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def _fresh(projection: Projection) -> str:
    return projection.schema + "__rebuild"


def rebuild(pool: ConnectionPool, store: EventStore, projection: Projection, batch_size: int = REBUILD_BATCH_SIZE,
            progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Raises Conflict while another rebuild of the same projection runs (any process).
    `progress(position, head)` is called after each batch."""
    return rebuild_many(pool, store, [projection], batch_size, progress)[0]


def rebuild_many(pool: ConnectionPool, store: EventStore, projections: list[Projection],
                 batch_size: int = REBUILD_BATCH_SIZE,
                 progress: Callable[[int, int], None] | None = None) -> list[RebuildReport]:
    """Rebuild several read models in one pass over the log: each batch is read and decoded once
    and applied to every one of them. Raises Conflict (before changing anything) while another
    rebuild of any of them runs."""
    with pool.connection() as conn:
        taken: list[str] = []
        try:
            for projection in projections:
                key = lock_key("rebuild", projection)
                if not conn.execute("SELECT pg_try_advisory_lock(hashtext(%s)) AS got", (key,)).fetchone()["got"]:
                    raise Conflict(f"a rebuild of {projection.name} is already running; wait for it to finish")
                taken.append(key)
            return _rebuild(pool, store, projections, batch_size, progress or _quiet)
        finally:
            for key in taken:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))


def _quiet(position: int, head: int) -> None:
    pass


def _rebuild(pool: ConnectionPool, store: EventStore, projections: list[Projection], batch_size: int,
             progress: Callable[[int, int], None]) -> list[RebuildReport]:
    started = time.perf_counter()
    with pool.connection() as conn, conn.cursor() as cur:
        for projection in projections:
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_ident(_fresh(projection))))
            create_schema(cur, projection, _fresh(projection))
    applied = dict.fromkeys((p.name for p in projections), 0)
    topics = sorted({t for p in projections for t in p.topics})
    for batch in read_ahead(pool, store, topics, batch_size):
        with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            for projection in projections:
                mine = [e for e in batch.events if type(e) in projection.handlers]
                cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(_ident(_fresh(projection))))
                apply_events(cur, projection, mine)
                cur.execute("UPDATE tracking SET position = %s", (batch.end,))
                applied[projection.name] += len(mine)
        log.debug("rebuild: position %d of %d", batch.end, batch.head)
        progress(batch.end, batch.head)
    reports = []
    for projection in projections:
        applied[projection.name], position = _swap(pool, store, projection, batch_size, applied[projection.name])
        reports.append(RebuildReport(projection.name, applied[projection.name], position,
                                     time.perf_counter() - started))
    return reports


def _swap(pool: ConnectionPool, store: EventStore, projection: Projection, batch_size: int,
          applied: int) -> tuple[int, int]:
    """Apply what came since the pass (waiting for the live runner's current batch), then put the
    fresh schema in place of the old in the same transaction. Returns (applied, position)."""
    fresh, old = _fresh(projection), projection.schema + "__old"
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
    return applied, position
