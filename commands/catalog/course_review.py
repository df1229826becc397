"""The review workflow: the owner submits a revision, a moderator publishes it or sends it back."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from commands.access.course_access import REVIEWERS
from commands.catalog.courses import owned_course
from commands.loading import load
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.catalog import Course
from domain.errors import Forbidden, InvalidInput


class CourseRef(BaseModel):
    course_id: UUID


class DecideReview(BaseModel):
    course_id: UUID
    approve: bool
    reason: str = Field(default="", max_length=2000)


def submit_for_review(cmd: CourseRef, actor: Actor, deps: Deps) -> Done:
    course = owned_course(actor, deps, cmd.course_id)
    course.submit_for_review()
    return Done(deps.store.record(course), {"revision": course.draft["revision"]})


def decide_review(cmd: DecideReview, actor: Actor, deps: Deps) -> Done:
    moderator_id = require_role(actor, REVIEWERS)
    if not cmd.approve and not cmd.reason.strip():
        raise InvalidInput("sending a course back needs a reason", fields={"reason": "required when not approving"})
    course = load(deps, Course, cmd.course_id, "course")
    if cmd.approve:
        course.approve(moderator_id)
    else:
        course.send_back(moderator_id, cmd.reason.strip())
    return Done(deps.store.record(course))


def archive_course(cmd: CourseRef, actor: Actor, deps: Deps) -> Done:
    user_id = require_login(actor)
    course = load(deps, Course, cmd.course_id, "course")
    if course.owner_id != user_id and not actor.has_role(*REVIEWERS):
        raise Forbidden("only the owner, moderators and admins archive a course")
    course.archive()
    return Done(deps.store.record(course))
