"""What the dashboards' own JSON routes answer, typed (the mastery route; the older three return
plain dicts, docs/dashboards.md describes them)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel


class SkillSummary(BaseModel):
    skill: str
    students_estimated: int  # current students with an estimate on the skill
    mean: float | None  # their mean chance of answering right; null when nobody has one
    mastered: int
    bands: list[int]  # students per fifth of the scale: 0–20 %, 20–40 %, …, 80–100 %


class StudentName(BaseModel):
    student_id: UUID
    display_name: str


class ScopeMastery(BaseModel):
    scope: Literal["class", "course"]
    model_version: str | None
    position: int  # how far the learner worker has read the log
    student_count: int  # the scope's current students
    skills: list[SkillSummary]
    students: list[StudentName] | None  # a class's current students; null for a course
    values: list[list[float | None]] | None  # per student, per skill: the estimate, null when none yet
    answers: list[list[int]] | None  # per student, per skill: the answers behind it
