"""Results and reports of a quiz, from the attempts and quizzes read models: each student's
counted attempt (best or last, as the quiz says), who has not attempted, and CSV exports
(polars). The statistics are in projections/quiz_statistics.py.

Only submitted attempts count, and one per student: the counted one.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import polars as pl
from psycopg_pool import ConnectionPool


ORDER = {"best": "percent DESC, submitted_at, attempt_id", "last": "submitted_at DESC, attempt_id DESC"}
COUNTED = (
    "SELECT DISTINCT ON (student_id) attempt_id, student_id, number, score, max_score, percent, pending,"
    " submitted_at FROM view_attempts.attempts WHERE quiz_id = %s AND submitted_at IS NOT NULL"
    " ORDER BY student_id, {order}"
)


def quiz_questions(pool: ConnectionPool, quiz_id: UUID) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The latest version's settings and every question any version showed (newest content wins)."""
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT snapshot->'settings' AS settings, snapshot->'questions' AS questions FROM view_quizzes.versions"
            " WHERE quiz_id = %s ORDER BY version",
            (quiz_id,),
        ).fetchall()
    questions: dict[str, dict[str, Any]] = {}
    for row in rows:
        questions.update(row["questions"])
    return (rows[-1]["settings"] if rows else {"score_policy": "best", "pass_mark": None}), questions


def results(pool: ConnectionPool, quiz_id: UUID) -> dict[str, Any]:
    settings, _ = quiz_questions(pool, quiz_id)
    policy, pass_mark = settings["score_policy"], settings["pass_mark"]
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT c.student_id, u.display_name, n.attempts, c.attempt_id AS counted_attempt_id, c.number,"
            " c.score, c.max_score, c.percent, c.pending, c.submitted_at, n.last_submitted_at"
            f" FROM ({COUNTED.format(order=ORDER[policy])}) c"
            " JOIN (SELECT student_id, count(*) AS attempts, max(submitted_at) AS last_submitted_at"
            "  FROM view_attempts.attempts WHERE quiz_id = %s AND submitted_at IS NOT NULL GROUP BY student_id) n"
            "  USING (student_id)"
            " LEFT JOIN view_identity.users u ON u.user_id = c.student_id ORDER BY u.display_name, c.student_id",
            (quiz_id, quiz_id),
        ).fetchall()
    for row in rows:
        row["passed"] = None if pass_mark is None or row["pending"] else row["percent"] >= pass_mark
    return {"score_policy": policy, "pass_mark": pass_mark, "students": rows}


def not_attempted(pool: ConnectionPool, quiz_id: UUID, member_ids: list[UUID]) -> list[dict[str, Any]]:
    """Members without a submitted attempt: 'not_started', or 'in_progress'."""
    with pool.connection() as conn:
        return conn.execute(
            "SELECT m.student_id, u.display_name,"
            " CASE WHEN EXISTS (SELECT 1 FROM view_attempts.attempts a WHERE a.quiz_id = %s"
            "  AND a.student_id = m.student_id) THEN 'in_progress' ELSE 'not_started' END AS status"
            " FROM unnest(%s::uuid[]) AS m(student_id) LEFT JOIN view_identity.users u ON u.user_id = m.student_id"
            " WHERE NOT EXISTS (SELECT 1 FROM view_attempts.attempts a WHERE a.quiz_id = %s"
            "  AND a.student_id = m.student_id AND a.submitted_at IS NOT NULL)"
            " ORDER BY u.display_name, m.student_id",
            (quiz_id, member_ids, quiz_id),
        ).fetchall()


def results_csv(report: dict[str, Any]) -> str:
    columns = ["student_id", "display_name", "attempts", "counted_attempt_id", "score", "max_score", "percent",
               "passed", "pending", "submitted_at"]
    rows = [{c: (str(r[c]) if c.endswith("_id") else r[c]) for c in columns} for r in report["students"]]
    return pl.DataFrame(rows, schema=columns).write_csv()


def items_csv(report: dict[str, Any]) -> str:
    columns = ["question_id", "title", "type", "n", "difficulty", "discrimination"]
    return pl.DataFrame([{c: i[c] for c in columns} for i in report["items"]], schema=columns).write_csv()
