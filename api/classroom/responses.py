"""Response models of the classroom routes: classes and rosters, class lessons, progress, media.
Course lessons (api/catalog) show their files and video progress with the same models."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.platform.common_responses import Count, Measure, Recorded, Size
from commands.number_ranges import LogPosition


class ClassOpened(Recorded):
    class_id: UUID
    join_code: str


class ClassJoined(Recorded):
    class_id: UUID


class JoinCodeReplaced(Recorded):
    join_code: str


class StudentInvited(Recorded):
    student_id: UUID


class ClassSummary(BaseModel):
    class_id: UUID
    teacher_id: UUID
    name: str
    description: str | None
    term: str | None
    archived_at: datetime | None
    created_at: datetime


class MyClass(ClassSummary):
    role: str = Field(description="teacher or student")
    join_code: str | None = Field(description="for the teacher only")


class ClassDetails(ClassSummary):
    join_code: str | None = Field(default=None, description="for the teacher only")
    teacher_name: str | None
    student_count: Count
    role: str = Field(description="the caller's: teacher or student")


class RosterEntry(BaseModel):
    student_id: UUID
    display_name: str | None
    email: str | None
    via: str = Field(description="how they came: join code or invitation")
    joined_at: datetime


class LessonCreated(Recorded):
    lesson_id: UUID


class LessonPublished(Recorded):
    publish_at: datetime | None


class ClassLessonListed(BaseModel):
    lesson_id: UUID
    position: LogPosition
    title: str
    publish_at: datetime | None
    status: str = Field(description="draft, scheduled or published")
    media_count: Count
    updated_at: datetime


class MediaLink(BaseModel):
    """A lesson's file, as its player needs it."""

    media_id: UUID
    kind: str
    content_type: str
    size: Size
    sha256: str
    url: str = Field(description="where to download it (byte ranges allowed)")


class ClassLesson(BaseModel):
    lesson_id: UUID
    class_id: UUID
    position: LogPosition
    title: str
    body: str | None = Field(description="Markdown")
    publish_at: datetime | None
    status: str = Field(description="draft, scheduled or published")
    created_at: datetime
    updated_at: datetime
    media: list[MediaLink]


class CompletionRecorded(Recorded):
    recorded: bool = Field(description="false when the lesson was completed before")


class VideoRecorded(Recorded):
    recorded: bool = Field(description="false when the report was behind the known furthest point")
    position_seconds: Measure
    watched_share: Measure


class StudentInClass(BaseModel):
    student_id: UUID
    display_name: str | None
    joined_at: datetime
    total_lessons: Count
    completed_lessons: Count
    last_activity_at: datetime | None
    percent_complete: Measure


class VideoWatched(BaseModel):
    media_id: UUID
    position_seconds: Measure
    duration_seconds: Measure
    watched_share: Measure
    updated_at: datetime


class LessonProgress(BaseModel):
    lesson_id: UUID
    position: LogPosition
    title: str
    completed_at: datetime | None
    last_activity_at: datetime | None
    videos: list[VideoWatched]


class StoredFile(BaseModel):
    media_id: UUID
    sha256: str
    size: Size
    content_type: str
    kind: str


class MediaUploaded(Recorded, StoredFile):
    already_uploaded: bool = Field(description="the same person sent the same bytes before (answered 200)")


class MyUpload(StoredFile):
    uploaded_at: datetime
    filename: str | None


class MediaInfo(StoredFile):
    uploaded_at: datetime
    url: str
    filename: str | None = Field(default=None, description="for the uploader only")
