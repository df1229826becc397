"""What the progress and analytics routes answer in JSON, every field typed (docs/analytics.md
"JSON shapes"). A report asked for as CSV or Parquet is a file response and passes unchecked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel

Scope = Literal["course", "class"]


class Milestones(BaseModel):
    first_lesson: datetime | None
    halfway: datetime | None
    completed: datetime | None
    certificate: datetime | None


class ScopeProgress(BaseModel):
    scope: Scope
    scope_id: UUID
    title: str
    active: bool
    joined_at: datetime
    left_at: datetime | None
    due_at: datetime | None
    lessons_completed: int
    lessons_total: int
    quizzes_passed: int
    results: int
    graded_items_total: int
    percent_complete: float
    time_spent_seconds: float
    last_activity_at: datetime | None
    current_streak_days: int
    longest_streak_days: int
    milestones: Milestones


class DueItem(BaseModel):
    item_id: UUID
    scope: Scope
    scope_id: UUID
    kind: Literal["quiz", "tutor_marked", "computer_marked", "exam", "course"]
    title: str
    due_at: datetime
    weight: float


class Overview(BaseModel):
    student_id: UUID
    scopes: list[ScopeProgress]
    due_next: list[DueItem]
    overdue: list[DueItem]


class EngagementRow(BaseModel):
    period_start: date
    active_students: int
    lesson_views: int
    completions: int
    results: int
    time_spent_seconds: float


class Engagement(BaseModel):
    scope: Scope
    scope_id: UUID
    period: Literal["day", "week"]
    rows: list[EngagementRow]


class FunnelStep(BaseModel):
    step_no: int
    step_id: str  # a lesson's id as the course names it, or a quiz's or assessment's
    kind: str
    title: str
    reached: int
    percent_of_enrolled: float
    lost: int


class DropOff(BaseModel):
    step_no: int
    step_id: str
    title: str
    lost: int


class Funnel(BaseModel):
    scope: Scope
    scope_id: UUID
    drop_off: DropOff | None
    rows: list[FunnelStep]


class QuizPerformanceRow(BaseModel):
    period_start: date
    item_id: UUID
    title: str
    submissions: int
    mean_score: float | None
    median_score: float | None
    pass_rate_percent: float | None


class QuizPerformance(BaseModel):
    scope: Scope
    scope_id: UUID
    period: Literal["day", "week"]
    rows: list[QuizPerformanceRow]


class AtRiskRow(BaseModel):
    student_id: UUID
    display_name: str | None
    reasons: list[Literal["inactive", "failing", "behind"]]
    detail: str
    mean_score: float | None
    last_active_day: date | None
    missed: int
    idle_days: int


class AtRisk(BaseModel):
    scope: Scope
    scope_id: UUID
    as_of: datetime
    total: int  # students at risk; `rows` lists the first `limit` of them
    rows: list[AtRiskRow]


class PopularityRow(BaseModel):
    course_id: UUID
    title: str
    enrolments: int
    enrolled_now: int
    left: int
    completions: int
    mean_score: float | None
    completion_rate_percent: float


class Popularity(BaseModel):
    rows: list[PopularityRow]


class PlatformTotals(BaseModel):
    active_users: int
    published_courses: int
    classes: int
    enrolments: int
    course_completions: int
    results: int
    events_in_log: int
    users_by_role: dict[str, int]


class PlatformDay(BaseModel):
    day: date
    active_learners: int
    learning_events: int
    results: int
    new_enrolments: int
    new_class_members: int


class Platform(BaseModel):
    days: int
    totals: PlatformTotals
    rows: list[PlatformDay]
