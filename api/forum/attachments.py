"""Uploading a file to attach to a forum post (the body is the file, streamed)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.classroom.media import AGAIN, RAW_BODY, stream_upload
from api.forum import responses as r
from api.platform.auth import ActorDep, DepsDep
from api.platform.problem_statuses import TOO_LARGE
from commands.forum.attachments import record_attachment
from commands.pipeline import require_login

router = APIRouter(prefix="/api/v1/forum", tags=["forum"])
ATTACHMENT_PATH = "/api/v1/forum/attachments"  # streamed: api.platform.idempotency must not buffer it


@router.post("/attachments", status_code=201, openapi_extra=RAW_BODY, response_model=r.Attachment,
             responses={**AGAIN, **TOO_LARGE}, description="Who: any logged-in person."
             " Typed from its bytes and size-limited per type like every upload; 413 past the person's upload"
             " quota. Link it from a post (`![name](/api/v1/media/{media_id}/content)`): the post's readers may"
             " then open it, nobody else but the uploader.")
async def upload_attachment(
    request: Request, actor: ActorDep, deps: DepsDep, response: Response,
    filename: Annotated[str, Query(max_length=255, description="original file name")] = "",
) -> dict[str, Any]:
    require_login(actor)
    return await stream_upload(request, actor, deps, response, filename, record_attachment)
