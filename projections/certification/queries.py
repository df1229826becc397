"""Queries on the certification read model (schema-qualified: they run outside the engine)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

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


def of_course(pool: ConnectionPool, course_id: UUID, *, limit: int, cursor: str | None, revoked: bool | None = None,
              assigned_by: UUID | None = None) -> dict[str, Any]:
    """A course's certificates, newest first, with the holder's name; `revoked` True or False keeps
    only revoked or valid ones; with `assigned_by`, only holders that person assigned the course to
    (one of the enrolment's current assignments is theirs, as for revoking)."""
    where, params = ["c.course_id = %s"], [course_id]
    if revoked is not None:
        where.append("(c.revoked_at IS NOT NULL) = %s")
        params.append(revoked)
    if assigned_by is not None:
        where.append("EXISTS (SELECT 1 FROM view_certification.enrolments e JOIN view_certification.assignments a"
                     " USING (enrolment_id) WHERE e.course_id = c.course_id AND e.student_id = c.student_id"
                     " AND a.assigned_by = %s)")
        params.append(assigned_by)
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        where.append("(c.issued_at, c.certificate_id) < (%s::timestamptz, %s::uuid)")
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT c.certificate_id, c.student_id AS holder_id, u.display_name AS holder_name, c.issued_at,"
            " c.revoked_at, c.code FROM view_certification.certificates c"
            " LEFT JOIN view_identity.users u ON u.user_id = c.student_id"
            f" WHERE {' AND '.join(where)} ORDER BY c.issued_at DESC, c.certificate_id DESC LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "issued_at", "certificate_id")


def revoked_ids(pool: ConnectionPool) -> list[UUID]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT certificate_id FROM view_certification.certificates WHERE revoked_at IS NOT NULL"
                            " ORDER BY revoked_at, certificate_id").fetchall()
    return [r["certificate_id"] for r in rows]
