"""Forums, their categories and thread lists, and posting suspensions."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.forum import responses as r
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.problem_statuses import THROTTLED
from api.platform.read_position import read_after
from commands.forum import forums, posting
from commands.forum.access import forum_access, readable_forums, require_moderator
from commands.forum.forums import Reason
from commands.pipeline import require_login
from projections.forum import forum as forum_projection
from projections.forum import forum_queries, moderation_queries

router = APIRouter(prefix="/api/v1/forums", tags=["forum"])
Limit = Annotated[int, Query(ge=1, le=200)]
Sort = Literal["newest", "active", "votes", "unanswered"]


@router.post("", status_code=201, response_model=r.ForumCreated,
             description="Who: a course's owner (or moderators and admins) for a course"
             " forum, a class's teacher for a class forum, moderators and admins for a platform forum.")
def create_forum(body: forums.CreateForum, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(forums.create_forum, body, actor, deps, response)


@router.get("", response_model=r.ForumList,
            description="Who: any logged-in person: the forums they may read, optionally of one scope.")
def list_forums(
    actor: ActorDep, deps: DepsDep, scope: Literal["course", "class", "platform"] | None = None,
    scope_id: UUID | None = None, _: None = read_after([forum_projection]),
) -> dict[str, Any]:
    readable, moderated = readable_forums(deps, actor)
    items = forum_queries.forums(deps.pool, readable, scope, scope_id)
    for item in items:
        item["moderator"] = item["forum_id"] in moderated
    return {"items": items}


@router.post("/{forum_id}/categories", status_code=201, response_model=r.CategoryAdded,
             description="Who: the forum's moderators.")
def add_category(forum_id: UUID, body: forums.CategoryContent, actor: ActorDep, deps: DepsDep,
                 response: Response) -> dict[str, Any]:
    cmd = forums.AddCategory(forum_id=forum_id, **body.model_dump())
    return run(forums.add_category, cmd, actor, deps, response)


@router.post("/{forum_id}/threads", status_code=201, response_model=r.ThreadStarted, responses=THROTTLED,
             description="Who: whoever reads the forum and is not"
             " suspended in it. 429 with Retry-After past the posting rate; a new account's post with links"
             " waits for approval (`pending`).")
def start_thread(forum_id: UUID, body: posting.ThreadContent, actor: ActorDep, deps: DepsDep,
                 response: Response) -> dict[str, Any]:
    cmd = posting.StartThread(forum_id=forum_id, **body.model_dump())
    return run(posting.start_thread, cmd, actor, deps, response)


@router.get("/{forum_id}/threads", response_model=r.ThreadPage,
            description="Who: whoever reads the forum. Pinned first, then by `sort`;"
            " `unanswered` lists questions without an accepted answer. `unread` is per reader.")
def list_threads(
    forum_id: UUID, actor: ActorDep, deps: DepsDep, sort: Sort = "active", category_id: UUID | None = None,
    tag: Annotated[str | None, Query(max_length=40)] = None, limit: Limit = 50, cursor: str | None = None,
    _: None = read_after([forum_projection]),
) -> dict[str, Any]:
    me = require_login(actor)
    access = forum_access(deps, actor, forum_id)
    moderated = [forum_id] if access.moderates else []
    return forum_queries.threads(deps.pool, me, moderated, forum_id, sort=sort, category_id=category_id, tag=tag,
                                 limit=limit, cursor=cursor)


@router.post("/{forum_id}/suspensions", status_code=201, response_model=r.Suspended,
             description="Who: the forum's moderators. The person"
             " cannot post in this forum for `hours`.")
def suspend(forum_id: UUID, body: forums.SuspensionContent, actor: ActorDep, deps: DepsDep,
            response: Response) -> dict[str, Any]:
    cmd = forums.Suspend(forum_id=forum_id, **body.model_dump())
    return run(forums.suspend, cmd, actor, deps, response)


@router.delete("/{forum_id}/suspensions/{user_id}", response_model=r.Written,
               description="Who: the forum's moderators.")
def lift_suspension(forum_id: UUID, user_id: UUID, reason: Annotated[Reason, Query()], actor: ActorDep,
                    deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = forums.LiftSuspension(forum_id=forum_id, user_id=user_id, reason=reason)
    return run(forums.lift_suspension, cmd, actor, deps, response)


@router.get("/{forum_id}/suspensions", response_model=r.SuspensionList,
            description="Who: the forum's moderators. Current suspensions.")
def suspensions(forum_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([forum_projection])) -> dict[str, Any]:
    require_moderator(forum_access(deps, actor, forum_id))
    return {"items": moderation_queries.suspensions(deps.pool, forum_id)}
