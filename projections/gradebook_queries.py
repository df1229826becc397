"""Queries on the gradebook read model: current grades, as of a moment, history, what-if."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.grade_calc import DEFAULT_POLICY
from projections.gradebook import grades_of, students_of

P = "view_gradebook."


def policy(pool: ConnectionPool, scope_id: UUID) -> dict[str, Any]:
    with pool.connection() as conn:
        row = conn.execute(f"SELECT policy FROM {P}policies WHERE scope_id = %s ORDER BY seq DESC LIMIT 1",
                           (scope_id,)).fetchone()
    return row["policy"] if row else DEFAULT_POLICY


def student_grades(pool: ConnectionPool, scope_id: UUID, student_id: UUID, as_of: datetime | None = None) -> dict[str, Any]:
    """As of a moment: the facts recorded up to then under the policy then in force."""
    with pool.connection() as conn, conn.cursor() as cur:
        grades = grades_of(cur, P, scope_id, student_id, as_of or datetime.now(UTC))
    return {"scope_id": scope_id, "student_id": student_id, "as_of": as_of, **grades}


def gradebook(pool: ConnectionPool, scope_id: UUID, as_of: datetime | None = None) -> list[dict[str, Any]]:
    with pool.connection() as conn, conn.cursor() as cur:
        moment = as_of or datetime.now(UTC)
        return [{"student_id": s, **grades_of(cur, P, scope_id, s, moment)} for s in students_of(cur, P, scope_id)]


def history(pool: ConnectionPool, scope_id: UUID, student_id: UUID) -> list[dict[str, Any]]:
    with pool.connection() as conn:
        return conn.execute(
            f"SELECT at, final, letter, cause, actor_id, command_id FROM {P}history"
            " WHERE scope_id = %s AND student_id = %s ORDER BY seq", (scope_id, student_id),
        ).fetchall()


def what_if(pool: ConnectionPool, scope_id: UUID, new_policy: dict[str, Any]) -> list[dict[str, Any]]:
    """Per student: the final grade now and under `new_policy`, from the same recorded history."""
    now, rows = datetime.now(UTC), []
    with pool.connection() as conn, conn.cursor() as cur:
        for s in students_of(cur, P, scope_id):
            current, new = grades_of(cur, P, scope_id, s, now), grades_of(cur, P, scope_id, s, now, new_policy)
            rows.append({"student_id": s, "current_final": current["final"], "current_letter": current["letter"],
                         "new_final": new["final"], "new_letter": new["letter"],
                         "current_passed": current["passed"], "new_passed": new["passed"]})
    return rows
