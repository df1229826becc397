"""Classes: open, join codes, invitations, removals, archiving."""

from __future__ import annotations

import random
import time
from typing import Self
from uuid import UUID, uuid4

from pydantic import BaseModel, EmailStr, Field, model_validator

from adapters.events.event_store import ConcurrentChange
from commands.access.classroom_access import require_teacher
from commands.loading import find, load, user_by_email
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.classroom import JoinCode, SchoolClass, join_code_id, new_join_code
from domain.errors import Conflict, InvalidInput, NotFound
from domain.identity import Role, User

JOIN_ATTEMPTS = 10


class OpenClass(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    term: str = Field(default="", max_length=100, description="e.g. 'Autumn 2025'")


class ClassRef(BaseModel):
    class_id: UUID


class JoinClass(BaseModel):
    code: str = Field(min_length=1, max_length=40, description="the class's join code; case, spaces and dashes ignored")


class StudentRef(BaseModel):
    user_id: UUID | None = None
    email: EmailStr | None = None

    @model_validator(mode="after")
    def one_way_to_name_the_student(self) -> Self:
        if (self.user_id is None) == (self.email is None):
            raise ValueError("give either user_id or email")
        return self


class InviteStudent(StudentRef):
    class_id: UUID


class RemoveStudent(BaseModel):
    class_id: UUID
    student_id: UUID


def _issue_code(deps: Deps, school_class: SchoolClass) -> tuple[JoinCode, str]:
    """A fresh code; saving its JoinCode (version 1) fails if another class took it meanwhile."""
    secret = deps.settings.resolved_identifier_key()
    for _ in range(5):
        code = new_join_code()
        code_id = join_code_id(code, secret)
        if find(deps, JoinCode, code_id) is None:
            school_class.issue_join_code(code_id, code)
            return JoinCode.issue(code_id, school_class.id), code
    raise Conflict("could not find a free join code; try again")


def open_class(cmd: OpenClass, actor: Actor, deps: Deps) -> Done:
    teacher_id = require_role(actor, [Role.TEACHER, Role.ADMIN])
    school_class = SchoolClass.open(uuid4(), teacher_id, cmd.name, cmd.description, cmd.term)
    code_holder, code = _issue_code(deps, school_class)
    return Done(deps.store.record(school_class, code_holder), {"class_id": school_class.id, "join_code": code})


def regenerate_join_code(cmd: ClassRef, actor: Actor, deps: Deps) -> Done:
    """The old code stops working as soon as the new one is saved."""
    school_class = require_teacher(deps, actor, cmd.class_id)
    code_holder, code = _issue_code(deps, school_class)
    return Done(deps.store.record(school_class, code_holder), {"join_code": code})


def join_class(cmd: JoinClass, actor: Actor, deps: Deps) -> Done:
    student_id = require_login(actor)
    code_id = join_code_id(cmd.code, deps.settings.resolved_identifier_key())
    code_holder = find(deps, JoinCode, code_id)
    if code_holder is None:
        raise InvalidInput("join code is not valid", fields={"code": "unknown or replaced code"})
    # A whole class joins within seconds of seeing the code: retry lost races (after a short
    # random pause, so racers spread out) instead of answering 409 to students who did nothing wrong.
    attempts = 0
    while True:
        school_class = load(deps, SchoolClass, code_holder.class_id, "class")
        school_class.join(student_id, code_id)
        try:
            return Done(deps.store.record(school_class), {"class_id": school_class.id})
        except ConcurrentChange:
            attempts += 1
            if attempts == JOIN_ATTEMPTS:
                raise
            time.sleep(random.uniform(0, 0.01 * attempts))


def _invitee(deps: Deps, cmd: InviteStudent) -> User:
    if cmd.email is not None:
        user, field = user_by_email(deps, cmd.email), "email"
    else:
        user, field = find(deps, User, cmd.user_id), "user_id"
    if user is None or not user.is_active:
        raise NotFound("no active account found for this student", fields={field: "no such active account"})
    return user


def invite_student(cmd: InviteStudent, actor: Actor, deps: Deps) -> Done:
    """An invitation enrols the student at once (no acceptance step)."""
    school_class = require_teacher(deps, actor, cmd.class_id)
    student = _invitee(deps, cmd)
    school_class.invite(student.id)
    return Done(deps.store.record(school_class), {"student_id": student.id})


def remove_student(cmd: RemoveStudent, actor: Actor, deps: Deps) -> Done:
    school_class = require_teacher(deps, actor, cmd.class_id)
    school_class.remove(cmd.student_id)
    return Done(deps.store.record(school_class))


def archive_class(cmd: ClassRef, actor: Actor, deps: Deps) -> Done:
    school_class = require_teacher(deps, actor, cmd.class_id)
    school_class.archive()
    return Done(deps.store.record(school_class))
