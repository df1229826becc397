"""Queries on the certification read model (schema-qualified: they run outside the engine)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

_COLUMNS = ("certificate_id, code, student_id, course_id, course_title, grade, issued_at, revoked_at,"
            " revoked_reason")


DEFAULT_RULES: dict[str, Any] = {"require_all_lessons": True, "required_lesson_ids": [], "required_quiz_ids": [],
                                 "pass_mark": None, "show_grade": False}


def rules_of(pool: ConnectionPool, course_id: UUID) -> dict[str, Any] | None:
    with pool.connection() as conn:
        return conn.execute(
            "SELECT course_id, require_all_lessons, required_lesson_ids, required_quiz_ids, pass_mark, show_grade,"
            " changed_at FROM view_certification.rules WHERE course_id = %s", (course_id,),
        ).fetchone()


def completion_facts(pool: ConnectionPool, course_id: UUID, student_id: UUID) -> dict[str, Any] | None:
    """What the completion rules look at for one enrolled student (None: not enrolled), and
    whether they already hold a certificate (revoked ones included: never issued again)."""
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT e.completed_at IS NOT NULL AS completed_course,"
            " coalesce(array(SELECT lesson_id FROM view_certification.lessons_done d"
            "   WHERE d.enrolment_id = e.enrolment_id), '{}') AS lessons_done,"
            " coalesce((SELECT lesson_ids FROM view_certification.course_lessons l WHERE l.course_id = e.course_id),"
            "   '{}') AS course_lessons,"
            " EXISTS (SELECT 1 FROM view_certification.certificates c"
            "   WHERE c.student_id = e.student_id AND c.course_id = e.course_id) AS certified"
            " FROM view_certification.enrolments e WHERE e.course_id = %s AND e.student_id = %s",
            (course_id, student_id),
        ).fetchone()
    if row is None:
        return None
    return {**row, "lessons_done": set(row["lessons_done"]), "course_lessons": set(row["course_lessons"])}


def enrolment_pairs(pool: ConnectionPool, enrolment_ids: list[UUID]) -> set[tuple[UUID, UUID]]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT course_id, student_id FROM view_certification.enrolments"
                            " WHERE enrolment_id = ANY(%s)", (enrolment_ids,)).fetchall()
    return {(r["course_id"], r["student_id"]) for r in rows}


def course_pairs(pool: ConnectionPool, course_ids: list[UUID]) -> set[tuple[UUID, UUID]]:
    """Every enrolled student of these courses (rules ids are resolved to their course too)."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT course_id, student_id FROM view_certification.enrolments WHERE course_id = ANY(%s)"
            " OR course_id IN (SELECT course_id FROM view_certification.rules WHERE rules_id = ANY(%s))",
            (course_ids, course_ids),
        ).fetchall()
    return {(r["course_id"], r["student_id"]) for r in rows}


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


def revoked_ids(pool: ConnectionPool) -> list[UUID]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT certificate_id FROM view_certification.certificates WHERE revoked_at IS NOT NULL"
                            " ORDER BY revoked_at, certificate_id").fetchall()
    return [r["certificate_id"] for r in rows]
