"""What the gradebook routes answer: the policy, grades (now or as of a moment), history, what-if."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Recorded


class PolicyCategory(BaseModel):
    weight: float
    drop_lowest: int


class LatePenalty(BaseModel):
    percent_per_day: float
    max_percent: float


class LetterFrom(BaseModel):
    letter: str
    min: float


class GradingPolicy(BaseModel):
    aggregation: str = Field(description="weighted_mean, mean or sum")
    categories: dict[str, PolicyCategory]
    late_penalty: LatePenalty
    pass_mark: float
    letters: list[LetterFrom]


class PolicyInForce(BaseModel):
    scope_id: UUID
    policy: GradingPolicy


class PolicySet(Recorded):
    scope_id: UUID
    changed: bool


class Overridden(Recorded):
    scope_id: UUID
    student_id: UUID
    unit: str


class CategoryGrade(BaseModel):
    weight: float
    percent: float | None
    points: float
    max: float


class Score(BaseModel):
    item_id: UUID
    category: str
    points: float
    max: float
    late_factor: float
    dropped: bool
    passed: bool | None


class PendingRelease(BaseModel):
    item_id: UUID
    category: str
    released_at: datetime | None


class Override(BaseModel):
    grade: float
    unit: str


class Grades(BaseModel):
    categories: dict[str, CategoryGrade]
    final: float | None = Field(description="in `unit`")
    unit: str = Field(description="percent, or points under a sum policy")
    percent: float | None
    letter: str | None
    passed: bool
    overridden: bool
    override_reason: str | None
    override: Override | None
    scores: list[Score]
    pending_release: list[PendingRelease] = Field(description="quiz scores the student does not see yet")
    view: str = Field(description="student or staff")


class StudentGrades(Grades):
    scope_id: UUID
    student_id: UUID
    as_of: datetime | None


class GradebookRow(Grades):
    student_id: UUID


class Gradebook(BaseModel):
    scope_id: UUID
    as_of: datetime | None
    items: list[GradebookRow]


class WhatIfRow(BaseModel):
    student_id: UUID
    current_final: float | None
    current_letter: str | None
    new_final: float | None
    new_letter: str | None
    current_passed: bool
    new_passed: bool


class WhatIf(BaseModel):
    items: list[WhatIfRow]


class GradeChange(BaseModel):
    at: datetime
    final: float | None
    letter: str | None
    categories: dict[str, float | None]
    cause: str
    actor_id: UUID | None
    command_id: UUID | None
    changed: list[str] = Field(description="what changed: final, letter, categories.<name>")


class GradeHistory(BaseModel):
    items: list[GradeChange]
