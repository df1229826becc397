"""Queries on the classroom read model (schema-qualified). Names and e-mails of people come
from the identity read model."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from projections.reading.pagination import Kind, decode_cursor, page

_CLASS_COLUMNS = "c.class_id, c.teacher_id, c.name, c.description, c.term, c.archived_at, c.created_at"


def class_student_ids(pool: ConnectionPool, class_id: UUID) -> list[UUID]:
    """The students currently in the class (for assigning a course to the whole class)."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT student_id FROM view_classroom.members WHERE class_id = %s AND removed_at IS NULL"
            " ORDER BY joined_at, student_id",
            (class_id,),
        ).fetchall()
    return [r["student_id"] for r in rows]


def class_teacher_id(pool: ConnectionPool, class_id: UUID) -> UUID | None:
    with pool.connection() as conn:
        row = conn.execute("SELECT teacher_id FROM view_classroom.classes WHERE class_id = %s", (class_id,)).fetchone()
    return row["teacher_id"] if row else None


def class_details(pool: ConnectionPool, class_id: UUID, *, with_join_code: bool) -> dict[str, Any] | None:
    with pool.connection() as conn:
        row = conn.execute(
            f"SELECT {_CLASS_COLUMNS}, c.join_code, u.display_name AS teacher_name,"
            " (SELECT count(*) FROM view_classroom.members m"
            "   WHERE m.class_id = c.class_id AND m.removed_at IS NULL) AS student_count"
            " FROM view_classroom.classes c LEFT JOIN view_identity.users u ON u.user_id = c.teacher_id"
            " WHERE c.class_id = %s",
            (class_id,),
        ).fetchone()
    if row is not None and not with_join_code:
        del row["join_code"]
    return row


def roster(pool: ConnectionPool, class_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    where, params = ["m.class_id = %s", "m.removed_at IS NULL"], [class_id]
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    if after:
        where.append("(m.joined_at, m.student_id) > (%s::timestamptz, %s::uuid)")
        params += after
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT m.student_id, u.display_name, u.email, m.via, m.joined_at"
            " FROM view_classroom.members m LEFT JOIN view_identity.users u ON u.user_id = m.student_id"
            f" WHERE {' AND '.join(where)} ORDER BY m.joined_at, m.student_id LIMIT %s",
            (*params, limit + 1),
        ).fetchall()
    return page(rows, limit, "joined_at", "student_id")


def classes_of(pool: ConnectionPool, user_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """Classes the person teaches or attends, oldest first, with their role in each."""
    after = decode_cursor(cursor, Kind.TIME, Kind.ID)
    where, params = "true", []
    if after:
        where, params = "(created_at, class_id) > (%s::timestamptz, %s::uuid)", after
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT * FROM ("
            f"  SELECT {_CLASS_COLUMNS}, 'teacher' AS role, c.join_code FROM view_classroom.classes c"
            "   WHERE c.teacher_id = %s"
            f"  UNION ALL SELECT {_CLASS_COLUMNS}, 'student', NULL FROM view_classroom.classes c"
            "   JOIN view_classroom.members m ON m.class_id = c.class_id"
            "   WHERE m.student_id = %s AND m.removed_at IS NULL"
            f") mine WHERE {where} ORDER BY created_at, class_id LIMIT %s",
            (user_id, user_id, *params, limit + 1),
        ).fetchall()
    return page(rows, limit, "created_at", "class_id")
