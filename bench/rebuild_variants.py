"""Prototype of a rebuild optimisation, measured without changing the engine: the real
`projections.engine.rebuild.rebuild` runs with `projections.engine.engine.apply_events` swapped for one whose handler
statements are sent in psycopg pipeline mode (no round-trip wait per statement).

(The other prototype measured here, one key query per batch in `decode_many`, has since
landed in adapters/events/event_store.py and adapters/events/personal_data.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

import projections.engine.engine as engine
from projections.engine.engine import Projection, apply_events


def apply_events_pipelined(cur: psycopg.Cursor, projection: Projection, events: list[Any]) -> None:
    """projections.engine.engine.apply_events with the handler statements pipelined."""
    with cur.connection.pipeline():
        apply_events(cur, projection, events)


@contextmanager
def pipelined_handlers() -> Iterator[None]:
    """Swap the prototype into the engine for the duration (bench only)."""
    engine.apply_events = apply_events_pipelined  # type: ignore[assignment]
    try:
        yield
    finally:
        engine.apply_events = apply_events
