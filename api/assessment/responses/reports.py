"""What the quiz reports answer as JSON (their CSV forms are documented on the routes)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Count, Measure


class StudentResult(BaseModel):
    student_id: UUID
    display_name: str | None
    attempts: Count = Field(description="submitted attempts")
    counted_attempt_id: UUID
    number: Count
    quiz_version: Count
    score: Measure | None
    max_score: Measure | None
    percent: Measure | None
    pending: Count
    submitted_at: datetime | None
    last_submitted_at: datetime | None
    pass_mark: Measure | None
    passed: bool | None


class QuizResults(BaseModel):
    score_policy: str = Field(description="best or last: which attempt counts")
    pass_mark: Measure | None
    students: list[StudentResult]


class Bin(BaseModel):
    from_: Measure = Field(alias="from")
    to: Measure
    count: Count


class Distribution(BaseModel):
    count: Count
    mean: Measure | None
    median: Measure | None
    stdev: Measure | None
    min: Measure | None
    max: Measure | None
    bins: list[Bin]


class Distractor(BaseModel):
    id: str | None = Field(description="the option; null for no answer")
    text: str
    correct: bool
    count: Count


class ItemStatistics(BaseModel):
    question_id: str
    title: str
    type: str
    n: Count
    difficulty: Measure | None = Field(description="mean share of the points earned")
    discrimination: Measure | None = Field(description="point-biserial correlation with the rest of the test")
    distractors: list[Distractor] | None = Field(description="choice questions only")


class QuizStatistics(BaseModel):
    attempts: Count
    distribution: Distribution
    cronbach_alpha: Measure | None
    alpha_items: Count
    items: list[ItemStatistics]


class NotAttempted(BaseModel):
    student_id: UUID
    display_name: str | None
    status: str = Field(description="not_started or in_progress")
