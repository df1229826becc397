"""Gradebook read model: the facts grades are computed from (course/class quizzes, attempts,
every question grade ever recorded, every policy and override), kept append-only so a grade
can be recomputed as of any moment, plus each student's grade history with its cause.

Grades are computed by domain.grade_calc from these facts, here (for the history) and in the
queries (current, as-of, what-if), so all of them agree by construction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from domain.attempts import Attempt
from domain.grade_calc import DEFAULT_POLICY, compute
from domain.gradebook import GradeOverride, GradingPolicy
from domain.identity import User
from domain.quizzes import Quiz
from projections.engine import Projection

gradebook = Projection(
    name="gradebook",
    tables=[
        """CREATE TABLE IF NOT EXISTS quizzes (quiz_id uuid PRIMARY KEY, scope_id uuid NOT NULL,
            category text NOT NULL, due_at timestamptz)""",
        """CREATE TABLE IF NOT EXISTS attempts (attempt_id uuid PRIMARY KEY, quiz_id uuid NOT NULL,
            student_id uuid NOT NULL, submitted_at timestamptz)""",
        """CREATE TABLE IF NOT EXISTS question_grades (seq bigserial PRIMARY KEY, attempt_id uuid NOT NULL,
            question_id text NOT NULL, points double precision NOT NULL, max double precision NOT NULL,
            at timestamptz NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS policies (seq bigserial PRIMARY KEY, scope_id uuid NOT NULL,
            policy jsonb NOT NULL, at timestamptz NOT NULL, actor_id uuid)""",
        """CREATE TABLE IF NOT EXISTS overrides (seq bigserial PRIMARY KEY, scope_id uuid NOT NULL,
            student_id uuid NOT NULL, grade double precision, reason text NOT NULL, at timestamptz NOT NULL,
            actor_id uuid)""",
        """CREATE TABLE IF NOT EXISTS history (seq bigserial PRIMARY KEY, scope_id uuid NOT NULL,
            student_id uuid NOT NULL, at timestamptz NOT NULL, final double precision, letter text,
            cause text NOT NULL, actor_id uuid, command_id uuid)""",
        "CREATE INDEX IF NOT EXISTS history_student ON history (scope_id, student_id, seq)",
    ],
)


def facts_sql(prefix: str) -> tuple[str, str, str]:
    """Scores, policy and override of one (scope, student) as of a moment; `prefix` is ""
    inside the engine and "view_gradebook." for queries."""
    scores = (
        f"WITH g AS (SELECT DISTINCT ON (attempt_id, question_id) attempt_id, points, max"
        f"  FROM {prefix}question_grades WHERE at <= %(as_of)s ORDER BY attempt_id, question_id, seq DESC),"
        f" a AS (SELECT t.attempt_id, t.quiz_id, t.submitted_at, sum(g.points) AS points, sum(g.max) AS max"
        f"  FROM {prefix}attempts t JOIN g USING (attempt_id)"
        f"  WHERE t.student_id = %(student)s AND t.submitted_at <= %(as_of)s GROUP BY 1, 2, 3)"
        f" SELECT DISTINCT ON (a.quiz_id) a.quiz_id AS item_id, q.category, a.points, a.max, a.submitted_at, q.due_at"
        f" FROM a JOIN {prefix}quizzes q USING (quiz_id) WHERE q.scope_id = %(scope)s"
        f" ORDER BY a.quiz_id, a.points / nullif(a.max, 0) DESC NULLS LAST"
    )
    policy = (f"SELECT policy FROM {prefix}policies WHERE scope_id = %(scope)s AND at <= %(as_of)s"
              f" ORDER BY seq DESC LIMIT 1")
    override = (f"SELECT grade, reason FROM {prefix}overrides WHERE scope_id = %(scope)s"
                f" AND student_id = %(student)s AND at <= %(as_of)s ORDER BY seq DESC LIMIT 1")
    return scores, policy, override


def grades_of(cur: psycopg.Cursor, prefix: str, scope_id: UUID, student_id: UUID, as_of: datetime,
              policy: dict[str, Any] | None = None) -> dict[str, Any]:
    """The student's grades at `as_of`, under the policy then in force (or the given one)."""
    scores_q, policy_q, override_q = facts_sql(prefix)
    params = {"scope": scope_id, "student": student_id, "as_of": as_of}
    scores = cur.execute(scores_q, params).fetchall()
    if policy is None:
        row = cur.execute(policy_q, params).fetchone()
        policy = row["policy"] if row else DEFAULT_POLICY
    row = cur.execute(override_q, params).fetchone()
    override = row if row and row["grade"] is not None else None
    return compute(policy, [dict(s) for s in scores], override)


def students_of(cur: psycopg.Cursor, prefix: str, scope_id: UUID) -> list[UUID]:
    cur.execute(
        f"SELECT DISTINCT t.student_id FROM {prefix}attempts t JOIN {prefix}quizzes q USING (quiz_id)"
        f" WHERE q.scope_id = %s UNION SELECT student_id FROM {prefix}overrides WHERE scope_id = %s ORDER BY 1",
        (scope_id, scope_id),
    )
    return [r["student_id"] for r in cur.fetchall()]


def _record_history(cur: psycopg.Cursor, scope_id: UUID, student_id: UUID, e: Any) -> None:
    """Append a history row when the student's final grade or letter changed through `e`."""
    now = grades_of(cur, "", scope_id, student_id, e.timestamp)
    cur.execute("SELECT final, letter FROM history WHERE scope_id = %s AND student_id = %s ORDER BY seq DESC LIMIT 1",
                (scope_id, student_id))
    last = cur.fetchone()
    if last is None and now["final"] is None or last and (last["final"], last["letter"]) == (now["final"], now["letter"]):
        return
    cur.execute(
        "INSERT INTO history (scope_id, student_id, at, final, letter, cause, actor_id, command_id)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (scope_id, student_id, e.timestamp, now["final"], now["letter"], type(e).__qualname__, e.actor_id, e.command_id),
    )


def _scope_of_attempt(cur: psycopg.Cursor, attempt_id: UUID) -> tuple[UUID, UUID] | None:
    cur.execute("SELECT q.scope_id, t.student_id FROM attempts t JOIN quizzes q USING (quiz_id) WHERE attempt_id = %s",
                (attempt_id,))
    row = cur.fetchone()
    return (row["scope_id"], row["student_id"]) if row else None


@gradebook.on(Quiz.Created)
def quiz_created(cur: psycopg.Cursor, e: Any) -> None:
    # Quizzes count as "quizzes" unless their settings name another category or a soft due date.
    settings = e.settings or {}
    cur.execute("INSERT INTO quizzes VALUES (%s, %s, %s, %s::timestamptz) ON CONFLICT DO NOTHING",
                (e.originator_id, e.audience_id, settings.get("category", "quizzes"), settings.get("due_at")))


@gradebook.on(Attempt.Started)
def attempt_started(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("INSERT INTO attempts VALUES (%s, %s, %s, NULL) ON CONFLICT DO NOTHING",
                (e.originator_id, e.quiz_id, e.student_id))


def _grades(cur: psycopg.Cursor, e: Any, grades: dict[str, dict[str, Any]]) -> None:
    for question_id, g in grades.items():
        cur.execute("INSERT INTO question_grades (attempt_id, question_id, points, max, at) VALUES (%s, %s, %s, %s, %s)",
                    (e.originator_id, question_id, g.get("points", 0.0), g.get("max", 0.0), e.timestamp))
    scope = _scope_of_attempt(cur, e.originator_id)
    if scope is not None:
        _record_history(cur, *scope, e)


@gradebook.on(Attempt.Submitted)
def attempt_submitted(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("UPDATE attempts SET submitted_at = %s WHERE attempt_id = %s", (e.submitted_at, e.originator_id))
    _grades(cur, e, e.grades)


@gradebook.on(Attempt.EssayGraded, Attempt.Regraded)
def attempt_regraded(cur: psycopg.Cursor, e: Any) -> None:
    _grades(cur, e, {e.question_id: e.grade})


@gradebook.on(GradingPolicy.Set, GradingPolicy.Changed)
def policy_set(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("INSERT INTO policies (scope_id, policy, at, actor_id) VALUES (%s, %s, %s, %s)",
                (e.scope_id, Jsonb(e.policy), e.timestamp, e.actor_id))
    for student_id in students_of(cur, "", e.scope_id):
        _record_history(cur, e.scope_id, student_id, e)


@gradebook.on(GradeOverride.Overridden)
def overridden(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("INSERT INTO overrides (scope_id, student_id, grade, reason, at, actor_id) VALUES (%s, %s, %s, %s, %s, %s)",
                (e.scope_id, e.student_id, e.grade, e.reason, e.timestamp, e.actor_id))
    _record_history(cur, e.scope_id, e.student_id, e)


@gradebook.on(User.Erased)
def erased(cur: psycopg.Cursor, e: Any) -> None:
    cur.execute("UPDATE overrides SET reason = '[erased]' WHERE student_id = %s", (e.originator_id,))
