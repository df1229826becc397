"""`min_position` on the personalization routes: the read models a route reads (as `read_after`
does) and the learner worker's estimates have applied the caller's position."""

from __future__ import annotations

from typing import Any

from fastapi import Depends

from api.platform.auth import DepsDep
from api.platform.read_position import MinPosition
from projections.engine.engine import Projection
from projections.engine.tracking import wait_for_position
from projections.learner.learned import wait_until_learned


def learned_after(projections: list[Projection]) -> Any:
    def wait(deps: DepsDep, min_position: MinPosition = None) -> None:
        wait_for_position(deps.pool, projections, min_position, deps.settings.read_wait_seconds)
        wait_until_learned(deps.pool, min_position, deps.settings.read_wait_seconds)

    return Depends(wait)
