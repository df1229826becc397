"""Test-only read model that counts events per type with non-idempotent increments,
so an event applied twice (or lost) shows as a wrong count."""

from __future__ import annotations

import time
from typing import Any

from domain.identity import User
from domain.sessions import Session
from projections.engine.engine import Projection

counting = Projection(
    name="test_counts",
    tables=["CREATE TABLE IF NOT EXISTS counts (topic text PRIMARY KEY, n bigint NOT NULL)"],
)


@counting.on(User.Registered, User.ProfileUpdated, User.RoleGranted, Session.Started)
def count(cur: Any, event: Any) -> None:
    cur.execute(
        "INSERT INTO counts VALUES (%s, 1) ON CONFLICT (topic) DO UPDATE SET n = counts.n + 1",
        (type(event).__qualname__,),
    )


def slowed(projection: Projection, seconds_per_event: float) -> None:
    """Make a projection slow enough that a kill lands inside a batch."""
    for cls, handler in list(projection.handlers.items()):
        def slow(cur: Any, event: Any, handler: Any = handler) -> None:
            time.sleep(seconds_per_event)
            handler(cur, event)

        projection.handlers[cls] = slow
