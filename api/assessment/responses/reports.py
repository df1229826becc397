"""What the quiz reports answer as JSON (their CSV forms are documented on the routes)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field


class StudentResult(BaseModel):
    student_id: UUID
    display_name: str | None
    attempts: int = Field(description="submitted attempts")
    counted_attempt_id: UUID
    number: int
    quiz_version: int
    score: float | None
    max_score: float | None
    percent: float | None
    pending: int
    submitted_at: datetime | None
    last_submitted_at: datetime | None
    pass_mark: float | None
    passed: bool | None


class QuizResults(BaseModel):
    score_policy: str = Field(description="best or last: which attempt counts")
    pass_mark: float | None
    students: list[StudentResult]


class Bin(BaseModel):
    from_: float = Field(alias="from")
    to: float
    count: int


class Distribution(BaseModel):
    count: int
    mean: float | None
    median: float | None
    stdev: float | None
    min: float | None
    max: float | None
    bins: list[Bin]


class Distractor(BaseModel):
    id: str | None = Field(description="the option; null for no answer")
    text: str
    correct: bool
    count: int


class ItemStatistics(BaseModel):
    question_id: str
    title: str
    type: str
    n: int
    difficulty: float | None = Field(description="mean share of the points earned")
    discrimination: float | None = Field(description="point-biserial correlation with the rest of the test")
    distractors: list[Distractor] | None = Field(description="choice questions only")


class QuizStatistics(BaseModel):
    attempts: int
    distribution: Distribution
    cronbach_alpha: float | None
    alpha_items: int
    items: list[ItemStatistics]


class NotAttempted(BaseModel):
    student_id: UUID
    display_name: str | None
    status: str = Field(description="not_started or in_progress")
