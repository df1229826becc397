"""Queries on the class lessons read model. Visibility is decided here, at read time, against
the `now` the caller passes: a scheduled lesson appears once its publish_at has passed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

_STATUS = ("CASE WHEN l.publish_at IS NULL THEN 'draft' WHEN l.publish_at > %(now)s THEN 'scheduled'"
           " ELSE 'published' END AS status")


def lessons_of_class(pool: ConnectionPool, class_id: UUID, now: datetime, *, only_visible: bool) -> list[dict[str, Any]]:
    visible = " AND l.publish_at <= %(now)s" if only_visible else ""
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT l.lesson_id, l.position, l.title, l.publish_at, {_STATUS},"
            " cardinality(l.media_ids) AS media_count, l.updated_at"
            f" FROM view_class_lessons.lessons l WHERE l.class_id = %(class)s{visible} ORDER BY l.position",
            {"class": class_id, "now": now},
        ).fetchall()


def lesson(pool: ConnectionPool, lesson_id: UUID, now: datetime) -> dict[str, Any] | None:
    """One lesson with its text and its media (in attachment order)."""
    with pool.connection() as conn:
        row = conn.execute(
            f"SELECT l.lesson_id, l.class_id, l.position, l.title, l.body, l.publish_at, {_STATUS},"
            " l.created_at, l.updated_at, l.media_ids FROM view_class_lessons.lessons l"
            " WHERE l.lesson_id = %(lesson)s",
            {"lesson": lesson_id, "now": now},
        ).fetchone()
        if row is None:
            return None
        media = conn.execute(
            "SELECT m.media_id, m.kind, m.content_type, m.size, m.sha256 FROM unnest(%s::uuid[]) WITH ORDINALITY a(id, n)"
            " JOIN view_media.media m ON m.media_id = a.id ORDER BY a.n",
            (row.pop("media_ids"),),
        ).fetchall()
    row["media"] = [{**m, "url": f"/api/v1/media/{m['media_id']}/content"} for m in media]
    return row


def lessons_with_media(pool: ConnectionPool, media_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT lesson_id, class_id FROM view_class_lessons.lesson_media WHERE media_id = %s", (media_id,)
        ).fetchall()
