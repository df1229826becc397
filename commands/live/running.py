"""Running a session: opened and closed on time by the scheduler (workers/live/sessions.py, as
the system), paused, resumed, given extra time or ended early by an examiner. Ending submits
every live exam attempt still open, graded with what it holds; the Ended event lists them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from commands.live.access import require_examiner, students_of
from commands.live.scheduling import Reason, recipients
from commands.loading import find, load
from commands.live.channel import seat_of
from commands.pipeline import Actor, Deps, Done, require_role, retrying_races
from domain.errors import InvalidInput, RuleBroken
from domain.attempts import Attempt
from domain.identity import Role
from domain.live.messages import LiveReminder
from domain.live.seats import LiveSeat, seat_id
from domain.live.sessions import Kind, LiveSession
from domain.quizzes import Quiz
from domain.scoring import grade_attempt


class SessionRef(BaseModel):
    session_id: UUID


class WithReason(SessionRef):
    reason: Reason = Field(min_length=1)


class CameraWaiver(WithReason):
    student_id: UUID


class ExtraTime(WithReason):
    student_id: UUID
    seconds: int = Field(ge=60, le=4 * 3600)


def open_on_time(cmd: SessionRef, actor: Actor, deps: Deps) -> Done:
    require_role(actor, [Role.ADMIN])
    session = load(deps, LiveSession, cmd.session_id, "live session")
    if not session.open(deps.clock()):
        return Done(0, {"opened": False})
    return Done(deps.store.record(session), {"opened": True})


def _submit_open_attempts(deps: Deps, session: LiveSession, now: datetime) -> list[Attempt]:
    if session.kind != Kind.EXAM:
        return []
    quiz = load(deps, Quiz, session.quiz_id, "quiz", read_only=True)
    closed = []
    for student_id in students_of(deps, session):
        seat = find(deps, LiveSeat, seat_id(session.id, student_id), read_only=True)
        attempt = find(deps, Attempt, seat.attempt_id) if seat and seat.attempt_id else None
        if attempt is not None and not attempt.submitted:
            snapshot = quiz.published(attempt.quiz_version)
            attempt.submit(grade_attempt(snapshot, attempt.layout, attempt.answers), now)
            closed.append(attempt)
    return closed


def _end(deps: Deps, session: LiveSession, reason: str, early: bool) -> Done:
    now = deps.clock()
    closed = _submit_open_attempts(deps, session, now)
    session.end(now, reason, early, [a.id for a in closed])
    return Done(deps.store.record(*closed, session), {"ended": True, "submitted": len(closed)})


def close_on_time(cmd: SessionRef, actor: Actor, deps: Deps) -> Done:
    """The scheduler's close: only once the last student's time (with extra time) is over."""
    require_role(actor, [Role.ADMIN])
    session = load(deps, LiveSession, cmd.session_id, "live session")
    if session.status != "open" or deps.clock() < session.closes_at:
        return Done(0, {"ended": False})
    return _end(deps, session, "on time", early=False)


def end_early(cmd: WithReason, actor: Actor, deps: Deps) -> Done:
    return _end(deps, require_examiner(deps, actor, cmd.session_id, writable=True), cmd.reason, early=True)


def pause(cmd: WithReason, actor: Actor, deps: Deps) -> Done:
    session = require_examiner(deps, actor, cmd.session_id, writable=True)
    session.pause(deps.clock(), cmd.reason)
    return Done(deps.store.record(session))


def resume(cmd: SessionRef, actor: Actor, deps: Deps) -> Done:
    session = require_examiner(deps, actor, cmd.session_id, writable=True)
    session.resume(deps.clock())
    return Done(deps.store.record(session), {"ends_at": session.ends_at})


def give_extra_time(cmd: ExtraTime, actor: Actor, deps: Deps) -> Done:
    session = require_examiner(deps, actor, cmd.session_id, writable=True)
    session.give_extra_time(cmd.student_id, cmd.seconds, cmd.reason, students_of(deps, session))
    return Done(deps.store.record(session), {"ends_at": session.end_for(cmd.student_id)})


@retrying_races
def waive_camera(cmd: CameraWaiver, actor: Actor, deps: Deps) -> Done:
    """Lets one student of a camera-required exam work without a camera (an event, with the reason)."""
    session = require_examiner(deps, actor, cmd.session_id)
    if not session.rules.get("camera_required"):
        raise RuleBroken("this session does not require a camera")
    if cmd.student_id not in students_of(deps, session):
        raise InvalidInput("not a student of this session", fields={"student_id": "not in this session"})
    seat = seat_of(deps, session, cmd.student_id)
    seat.waive_camera(cmd.reason, deps.clock())
    return Done(deps.store.record(seat), {"student_id": cmd.student_id})


def remind(cmd: SessionRef, actor: Actor, deps: Deps) -> Done:
    """The scheduler's reminder before the start; once per start time (the id says so)."""
    require_role(actor, [Role.ADMIN])
    session = load(deps, LiveSession, cmd.session_id, "live session")
    people = recipients(deps, session.id)
    reminder = LiveReminder.due(session.id, session.title, session.starts_at, people)
    if find(deps, LiveReminder, reminder.id) is not None:
        return Done(0, {"reminded": False})
    return Done(deps.store.record(reminder), {"reminded": True})
