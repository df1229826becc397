"""A quiz's settings as teachers write them: which questions (fixed or drawn at random per
skill), points, negative marking, attempts, time limit, open and close times, pass mark,
shuffling, feedback mode, which attempt counts, and for the gradebook a category and a soft
due date."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from commands.assessment.question_parts import Skill
from commands.number_ranges import Percent, Points, Share
from domain.quizzes import FeedbackMode


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_id: UUID
    points: Points = 1.0


class Draw(BaseModel):
    """`count` questions drawn at random, per attempt, from the bank's questions with this skill."""

    model_config = ConfigDict(extra="forbid")
    bank_id: UUID
    skill: Skill
    count: Annotated[int, Field(ge=1, le=200)]
    points: Points = 1.0


class QuizSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    items: list[Item] = Field(default_factory=list, max_length=500)
    draws: list[Draw] = Field(default_factory=list, max_length=50)
    negative_marking: Share = Field(
        default=0.0, description="share of a question's points lost for a wrong (not a blank) answer")
    attempts_allowed: Annotated[int, Field(ge=1, le=100)] | None = Field(default=1, description="null: unlimited")
    time_limit_seconds: Annotated[int, Field(ge=30, le=7 * 24 * 3600)] | None = None
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None
    pass_mark: Percent | None = Field(default=None, description="percent")
    shuffle_questions: bool = False
    shuffle_options: bool = False
    feedback_mode: FeedbackMode = FeedbackMode.AFTER_SUBMISSION
    score_policy: Literal["best", "last"] = Field(default="best", description="which attempt counts in results")
    # Read by the gradebook (docs/certification.md), not by the assessment context itself.
    category: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")] = Field(
        default="quizzes", description="gradebook category, e.g. quizzes or essays")
    due_at: AwareDatetime | None = Field(
        default=None, description="soft due date: the gradebook's late penalty applies after it; closes_at ends attempts")

    @model_validator(mode="after")
    def coherent(self) -> Self:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        if self.feedback_mode == FeedbackMode.AFTER_CLOSE and self.closes_at is None:
            raise ValueError("feedback after the close date needs a closes_at")
        ids = [i.question_id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("a question appears twice in items")
        return self

    def as_event_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


SNAPSHOT_SETTINGS_EXCLUDE = ("items", "draws")


def frozen_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """What a published version keeps of the settings besides its questions."""
    return {k: v for k, v in settings.items() if k not in SNAPSHOT_SETTINGS_EXCLUDE}
