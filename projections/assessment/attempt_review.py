"""An attempt as its reader may see it. The student sees questions without answer keys and,
only once the quiz's feedback mode releases them, grades and feedback (with immediate
feedback: each answered question at once, the total after submission); the answer keys only
once they cannot help in another attempt (domain.quizzes.keys_released). The quiz's teacher
sees everything at any time."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.question_views import review, student_view
from domain.quizzes import FeedbackMode, attempts_left, feedback_released, keys_released
from domain.scoring import grade_answer, passed
from projections.assessment import attempts_queries, quizzes_queries
from projections.engine.tracking import NotCaughtUp

_GRADE = ("fraction", "points", "max", "state")


def _result(row: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    pending = row["pending"]
    return {
        "score": row["score"], "max_score": row["max_score"], "percent": row["percent"], "pending": pending,
        "passed": None if pending else passed(row["percent"], settings["pass_mark"]),
    }


def status_of(row: dict[str, Any], now: datetime) -> str:
    if row["submitted_at"] is None:
        return "overdue" if row["deadline"] is not None and now >= row["deadline"] else "in_progress"
    return "awaiting_grading" if row["pending"] else "graded"


def _question(entry: dict[str, Any], row: dict[str, Any], snapshot: dict[str, Any], shown: bool,
              with_key: bool) -> dict[str, Any]:
    question_id = entry["question_id"]
    question = snapshot["questions"][question_id]
    saved = row["answers"].get(question_id)
    answer = saved["answer"] if saved else None
    view = {"question_id": question_id, "points": entry["points"], **student_view(question, entry["order"]),
            "answer": answer, "review": None}
    if shown:
        recorded = row["grades"].get(question_id)
        grade = ({k: recorded[k] for k in _GRADE} if recorded else
                 grade_answer(question, answer, entry["points"], snapshot["settings"]["negative_marking"]))
        view["review"] = review(question, answer, grade, with_key=with_key)
        if recorded and recorded["levels"] is not None:
            view["review"].update(levels=recorded["levels"], comment=recorded["comment"])
    return view


def _keys_released(pool: ConnectionPool, row: dict[str, Any], settings: dict[str, Any], now: datetime,
                   facts: dict[str, Any]) -> bool:
    made, open_ids = attempts_queries.attempts_made(pool, row["quiz_id"], row["student_id"])
    return keys_released(settings, now, submitted=row["submitted_at"] is not None,
                         attempts_left=attempts_left(facts["attempts_allowed"], made),
                         other_open=any(i != row["attempt_id"] for i in open_ids), quiz_closes_at=facts["closes_at"])


def attempt_view(pool: ConnectionPool, attempt_id: UUID, *, now: datetime, full: bool) -> dict[str, Any] | None:
    row = attempts_queries.attempt(pool, attempt_id)
    if row is None:
        return None
    version = quizzes_queries.version(pool, row["quiz_id"], row["quiz_version"])
    if version is None:  # two read models, each at its own position
        raise NotCaughtUp("the quizzes read model has not caught up with this attempt yet")
    snapshot = version["snapshot"]
    settings = snapshot["settings"]
    submitted = row["submitted_at"] is not None
    facts = quizzes_queries.release_facts(pool, row["quiz_id"])
    released = full or feedback_released(settings, submitted, now, quiz_closes_at=facts["closes_at"])
    keys = full or _keys_released(pool, row, settings, now, facts)
    immediate = settings["feedback_mode"] == FeedbackMode.IMMEDIATE
    questions = [
        _question(e, row, snapshot, released or (immediate and e["question_id"] in row["answers"]), keys)
        for e in row["layout"]
    ]
    head = {k: row[k] for k in ("attempt_id", "quiz_id", "quiz_version", "student_id", "number", "started_at",
                                "deadline", "submitted_at", "submit_reason")}
    return {
        **head, "title": settings["title"], "status": status_of(row, now), "feedback_mode": settings["feedback_mode"],
        "feedback_released": released, "keys_released": keys,
        "result": _result(row, settings) if released and submitted else None, "questions": questions,
    }


def for_teacher(rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """A quiz's attempts as its teacher sees them: every score, the status, and whether each
    passed by its own version's pass mark (null while an essay waits or without a pass mark)."""
    return [{**row, "status": status_of(row, now), "passed": None if row["submitted_at"] is None or row["pending"]
             else passed(row["percent"], row["pass_mark"])} for row in rows]


def masked(rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """A student's list of attempts: scores only where feedback is released."""
    shown = []
    for row in rows:
        settings, closes_at = row.pop("settings"), row.pop("quiz_closes_at")
        # The quizzes read model may not have this version yet: nothing is released until it has.
        released = settings is not None and feedback_released(settings, row["submitted_at"] is not None, now,
                                                              quiz_closes_at=closes_at)
        result = _result(row, settings) if released else None
        shown.append({**{k: v for k, v in row.items() if k not in ("score", "max_score", "percent", "pending")},
                      "status": status_of(row, now), "result": result})
    return shown
