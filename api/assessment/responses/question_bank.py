"""What the question bank routes answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Recorded


class BankCreated(Recorded):
    bank_id: UUID


class QuestionAdded(Recorded):
    question_id: UUID


class QuestionRevised(Recorded):
    revision: int


class Bank(BaseModel):
    bank_id: UUID
    owner_kind: str = Field(description="teacher or course")
    owner_id: UUID
    title: str
    created_at: datetime


class BankWithCount(Bank):
    question_count: int = Field(description="live (not retired) questions")


class Question(BaseModel):
    seq: int
    question_id: UUID
    bank_id: UUID
    type: str
    title: str
    skills: list[str]
    tags: list[str]
    revision: int
    retired: bool
    created_at: datetime
    updated_at: datetime
    content: dict[str, Any] = Field(description="the question as written, with its answer key (request model QuestionSpec)")


class ImportedQuestion(BaseModel):
    question_id: UUID
    title: str
    type: str


class LeftOut(BaseModel):
    index: int
    name: str
    type: str
    reason: str


class Imported(Recorded):
    imported: list[ImportedQuestion]
    unsupported: list[LeftOut] = Field(description="questions the file holds that were not imported, and why")
    warnings: list[str]


class NotExported(BaseModel):
    index: int
    title: str
    type: str
    reason: str


class ExportedFile(BaseModel):
    format: str
    filename: str
    content: str
    warnings: list[str]
    not_exported: list[NotExported]
