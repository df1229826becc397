"""Certification commands: a course's completion rules, issuing and revoking certificates."""

from __future__ import annotations

import secrets
from uuid import UUID

from pydantic import BaseModel, Field

from commands.loading import find, load
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.catalog import Course
from domain.certification import Certificate, CompletionRules, certificate_id, completion_rules_id
from domain.errors import Forbidden
from domain.identity import Role


class SetCompletionRules(BaseModel):
    course_id: UUID
    require_all_lessons: bool = True
    pass_mark: float | None = Field(default=None, ge=0, le=100, description="percent of the course grade")
    show_grade: bool = False


class IssueCertificate(BaseModel):
    student_id: UUID
    course_id: UUID
    grade: float | None = None


class RevokeCertificate(BaseModel):
    certificate_id: UUID
    reason: str = Field(min_length=1, max_length=1000)


def _require_owner_or_admin(actor: Actor, course: Course) -> None:
    caller = require_login(actor)
    if caller != course.owner_id and not actor.has_role(Role.ADMIN):
        raise Forbidden("only the course's owner or an admin may do this")


def set_completion_rules(cmd: SetCompletionRules, actor: Actor, deps: Deps) -> Done:
    course = load(deps, Course, cmd.course_id, "course")
    _require_owner_or_admin(actor, course)
    rules = find(deps, CompletionRules, completion_rules_id(cmd.course_id))
    if rules is None:
        rules = CompletionRules.define(cmd.course_id, cmd.require_all_lessons, cmd.pass_mark, cmd.show_grade)
    elif not rules.change(cmd.require_all_lessons, cmd.pass_mark, cmd.show_grade):
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
    shown = cmd.grade if rules is not None and rules.show_grade else None
    title = (course.published or course.draft or {}).get("title", "")
    # A random code: knowing the student's and the course's ids must not reveal it.
    code = secrets.token_hex(8).upper()
    cert = Certificate.issue(cmd.student_id, cmd.course_id, title, shown, code, deps.clock())
    return Done(deps.store.record(cert), {"certificate_id": cert.id, "code": code, "issued": True})


def revoke_certificate(cmd: RevokeCertificate, actor: Actor, deps: Deps) -> Done:
    require_login(actor)
    cert = load(deps, Certificate, cmd.certificate_id, "certificate")
    if not actor.has_role(Role.ADMIN):
        _require_owner_or_admin(actor, load(deps, Course, cert.course_id, "course"))
    cert.revoke(cmd.reason, deps.clock())
    return Done(deps.store.record(cert), {"certificate_id": cert.id, "revoked": True})
