"""What the personalization routes answer (api/learner): every field typed, numbers with their
ranges (tests/unit/test_number_ranges.py), so the OpenAPI schema says what a client gets."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from commands.number_ranges import LogPosition, Share

Count = Annotated[int, Field(ge=0, le=2**31 - 1)]  # a PostgreSQL integer count
Rank = Annotated[int, Field(ge=1, le=20)]  # next steps list at most 20


class SkillMastery(BaseModel):
    skill: str
    probability: Share  # the chance of answering the next question on the skill right
    low: Share  # 95% interval
    high: Share
    answers: Count
    right_answers: Count
    last_practised: datetime
    mastered: bool
    model_version: str
    position: LogPosition  # the log position of the answer that last changed the estimate


class Mastery(BaseModel):
    student_id: UUID
    model_version: str | None
    position: LogPosition  # how far the learner worker has read the log
    skills: list[SkillMastery]


class Suggestion(BaseModel):
    suggestion_id: UUID
    rank: Rank
    kind: Literal["continue", "review", "lesson", "practice"]
    skill: str | None
    target: dict[str, Any]  # continue: attempt and quiz; lesson: lesson_ids; practice: level and questions
    reason: str
    evidence: dict[str, Any]  # the estimate behind it
    model_version: str
    position: LogPosition


class NextSteps(BaseModel):
    student_id: UUID
    model_version: str | None
    position: LogPosition
    suggestions: list[Suggestion]


class AnswerBehind(BaseModel):
    position: LogPosition
    question_id: str
    correct: bool
    answered_at: datetime


class SuggestionWhy(Suggestion):
    student_id: UUID
    shown_at: datetime
    answers_behind: list[AnswerBehind]


class SkillDefinition(BaseModel):
    name: str
    prerequisites: list[str]
    lesson_ids: list[UUID]
    position: LogPosition


class SkillDefined(BaseModel):
    name: str
    prerequisites: list[str]
    lesson_ids: list[UUID]
    position: LogPosition  # the command's log position
