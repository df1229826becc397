"""From markings to points: a question's points, negative marking for wrong answers, essay
rubrics, attempt totals and the pass mark.

A grade, as recorded in attempt events, is {"fraction", "points", "max", "state"}: the share
earned, the points after negative marking, the question's points and the marking state.
"""

from __future__ import annotations

from typing import Any

from domain.errors import InvalidInput
from domain.grading import CORRECT, INCORRECT, PARTIAL, PENDING, mark


def grade(fraction: float, state: str, points: float, negative_marking: float) -> dict[str, Any]:
    """Negative marking takes a share of the points for a wrong answer, never for a blank one;
    a partly right answer earns its share."""
    earned = -negative_marking * points if state == INCORRECT else fraction * points
    return {"fraction": fraction, "points": round(earned, 6), "max": points, "state": state}


def grade_answer(question: dict[str, Any], answer: Any, points: float, negative_marking: float) -> dict[str, Any]:
    m = mark(question, answer)
    return grade(m.fraction, m.state, points, negative_marking)


def grade_attempt(snapshot: dict[str, Any], layout: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    negative = snapshot["settings"]["negative_marking"]
    return {
        e["question_id"]: grade_answer(snapshot["questions"][e["question_id"]], answers.get(e["question_id"]), e["points"], negative)
        for e in layout
    }


def rubric_fraction(question: dict[str, Any], levels: dict[str, str]) -> float:
    """One level per criterion; the share is the points of the chosen levels over the best."""
    criteria = {c["id"]: c for c in question["rubric"]}
    if set(levels) != set(criteria):
        raise InvalidInput("choose one level for every criterion of the rubric",
                           fields={"levels": "expected criteria " + ", ".join(sorted(criteria))})
    earned = best = 0.0
    for criterion_id, criterion in criteria.items():
        by_id = {lv["id"]: lv["points"] for lv in criterion["levels"]}
        if levels[criterion_id] not in by_id:
            raise InvalidInput("unknown rubric level", fields={f"levels.{criterion_id}": "not a level of this criterion"})
        earned += by_id[levels[criterion_id]]
        best += max(by_id.values())
    return round(earned / best, 6)


def essay_grade(fraction: float, points: float) -> dict[str, Any]:
    state = CORRECT if fraction >= 1 else PARTIAL if fraction > 0 else INCORRECT
    return {"fraction": fraction, "points": round(fraction * points, 6), "max": points, "state": state}


def totals(grades: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The score never goes below 0, however many wrong answers lost points."""
    score = max(0.0, sum(g["points"] for g in grades.values()))
    best = sum(g["max"] for g in grades.values())
    pending = sum(1 for g in grades.values() if g["state"] == PENDING)
    return {"score": round(score, 6), "max_score": best, "percent": round(100 * score / best, 4) if best else 0.0,
            "pending": pending}


def passed(percent: float, pass_mark: float | None) -> bool | None:
    return None if pass_mark is None else percent >= pass_mark
