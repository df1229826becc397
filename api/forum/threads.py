"""A thread and its posts (the threaded view), replying, editing, deleting, edit histories and
marking a thread read."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.forum import responses as r
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.problem_statuses import THROTTLED
from api.platform.read_position import read_after
from commands.forum import posting, reading
from commands.forum.access import post_access, thread_access
from commands.forum.link_previews import link_previews
from domain.errors import NotFound
from projections.forum import forum as forum_projection
from projections.forum import forum_queries

router = APIRouter(prefix="/api/v1/forum", tags=["forum"])
Limit = Annotated[int, Query(ge=1, le=500)]


@router.get("/threads/{thread_id}", response_model=r.ThreadView,
            description="Who: whoever reads its forum (a hidden or waiting thread: its"
            " moderators, and a waiting one its author). The posts come in tree order, each after its parent;"
            " hidden posts keep their place without their words, anonymous authors show only to moderators."
            " `link_previews` describe SkillHub course and lesson links, only as far as the reader may open them.")
def show_thread(
    thread_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 200, cursor: str | None = None,
    _: None = read_after([forum_projection]),
) -> dict[str, Any]:
    _thread, access = thread_access(deps, actor, thread_id)
    moderated = [access.forum.id] if access.moderates else []
    row = forum_queries.thread(deps.pool, actor.user_id, moderated, thread_id)
    if row is None:
        raise NotFound(f"thread {thread_id} not found")
    posts = forum_queries.posts(deps.pool, actor.user_id, moderated, thread_id, row.pop("read_at"),
                                limit=limit, cursor=cursor)
    for post in posts["items"]:
        post["link_previews"] = link_previews(deps, actor, post["body_html"])
    return {**row, "moderator": access.moderates, "posts": posts}


@router.post("/threads/{thread_id}/read", response_model=r.MarkedRead,
             description="Who: whoever reads the thread. Marks it read for the"
             " caller (not an event: operational state).")
def mark_read(thread_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    thread_access(deps, actor, thread_id)
    reading.mark_read(deps.pool, actor.user_id, thread_id)
    return {"thread_id": thread_id}


@router.post("/threads/{thread_id}/posts", status_code=201, response_model=r.PostWritten, responses=THROTTLED,
             description="Who: whoever reads the thread and is not"
             " suspended in its forum; 409 once it is locked. `parent_id` replies to a reply.")
def reply(thread_id: UUID, body: posting.ReplyContent, actor: ActorDep, deps: DepsDep,
          response: Response) -> dict[str, Any]:
    return run(posting.reply, posting.Reply(thread_id=thread_id, **body.model_dump()), actor, deps, response)


@router.patch("/posts/{post_id}", response_model=r.Mentioned,
              description="Who: the post's author. The earlier version stays in its history.")
def edit(post_id: UUID, body: posting.EditContent, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(posting.edit_post, posting.EditPost(post_id=post_id, **body.model_dump()), actor, deps, response)


@router.delete("/posts/{post_id}", response_model=r.Written,
               description="Who: the post's author. It stays as \"[deleted]\" with its replies.")
def delete(post_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(posting.delete_post, posting.PostRef(post_id=post_id), actor, deps, response)


@router.get("/posts/{post_id}/history", response_model=r.History,
            description="Who: whoever may see the post's words. Its earlier versions.")
def history(post_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([forum_projection])) -> dict[str, Any]:
    post, _thread, access = post_access(deps, actor, post_id)
    if post.status.value == "hidden" and not access.moderates:
        raise NotFound(f"post {post_id} not found")
    return {"post_id": post_id, "revisions": forum_queries.history(deps.pool, post_id)}
