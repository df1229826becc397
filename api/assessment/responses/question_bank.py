"""What the question bank routes answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Count, Recorded
from commands.number_ranges import LogPosition


class BankCreated(Recorded):
    bank_id: UUID


class QuestionAdded(Recorded):
    question_id: UUID


class QuestionRevised(Recorded):
    revision: Count


class Bank(BaseModel):
    bank_id: UUID
    owner_kind: str = Field(description="teacher or course")
    owner_id: UUID
    title: str
    created_at: datetime


class BankWithCount(Bank):
    question_count: Count = Field(description="live (not retired) questions")


class Question(BaseModel):
    seq: LogPosition
    question_id: UUID
    bank_id: UUID
    type: str
    title: str
    skills: list[str]
    tags: list[str]
    revision: Count
    retired: bool
    created_at: datetime
    updated_at: datetime
    content: dict[str, Any] = Field(description="the question as written, with its answer key (request model QuestionSpec)")


class ImportedQuestion(BaseModel):
    question_id: UUID
    title: str
    type: str


class LeftOut(BaseModel):
    index: Count
    name: str
    type: str
    reason: str


class Imported(Recorded):
    imported: list[ImportedQuestion]
    unsupported: list[LeftOut] = Field(description="questions the file holds that were not imported, and why")
    warnings: list[str]


class NotExported(BaseModel):
    index: Count
    title: str
    type: str
    reason: str


class ExportedFile(BaseModel):
    format: str
    filename: str
    content: str
    warnings: list[str]
    not_exported: list[NotExported]
