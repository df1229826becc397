"""A quiz's statistics over each student's counted attempt: score distribution, difficulty and
discrimination per question, Cronbach's alpha (computed by projections/assessment/item_statistics.py), and
distractor counts. The database groups the grades per attempt and counts the options chosen,
so no answer is decoded in Python."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool

from projections.assessment.item_statistics import (
    cronbach_alpha,
    distribution,
    item_statistics,
)
from projections.assessment.quiz_reports import COUNTED, ORDER, quiz_questions

CHOICE_TYPES = ("single_choice", "multiple_choice", "true_false")
_GRADED = "g.state <> 'pending'"  # an essay still waiting is left out of its item
# The option(s) an answer chose: ids for choice questions, "true"/"false" for true/false.
_CHOSEN = (
    "SELECT jsonb_array_elements_text(s.answer->'option_ids') WHERE s.answer ? 'option_ids'"
    " UNION ALL SELECT s.answer->>'option_id' WHERE s.answer ? 'option_id'"
    " UNION ALL SELECT s.answer->>'value' WHERE s.answer ? 'value'"
)


def _query(pool: ConnectionPool, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    with pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
        return cur.execute(sql, params).fetchall()


def statistics(pool: ConnectionPool, quiz_id: UUID) -> dict[str, Any]:
    settings, questions = quiz_questions(pool, quiz_id)
    counted = f"WITH counted AS ({COUNTED.format(order=ORDER[settings['score_policy']])}) "
    per_attempt = _query(pool, counted + (
        f"SELECT c.percent, array_agg(g.question_id) FILTER (WHERE {_GRADED}),"
        f" array_agg(g.fraction * g.max) FILTER (WHERE {_GRADED}), array_agg(g.fraction) FILTER (WHERE {_GRADED})"
        " FROM counted c JOIN view_attempts.grades g USING (attempt_id) GROUP BY c.attempt_id, c.percent"), (quiz_id,))
    observed = [dict(zip(ids or [], scores or [], strict=True)) for _, ids, scores, _ in per_attempt]
    shares = [dict(zip(ids or [], fractions or [], strict=True)) for _, ids, _, fractions in per_attempt]
    choice_ids = [q for q, c in questions.items() if c["type"] in CHOICE_TYPES]
    chosen = _query(pool, counted + (
        f"SELECT s.question_id, o.option, count(*) FROM counted c JOIN view_attempts.answers s USING (attempt_id)"
        f" CROSS JOIN LATERAL ({_CHOSEN}) AS o(option) WHERE s.question_id = ANY(%s) GROUP BY 1, 2"),
        (quiz_id, choice_ids))
    # An empty selection is no answer, as in grading.
    answered = dict(_query(pool, counted + (
        "SELECT s.question_id, count(*) FROM counted c JOIN view_attempts.answers s USING (attempt_id)"
        " WHERE s.question_id = ANY(%s) AND s.answer IS NOT NULL AND s.answer->'option_ids' IS DISTINCT FROM '[]'"
        " GROUP BY 1"), (quiz_id, choice_ids)))
    counts: dict[str, dict[str, int]] = {}
    for question_id, option, n in chosen:
        counts.setdefault(question_id, {})[option] = n
    alpha, alpha_items = cronbach_alpha(observed)
    items = []
    for question_id, stats in item_statistics(observed, shares).items():
        q = questions.get(question_id, {"type": "unknown", "title": question_id})
        distractors = None
        if q["type"] in CHOICE_TYPES:
            distractors = _distractors(q, counts.get(question_id, {}), stats["n"] - answered.get(question_id, 0))
        items.append({"question_id": question_id, "title": q["title"], "type": q["type"], **stats,
                      "distractors": distractors})
    items.sort(key=lambda i: i["title"])
    return {"attempts": len(per_attempt), "distribution": distribution([p for p, *_ in per_attempt]),
            "cronbach_alpha": alpha, "alpha_items": len(alpha_items), "items": items}


def _distractors(question: dict[str, Any], counts: dict[str, int], blank: int) -> list[dict[str, Any]]:
    """How many counted attempts chose each option (a multiple choice answer counts for each)."""
    if question["type"] == "true_false":
        options = [{"id": v, "text": v, "correct": question["correct"] == (v == "true")} for v in ("true", "false")]
    else:
        options = [{"id": o["id"], "text": o["text"], "correct": o["correct"]} for o in question["options"]]
    return [*({**o, "count": counts.get(o["id"], 0)} for o in options),
            {"id": None, "text": "(no answer)", "correct": False, "count": blank}]
