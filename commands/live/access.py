"""Who is who in a live session, decided from the aggregates (current state): its examiners
(the teacher who scheduled it and the examiners named), its students (those chosen, or the
class's students now) and nobody else. Outsiders get 404 for a session, as for a class."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from commands.loading import find
from commands.pipeline import Actor, Deps, require_login
from domain.classroom import SchoolClass
from domain.errors import Forbidden, NotFound
from domain.identity import Role
from domain.live.sessions import LiveSession


class LiveRole(StrEnum):
    EXAMINER = "examiner"
    STUDENT = "student"


def students_of(deps: Deps, session: LiveSession) -> frozenset[UUID]:
    """The chosen students while they are still in the class, else the whole class."""
    school_class = find(deps, SchoolClass, session.class_id, read_only=True)
    in_class = frozenset(school_class.students) if school_class is not None else frozenset()
    if session.student_ids is None:
        return in_class
    return frozenset(session.student_ids) & in_class


def examiners_of(session: LiveSession) -> frozenset[UUID]:
    return frozenset([session.scheduled_by, *session.examiner_ids])


def role_in(deps: Deps, session: LiveSession, user_id: UUID) -> LiveRole | None:
    if user_id in examiners_of(session):
        return LiveRole.EXAMINER
    if user_id in students_of(deps, session):
        return LiveRole.STUDENT
    return None


def live_role(deps: Deps, actor: Actor, session_id: UUID, *, writable: bool = False) -> tuple[LiveSession, LiveRole]:
    """The session and the caller's part in it; admins act as examiners. Only a command that
    changes the session loads it `writable`: the others share the cached object, so 300
    students answering at once never replay the session (or the class) from the log."""
    user_id = require_login(actor)
    session = find(deps, LiveSession, session_id, read_only=not writable)
    if session is not None:
        role = role_in(deps, session, user_id)
        if role is None and actor.has_role(Role.ADMIN):
            role = LiveRole.EXAMINER
        if role is not None:
            return session, role
    raise NotFound(f"live session {session_id} not found")


def require_examiner(deps: Deps, actor: Actor, session_id: UUID, *, writable: bool = False) -> LiveSession:
    session, role = live_role(deps, actor, session_id, writable=writable)
    if role != LiveRole.EXAMINER:
        raise Forbidden("only the session's examiners may do this")
    return session


def require_student(deps: Deps, actor: Actor, session_id: UUID) -> LiveSession:
    session, role = live_role(deps, actor, session_id)
    if role != LiveRole.STUDENT:
        raise Forbidden("only the session's students may do this")
    return session
