"""Progress in a class: per student, lessons completed out of the lessons students can see now
(published, publish time passed), percent complete and last activity."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

# Lessons students see at %(now)s; completions of lessons since unpublished do not count.
_VISIBLE = ("SELECT lesson_id FROM view_class_lessons.lessons"
            " WHERE class_id = %(class)s AND publish_at <= %(now)s")


def class_progress(
    pool: ConnectionPool, class_id: UUID, now: datetime, *, limit: int, cursor: str | None,
    student_id: UUID | None = None,
) -> dict[str, Any]:
    """One row per current student (or only the given one), in roster order."""
    params: dict[str, Any] = {"class": class_id, "now": now, "student": student_id, "limit": limit + 1}
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    where = ""
    if after:
        where = " AND (m.joined_at, m.student_id) > (%(after_at)s::timestamptz, %(after_id)s::uuid)"
        params.update(after_at=after[0], after_id=after[1])
    with pool.connection() as conn:
        rows = conn.execute(
            f"WITH visible AS ({_VISIBLE}), total AS (SELECT count(*) AS n FROM visible)"
            " SELECT m.student_id, u.display_name, m.joined_at, total.n AS total_lessons,"
            "  (SELECT count(*) FROM view_class_progress.lesson_progress p JOIN visible v USING (lesson_id)"
            "    WHERE p.student_id = m.student_id AND p.completed_at IS NOT NULL) AS completed_lessons,"
            "  (SELECT max(p.last_activity_at) FROM view_class_progress.lesson_progress p"
            "    WHERE p.student_id = m.student_id AND p.class_id = %(class)s) AS last_activity_at"
            " FROM view_classroom.members m CROSS JOIN total"
            " LEFT JOIN view_identity.users u ON u.user_id = m.student_id"
            " WHERE m.class_id = %(class)s AND m.removed_at IS NULL"
            f"  AND (%(student)s::uuid IS NULL OR m.student_id = %(student)s){where}"
            " ORDER BY m.joined_at, m.student_id LIMIT %(limit)s",
            params,
        ).fetchall()
    for r in rows:
        total = r["total_lessons"]
        r["percent_complete"] = round(100 * r["completed_lessons"] / total, 1) if total else 0.0
    return page(rows, limit, "joined_at", "student_id")


def lessons_progress(pool: ConnectionPool, class_id: UUID, student_id: UUID, now: datetime) -> list[dict[str, Any]]:
    """A student's progress lesson by lesson, over the lessons students see now."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT l.lesson_id, l.position, l.title, p.completed_at, p.last_activity_at, p.progress_id"
            " FROM view_class_lessons.lessons l LEFT JOIN view_class_progress.lesson_progress p"
            "  ON p.lesson_id = l.lesson_id AND p.student_id = %(student)s"
            " WHERE l.class_id = %(class)s AND l.publish_at <= %(now)s ORDER BY l.position",
            {"class": class_id, "student": student_id, "now": now},
        ).fetchall()
        videos = conn.execute(
            "SELECT v.progress_id, v.media_id, v.position_seconds, v.duration_seconds, v.watched_share, v.updated_at"
            " FROM view_class_progress.video_progress v JOIN view_class_progress.lesson_progress p USING (progress_id)"
            " WHERE p.student_id = %s AND p.class_id = %s ORDER BY v.media_id",
            (student_id, class_id),
        ).fetchall()
    by_progress: dict[Any, list[dict[str, Any]]] = {}
    for v in videos:
        by_progress.setdefault(v.pop("progress_id"), []).append(v)
    for r in rows:
        r["videos"] = by_progress.get(r.pop("progress_id"), [])
    return rows
