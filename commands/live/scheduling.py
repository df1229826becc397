"""Scheduling a live session: for a class or chosen students of it, linked to one of the class's
published quizzes, with examiners and rules; rescheduling and cancelling before it opens.

A live exam's quiz must count in the gradebook's `live_exams` category: its results then reach
the gradebook through the attempts, like any quiz's (projections/gradebook.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, Field

from commands.access.classroom_access import require_teacher
from commands.live.access import require_examiner, students_of
from commands.loading import find, load
from commands.pipeline import Actor, Deps, Done
from domain.errors import InvalidInput, RuleBroken
from domain.identity import Role, User
from domain.live.sessions import Kind, LiveSession
from domain.quizzes import Quiz

MAX_DURATION = 8 * 3600
Duration = Annotated[int, Field(ge=60, le=MAX_DURATION, description="seconds, 1 minute to 8 hours")]
Reason = Annotated[str, Field(max_length=500)]


class Rules(BaseModel):
    late_join_seconds: int = Field(default=600, ge=0, le=MAX_DURATION,
                                   description="a student may first join until this long after the start")
    camera_required: bool = False
    chat: Literal["open", "examiners_only"] = "open"
    feedback: Literal["during", "after"] = "after"


class ScheduleSession(BaseModel):
    kind: Kind
    class_id: UUID
    quiz_id: UUID
    title: str = Field(min_length=1, max_length=200)
    student_ids: list[UUID] | None = Field(default=None, max_length=2000,
                                           description="chosen students of the class; none: the whole class")
    examiner_ids: list[UUID] = Field(default_factory=list, max_length=20,
                                     description="besides the teacher scheduling it; people with the teacher role")
    starts_at: AwareDatetime
    duration_seconds: Duration
    rules: Rules = Field(default_factory=Rules)


class Reschedule(BaseModel):
    session_id: UUID
    starts_at: AwareDatetime
    duration_seconds: Duration
    reason: Reason = ""


class Cancel(BaseModel):
    session_id: UUID
    reason: Reason = ""


def _check_quiz(deps: Deps, cmd: ScheduleSession) -> None:
    quiz = find(deps, Quiz, cmd.quiz_id)
    if quiz is None or quiz.audience_id != cmd.class_id:
        raise InvalidInput("no such quiz in this class", fields={"quiz_id": "not a quiz of the class"})
    if not quiz.versions:
        raise InvalidInput("the quiz is not published", fields={"quiz_id": "publish it first"})
    if cmd.kind == Kind.EXAM and quiz.published()["settings"].get("category") != "live_exams":
        raise InvalidInput("a live exam's quiz counts in the gradebook category live_exams",
                           fields={"quiz_id": "set the quiz's category to live_exams"})


def _check_people(deps: Deps, cmd: ScheduleSession, class_students: frozenset[UUID]) -> None:
    for i, student_id in enumerate(cmd.student_ids or []):
        if student_id not in class_students:
            raise InvalidInput("not a student of the class", fields={f"student_ids.{i}": "not in the class"})
    for i, examiner_id in enumerate(cmd.examiner_ids):
        user = find(deps, User, examiner_id)
        if user is None or not user.is_active or Role.TEACHER.value not in user.roles:
            raise InvalidInput("examiners are active teachers", fields={f"examiner_ids.{i}": "no such teacher"})


def _check_start(deps: Deps, starts_at: datetime) -> None:
    if starts_at <= deps.clock():
        raise InvalidInput("the start is in the past", fields={"starts_at": "must be in the future"})


def schedule(cmd: ScheduleSession, actor: Actor, deps: Deps) -> Done:
    school_class = require_teacher(deps, actor, cmd.class_id)
    school_class.require_open()
    _check_quiz(deps, cmd)
    _check_people(deps, cmd, frozenset(school_class.students))
    _check_start(deps, cmd.starts_at)
    if cmd.rules.late_join_seconds > cmd.duration_seconds:
        raise InvalidInput("late join ends after the session", fields={"rules.late_join_seconds": "longer than duration"})
    session = LiveSession.schedule(
        uuid4(), kind=cmd.kind.value, class_id=cmd.class_id, quiz_id=cmd.quiz_id, title=cmd.title,
        student_ids=None if cmd.student_ids is None else list(dict.fromkeys(cmd.student_ids)),
        examiner_ids=list(dict.fromkeys(e for e in cmd.examiner_ids if e != actor.user_id)),
        starts_at=cmd.starts_at.astimezone(UTC), duration_seconds=cmd.duration_seconds, rules=cmd.rules.model_dump(),
    )
    return Done(deps.store.record(session), {"session_id": session.id})


def reschedule(cmd: Reschedule, actor: Actor, deps: Deps) -> Done:
    session = require_examiner(deps, actor, cmd.session_id, writable=True)
    _check_start(deps, cmd.starts_at)
    if session.rules["late_join_seconds"] > cmd.duration_seconds:
        raise InvalidInput("shorter than the late join", fields={"duration_seconds": "shorter than late join"})
    session.reschedule(cmd.starts_at.astimezone(UTC), cmd.duration_seconds, cmd.reason)
    return Done(deps.store.record(session))


def cancel(cmd: Cancel, actor: Actor, deps: Deps) -> Done:
    session = require_examiner(deps, actor, cmd.session_id, writable=True)
    session.cancel(cmd.reason)
    return Done(deps.store.record(session))


def late_join_over(session: LiveSession, now: datetime) -> bool:
    return now > session.starts_at + timedelta(seconds=session.rules["late_join_seconds"])


def recipients(deps: Deps, session_id: UUID) -> list[UUID]:
    """Who a reminder goes to: the session's students and examiners."""
    session = load(deps, LiveSession, session_id, "live session")
    if not session.status == "scheduled":
        raise RuleBroken("the session is no longer scheduled")
    return sorted({*students_of(deps, session), session.scheduled_by, *session.examiner_ids}, key=str)
