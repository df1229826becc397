"""Response models of the AI tools' routes (content analysis, question drafts, explanations)
and of the recommendations."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Count, Measure, Recorded
from commands.number_ranges import LogPosition


class KeyConcept(BaseModel):
    phrase: str
    relevance: Measure


class ReadingLevel(BaseModel):
    flesch_reading_ease: Measure
    grade: Measure


class TextAnalysis(BaseModel):
    course_id: UUID
    lesson_id: UUID | None
    key_concepts: list[KeyConcept]
    reading_level: ReadingLevel
    reading_minutes: Measure
    word_count: Count
    suggested_skills: list[str]
    suggested_tags: list[str]
    language: str
    analyser_version: str
    source_position: LogPosition = Field(description="the log position of the text analysed")


class TopicsAccepted(Recorded):
    topics_id: UUID


class AcceptedTopics(BaseModel):
    course_id: UUID
    lesson_id: UUID | None
    skills: list[str]
    tags: list[str]
    key_concepts: list[str]
    analyser_version: str | None
    source_position: LogPosition | None
    accepted_by: UUID | None
    accepted_at: datetime | None


class LinkedQuestion(BaseModel):
    skill: str
    question_id: UUID
    bank_id: UUID


class LessonTopics(BaseModel):
    topics: AcceptedTopics | None = Field(description="null before any were accepted")
    linked_questions: list[LinkedQuestion]


class DraftsGenerated(Recorded):
    draft_ids: list[UUID]
    generator: str
    fallback_reason: str | None = Field(description="why the offline generator was used instead of the chat")


class DraftApproved(Recorded):
    question_id: UUID


class Draft(BaseModel):
    draft_id: UUID
    course_id: UUID
    lesson_id: UUID
    status: str = Field(description="draft, approved or rejected")
    content: dict[str, Any] = Field(description="the drafted question (request model QuestionSpec)")
    source_sentence: str
    generator: str
    source_position: LogPosition
    created_at: datetime
    created_by: UUID | None
    question_id: UUID | None
    bank_id: UUID | None
    reason: str | None


class Explanation(BaseModel):
    attempt_id: UUID
    question_id: str
    explanation: str
    model: str


class Recommendation(BaseModel):
    course_id: UUID
    reason: str = Field(description="follow_on, category, popular, explore ...")
    because_of: UUID | None = Field(description="the course or category the reason names")
    score: Measure | None
    title: str
    explanation: str


class Recommendations(BaseModel):
    items: list[Recommendation]
    model_version: str
    position: LogPosition = Field(description="the log position the answer was computed at")


class ServedItem(BaseModel):
    course_id: UUID
    reason: str
    because_of: UUID | None
    explanation: str


class Served(BaseModel):
    served_id: LogPosition
    served_at: datetime
    model_version: str
    position: LogPosition
    items: list[ServedItem]
