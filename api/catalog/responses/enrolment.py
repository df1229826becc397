"""What the enrolment routes answer: receipts, and progress in a course."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Count, Measure, Recorded


class Enrolled(Recorded):
    enrolment_id: UUID


class Assigned(Recorded):
    assigned: list[UUID] = Field(description="the students who hold the assignment")


class LessonCompleted(Recorded):
    newly_completed: bool
    course_completed: bool



class AssignmentSource(BaseModel):
    assigned_by: UUID
    class_id: UUID | None
    due_at: datetime | None
    assigned_at: datetime


class CourseProgress(BaseModel):
    enrolment_id: UUID
    student_id: UUID
    course_id: UUID
    title: str | None
    course_status: str | None
    source: str = Field(description="self or assigned")
    assigned_by: UUID | None
    class_id: UUID | None
    due_at: datetime | None
    assignments: list[AssignmentSource]
    enrolled_at: datetime
    completed_at: datetime | None
    last_activity_at: datetime | None
    lessons_total: Count
    lessons_completed: Count
    percent_complete: Measure
    status: str = Field(description="not_started, in_progress or completed")


class VideoProgress(BaseModel):
    lesson_id: UUID
    media_id: UUID
    position_seconds: Measure
    duration_seconds: Measure
    watched_share: Measure
    updated_at: datetime


class StudentProgress(CourseProgress):
    active: bool
    left_at: datetime | None
    completed_lesson_ids: list[UUID]
    videos: list[VideoProgress]
