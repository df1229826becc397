"""The one decision on who may download a media file: its uploader, and whoever may open
something that shows it. Each context that shows media answers for its own things (class
lessons, course lessons, questions of banks and quizzes); a new one adds its rule to
CONTEXT_RULES.

Anyone else gets 404, as if the file did not exist, so media ids cannot be probed. Since showing
a file grants reading it, texts may link only files their writer may read
(`require_readable_links`), as lessons may attach only such files (`require_attachable`).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from functools import cache
from typing import Any
from uuid import UUID

from adapters.documents.rich_text import linked_media
from adapters.moodle.question_texts import EmbeddedFile
from adapters.moodle.xml_media import MediaFiles
from commands.access import classroom_access, course_access, question_media_access
from commands.classroom.media import blob_store
from commands.forum import attachments as forum_attachments
from commands.loading import find
from commands.pipeline import Actor, Deps, require_login
from domain.errors import InvalidInput, NotFound
from domain.media import Media

# (deps, actor, media_id) -> may the actor open something of this context that shows the media?
MediaRule = Callable[[Deps, Actor, UUID], bool]
CONTEXT_RULES: list[MediaRule] = [classroom_access.may_read_media, course_access.may_read_media,
                                  question_media_access.may_read_media, forum_attachments.may_read_media]


def readable_media(deps: Deps, actor: Actor, media_id: UUID) -> Media:
    user_id = require_login(actor)
    media = find(deps, Media, media_id)
    if media is not None and (
        media.uploader_id == user_id or any(rule(deps, actor, media_id) for rule in CONTEXT_RULES)
    ):
        return media
    raise NotFound(f"media {media_id} not found")


def require_attachable(deps: Deps, actor: Actor, media_id: UUID, field: str) -> None:
    """Only files the caller may read themselves can be attached: attaching is no way to get
    at someone else's upload. Unknown and unreadable ids get the same 422."""
    try:
        readable_media(deps, actor, media_id)
    except NotFound:
        raise InvalidInput(f"media {media_id} not found", fields={field: f"unknown media {media_id}"}) from None


def unreadable_links(deps: Deps, actor: Actor, content: Any, exempt: set[UUID] = frozenset()) -> list[UUID]:
    """The media a text (or a question's content) links that the actor may not read; `exempt`
    are files the same command is about to record as the actor's."""
    unreadable = []
    for media_id in sorted(linked_media(json.dumps(content)) - exempt, key=str):
        try:
            readable_media(deps, actor, media_id)
        except NotFound:
            unreadable.append(media_id)
    return unreadable


def require_readable_links(deps: Deps, actor: Actor, content: Any, field: str) -> None:
    if found := unreadable_links(deps, actor, content):
        raise InvalidInput(f"media {found[0]} not found", fields={field: f"links unknown media {found[0]}"})


EMBED_LIMIT = 4 * 1024 * 1024  # bytes of one file written into an export (imports take 5 MiB in all)


def embeddable_files(deps: Deps, actor: Actor) -> MediaFiles:
    """The bytes of the media files an export embeds, read once each: files the exporting person
    may read, up to EMBED_LIMIT; otherwise why not."""

    @cache
    def file(media_id: UUID) -> EmbeddedFile:
        try:
            media = readable_media(deps, actor, media_id)
        except NotFound:
            return EmbeddedFile("", b"", "no such file you may read")
        if media.size > EMBED_LIMIT:
            return EmbeddedFile("", b"", f"{media.size:,} bytes, more than the {EMBED_LIMIT:,} an export embeds")
        extension = mimetypes.guess_extension(media.content_type) or ""
        return EmbeddedFile(f"{media_id}{extension}", b"".join(blob_store(deps).read(media.sha256, 0, media.size)))

    return file
