"""The rebuild as it was before set-based and pipelined handler statements, for a before/after
in one benchmark run: `projections.engine.rebuild.rebuild` with its `apply_events` swapped for one
that sends every handler statement on its own and waits for its reply (bench only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

import projections.engine.rebuild as rebuild_module
from projections.engine.engine import Projection
from projections.engine.row_writes import Writes


def apply_events_one_by_one(cur: psycopg.Cursor, projection: Projection, events: list[Any]) -> None:
    writes = Writes(cur)
    for event in events:
        handler = projection.handlers[type(event)]
        handler(writes if handler in projection.set_based else cur, event)
        writes.flush()  # each row statement alone, as a plain handler's execute was


@contextmanager
def statements_one_by_one() -> Iterator[None]:
    """Swap the old way into the rebuild for the duration."""
    current = rebuild_module.apply_events
    rebuild_module.apply_events = apply_events_one_by_one  # type: ignore[assignment]
    try:
        yield
    finally:
        rebuild_module.apply_events = current  # type: ignore[assignment]
