"""Prototype of a rebuild optimisation, measured without changing the engine: the real
`projections.rebuild.rebuild` runs with `apply_batch_in` swapped for a copy whose handler
statements are sent in psycopg pipeline mode (no round-trip wait per statement).

(The other prototype measured here, one key query per batch in `decode_many`, has since
landed in adapters/event_store.py and adapters/personal_data.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

import projections.rebuild as rebuild_module
from adapters.event_store import EventStore
from projections.engine import _BATCH_SQL, Projection, apply_batch_in


def apply_batch_in_pipelined(
    cur: psycopg.Cursor, store: EventStore, projection: Projection, schema: str, batch_size: int
) -> tuple[int, int, int]:
    """projections.engine.apply_batch_in with the handler statements pipelined."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
    cur.execute("SELECT position FROM tracking FOR UPDATE")
    position = cur.fetchone()["position"]
    cur.execute(_BATCH_SQL, (position, projection.topics, batch_size))
    rows = cur.fetchall()
    head = (rows[0]["head"] or 0) if rows else 0
    found = [r for r in rows if r["notification_id"] is not None]
    events = store.decode_many(found)
    with cur.connection.pipeline():
        for event in events:
            projection.handlers[type(event)](cur, event)
    new_position = found[-1]["notification_id"] if len(found) == batch_size else max(head, position)
    if new_position != position:
        cur.execute("UPDATE tracking SET position = %s", (new_position,))
    return len(found), new_position, head


@contextmanager
def pipelined_handlers() -> Iterator[None]:
    """Swap the prototype into projections.rebuild for the duration (bench only)."""
    rebuild_module.apply_batch_in = apply_batch_in_pipelined  # type: ignore[assignment]
    try:
        yield
    finally:
        rebuild_module.apply_batch_in = apply_batch_in
