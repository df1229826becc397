"""Results and reports of a quiz, from the attempts and quizzes read models: each student's
counted attempt (best or last, as the quiz says), who has not attempted, and CSV exports
(polars) of the results, the items, the score distribution and the non-attempts. The
statistics are in projections/assessment/quiz_statistics.py.

Only submitted attempts count, and one per student: the counted one. Whether it passed is
decided by the pass mark of the version it was taken on, as on the attempt itself.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import polars as pl
from psycopg_pool import ConnectionPool

from adapters.documents.spreadsheet_csv import write_csv
from domain.scoring import passed

ORDER = {"best": "percent DESC, submitted_at, attempt_id", "last": "submitted_at DESC, attempt_id DESC"}
COUNTED = (
    "SELECT DISTINCT ON (student_id) attempt_id, student_id, number, quiz_version, score, max_score, percent, pending,"
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
    policy = settings["score_policy"]
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT c.student_id, u.display_name, n.attempts, c.attempt_id AS counted_attempt_id, c.number,"
            " c.quiz_version, c.score, c.max_score, c.percent, c.pending, c.submitted_at, n.last_submitted_at,"
            " (v.snapshot->'settings'->>'pass_mark')::float AS pass_mark"
            f" FROM ({COUNTED.format(order=ORDER[policy])}) c"
            " JOIN (SELECT student_id, count(*) AS attempts, max(submitted_at) AS last_submitted_at"
            "  FROM view_attempts.attempts WHERE quiz_id = %s AND submitted_at IS NOT NULL GROUP BY student_id) n"
            "  USING (student_id)"
            " LEFT JOIN view_quizzes.versions v ON v.quiz_id = %s AND v.version = c.quiz_version"
            " LEFT JOIN view_identity.users u ON u.user_id = c.student_id ORDER BY u.display_name, c.student_id",
            (quiz_id, quiz_id, quiz_id),
        ).fetchall()
    for row in rows:
        row["passed"] = None if row["pending"] else passed(row["percent"], row["pass_mark"])
    return {"score_policy": policy, "pass_mark": settings["pass_mark"], "students": rows}


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


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    return write_csv(pl.DataFrame([{c: (str(r[c]) if c.endswith("_id") else r[c]) for c in columns} for r in rows],
                                  schema=columns))


def results_csv(report: dict[str, Any]) -> str:
    return _csv(report["students"], ["student_id", "display_name", "attempts", "counted_attempt_id", "quiz_version",
                                     "score", "max_score", "percent", "pass_mark", "passed", "pending", "submitted_at"])


def _options(distractors: list[dict[str, Any]] | None) -> str | None:
    """"a Paris (right): 3 | b Lyon: 1", the options of a choice question and how often each was chosen."""
    if distractors is None:
        return None
    return " | ".join(f"{d['id']} {d['text']}{' (right)' if d['correct'] else ''}: {d['count']}"
                      for d in distractors if d["id"] is not None)


def items_csv(report: dict[str, Any]) -> str:
    """One row per question; for choice questions the distractor counts and the blanks."""
    rows = [{**i, "no_answer": i["distractors"][-1]["count"] if i["distractors"] else None,
             "options": _options(i["distractors"])} for i in report["items"]]
    return _csv(rows, ["question_id", "title", "type", "n", "difficulty", "discrimination", "no_answer", "options"])


def distribution_csv(report: dict[str, Any]) -> str:
    """The summary (attempts, mean, median, sd, min, max, Cronbach's alpha over how many items),
    then the count of each 10 % bin, as measure, from_percent, to_percent, value."""
    d = report["distribution"]
    rows = [{"measure": m, "from_percent": None, "to_percent": None, "value": v} for m, v in (
        ("attempts", report["attempts"]), ("mean_percent", d["mean"]), ("median_percent", d["median"]),
        ("stdev_percent", d["stdev"]), ("min_percent", d["min"]), ("max_percent", d["max"]),
        ("cronbach_alpha", report["cronbach_alpha"]), ("alpha_items", report["alpha_items"]))]
    rows += [{"measure": "count", "from_percent": b["from"], "to_percent": b["to"], "value": b["count"]} for b in d["bins"]]
    return write_csv(pl.DataFrame(rows, schema={"measure": pl.String, "from_percent": pl.Float64,
                                                "to_percent": pl.Float64, "value": pl.Float64}))


def not_attempted_csv(rows: list[dict[str, Any]]) -> str:
    return _csv(rows, ["student_id", "display_name", "status"])
