"""What the live routes return: one model per response, every field typed (the OpenAPI schema
says so, and a route can no longer return a field it does not declare). Feed entry bodies and
the questions' own shapes depend on their kind (docs/live.md, docs/assessment.md): those are
objects whose extra keys pass through."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from commands.number_ranges import GradePoints, LogPosition, Share, bounded

Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
SignedPoints = bounded(ge=-1_000_000, le=1_000_000)  # negative marking may take points away


class Recorded(BaseModel):
    position: LogPosition  # the log position of the command's last event (0: nothing recorded)


class Scheduled(Recorded):
    session_id: UUID


class Ends(Recorded):
    ends_at: datetime


class Ended(Recorded):
    ended: bool
    submitted: Count


class MessagePosted(Recorded):
    message_id: UUID


class Revealed(Recorded):
    distribution: dict[str, Count]


class StudyAnswered(Recorded):
    question_id: str


class ShownQuestion(BaseModel):
    """A question as the student sees it (no key); the rest of its keys depend on its type."""

    model_config = ConfigDict(extra="allow")
    question_id: str
    points: GradePoints
    type: str
    title: str
    prompt: str


class ExamJoined(Recorded):
    attempt_id: UUID
    number: Count
    quiz_version: Count
    deadline: datetime | None
    questions: list[ShownQuestion]
    answered: list[str]
    ends_at: datetime  # this student's own end, with their extra time


class Grade(BaseModel):
    fraction: Share
    points: SignedPoints
    max: GradePoints
    state: str


class Review(BaseModel):
    grade: Grade
    feedback: list[str]
    answer_key: Any | None  # always null during a live exam


class ExamAnswered(Recorded):
    question_id: str
    answered: Count
    review: Review | None = None  # only with the rule feedback: during (absent otherwise)


class CameraWaived(Recorded):
    student_id: UUID


class Session(BaseModel):
    session_id: UUID
    kind: Literal["exam", "study"]
    class_id: UUID
    quiz_id: UUID
    title: str
    student_ids: list[UUID] | None
    examiner_ids: list[UUID]
    starts_at: datetime
    ends_at: datetime
    closes_at: datetime
    status: str
    rules: dict[str, Any]
    reminded_for: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    role: Literal["examiner", "student"]


class CalendarItem(BaseModel):
    session_id: UUID
    kind: Literal["exam", "study"]
    title: str
    class_id: UUID
    quiz_id: UUID
    starts_at: datetime
    ends_at: datetime
    status: str
    role: Literal["examiner", "student"]


class Calendar(BaseModel):
    items: list[CalendarItem]


class Seat(BaseModel):
    person_id: UUID
    connected: bool
    drops: Count
    last_connected_at: datetime | None
    last_dropped_at: datetime | None
    attempt_id: UUID | None
    questions: Count
    signals: Count
    camera: bool | None  # the page's last report (camera_required sessions); null: none yet
    camera_waived: str | None  # the examiner's reason for letting this student work without one
    answered: Count
    score: SignedPoints
    max_answered: GradePoints


class Console(BaseModel):
    status: str
    extra_time: dict[str, Count]  # student id -> seconds in all
    seats: list[Seat]


class FeedEntry(BaseModel):
    position: LogPosition
    kind: str
    body: dict[str, Any]  # by kind: docs/live.md "The channel"


class Feed(BaseModel):
    items: list[FeedEntry]


class ReportSession(BaseModel):
    session_id: UUID
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    ended_at: datetime | None
    end_reason: str | None


class ReportStudent(BaseModel):
    person_id: UUID
    display_name: str | None
    drops: Count
    connected_at_end: bool
    signals: Count
    first_connected_at: datetime | None
    answered: Count
    score: SignedPoints
    questions: Count
    attempt_id: UUID | None
    submitted_at: datetime | None
    final_score: SignedPoints | None


class ReportEntry(BaseModel):
    """A chat message, hand, announcement, drop or integrity signal: its feed body's keys too."""

    model_config = ConfigDict(extra="allow")
    position: LogPosition
    at: datetime


class Report(BaseModel):
    session: ReportSession
    students: list[ReportStudent]
    chat: list[ReportEntry]
    drops: list[ReportEntry]
    integrity_signals: list[ReportEntry]
