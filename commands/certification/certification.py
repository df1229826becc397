"""Certification commands: a course's completion rules, issuing and revoking certificates."""

from __future__ import annotations

import secrets
from uuid import UUID

from pydantic import BaseModel, Field

from commands.loading import find, load
from commands.number_ranges import Percent
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.catalog import Course, lesson_ids_of
from domain.certification import (
    Certificate,
    CompletionRules,
    certificate_id,
    completion_rules_id,
)
from domain.enrolment import Enrolment, enrolment_id
from domain.errors import Forbidden
from domain.identity import Role
from domain.quizzes import Audience, Quiz


class SetCompletionRules(BaseModel):
    course_id: UUID
    require_all_lessons: bool = True
    required_lesson_ids: list[UUID] = Field(default_factory=list, max_length=500,
                                            description="lessons of the course to complete")
    required_quiz_ids: list[UUID] = Field(default_factory=list, max_length=100,
                                          description="course quizzes to pass (at each quiz's own pass mark)")
    pass_mark: Percent | None = Field(default=None, description="percent of the course grade")
    show_grade: bool = False


class IssueCertificate(BaseModel):
    student_id: UUID
    course_id: UUID
    grade: Percent | None = None


class RevokeCertificate(BaseModel):
    certificate_id: UUID
    reason: str = Field(min_length=1, max_length=1000)


def _require_owner_or_admin(actor: Actor, course: Course) -> None:
    caller = require_login(actor)
    if caller != course.owner_id and not actor.has_role(Role.ADMIN):
        raise Forbidden("only the course's owner or an admin may do this")


def course_lessons(course: Course) -> set[UUID]:
    """Lessons of the published revision and of the draft (rules may name a lesson about to be published)."""
    revisions = [r for r in (course.published, course.draft) if r is not None]
    return {UUID(str(i)) for r in revisions for i in lesson_ids_of(r["modules"])}


def course_quizzes(deps: Deps, course_id: UUID, quiz_ids: list[UUID]) -> set[UUID]:
    """Those of `quiz_ids` that are quizzes of this course."""
    found = {quiz_id: find(deps, Quiz, quiz_id) for quiz_id in set(quiz_ids)}
    return {i for i, q in found.items()
            if q is not None and q.audience == Audience.COURSE and q.audience_id == course_id}


def set_completion_rules(cmd: SetCompletionRules, actor: Actor, deps: Deps) -> Done:
    course = load(deps, Course, cmd.course_id, "course")
    _require_owner_or_admin(actor, course)
    given = cmd.model_dump(exclude={"course_id"})
    lessons, quizzes = course_lessons(course), course_quizzes(deps, cmd.course_id, cmd.required_quiz_ids)
    rules = find(deps, CompletionRules, completion_rules_id(cmd.course_id))
    if rules is None:
        rules = CompletionRules.define(cmd.course_id, given, lessons, quizzes)
    elif not rules.change(given, lessons, quizzes):
        return Done(0, {"course_id": cmd.course_id, "changed": False})
    return Done(deps.store.record(rules), {"course_id": cmd.course_id, "changed": True})


def issue_certificate(cmd: IssueCertificate, actor: Actor, deps: Deps) -> Done:
    """Run by the issuing worker as the system. Issuing again is a no-op (position 0): the id
    is derived from (student, course), so a concurrent second issue loses with a Conflict."""
    require_role(actor, [Role.ADMIN])
    existing = find(deps, Certificate, certificate_id(cmd.student_id, cmd.course_id))
    if existing is not None:
        return Done(0, {"certificate_id": existing.id, "issued": False})
    course = load(deps, Course, cmd.course_id, "course")
    rules = find(deps, CompletionRules, completion_rules_id(cmd.course_id))
    shown = cmd.grade if rules is not None and rules.rules["show_grade"] else None
    title = (course.published or course.draft or {}).get("title", "")
    # A random code: knowing the student's and the course's ids must not reveal it.
    code = secrets.token_hex(8).upper()
    cert = Certificate.issue(cmd.student_id, cmd.course_id, title, shown, code, deps.clock())
    return Done(deps.store.record(cert), {"certificate_id": cert.id, "code": code, "issued": True})


def _may_revoke(actor: Actor, deps: Deps, cert: Certificate) -> bool:
    """Admins and moderators; the course's owner; a teacher who assigned the course to the holder."""
    if actor.has_role(Role.ADMIN) or actor.has_role(Role.MODERATOR):
        return True
    course = load(deps, Course, cert.course_id, "course")
    if course.owner_id == actor.user_id:
        return True
    enrolment = find(deps, Enrolment, enrolment_id(cert.student_id, cert.course_id))
    return actor.has_role(Role.TEACHER) and enrolment is not None and any(
        a.assigned_by == actor.user_id for a in enrolment.assignments.values())


def revoke_certificate(cmd: RevokeCertificate, actor: Actor, deps: Deps) -> Done:
    require_login(actor)
    cert = load(deps, Certificate, cmd.certificate_id, "certificate")
    if not _may_revoke(actor, deps, cert):
        raise Forbidden("only admins, moderators, the course's owner and the holder's teacher for it may revoke")
    cert.revoke(cmd.reason, deps.clock())
    return Done(deps.store.record(cert), {"certificate_id": cert.id, "revoked": True})
