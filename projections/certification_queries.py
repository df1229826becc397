"""Queries on the certification read model (schema-qualified: they run outside the engine)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

_COLUMNS = ("certificate_id, code, student_id, course_id, course_title, grade, issued_at, revoked_at,"
            " revoked_reason")


def due(pool: ConnectionPool, after: tuple[UUID, UUID] | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """(student, course) pairs without a certificate whose lesson rule is met (a course without
    rules asks for every lesson), with the pass mark the caller still has to check; a page
    after (course_id, student_id), so students below a pass mark never block the others."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT e.student_id, e.course_id, r.pass_mark FROM view_certification.enrolments e"
            " LEFT JOIN view_certification.rules r USING (course_id)"
            " WHERE (e.completed_at IS NOT NULL OR NOT coalesce(r.require_all_lessons, true))"
            " AND NOT EXISTS (SELECT 1 FROM view_certification.certificates c"
            "   WHERE c.student_id = e.student_id AND c.course_id = e.course_id)"
            " AND (%s::uuid IS NULL OR (e.course_id, e.student_id) > (%s::uuid, %s::uuid))"
            " ORDER BY e.course_id, e.student_id LIMIT %s",
            (after and after[0], after and after[0], after and after[1], limit),
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
