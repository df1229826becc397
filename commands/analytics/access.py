"""Who may read progress and analytics, decided from the aggregates (never a lagging read model).

- A course's reports (engagement, funnel, quiz performance, at risk): its owner and admins;
  anyone else 403; an id that is no course or class 404.
- A class's reports: its teacher only (classes are the teacher's own, as in docs/classroom.md);
  its students 403, anyone else 404.
- A student's progress and overview: the student; admins; for one course, also its owner.
- Course popularity: admins and moderators. Platform usage: admins."""

from __future__ import annotations

from uuid import UUID

from commands.access.classroom_access import require_teacher
from commands.loading import find
from commands.pipeline import Actor, Deps, require_login, require_role
from domain.catalog import Course
from domain.classroom import SchoolClass
from domain.errors import Forbidden, NotFound
from domain.identity import Role


def require_report_reader(deps: Deps, actor: Actor, scope_id: UUID) -> str:
    """The scope's kind ("course" or "class") once the caller may read its reports."""
    user_id = require_login(actor)
    course = find(deps, Course, scope_id)
    if course is not None:
        if user_id != course.owner_id and not actor.has_role(Role.ADMIN):
            raise Forbidden("a course's reports are for its owner and admins")
        return "course"
    if find(deps, SchoolClass, scope_id) is None:
        raise NotFound(f"no course or class {scope_id}")
    require_teacher(deps, actor, scope_id)
    return "class"


def require_progress_reader(deps: Deps, actor: Actor, student_id: UUID, course_id: UUID | None = None) -> None:
    user_id = require_login(actor)
    if user_id == student_id or actor.has_role(Role.ADMIN):
        return
    course = find(deps, Course, course_id) if course_id else None
    if course is None or course.owner_id != user_id:
        raise Forbidden("a student's progress is for them, admins and the course's owner")


def require_catalog_analyst(actor: Actor) -> None:
    require_role(actor, [Role.ADMIN, Role.MODERATOR])


def require_platform_analyst(actor: Actor) -> None:
    require_role(actor, [Role.ADMIN])
