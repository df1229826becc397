"""Following catalog categories: each person follows and unfollows for themselves."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_login
from domain.categories import TREE_ID, CategoryTree
from domain.category_follows import CategoryFollow, follow_id
from domain.errors import NotFound


class CategoryRef(BaseModel):
    category_id: UUID


def follow_category(cmd: CategoryRef, actor: Actor, deps: Deps) -> Done:
    """Following a category already followed records nothing."""
    user_id = require_login(actor)
    tree = find(deps, CategoryTree, TREE_ID)
    if tree is None:
        raise NotFound(f"category {cmd.category_id} not found")
    tree.require(cmd.category_id)
    follow = find(deps, CategoryFollow, follow_id(user_id, cmd.category_id)) or CategoryFollow.start(
        user_id, cmd.category_id)
    position = deps.store.record(follow) if follow.follow() else 0
    return Done(position, {"category_id": cmd.category_id, "following": True})


def unfollow_category(cmd: CategoryRef, actor: Actor, deps: Deps) -> Done:
    """A category deleted since it was followed can still be unfollowed."""
    user_id = require_login(actor)
    follow = find(deps, CategoryFollow, follow_id(user_id, cmd.category_id))
    if follow is None:
        raise NotFound(f"you do not follow category {cmd.category_id}")
    follow.unfollow()
    return Done(deps.store.record(follow), {"category_id": cmd.category_id, "following": False})
