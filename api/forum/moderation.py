"""Reports, the moderation queue, and moderators' actions on posts and threads."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.forum import responses as r
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.read_position import read_after
from commands.forum import moderation
from commands.forum.access import readable_forums
from commands.forum.forums import Reason
from projections.forum import forum as forum_projection
from projections.forum import moderation_queries

router = APIRouter(prefix="/api/v1/forum", tags=["forum"])


class ReasonBody(BaseModel):
    reason: Reason


class PostModeration(ReasonBody):
    action: moderation.PostAction


class ThreadModeration(ReasonBody):
    action: moderation.ThreadAction
    forum_id: UUID | None = None
    category_id: UUID | None = None


@router.post("/posts/{post_id}/reports", status_code=201, response_model=r.ReportFiled,
             description="Who: whoever reads the post; once each.")
def report(post_id: UUID, body: ReasonBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(moderation.file_report, moderation.FileReport(post_id=post_id, reason=body.reason), actor, deps,
               response)


@router.get("/moderation/queue", response_model=r.QueuePage,
            description="Who: moderators of any forum (platform moderators and admins;"
            " course owners and class teachers for their own): open reports and posts waiting for approval.")
def queue(actor: ActorDep, deps: DepsDep, limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None,
          _: None = read_after([forum_projection])) -> dict[str, Any]:
    _readable, moderated = readable_forums(deps, actor)
    return moderation_queries.queue(deps.pool, moderated, limit=limit, cursor=cursor)


@router.post("/reports/{report_id}/dismissal", response_model=r.Written,
             description="Who: the moderators of the reported post's forum.")
def dismiss(report_id: UUID, body: ReasonBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = moderation.DismissReport(report_id=report_id, reason=body.reason)
    return run(moderation.dismiss_report, cmd, actor, deps, response)


@router.post("/posts/{post_id}/moderation", response_model=r.Written,
             description="Who: the forum's moderators. hide (also rejects a"
             " waiting post; closes its reports), restore, approve.")
def moderate_post(post_id: UUID, body: PostModeration, actor: ActorDep, deps: DepsDep,
                  response: Response) -> dict[str, Any]:
    cmd = moderation.ModeratePost(post_id=post_id, **body.model_dump())
    return run(moderation.moderate_post, cmd, actor, deps, response)


@router.post("/threads/{thread_id}/moderation", response_model=r.Written,
             description="Who: the forum's moderators (to move: of both"
             " forums). lock, unlock, pin, unpin, move.")
def moderate_thread(thread_id: UUID, body: ThreadModeration, actor: ActorDep, deps: DepsDep,
                    response: Response) -> dict[str, Any]:
    cmd = moderation.ModerateThread(thread_id=thread_id, **body.model_dump())
    return run(moderation.moderate_thread, cmd, actor, deps, response)
