"""The one decision on who may download a media file: its uploader, and whoever may open a
lesson it is attached to. Each context that attaches media answers for its own lessons
(class lessons, course lessons); a new one adds its rule to CONTEXT_RULES.

Anyone else gets 404, as if the file did not exist, so media ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from commands import classroom_access, course_access
from commands.loading import find
from commands.pipeline import Actor, Deps, require_login
from domain.errors import InvalidInput, NotFound
from domain.media import Media

# (deps, actor, media_id) -> may the actor open something of this context that shows the media?
MediaRule = Callable[[Deps, Actor, UUID], bool]
CONTEXT_RULES: list[MediaRule] = [classroom_access.may_read_media, course_access.may_read_media]


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
