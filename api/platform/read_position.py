"""The `min_position` every read accepts: read-your-writes for a client that got a position from
a command. Declared once, so its range and wording are the same on every route; `read_after`
makes a route wait for it as a dependency instead of a call in its body."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from api.platform.auth import DepsDep
from commands.number_ranges import LogPosition
from projections.engine.engine import Projection
from projections.engine.tracking import wait_for_position

MinPosition = Annotated[LogPosition | None, Query(
    description="wait until the read models have applied this log position (from a command's `position`)")]


def read_after(projections: list[Projection]) -> Any:
    """A dependency: the given read models have applied the caller's `min_position` (else a 503
    after SKILLHUB_READ_WAIT_SECONDS, or a 422 for a position past the log's end)."""
    def wait(deps: DepsDep, min_position: MinPosition = None) -> None:
        wait_for_position(deps.pool, projections, min_position, deps.settings.read_wait_seconds)

    return Depends(wait)
