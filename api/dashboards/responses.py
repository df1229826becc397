"""What the dashboards' own JSON routes answer, typed: the class heat map, a person's activity by
day and what they teach, and the mastery of a class or course (docs/dashboards.md)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.learner.responses import Count
from api.platform.common_responses import Measure
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


class HeatMapLesson(BaseModel):
    lesson_id: UUID
    title: str


class HeatMap(BaseModel):
    lessons: list[HeatMapLesson] = Field(description="columns, in lesson order")
    students: list[StudentName] = Field(description="rows, in roster order")
    values: list[list[Share | None]] = Field(
        description="per student, per lesson: 1.0 completed, the share of its videos watched (under 1) when opened,"
        " null never opened")


class ActivityDay(BaseModel):
    day: date
    lesson_views: Count
    completions: Count
    results: Count
    minutes: Measure


class Activity(BaseModel):
    days: list[ActivityDay]


class TaughtScope(BaseModel):
    scope: str = Field(description="class or course")
    scope_id: UUID
    title: str
    students: Count = Field(description="current students")


class Teaching(BaseModel):
    items: list[TaughtScope]
