"""Files attached to posts, through the media store (commands/classroom/media.py): typed from their
bytes and size-limited per type like every upload, and counted against a per-person quota.

Anyone who posts may upload an attachment (teachers' lesson uploads are unaffected). An
attachment is linked from the post's Markdown (`![name](/api/v1/media/{id}/content)` or a plain
link); from then on whoever may read the post may open the file (`may_read_media`, one of
commands/access/media_access.py's rules), and nobody else: a hidden post's files close with it.
"""

from __future__ import annotations

from uuid import UUID

from adapters.documents.rich_text import linked_media
from commands.classroom.media import RecordUpload, keep_upload
from commands.forum.access import post_access
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_login
from domain.errors import InvalidInput, NotFound, TooLarge
from domain.forum_posts import PostStatus
from domain.identity import Status, User
from domain.media import Media, media_id_for
from projections.forum import forum_queries


def record_attachment(cmd: RecordUpload, actor: Actor, deps: Deps) -> Done:
    uploader_id = require_login(actor)
    if find(deps, Media, media_id_for(uploader_id, cmd.sha256)) is None:  # the same bytes again cost nothing
        quota = deps.settings.forum_attachment_quota_bytes
        if forum_queries.bytes_uploaded(deps.pool, uploader_id) + cmd.spool.size > quota:
            raise TooLarge(f"your uploads may take at most {quota:,} bytes in all",
                           fields={"file": "over your upload quota"})
    return keep_upload(cmd, uploader_id, deps)


def attached_media(deps: Deps, actor: Actor, body: str) -> list[UUID]:
    """The files a post links; each must be one the author may open (its uploader, or a reader
    of something showing it), since a post shows its files to all its readers."""
    from commands.access.media_access import (
        unreadable_links,  # imports this context's media rule
    )

    if found := unreadable_links(deps, actor, body):
        raise InvalidInput(f"media {found[0]} not found", fields={"body": f"links unknown media {found[0]}"})
    return sorted(linked_media(body), key=str)


def may_read_media(deps: Deps, actor: Actor, media_id: UUID) -> bool:
    """Whether a post the caller may read right now links this file. The read model finds the
    candidate posts; the post and its thread's forum have the last word. An erased person's
    files are never shown through the forum (commands/forum/erasure.py)."""
    media = find(deps, Media, media_id, read_only=True)
    uploader = find(deps, User, media.uploader_id, read_only=True) if media else None
    if uploader is None or uploader.status == Status.ERASED:
        return False
    for post_id in forum_queries.posts_with_media(deps.pool, media_id):
        try:
            post, _, access = post_access(deps, actor, post_id)
        except NotFound:
            continue
        shown = post.status == PostStatus.VISIBLE or access.moderates or (
            post.status == PostStatus.PENDING and post.author_id == actor.user_id)
        if shown and media_id in post.media_ids:
            return True
    return False
