"""Following a thread, a forum or a tag within a forum: whoever may read it."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from commands.forum.access import forum_access, thread_access
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_login
from domain.errors import InvalidInput, RuleBroken
from domain.forum_follows import FollowKind, ForumFollow, forum_follow_id


class FollowTarget(BaseModel):
    kind: FollowKind
    target_id: UUID = Field(description="the thread, or the forum (of a tag)")
    tag: str = Field(default="", max_length=40, description="for kind tag")


def _checked(cmd: FollowTarget, actor: Actor, deps: Deps) -> tuple[UUID, str]:
    user_id = require_login(actor)
    tag = " ".join(cmd.tag.lower().split())
    if (cmd.kind == FollowKind.TAG) != bool(tag):
        raise InvalidInput("a tag follow names its tag; others none", fields={"tag": "only with kind tag"})
    if cmd.kind == FollowKind.THREAD:
        thread_access(deps, actor, cmd.target_id)
    else:
        forum_access(deps, actor, cmd.target_id)
    return user_id, tag


def follow(cmd: FollowTarget, actor: Actor, deps: Deps) -> Done:
    user_id, tag = _checked(cmd, actor, deps)
    existing = find(deps, ForumFollow, forum_follow_id(user_id, cmd.kind, cmd.target_id, tag))
    following = existing or ForumFollow.start(user_id, cmd.kind, cmd.target_id, tag)
    following.follow()
    return Done(deps.store.record(following))


def unfollow(cmd: FollowTarget, actor: Actor, deps: Deps) -> Done:
    user_id, tag = _checked(cmd, actor, deps)
    existing = find(deps, ForumFollow, forum_follow_id(user_id, cmd.kind, cmd.target_id, tag))
    if existing is None:
        raise RuleBroken("you do not follow this")
    existing.unfollow()
    return Done(deps.store.record(existing))
