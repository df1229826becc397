"""Media endpoints: streamed uploads, downloads with Range and ETag, the uploader's library."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.classroom.responses import MediaInfo, MediaUploaded, MyUpload
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.byte_ranges import serve_bytes
from api.platform.common_responses import Page
from api.platform.media_types import ANY_FILE, answers
from api.platform.problem_statuses import TOO_LARGE
from api.platform.problems import problem
from api.platform.read_position import read_after
from commands.access.media_access import readable_media
from commands.classroom import media
from commands.pipeline import Actor, Deps, Done, require_login
from domain.errors import InvalidInput
from projections.assessment.question_media import question_media
from projections.catalog.catalog import catalog
from projections.classroom import media_queries
from projections.classroom.class_lessons import class_lessons
from projections.classroom.media import media as media_projection

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["media"])
UPLOAD_PATH = "/api/v1/media"  # its body is streamed: api.platform.idempotency must not buffer it
BATCH = 1024 * 1024  # hand the disk and the hash 1 MiB at a time, not each small network chunk
Limit = Annotated[int, Query(ge=1, le=200)]
# Where the links from lessons and questions to files come from (class lessons, course lessons,
# questions and quizzes).
LESSON_MODELS = [class_lessons, catalog, question_media]
# An upload of bytes the same person uploaded before: the same media back, nothing recorded.
AGAIN: dict[int | str, Any] = {200: {"description": "Uploaded before by the same person: the same media, already_uploaded."}}
RAW_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    if value is None:
        return None
    if not value.isdigit():
        raise InvalidInput("Content-Length is not a number", fields={"content-length": value[:40]})
    return int(value)


@router.post(
    "/media", response_model=MediaUploaded, status_code=201, openapi_extra=RAW_BODY, responses={**AGAIN, **TOO_LARGE},
    description="Who: teachers, creators and admins. The body is the file itself, streamed. Its type is read"
    " from its bytes (video, audio, PDF, images, office documents), never from its name or Content-Type;"
    " per-type size limits answer 413. The same person uploading the same bytes again gets the same"
    " media back (200, already_uploaded) and nothing new is recorded.",
)
async def upload(
    request: Request, actor: ActorDep, deps: DepsDep, response: Response,
    filename: Annotated[str, Query(max_length=255, description="original file name, shown only to the uploader")] = "",
) -> dict[str, Any]:
    media.require_uploader(actor)
    return await stream_upload(request, actor, deps, response, filename, media.record_upload)


async def stream_upload(request: Request, actor: Actor, deps: Deps, response: Response, filename: str,
                        record: Callable[[media.RecordUpload, Actor, Deps], Done]) -> dict[str, Any]:
    """Receive a streamed body by the upload rules and record it with `record` (also the forum's
    attachments, api/forum/attachments.py)."""
    receiver = await run_in_threadpool(media.Receiver, deps, _declared_length(request))
    with receiver.spool:
        batch = bytearray()
        async for chunk in request.stream():
            batch += chunk
            if len(batch) >= BATCH:
                await run_in_threadpool(receiver.accept, bytes(batch))
                batch.clear()
        if batch:
            await run_in_threadpool(receiver.accept, bytes(batch))
        cmd = await run_in_threadpool(receiver.finish, filename)
        result = await run_in_threadpool(run, record, cmd, actor, deps, response)
    if result["already_uploaded"]:
        response.status_code = 200
    return result


@router.get("/media", response_model=Page[MyUpload], description="Who: any logged-in person, their own uploads (with original file names).")
def my_uploads(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, _: None = read_after([media_projection]),
) -> dict[str, Any]:
    user_id = require_login(actor)
    return media_queries.uploads_of(deps.pool, user_id, limit=limit, cursor=cursor)


@router.get("/media/{media_id}", response_model=MediaInfo, response_model_exclude_unset=True, description="Who: the uploader, and whoever may open a lesson the file is"
            " attached to (others get 404). The file name is shown to the uploader only.")
def media_info(media_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after(LESSON_MODELS)) -> dict[str, Any]:
    found = readable_media(deps, actor, media_id)  # the access check loaded it anyway: current and complete
    info = {"media_id": media_id, "sha256": found.sha256, "size": found.size, "content_type": found.content_type,
            "kind": found.kind.value, "uploaded_at": found.created_on, "url": f"{UPLOAD_PATH}/{media_id}/content"}
    if found.uploader_id == actor.user_id:
        info["filename"] = found.filename
    return info


_DOWNLOAD = ("Who: the uploader, and whoever may open a lesson the file is attached to (others get 404)."
             " Single byte Range requests (206; 416 when unsatisfiable or multi-range), ETag = sha256,"
             " If-None-Match (304) and If-Range.")


_RANGES = {**answers(ANY_FILE), **answers(ANY_FILE, status=206, description="The requested byte range."),
           304: {"description": "Not modified since the ETag in If-None-Match."},
           416: {"description": "The requested range cannot be served."}}


@router.get("/media/{media_id}/content", response_class=Response, responses=_RANGES, description=_DOWNLOAD)
@router.head("/media/{media_id}/content", response_class=Response, responses=_RANGES, description=_DOWNLOAD + " Headers only.")
def download(request: Request, media_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after(LESSON_MODELS)) -> Response:
    found = readable_media(deps, actor, media_id)
    blobs = media.blob_store(deps)
    # Checked before streaming: once a StreamingResponse has sent its headers, a failure can
    # only cut the body short, which a player shows as a broken file.
    stored = blobs.stored_size(found.sha256)
    if stored != found.size:
        log.error("media %s: blob %s is %s, expected %d bytes", media_id, found.sha256,
                  "missing" if stored is None else f"{stored} bytes", found.size)
        return problem(500, "Storage error", "the file's bytes are missing from storage; the operators were told",
                       request)
    return serve_bytes(request, found.sha256, found.size, found.content_type, str(media_id),
                       lambda start, end: blobs.read(found.sha256, start, end))
