"""An erased person's forum attachments: no longer served, and their bytes gone.

Serving stops with the erasure itself (commands/forum/attachments.may_read_media refuses files of
an erased uploader). The bytes go right after the person's key (commands/identity/privacy.py):
the files they uploaded and linked from their own posts, unless the same bytes are also someone
else's upload (the store keeps one blob per content) or a lesson, course or question shows the
file (then it is teaching material, not only an attachment, and stays with what shows it).
"""

from __future__ import annotations

from uuid import UUID

from commands.classroom.media import blob_store
from commands.pipeline import Deps
from projections.assessment import question_media_queries
from projections.catalog import course_queries
from projections.classroom import class_lessons_queries


def _attachments(deps: Deps, person_id: UUID) -> list[dict]:
    """The person's uploads their posts link, with whether the same bytes are another live person's."""
    with deps.pool.connection() as conn:
        return conn.execute(
            "SELECT m.media_id, m.sha256, EXISTS (SELECT 1 FROM view_media.media o"
            "  JOIN view_identity.users u ON u.user_id = o.uploader_id"
            "  WHERE o.sha256 = m.sha256 AND o.uploader_id <> m.uploader_id AND u.status <> 'erased') AS shared"
            " FROM view_media.media m WHERE m.uploader_id = %(p)s AND m.media_id IN"
            "  (SELECT unnest(media_ids) FROM view_forum.posts WHERE author_id = %(p)s)", {"p": person_id}).fetchall()


def _teaching_material(deps: Deps, media_id: UUID) -> bool:
    return bool(class_lessons_queries.lessons_with_media(deps.pool, media_id)
                or course_queries.courses_showing_media(deps.pool, media_id)
                or question_media_queries.holders_of(deps.pool, media_id))


def shred_attachments(deps: Deps, person_id: UUID) -> int:
    """Remove the bytes of the erased person's forum attachments; returns how many blobs went."""
    removed = 0
    for row in _attachments(deps, person_id):
        if not row["shared"] and not _teaching_material(deps, row["media_id"]):
            blob_store(deps).forget(row["sha256"])
            removed += 1
    return removed
