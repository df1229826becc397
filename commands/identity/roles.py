"""Roles: admins grant and revoke; people apply to become creators, moderators decide."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from adapters.events.event_store import ConcurrentChange
from commands.loading import find, load
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.creator_applications import CreatorApplication, creator_application_id
from domain.errors import Conflict, InvalidInput
from domain.identity import Role, User


class ChangeRole(BaseModel):
    user_id: UUID
    role: Role


class ApplyForCreator(BaseModel):
    motivation: str = Field(min_length=1, max_length=5000)


class DecideCreatorApplication(BaseModel):
    application_id: UUID
    approve: bool
    reason: str = Field(default="", max_length=2000)


def grant_role(cmd: ChangeRole, actor: Actor, deps: Deps) -> Done:
    require_role(actor, [Role.ADMIN])
    user = load(deps, User, cmd.user_id, "user")
    user.grant_role(cmd.role)
    return Done(deps.store.record(user))


def revoke_role(cmd: ChangeRole, actor: Actor, deps: Deps) -> Done:
    admin_id = require_role(actor, [Role.ADMIN])
    user = load(deps, User, cmd.user_id, "user")
    user.revoke_role(cmd.role, by=admin_id)
    return Done(deps.store.record(user))


def apply_for_creator(cmd: ApplyForCreator, actor: Actor, deps: Deps) -> Done:
    user_id = require_login(actor)
    if actor.has_role(Role.CREATOR):
        raise Conflict("already a course creator")
    application = find(deps, CreatorApplication, creator_application_id(user_id))
    if application is None:
        application = CreatorApplication.submit(user_id, cmd.motivation)
    else:
        application.resubmit(cmd.motivation)
    try:
        position = deps.store.record(application)
    except ConcurrentChange:
        raise Conflict("an application was submitted at the same time") from None
    return Done(position, {"application_id": application.id})


def decide_creator_application(cmd: DecideCreatorApplication, actor: Actor, deps: Deps) -> Done:
    moderator_id = require_role(actor, [Role.MODERATOR, Role.ADMIN])
    if not cmd.approve and not cmd.reason.strip():
        raise InvalidInput("a rejection needs a reason", fields={"reason": "required when rejecting"})
    application = load(deps, CreatorApplication, cmd.application_id, "creator application")
    if cmd.approve:
        application.approve(moderator_id)
        user = load(deps, User, application.user_id, "user")
        if Role.CREATOR.value not in user.roles:
            user.grant_role(Role.CREATOR)
        return Done(deps.store.record(application, user))
    application.reject(moderator_id, cmd.reason)
    return Done(deps.store.record(application))
