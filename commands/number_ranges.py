"""The range of every number a command accepts. Outside it is a 422 that records nothing.

Bounds keep stored values readable everywhere they travel: PostgreSQL's JSONB turns a float such
as 1e20 into an integer past 64 bits, which the JSON encoder then refuses on every read; sums of
huge weights become inf in exports. Floats are also finite (no NaN or Infinity) and never -0.0,
which would otherwise come back in responses."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

# Whole numbers up to this are exact as floats, so a numeric answer compares as it was typed.
EXACT_MAGNITUDE = 1e15
WEEK_SECONDS = 7 * 24 * 3600


def _without_negative_zero(value: float) -> float:
    return value + 0.0  # -0.0 + 0.0 is 0.0; every other value is unchanged


def bounded(*, ge: float | None = None, gt: float | None = None, le: float) -> Any:
    """A finite float within the given bounds (one lower, one upper)."""
    return Annotated[float, Field(ge=ge, gt=gt, le=le, allow_inf_nan=False), AfterValidator(_without_negative_zero)]


Percent = bounded(ge=0, le=100)
Share = bounded(ge=0, le=1)
Credit = bounded(gt=0, le=1)
Weight = bounded(ge=0, le=1000)
PositiveWeight = bounded(gt=0, le=1000)
Points = bounded(gt=0, le=1000)
RubricPoints = bounded(ge=0, le=1000)
GradePoints = bounded(ge=0, le=1_000_000)
AnswerValue = bounded(ge=-EXACT_MAGNITUDE, le=EXACT_MAGNITUDE)
Tolerance = bounded(ge=0, le=EXACT_MAGNITUDE)
UnitMultiplier = bounded(gt=0, le=1e12)
MediaSeconds = bounded(ge=0, le=WEEK_SECONDS)
HourOfDay = Annotated[int, Field(ge=0, le=23)]
LogPosition = Annotated[int, Field(ge=0, le=2**63 - 1)]  # PostgreSQL bigint
Sequence = Annotated[int, Field(ge=0, le=2**63 - 1)]  # a bigint serial: inbox seq, delivery id
