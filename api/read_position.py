"""The `min_position` every read accepts: read-your-writes for a client that got a position from
a command. One declaration, so its range and wording are the same on every route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from commands.number_ranges import LogPosition

MinPosition = Annotated[LogPosition | None, Query(
    description="wait until the read models have applied this log position (from a command's `position`)")]
