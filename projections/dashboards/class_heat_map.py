"""A class's progress as a heat map: current students (rows) × the lessons students see now
(columns, in lesson order). A cell is 1.0 for a completed lesson, the furthest share of its videos
watched (0 to <1) for a lesson opened and not completed, and None for a lesson never opened."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

_LESSONS = ("SELECT lesson_id, title FROM view_class_lessons.lessons"
            " WHERE class_id = %(class)s AND publish_at <= %(now)s ORDER BY position, lesson_id")
_STUDENTS = ("SELECT m.student_id, coalesce(u.display_name, '') AS display_name FROM view_classroom.members m"
             " LEFT JOIN view_identity.users u ON u.user_id = m.student_id"
             " WHERE m.class_id = %(class)s AND m.removed_at IS NULL ORDER BY m.joined_at, m.student_id")
_CELLS = ("SELECT p.student_id, p.lesson_id, p.completed_at IS NOT NULL AS completed,"
          "  coalesce((SELECT max(v.watched_share) FROM view_class_progress.video_progress v"
          "            WHERE v.progress_id = p.progress_id), 0) AS watched"
          " FROM view_class_progress.lesson_progress p WHERE p.class_id = %(class)s")


def heat_map(pool: ConnectionPool, class_id: UUID, now: datetime) -> dict[str, Any]:
    params = {"class": class_id, "now": now}
    with pool.connection() as conn:
        lessons = conn.execute(_LESSONS, params).fetchall()
        students = conn.execute(_STUDENTS, params).fetchall()
        cells = conn.execute(_CELLS, params).fetchall()
    value = {(c["student_id"], c["lesson_id"]): 1.0 if c["completed"] else min(float(c["watched"]), 0.99)
             for c in cells}
    return {
        "lessons": lessons,
        "students": students,
        "values": [[value.get((s["student_id"], lesson["lesson_id"])) for lesson in lessons] for s in students],
    }
