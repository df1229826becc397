"""What the gradebook routes answer: the policy, grades (now or as of a moment), history, what-if."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Measure, Recorded, StoredNumber


class PolicyCategory(BaseModel):
    weight: StoredNumber
    drop_lowest: StoredNumber


class LatePenalty(BaseModel):
    percent_per_day: StoredNumber
    max_percent: StoredNumber


class LetterFrom(BaseModel):
    letter: str
    min: StoredNumber


class GradingPolicy(BaseModel):
    aggregation: str = Field(description="weighted_mean, mean or sum")
    categories: dict[str, PolicyCategory]
    late_penalty: LatePenalty
    pass_mark: StoredNumber
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
    weight: StoredNumber = Field(description="the policy's")
    percent: Measure | None
    points: Measure
    max: Measure


class Score(BaseModel):
    item_id: UUID
    category: str
    points: Measure
    max: Measure
    late_factor: Measure
    dropped: bool
    passed: bool | None


class PendingRelease(BaseModel):
    item_id: UUID
    category: str
    released_at: datetime | None


class Override(BaseModel):
    grade: Measure
    unit: str


class Grades(BaseModel):
    categories: dict[str, CategoryGrade]
    final: Measure | None = Field(description="in `unit`")
    unit: str = Field(description="percent, or points under a sum policy")
    percent: Measure | None
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
    current_final: Measure | None
    current_letter: str | None
    new_final: Measure | None
    new_letter: str | None
    current_passed: bool
    new_passed: bool


class WhatIf(BaseModel):
    items: list[WhatIfRow]


class GradeChange(BaseModel):
    at: datetime
    final: Measure | None
    letter: str | None
    categories: dict[str, Measure | None]
    cause: str
    actor_id: UUID | None
    command_id: UUID | None
    changed: list[str] = Field(description="what changed: final, letter, categories.<name>")


class GradeHistory(BaseModel):
    items: list[GradeChange]
