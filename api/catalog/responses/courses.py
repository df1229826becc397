"""What the course routes answer: search results, a course with its revisions, a lesson."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.classroom.responses import MediaLink
from api.platform.common_responses import Count, Measure, Recorded


class CourseCreated(Recorded):
    course_id: UUID


class RevisionChanged(Recorded):
    revision: Count = Field(description="the working revision the change went to")


class CourseCard(BaseModel):
    """A published course as search lists it."""

    course_id: UUID
    owner_id: UUID
    status: str
    revision: Count | None
    title: str | None
    summary: str | None
    level: str | None
    language: str | None
    category_ids: list[UUID]
    tags: list[str]
    estimated_minutes: Count | None
    lesson_count: Count | None
    enrolment_count: Count
    published_at: datetime | None
    updated_at: datetime
    rank: Measure | None = Field(default=None, description="text match rank; only when searching with `q`")


class SyllabusLesson(BaseModel):
    lesson_id: UUID
    title: str
    content: str | None = Field(default=None, description="Markdown; left out of the published outline")
    media_id: UUID | None = None
    estimated_minutes: Count = 0


class SyllabusModule(BaseModel):
    module_id: UUID
    title: str
    lessons: list[SyllabusLesson]


class CourseRevision(BaseModel):
    revision: Count
    title: str
    summary: str = ""
    description: str = ""
    level: str
    language: str
    category_ids: list[UUID] = []
    tags: list[str] = []
    prerequisites: list[UUID] = Field(default=[], description="course ids")
    estimated_minutes: Count | None = None
    modules: list[SyllabusModule]


class CourseDetail(BaseModel):
    course_id: UUID
    owner_id: UUID
    status: str
    revision_status: str | None = Field(description="of the working revision; for editors only")
    review_reason: str | None = Field(description="why review sent it back; for editors only")
    published: CourseRevision | None = Field(description="the published revision, lessons without their texts")
    draft: CourseRevision | None = Field(description="the working revision; for editors only")
    estimated_minutes: Count | None
    lesson_count: Count | None
    enrolment_count: Count
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None



class CourseLesson(BaseModel):
    course_id: UUID
    module_id: UUID
    lesson_id: UUID
    title: str
    content: str = Field(description="Markdown")
    media_id: UUID | None = None
    estimated_minutes: Count = 0
    media: MediaLink | None


class CourseSummary(BaseModel):
    """A course in the review queue or its author's list."""

    course_id: UUID
    owner_id: UUID
    status: str
    revision: Count | None
    revision_status: str | None
    review_reason: str | None
    submitted_at: datetime | None
    title: str | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    enrolment_count: Count
