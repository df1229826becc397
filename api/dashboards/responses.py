"""What the dashboards' own JSON routes answer, typed (the mastery route; the older three return
plain dicts, docs/dashboards.md describes them)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel

from api.learner.responses import Count
from commands.number_ranges import LogPosition, Share


class SkillSummary(BaseModel):
    skill: str
    students_estimated: Count  # current students with an estimate on the skill
    mean: Share | None  # their mean chance of answering right; null when nobody has one
    mastered: Count
    bands: list[Count]  # students per fifth of the scale: 0–20 %, 20–40 %, …, 80–100 %


class StudentName(BaseModel):
    student_id: UUID
    display_name: str


class ScopeMastery(BaseModel):
    scope: Literal["class", "course"]
    model_version: str | None
    position: LogPosition  # how far the learner worker has read the log
    student_count: Count  # the scope's current students
    skills: list[SkillSummary]
    students: list[StudentName] | None  # a class's current students; null for a course
    values: list[list[Share | None]] | None  # per student, per skill: the estimate, null when none yet
    answers: list[list[Count]] | None  # per student, per skill: the answers behind it
