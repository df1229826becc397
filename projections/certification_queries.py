"""Queries on the certification read model (schema-qualified: they run outside the engine)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

# A student's course grade: the mean over the course's quizzes of their best submitted attempt,
# each attempt scored as points earned / points possible, in percent.
_GRADES = """
    SELECT a.student_id, q.course_id, avg(best) AS grade FROM (
      SELECT a.student_id, a.quiz_id, max(
        (SELECT CASE WHEN sum((g->>'max')::float) > 0
                THEN 100 * greatest(sum((g->>'points')::float), 0) / sum((g->>'max')::float) END
         FROM jsonb_each(a.grades) AS x(k, g))) AS best
      FROM view_certification.attempts a WHERE a.submitted GROUP BY a.student_id, a.quiz_id
    ) a JOIN view_certification.course_quizzes q USING (quiz_id)
    GROUP BY a.student_id, q.course_id
"""

_COLUMNS = ("certificate_id, code, student_id, course_id, course_title, grade, issued_at, revoked_at,"
            " revoked_reason")


def course_grade(pool: ConnectionPool, student_id: UUID, course_id: UUID) -> float | None:
    with pool.connection() as conn:
        row = conn.execute(f"SELECT grade FROM ({_GRADES}) g WHERE student_id = %s AND course_id = %s",
                           (student_id, course_id)).fetchone()
    return round(row["grade"], 2) if row and row["grade"] is not None else None


def due(pool: ConnectionPool, limit: int = 100) -> list[dict[str, Any]]:
    """(student, course) pairs whose course rules are met and who hold no certificate yet.
    A course without rules asks for every lesson; a pass mark asks for that grade too."""
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT e.student_id, e.course_id, g.grade FROM view_certification.enrolments e"
            f" LEFT JOIN view_certification.rules r USING (course_id)"
            f" LEFT JOIN ({_GRADES}) g USING (student_id, course_id)"
            f" WHERE (e.completed_at IS NOT NULL OR NOT coalesce(r.require_all_lessons, true))"
            f" AND (r.pass_mark IS NULL OR coalesce(g.grade, 0) >= r.pass_mark)"
            f" AND NOT EXISTS (SELECT 1 FROM view_certification.certificates c"
            f"   WHERE c.student_id = e.student_id AND c.course_id = e.course_id)"
            f" ORDER BY e.course_id, e.student_id LIMIT %s",
            (limit,),
        ).fetchall()


def rules_of(pool: ConnectionPool, course_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT course_id, require_all_lessons, pass_mark, show_grade, changed_at"
            " FROM view_certification.rules WHERE course_id = %s", (course_id,),
        ).fetchone()


def certificate(pool: ConnectionPool, certificate_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(f"SELECT {_COLUMNS} FROM view_certification.certificates WHERE certificate_id = %s",
                            (certificate_id,)).fetchone()


def by_code(pool: ConnectionPool, code: str) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(f"SELECT {_COLUMNS} FROM view_certification.certificates WHERE code = %s",
                            (code,)).fetchone()


def of_student(pool: ConnectionPool, student_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(f"SELECT {_COLUMNS} FROM view_certification.certificates WHERE student_id = %s"
                            " ORDER BY issued_at, certificate_id", (student_id,)).fetchall()
