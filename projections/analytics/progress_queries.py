"""A student's progress per course and class, and their overview with what is due.

Percent complete counts steps: the lessons students see now (a course's published revision, a
class's published and due lessons) plus the scope's quizzes and assessments; a lesson is done
when completed, a quiz or assessment when it has a result. A course without lessons (an
imported history) thus progresses by its assessments."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

_SCOPES = """
WITH mine AS (SELECT * FROM view_progress.learners WHERE student_id = %(student)s AND (%(scope)s::uuid IS NULL OR scope_id = %(scope)s)),
lessons AS (
  SELECT m.scope_id, cardinality(c.lesson_ids) AS total,
    (SELECT count(*) FROM view_progress.lesson_completions lc WHERE lc.scope_id = m.scope_id
      AND lc.student_id = m.student_id AND lc.lesson_id = ANY (c.lesson_ids)) AS done, c.title
  FROM mine m JOIN view_progress.courses c ON c.course_id = m.scope_id
  UNION ALL
  SELECT m.scope_id, count(l.lesson_id), count(lc.lesson_id), min(k.name)
  FROM mine m JOIN view_classroom.classes k ON k.class_id = m.scope_id
  LEFT JOIN view_class_lessons.lessons l ON l.class_id = m.scope_id AND l.publish_at <= %(now)s
  LEFT JOIN view_progress.lesson_completions lc ON lc.scope_id = m.scope_id AND lc.student_id = m.student_id
    AND lc.lesson_id = l.lesson_id
  GROUP BY m.scope_id),
work AS (
  SELECT m.scope_id, count(i.item_id) AS total,
    count(i.item_id) FILTER (WHERE EXISTS (SELECT 1 FROM view_progress.results r
      WHERE r.item_id = i.item_id AND r.student_id = m.student_id)) AS done
  FROM mine m LEFT JOIN view_progress.items i ON i.scope_id = m.scope_id GROUP BY m.scope_id)
SELECT m.*, coalesce(l.title, '') AS title, coalesce(l.total, 0) AS lessons_total, coalesce(l.done, 0) AS lessons_completed,
  w.total AS work_total, w.done AS work_done
FROM mine m LEFT JOIN lessons l ON l.scope_id = m.scope_id JOIN work w ON w.scope_id = m.scope_id
ORDER BY m.active DESC, m.last_activity_at DESC NULLS LAST, m.joined_at DESC"""


def _shape(row: dict[str, Any], today_utc: Any) -> dict[str, Any]:
    steps, done = row["lessons_total"] + row["work_total"], row["lessons_completed"] + row["work_done"]
    current = row["streak_days"] if row["last_day"] and row["last_day"] >= today_utc - timedelta(days=1) else 0
    return {
        "scope": row["scope"], "scope_id": row["scope_id"], "title": row["title"], "active": row["active"],
        "joined_at": row["joined_at"], "left_at": row["left_at"], "due_at": row["due_at"],
        "lessons_completed": row["lessons_completed"], "lessons_total": row["lessons_total"],
        "quizzes_passed": row["passed"], "results": row["results"], "graded_items_total": row["work_total"],
        "percent_complete": round(100 * done / steps, 1) if steps else 0.0,
        "time_spent_seconds": round(row["seconds"], 1), "last_activity_at": row["last_activity_at"],
        "current_streak_days": current, "longest_streak_days": row["longest_streak"],
        "milestones": {"first_lesson": row["first_lesson_at"], "halfway": row["halfway_at"],
                       "completed": row["completed_at"], "certificate": row["certificate_at"]},
    }


def scopes_of(pool: ConnectionPool, student_id: UUID, now: datetime, scope_id: UUID | None = None) -> list[dict[str, Any]]:
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(_SCOPES, {"student": student_id, "scope": scope_id, "now": now})
        return [_shape(r, now.date()) for r in cur.fetchall()]


_DUE = """
SELECT i.item_id, i.scope, i.scope_id, i.kind, i.title, i.due_at, i.weight
FROM view_progress.learners m JOIN view_progress.items i ON i.scope_id = m.scope_id
WHERE m.student_id = %(student)s AND m.active AND i.due_at IS NOT NULL AND m.completed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM view_progress.results r WHERE r.item_id = i.item_id AND r.student_id = m.student_id)
UNION ALL
SELECT m.scope_id, 'course', m.scope_id, 'course', coalesce(c.title, ''), m.due_at, 0
FROM view_progress.learners m LEFT JOIN view_progress.courses c ON c.course_id = m.scope_id
WHERE m.student_id = %(student)s AND m.active AND m.due_at IS NOT NULL AND m.completed_at IS NULL"""


def overview(pool: ConnectionPool, student_id: UUID, now: datetime, limit: int = 20) -> dict[str, Any]:
    """Every course and class of the student, what is due next (soonest first) and what is
    overdue (latest first); an item is due until the student has a result for it."""
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT * FROM ({_DUE}) d WHERE due_at >= %(now)s ORDER BY due_at LIMIT %(limit)s",
                    {"student": student_id, "now": now, "limit": limit})
        due_next = cur.fetchall()
        cur.execute(f"SELECT * FROM ({_DUE}) d WHERE due_at < %(now)s ORDER BY due_at DESC LIMIT %(limit)s",
                    {"student": student_id, "now": now, "limit": limit})
        overdue = cur.fetchall()
    return {"student_id": student_id, "scopes": scopes_of(pool, student_id, now), "due_next": due_next,
            "overdue": overdue}
