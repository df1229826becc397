"""Following threads, forums and tags (what the notifications of new posts are about)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.forum import responses as r
from api.platform.auth import ActorDep, DepsDep, run
from commands.forum import follows

router = APIRouter(prefix="/api/v1/forum", tags=["forum"])


@router.post("/follows", status_code=201, response_model=r.Written,
             description="Who: whoever may read the thread or forum. New posts"
             " there become notifications (type forum_post), never about one's own posts.")
def follow(body: follows.FollowTarget, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(follows.follow, body, actor, deps, response)


@router.post("/follows/removal", response_model=r.Written, description="Who: the follower.")
def unfollow(body: follows.FollowTarget, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(follows.unfollow, body, actor, deps, response)
