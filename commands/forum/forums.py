"""Forums, their categories, and suspending a person from posting in one.

Who opens a forum: the owner of the course (or a moderator or admin) for a course forum, the
class's teacher for a class forum, moderators and admins for a platform forum.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, Field

from commands.access.course_access import REVIEWERS
from commands.forum.access import forum_access, require_moderator, scope_access
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_login
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.forum import Forum, Scope
from domain.identity import User

Reason = Annotated[str, Field(min_length=1, max_length=1000, description="why; shown to auditors")]
SuspensionHours = Annotated[int, Field(ge=1, le=24 * 365)]


class CreateForum(BaseModel):
    scope: Scope
    scope_id: UUID | None = Field(default=None, description="the course or class; none for a platform forum")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    allow_anonymous: bool = Field(default=False, description="students may post anonymously to classmates")
    language: str = Field(default="en", pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class CategoryContent(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class AddCategory(CategoryContent):
    forum_id: UUID


class SuspensionContent(BaseModel):
    user_id: UUID
    hours: SuspensionHours
    reason: Reason


class Suspend(SuspensionContent):
    forum_id: UUID


class LiftSuspension(BaseModel):
    forum_id: UUID
    user_id: UUID
    reason: Reason


def create_forum(cmd: CreateForum, actor: Actor, deps: Deps) -> Done:
    require_login(actor)
    if (cmd.scope == Scope.PLATFORM) != (cmd.scope_id is None):
        raise InvalidInput("a course or class forum names its scope_id; a platform forum none",
                           fields={"scope_id": "required for course and class forums only"})
    access = scope_access(deps, actor, cmd.scope, cmd.scope_id)
    if not access.reads:
        raise NotFound(f"{cmd.scope.value} {cmd.scope_id} not found")
    if not access.moderates or (cmd.scope == Scope.PLATFORM and not actor.has_role(*REVIEWERS)):
        raise Forbidden(f"only the {cmd.scope.value}'s staff may open a forum for it")
    forum = Forum.create(uuid4(), cmd.scope, cmd.scope_id, cmd.title, cmd.description, cmd.allow_anonymous,
                         cmd.language)
    return Done(deps.store.record(forum), {"forum_id": forum.id})


def add_category(cmd: AddCategory, actor: Actor, deps: Deps) -> Done:
    access = forum_access(deps, actor, cmd.forum_id)
    require_moderator(access)
    category_id = uuid4()
    access.forum.add_category(category_id, cmd.name)
    return Done(deps.store.record(access.forum), {"category_id": category_id})


def suspend(cmd: Suspend, actor: Actor, deps: Deps) -> Done:
    access = forum_access(deps, actor, cmd.forum_id)
    require_moderator(access)
    if find(deps, User, cmd.user_id) is None:
        raise NotFound("no such person", fields={"user_id": "no such account"})
    if cmd.user_id == actor.user_id:
        raise InvalidInput("moderators do not suspend themselves", fields={"user_id": "your own account"})
    until = deps.clock() + timedelta(hours=cmd.hours)
    access.forum.suspend(cmd.user_id, until, cmd.reason)
    return Done(deps.store.record(access.forum), {"until": until})


def lift_suspension(cmd: LiftSuspension, actor: Actor, deps: Deps) -> Done:
    access = forum_access(deps, actor, cmd.forum_id)
    require_moderator(access)
    access.forum.lift_suspension(cmd.user_id, cmd.reason)
    return Done(deps.store.record(access.forum))
