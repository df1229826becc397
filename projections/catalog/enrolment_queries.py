"""Enrolment queries: a student's courses, progress per (student, course), a course's students,
the students a teacher's classes brought to a course, and class assignments still to hand out.

Progress = completed lessons of the course's published revision / its lesson count.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

_PROGRESS = (
    "SELECT e.enrolment_id, e.student_id, e.course_id, c.title, c.status AS course_status,"
    " CASE WHEN e.assigned_by IS NULL THEN 'self' ELSE 'assigned' END AS source,"
    " e.assigned_by, e.class_id, e.due_at, a.assignments, e.enrolled_at, e.completed_at, e.last_activity_at,"
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
    " CROSS JOIN LATERAL (SELECT coalesce(jsonb_agg(jsonb_build_object('assigned_by', s.assigned_by,"
    "  'class_id', s.class_id, 'due_at', s.due_at, 'assigned_at', s.assigned_at) ORDER BY s.assigned_at), '[]')"
    "  AS assignments FROM view_enrolment.assignments s WHERE s.enrolment_id = e.enrolment_id) a"
)

# Students of course %(course)s who got it through a class taught by %(teacher)s and are in
# that class now.
_THROUGH_TEACHER = (
    "SELECT DISTINCT e.student_id FROM view_enrolment.enrolments e"
    " JOIN view_enrolment.assignments s ON s.enrolment_id = e.enrolment_id"
    " JOIN view_classroom.classes k ON k.class_id = s.class_id AND k.teacher_id = %(teacher)s"
    " JOIN view_classroom.members m ON m.class_id = s.class_id AND m.student_id = e.student_id"
    "  AND m.removed_at IS NULL"
    " WHERE e.course_id = %(course)s AND e.active"
)


def _page_of(
    pool: ConnectionPool, column: str, value: UUID, key: str, limit: int, cursor: str | None,
    teacher_id: UUID | None = None,
) -> dict[str, Any]:
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    where, params = f"e.{column} = %(value)s AND e.active", {"value": value, "limit": limit + 1}
    if teacher_id is not None:
        where += f" AND e.student_id IN ({_THROUGH_TEACHER})"
        params.update(teacher=teacher_id, course=value)
    if after:
        where += f" AND (e.enrolled_at, e.{key}) > (%(after_at)s::timestamptz, %(after_id)s::uuid)"
        params.update(after_at=after[0], after_id=after[1])
    with pool.connection() as conn:
        rows = conn.execute(
            f"{_PROGRESS} WHERE {where} ORDER BY e.enrolled_at, e.{key} LIMIT %(limit)s", params
        ).fetchall()
    return page(rows, limit, "enrolled_at", key)


def my_courses(pool: ConnectionPool, student_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """Courses the student takes now, enrolled or assigned, oldest first."""
    return _page_of(pool, "student_id", student_id, "course_id", limit, cursor)


def course_students(
    pool: ConnectionPool, course_id: UUID, *, limit: int, cursor: str | None, teacher_id: UUID | None = None
) -> dict[str, Any]:
    """Everyone taking the course; with teacher_id, only the students that teacher's classes brought."""
    return _page_of(pool, "course_id", course_id, "student_id", limit, cursor, teacher_id)


def students_from_teacher_classes(pool: ConnectionPool, course_id: UUID, teacher_id: UUID) -> list[UUID]:
    """Which students of this course did this teacher's classes get: active enrolments assigned
    through a class the teacher teaches, of students still in that class."""
    with pool.connection() as conn:
        rows = conn.execute(_THROUGH_TEACHER, {"course": course_id, "teacher": teacher_id}).fetchall()
    return [r["student_id"] for r in rows]


def progress(pool: ConnectionPool, student_id: UUID, course_id: UUID) -> dict[str, Any] | None:
    """One student's progress in one course, with the lessons completed (also after leaving)
    and how far they watched each video or audio."""
    with pool.connection() as conn:
        row = conn.execute(
            f"SELECT p.*, e.active, e.left_at, ARRAY(SELECT x.lesson_id FROM view_enrolment.completions x"
            f"  WHERE x.enrolment_id = p.enrolment_id ORDER BY x.completed_at) AS completed_lesson_ids"
            f" FROM ({_PROGRESS} WHERE e.student_id = %s AND e.course_id = %s) p"
            f" JOIN view_enrolment.enrolments e USING (enrolment_id)",
            (student_id, course_id),
        ).fetchone()
        if row is not None:
            row["videos"] = conn.execute(
                "SELECT lesson_id, media_id, position_seconds, duration_seconds, watched_share, updated_at"
                " FROM view_enrolment.video_progress WHERE enrolment_id = %s ORDER BY lesson_id, media_id",
                (row["enrolment_id"],),
            ).fetchall()
    return row


def teacher_classes_of(pool: ConnectionPool, teacher_id: UUID, student_ids: list[UUID]) -> dict[UUID, list[UUID]]:
    """For each of these students, the classes of this teacher they are in (oldest class first)."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT m.student_id, m.class_id FROM view_classroom.members m"
            " JOIN view_classroom.classes k ON k.class_id = m.class_id AND k.teacher_id = %s"
            " WHERE m.student_id = ANY(%s) AND m.removed_at IS NULL ORDER BY k.created_at, k.class_id",
            (teacher_id, student_ids),
        ).fetchall()
    found: dict[UUID, list[UUID]] = {}
    for r in rows:
        found.setdefault(r["student_id"], []).append(r["class_id"])
    return found


def class_assignments_due(pool: ConnectionPool, after: tuple[UUID, UUID] | None, limit: int = 500) -> list[dict[str, Any]]:
    """Students in a class (now) that was assigned a published course, who do not hold that
    class's assignment yet: those who joined after the assignment. Keyset pages by
    (assignment_id, student_id)."""
    where, params = "", {"limit": limit}
    if after:
        where = " AND (a.assignment_id, m.student_id) > (%(after_a)s, %(after_s)s)"
        params.update(after_a=after[0], after_s=after[1])
    with pool.connection() as conn:
        return conn.execute(
            "SELECT a.assignment_id, a.class_id, a.course_id, m.student_id FROM view_enrolment.class_assignments a"
            " JOIN view_classroom.members m ON m.class_id = a.class_id AND m.removed_at IS NULL"
            " JOIN view_catalog.courses c ON c.course_id = a.course_id AND c.status = 'published'"
            " WHERE NOT EXISTS (SELECT 1 FROM view_enrolment.enrolments e JOIN view_enrolment.assignments s"
            "  ON s.enrolment_id = e.enrolment_id AND s.source_id = a.class_id"
            "  WHERE e.student_id = m.student_id AND e.course_id = a.course_id AND e.active)"
            f"{where} ORDER BY a.assignment_id, m.student_id LIMIT %(limit)s",
            params,
        ).fetchall()
