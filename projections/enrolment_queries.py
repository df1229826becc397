"""Enrolment queries: a student's courses, progress per (student, course), a course's students.

Progress = completed lessons of the course's published revision / its lesson count.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.pagination import decode_cursor, page

_PROGRESS = (
    "SELECT e.enrolment_id, e.student_id, e.course_id, c.title, c.status AS course_status,"
    " CASE WHEN e.assigned_by IS NULL THEN 'self' ELSE 'assigned' END AS source,"
    " e.assigned_by, e.class_id, e.due_at, e.enrolled_at, e.completed_at, e.last_activity_at,"
    " t.total AS lessons_total, d.done AS lessons_completed,"
    " CASE WHEN t.total = 0 THEN 0 ELSE round(100.0 * d.done / t.total, 1)::float END AS percent_complete,"
    " CASE WHEN e.completed_at IS NOT NULL THEN 'completed' WHEN d.done > 0 THEN 'in_progress'"
    "  ELSE 'not_started' END AS status"
    " FROM view_enrolment.enrolments e"
    " LEFT JOIN view_catalog.courses c ON c.course_id = e.course_id"
    " CROSS JOIN LATERAL (SELECT count(*) AS total FROM view_enrolment.course_lessons l"
    "  WHERE l.course_id = e.course_id) t"
    " CROSS JOIN LATERAL (SELECT count(*) AS done FROM view_enrolment.completions x"
    "  JOIN view_enrolment.course_lessons l ON l.course_id = e.course_id AND l.lesson_id = x.lesson_id"
    "  WHERE x.enrolment_id = e.enrolment_id) d"
)


def _page_of(pool: ConnectionPool, column: str, value: UUID, key: str, limit: int, cursor: str | None) -> dict[str, Any]:
    after = decode_cursor(cursor, 2)
    where, params = f"e.{column} = %s AND e.active", [value]
    if after:
        where += f" AND (e.enrolled_at, e.{key}) > (%s::timestamptz, %s::uuid)"
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            f"{_PROGRESS} WHERE {where} ORDER BY e.enrolled_at, e.{key} LIMIT %s", (*params, limit + 1)
        ).fetchall()
    return page(rows, limit, "enrolled_at", key)


def my_courses(pool: ConnectionPool, student_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """Courses the student takes now, enrolled or assigned, oldest first."""
    return _page_of(pool, "student_id", student_id, "course_id", limit, cursor)


def course_students(pool: ConnectionPool, course_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    return _page_of(pool, "course_id", course_id, "student_id", limit, cursor)


def progress(pool: ConnectionPool, student_id: UUID, course_id: UUID) -> dict[str, Any] | None:
    """One student's progress in one course, with the lessons completed (also after leaving)."""
    with pool.connection() as conn:
        row = conn.execute(
            f"SELECT p.*, e.active, e.left_at, ARRAY(SELECT x.lesson_id FROM view_enrolment.completions x"
            f"  WHERE x.enrolment_id = p.enrolment_id ORDER BY x.completed_at) AS completed_lesson_ids"
            f" FROM ({_PROGRESS} WHERE e.student_id = %s AND e.course_id = %s) p"
            f" JOIN view_enrolment.enrolments e USING (enrolment_id)",
            (student_id, course_id),
        ).fetchone()
    return row

