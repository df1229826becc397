"""Saving many aggregates as a few transactions of bounded size.

A `record()` that sends more than a few hundred kilobytes can stall for good on the embedded
PostgreSQL (Unix socket): the event store's insert runs in psycopg's pipeline mode, and with a
message that big psycopg 3.3 sometimes waits for the server while the server waits for the rest
of the message (about half the tries with 1 MB in a plain psycopg script; none over TCP). The
stalled insert has already taken the events table's exclusive lock, so every other write waits
too. Commands that save many aggregates at once (imports, re-grading) therefore save them in
batches of at most BUDGET_BYTES of event data each.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commands.pipeline import Deps

BUDGET_BYTES = 128 * 1024


def record_bounded(deps: Deps, sized: Iterable[tuple[Any, int]]) -> int:
    """Save (aggregate, estimated bytes of its new events) pairs, in order, in batches; returns
    the log position of the last event. Each batch is atomic, the whole is not."""
    position, batch, used = 0, [], 0
    for aggregate, size in sized:
        if batch and used + size > BUDGET_BYTES:
            position = deps.store.record(*batch)
            batch, used = [], 0
        batch.append(aggregate)
        used += size
    return deps.store.record(*batch) if batch else position
