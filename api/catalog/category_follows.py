"""Following catalog categories: new courses in them (or in their sub-categories) are notified."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api.catalog.responses.categories import FollowedCategory, Following
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.read_position import read_after
from commands.catalog import category_follows as commands
from commands.pipeline import require_login
from projections.notification import queries
from projections.notification.decisions import notification

router = APIRouter(prefix="/api/v1/me/followed-categories", tags=["notification"])


@router.get("", response_model=list[FollowedCategory], description="Who: any logged-in person. The categories they follow (that still exist), by name.")
def list_followed(actor: ActorDep, deps: DepsDep, _: None = read_after([notification])) -> list[dict[str, Any]]:
    user_id = require_login(actor)
    return queries.followed_categories(deps.pool, user_id)


@router.put("/{category_id}", response_model=Following, description="Who: any logged-in person, for themselves. Notices of courses first"
            " published in the category or below it follow; 404 for a category that does not exist; following"
            " again records nothing (position 0).")
def follow(category_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(commands.follow_category, commands.CategoryRef(category_id=category_id), actor, deps, response)


@router.delete("/{category_id}", response_model=Following, description="Who: any logged-in person, for themselves. 404 when they do not"
               " follow the category.")
def unfollow(category_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(commands.unfollow_category, commands.CategoryRef(category_id=category_id), actor, deps, response)
