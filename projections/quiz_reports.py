"""Results and reports of a quiz, from the attempts and quizzes read models: each student's
counted attempt (best or last, as the quiz says), the score distribution, item analysis with
distractor counts, who has not attempted, and CSV exports (polars).

Only submitted attempts count. Statistics use one attempt per student, the counted one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

import polars as pl
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool

from projections.item_statistics import cronbach_alpha, distribution, item_statistics

_ORDER = {"best": "percent DESC, submitted_at, attempt_id", "last": "submitted_at DESC, attempt_id DESC"}
_COUNTED = (
    "SELECT DISTINCT ON (student_id) attempt_id, student_id, number, score, max_score, percent, pending,"
    " submitted_at FROM view_attempts.attempts WHERE quiz_id = %s AND submitted_at IS NOT NULL"
    " ORDER BY student_id, {order}"
)
CHOICE_TYPES = ("single_choice", "multiple_choice", "true_false")


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
            f" FROM ({_COUNTED.format(order=_ORDER[policy])}) c"
            " JOIN (SELECT student_id, count(*) AS attempts, max(submitted_at) AS last_submitted_at"
            "  FROM view_attempts.attempts WHERE quiz_id = %s AND submitted_at IS NOT NULL GROUP BY student_id) n"
            "  USING (student_id)"
            " LEFT JOIN view_identity.users u ON u.user_id = c.student_id ORDER BY u.display_name, c.student_id",
            (quiz_id, quiz_id),
        ).fetchall()
    for row in rows:
        row["passed"] = None if pass_mark is None or row["pending"] else row["percent"] >= pass_mark
    return {"score_policy": policy, "pass_mark": pass_mark, "students": rows}


def _observations(pool: ConnectionPool, quiz_id: UUID, policy: str, choice_ids: list[str]) -> tuple[
        dict[UUID, dict[str, float]], dict[UUID, float], list[tuple[str, Any]]]:
    """Item scores per counted attempt, the attempts' percents, and the choice answers given."""
    with pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(
            f"WITH counted AS ({_COUNTED.format(order=_ORDER[policy])})"
            " SELECT g.attempt_id, g.question_id, g.fraction * g.max, g.state,"
            "  CASE WHEN g.question_id = ANY(%s) THEN s.answer END, c.percent"
            " FROM counted c JOIN view_attempts.grades g USING (attempt_id)"
            " LEFT JOIN view_attempts.answers s ON s.attempt_id = g.attempt_id AND s.question_id = g.question_id",
            (quiz_id, choice_ids),
        )
        observations: dict[UUID, dict[str, float]] = {}
        percents: dict[UUID, float] = {}
        chosen: list[tuple[str, Any]] = []
        for attempt_id, question_id, earned, state, answer, percent in cur:
            percents[attempt_id] = percent
            if state != "pending":
                observations.setdefault(attempt_id, {})[question_id] = earned
            if answer is not None:
                chosen.append((question_id, answer))
    return observations, percents, chosen


def _chosen(kind: str, answer: dict[str, Any]) -> list[str]:
    if kind == "multiple_choice":
        return answer["option_ids"]
    if kind == "single_choice":
        return [answer["option_id"]]
    return ["true" if answer["value"] else "false"]


def _distractors(question: dict[str, Any], answers: list[Any], n: int) -> list[dict[str, Any]]:
    """How many counted attempts chose each option (a multiple choice answer counts for each)."""
    counts = Counter(option for a in answers for option in _chosen(question["type"], a))
    if question["type"] == "true_false":
        options = [{"id": v, "text": v, "correct": question["correct"] == (v == "true")} for v in ("true", "false")]
    else:
        options = [{"id": o["id"], "text": o["text"], "correct": o["correct"]} for o in question["options"]]
    return [*({**o, "count": counts[o["id"]]} for o in options),
            {"id": None, "text": "(no answer)", "correct": False, "count": n - len(answers)}]


def statistics(pool: ConnectionPool, quiz_id: UUID) -> dict[str, Any]:
    settings, questions = quiz_questions(pool, quiz_id)
    choice_ids = [q for q, c in questions.items() if c["type"] in CHOICE_TYPES]
    observations, percents, chosen = _observations(pool, quiz_id, settings["score_policy"], choice_ids)
    max_points: dict[str, float] = {}
    with pool.connection() as conn:
        for row in conn.execute(
            "SELECT g.question_id, max(g.max) AS best FROM view_attempts.grades g JOIN view_attempts.attempts a"
            " USING (attempt_id) WHERE a.quiz_id = %s GROUP BY g.question_id", (quiz_id,)
        ):
            max_points[row["question_id"]] = row["best"]
    observed = list(observations.values())
    per_item = item_statistics(observed, max_points)
    alpha, alpha_items = cronbach_alpha(observed)
    by_question: dict[str, list[Any]] = {}
    for question_id, answer in chosen:
        by_question.setdefault(question_id, []).append(answer)
    items = []
    for question_id, stats in per_item.items():
        q = questions.get(question_id, {"type": "unknown", "title": question_id})
        distractors = _distractors(q, by_question.get(question_id, []), stats["n"]) if q["type"] in CHOICE_TYPES else None
        items.append({"question_id": question_id, "title": q["title"], "type": q["type"], **stats,
                      "distractors": distractors})
    items.sort(key=lambda i: i["title"])
    return {"attempts": len(percents), "distribution": distribution(list(percents.values())),
            "cronbach_alpha": alpha, "alpha_items": len(alpha_items), "items": items}


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
