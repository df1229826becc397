"""Queries on the gradebook read model: current grades, as of a moment, history, what-if.

Staff see every score. A student's own view (`now` given: the moment they ask) counts only the
scores whose feedback the quiz releases by then, so neither a score nor a category or final
grade computed from it shows before its release (an after_close quiz: until it closes).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.grade_calc import default_policy
from projections.certification.gradebook import grades_of, students_of

P = "view_gradebook."


def policy(pool: ConnectionPool, scope_id: UUID) -> dict[str, Any]:
    with pool.connection() as conn:
        row = conn.execute(f"SELECT policy FROM {P}policies WHERE scope_id = %s ORDER BY seq DESC LIMIT 1",
                           (scope_id,)).fetchone()
        if row:
            return row["policy"]
        assessed = conn.execute(f"SELECT EXISTS (SELECT 1 FROM {P}course_assessments WHERE course_id = %s) AS e",
                                (scope_id,)).fetchone()["e"]
    return default_policy(assessed)


def student_grades(pool: ConnectionPool, scope_id: UUID, student_id: UUID, as_of: datetime | None = None,
                   now: datetime | None = None) -> dict[str, Any]:
    """As of a moment: the facts recorded up to then under the policy then in force; with `now`,
    as the student may see them at `now`."""
    with pool.connection() as conn, conn.cursor() as cur:
        grades = grades_of(cur, P, scope_id, student_id, as_of or now or datetime.now(UTC), now=now)
    return {"scope_id": scope_id, "student_id": student_id, "as_of": as_of, **grades}


def gradebook(pool: ConnectionPool, scope_id: UUID, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every student of the scope (members without scores too), staff's view."""
    with pool.connection() as conn, conn.cursor() as cur:
        moment = as_of or datetime.now(UTC)
        return [{"student_id": s, **grades_of(cur, P, scope_id, s, moment)} for s in students_of(cur, P, scope_id, moment)]


def _summary(grades: dict[str, Any]) -> dict[str, Any]:
    categories = {n: c["percent"] for n, c in grades["categories"].items()}
    return {"final": grades["final"], "letter": grades["letter"], "categories": categories}


def _changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows where a category grade, the final grade or the letter changed, saying which."""
    shown, last = [], {"final": None, "letter": None, "categories": {}}
    for row in rows:
        names = sorted(set(row["categories"]) | set(last["categories"]))
        changed = [k for k in ("final", "letter") if row[k] != last[k]] + [
            f"categories.{n}" for n in names if row["categories"].get(n) != last["categories"].get(n)]
        if changed:
            shown.append({**row, "changed": changed})
        last = row
    return shown


def history(pool: ConnectionPool, scope_id: UUID, student_id: UUID, now: datetime | None = None) -> list[dict[str, Any]]:
    """Each change of the student's category grades, final grade or letter, with its cause. With
    `now` (the student asking), each moment's grades are recomputed as the student may see them
    now, so a change that only an unreleased score made does not show."""
    with pool.connection() as conn, conn.cursor() as cur:
        rows = cur.execute(
            f"SELECT at, final, letter, categories, cause, actor_id, command_id FROM {P}history"
            " WHERE scope_id = %s AND student_id = %s ORDER BY seq", (scope_id, student_id),
        ).fetchall()
        if now is not None:
            rows = [{**row, **_summary(grades_of(cur, P, scope_id, student_id, row["at"], now=now))} for row in rows]
    return _changes([{**row, "categories": {n: None if p is None else round(p, 2) for n, p in row["categories"].items()}}
                     for row in rows])


def what_if(pool: ConnectionPool, scope_id: UUID, new_policy: dict[str, Any]) -> list[dict[str, Any]]:
    """Per student: the final grade now and under `new_policy`, from the same recorded history."""
    now, rows = datetime.now(UTC), []
    with pool.connection() as conn, conn.cursor() as cur:
        for s in students_of(cur, P, scope_id, now):
            current, new = grades_of(cur, P, scope_id, s, now), grades_of(cur, P, scope_id, s, now, policy=new_policy)
            rows.append({"student_id": s, "current_final": current["final"], "current_letter": current["letter"],
                         "new_final": new["final"], "new_letter": new["letter"],
                         "current_passed": current["passed"], "new_passed": new["passed"]})
    return rows


def attempt_pairs(pool: ConnectionPool, attempt_ids: list[UUID]) -> set[tuple[UUID, UUID]]:
    """(scope, student) of these attempts."""
    with pool.connection() as conn:
        rows = conn.execute(f"SELECT q.scope_id, t.student_id FROM {P}attempts t JOIN {P}quizzes q USING (quiz_id)"
                            " WHERE t.attempt_id = ANY(%s)", (attempt_ids,)).fetchall()
    return {(r["scope_id"], r["student_id"]) for r in rows}


def quiz_scopes(pool: ConnectionPool, quiz_ids: list[UUID]) -> list[UUID]:
    """The courses or classes these quizzes count in."""
    with pool.connection() as conn:
        rows = conn.execute(f"SELECT DISTINCT scope_id FROM {P}quizzes WHERE quiz_id = ANY(%s)", (quiz_ids,)).fetchall()
    return [r["scope_id"] for r in rows]
