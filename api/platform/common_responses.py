"""Response shapes many contexts share: a command's receipt, a keyset page, and the ranges of the
numbers answers carry (tests/unit/test_number_ranges.py: every number of a model has one)."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field, WithJsonSchema

from commands.number_ranges import EXACT_MAGNITUDE, LogPosition, bounded

Item = TypeVar("Item")
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]  # a count, number or revision (a PostgreSQL integer)
Size = Annotated[int, Field(ge=0, le=2**63 - 1)]  # bytes, a bigint
# Scores, percents, seconds and statistics as computed: finite, wide enough never to refuse one.
Measure = bounded(ge=-EXACT_MAGNITUDE, le=EXACT_MAGNITUDE)
# A number a client wrote before it had a range (a grading policy's weight): answered as stored,
# never refused; the JSON renderer (api.app.ORJSONResponse) keeps it finite and without -0.0.
StoredNumber = Annotated[Any, WithJsonSchema({"type": "number"})]


class Recorded(BaseModel):
    """What every command answers; routes extend it with what the caller needs next."""

    position: LogPosition = Field(description="log position of the last event written (0: nothing recorded);"
                          " also the X-Log-Position header, for min_position on later reads")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last one")
