"""What the personalization routes answer (api/learner): every field typed, so the OpenAPI schema
says what a client gets."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel


class SkillMastery(BaseModel):
    skill: str
    probability: float  # the chance of answering the next question on the skill right
    low: float  # 95% interval
    high: float
    answers: int
    right_answers: int
    last_practised: datetime
    mastered: bool
    model_version: str
    position: int  # the log position of the answer that last changed the estimate


class Mastery(BaseModel):
    student_id: UUID
    model_version: str | None
    position: int  # how far the learner worker has read the log
    skills: list[SkillMastery]


class Suggestion(BaseModel):
    suggestion_id: UUID
    rank: int
    kind: Literal["continue", "review", "lesson", "practice"]
    skill: str | None
    target: dict[str, Any]  # continue: attempt and quiz; lesson: lesson_ids; practice: level and questions
    reason: str
    evidence: dict[str, Any]  # the estimate behind it
    model_version: str
    position: int


class NextSteps(BaseModel):
    student_id: UUID
    model_version: str | None
    position: int
    suggestions: list[Suggestion]


class AnswerBehind(BaseModel):
    position: int
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
    position: int


class SkillDefined(BaseModel):
    name: str
    prerequisites: list[str]
    lesson_ids: list[UUID]
    position: int  # the command's log position
