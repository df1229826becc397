"""What the quiz routes answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Count, Measure, Recorded

Settings = dict[str, Any]  # as written with PUT /quizzes/{quiz_id} (request model QuizSettings)


class QuizCreated(Recorded):
    quiz_id: UUID


class QuizPublished(Recorded):
    version: Count


class QuizSnapshot(BaseModel):
    """A published version: its settings and a copy of its questions, by question id."""

    settings: Settings
    items: list[dict[str, Any]] = Field(description="the questions chosen, with their points")
    draws: list[dict[str, Any]] = Field(description="the random draws, by skill")
    questions: dict[str, dict[str, Any]]


class VersionListed(BaseModel):
    version: Count
    published_at: datetime
    corrections: Count = Field(description="answer-key corrections made to it")


class Quiz(BaseModel):
    """Its staff see draft, versions and latest; its students the published settings only."""

    quiz_id: UUID
    audience: str = Field(description="class or course")
    audience_id: UUID
    latest_version: Count = Field(description="0 before the first publication")
    settings: Settings | None = Field(default=None, description="for students: the published settings")
    draft: Settings | None = Field(default=None, description="for staff: the draft settings")
    versions: list[VersionListed] | None = Field(default=None, description="for staff")
    latest: QuizSnapshot | None = Field(default=None, description="for staff: the latest published version")


class QuizVersion(BaseModel):
    quiz_id: UUID
    version: Count
    snapshot: QuizSnapshot
    published_at: datetime
    corrections: Count


class QuizListed(BaseModel):
    quiz_id: UUID
    audience: str
    audience_id: UUID
    title: str
    latest_version: Count
    created_at: datetime
    published_settings: Settings | None


class RegradedRow(BaseModel):
    attempt_id: UUID
    student_id: UUID
    old_points: Measure
    new_points: Measure
    old_score: Measure
    new_score: Measure
    max_score: Measure
    display_name: str | None


class Regrading(Recorded):
    rows: list[RegradedRow]
    changed: Count = Field(description="attempts whose points change")
