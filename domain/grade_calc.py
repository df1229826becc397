"""Grading policies and the pure computation of a student's grades under one.

Kept apart from the aggregates (domain/gradebook.py) so the read model, the as-of view and the
what-if preview all compute grades with exactly the same code.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from domain.errors import InvalidInput
from domain.quizzes import feedback_released, latest_close

# "assessments": work marked outside SkillHub's quizzes (domain/course_assessments.py: tutor- and
# computer-marked assignments, exams), each counting in its category by its own weight.
CATEGORIES = ("quizzes", "live_exams", "essays", "participation", "assessments")
AGGREGATIONS = ("weighted_mean", "mean", "sum")
DEFAULT_POLICY: dict[str, Any] = {
    "aggregation": "weighted_mean",
    "categories": {"quizzes": {"weight": 1.0, "drop_lowest": 0}},
    "late_penalty": {"percent_per_day": 0.0, "max_percent": 0.0},
    "pass_mark": 50.0,
    "letters": [{"letter": "A", "min": 90.0}, {"letter": "B", "min": 80.0}, {"letter": "C", "min": 70.0},
                {"letter": "D", "min": 60.0}, {"letter": "F", "min": 0.0}],
}


def default_policy(has_assessments: bool) -> dict[str, Any]:
    """The policy of a scope that has none: quizzes, and where the course has assessments of its
    own, those too, the two categories weighing alike."""
    if not has_assessments:
        return DEFAULT_POLICY
    return {**DEFAULT_POLICY, "categories": {**DEFAULT_POLICY["categories"], "assessments": {"weight": 1.0, "drop_lowest": 0}}}


def validate_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy in normal form, or InvalidInput naming the field."""
    if policy.get("aggregation") not in AGGREGATIONS:
        raise InvalidInput("unknown aggregation", fields={"aggregation": f"one of {', '.join(AGGREGATIONS)}"})
    cats = policy.get("categories") or {}
    if not cats or set(cats) - set(CATEGORIES):
        raise InvalidInput("categories must be some of " + ", ".join(CATEGORIES), fields={"categories": "unknown or none"})
    for name, c in cats.items():
        if not (c.get("weight", 0) >= 0 and int(c.get("drop_lowest", 0)) >= 0):
            raise InvalidInput("weights and drop counts are not negative", fields={f"categories.{name}": "negative"})
    if policy["aggregation"] == "weighted_mean" and sum(c.get("weight", 0) for c in cats.values()) <= 0:
        raise InvalidInput("a weighted mean needs a positive weight", fields={"categories": "all weights are zero"})
    letters = sorted(policy.get("letters") or [], key=lambda x: -x["min"])
    if not letters or letters[-1]["min"] != 0 or len({x["letter"] for x in letters}) != len(letters):
        raise InvalidInput("a letter scheme needs distinct letters and one starting at 0", fields={"letters": "invalid"})
    return {**policy, "letters": letters}


def _late_factor(policy: dict[str, Any], submitted_at: datetime | None, due_at: datetime | None) -> float:
    if submitted_at is None or due_at is None or submitted_at <= due_at:
        return 1.0
    late = policy.get("late_penalty") or {}
    days = math.ceil((submitted_at - due_at).total_seconds() / 86400)
    return 1 - min(days * late.get("percent_per_day", 0.0), late.get("max_percent", 0.0)) / 100


def _percent_of(attempt: dict[str, Any]) -> float:
    return attempt["points"] / attempt["max"] if attempt["max"] else -1.0


def _submission_order(attempt: dict[str, Any]) -> tuple[Any, str]:
    # The order of the assessment results report: by submission time, then attempt id.
    return attempt["submitted_at"], str(attempt.get("attempt_id", ""))


def _counted(taken: list[dict[str, Any]]) -> dict[str, Any]:
    """The attempt that counts among one quiz's attempts (oldest first), under the quiz's score
    policy (`quiz_score_policy`: that of its latest version at the moment; else the policy of
    the version the latest attempt was taken on): "last" the latest, "best" the highest share
    (the earliest of equals), as the results report chooses (projections/assessment/quiz_reports.py)."""
    latest = taken[-1]
    if (latest.get("quiz_score_policy") or latest.get("score_policy", "best")) == "last":
        return taken[-1]
    return max(taken, key=_percent_of)  # max keeps the first of equals


def counted_attempts(attempts: list[dict[str, Any]], now: datetime, student_view: bool
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The score of each quiz (its counted attempt) and the quizzes with a score the student may
    not see yet at `now`. attempts: [{item_id, attempt_id, category, points, max, submitted_at,
    due_at, pass_mark, score_policy, release, quiz_closes_at}], each with the settings of the quiz
    version it was graded against.

    In the student's view an attempt counts only once domain.quizzes releases its feedback, as if
    it had not been taken before; staff count every attempt and see the same list of what is
    still pending for the student."""
    taken: dict[Any, list[dict[str, Any]]] = {}
    pending: dict[Any, dict[str, Any]] = {}
    for attempt in sorted(attempts, key=_submission_order):
        # After the close means after the quiz's latest close across its versions.
        quiz_closes_at = attempt.get("quiz_closes_at")
        if not feedback_released(attempt["release"], True, now, quiz_closes_at=quiz_closes_at):
            closes = latest_close([attempt["release"].get("closes_at"), quiz_closes_at])
            pending[attempt["item_id"]] = {"item_id": attempt["item_id"], "category": attempt["category"],
                                           "released_at": closes and closes.isoformat()}
            if student_view:
                continue
        taken.setdefault(attempt["item_id"], []).append(attempt)
    return [_counted(t) for t in taken.values()], list(pending.values())


def _passed_item(score: dict[str, Any]) -> bool:
    """A quiz is passed at its version's pass mark; without one, any graded submission passes."""
    mark = score.get("pass_mark")
    return mark is None or (score["max"] > 0 and 100 * max(score["points"], 0) / score["max"] >= mark)


def _overridden(override: dict[str, Any], aggregation: str, possible: float) -> tuple[float | None, float | None]:
    """(final, percent) of an override, converted to the unit of the final grade: points under
    "sum", percent otherwise. An override records its own unit, so a later policy change cannot
    reinterpret it."""
    grade = override["grade"]
    if override.get("unit", "percent") == "percent":
        points = grade * possible / 100 if possible else None
        return (points if aggregation == "sum" else grade), grade
    percent = 100 * grade / possible if possible else None
    return (grade if aggregation == "sum" else percent), percent


def _category_percent(kept: list[dict[str, Any]], points: float, possible: float) -> float | None:
    """Points scored of points possible; items that carry a weight of their own (course
    assessments, scored in percent) count by that weight instead: their weighted mean."""
    if any("weight" in s for s in kept):
        total = sum(s["weight"] for s in kept)
        return sum(s["percent"] * s["weight"] for s in kept) / total if total else None
    return 100 * points / possible if possible else None


def compute(policy: dict[str, Any], scores: list[dict[str, Any]], override: dict[str, Any] | None = None) -> dict[str, Any]:
    """scores: [{item_id, category, points, max, submitted_at, due_at, pass_mark}] (one per graded
    item, its counted attempt). Returns the categories, the final grade (percent, or points for "sum"),
    its letter, whether it passes, and every contributing score with whether it was dropped."""
    categories: dict[str, Any] = {}
    contributions = []
    for name, rule in policy["categories"].items():
        items = [dict(s, factor=_late_factor(policy, s.get("submitted_at"), s.get("due_at")))
                 for s in scores if s["category"] == name and s["max"] > 0]
        for s in items:
            s["percent"] = 100 * max(s["points"], 0) * s["factor"] / s["max"]
        ranked = sorted(items, key=lambda s: s["percent"])
        dropped = ranked[: min(int(rule.get("drop_lowest", 0)), max(len(ranked) - 1, 0))]
        kept = [s for s in items if s not in dropped]
        points = sum(max(s["points"], 0) * s["factor"] for s in kept)
        possible = sum(s["max"] for s in kept)
        categories[name] = {"weight": rule.get("weight", 0), "percent": _category_percent(kept, points, possible),
                            "points": round(points, 4), "max": possible}
        contributions += [{**{k: s[k] for k in ("item_id", "category", "points", "max")},
                           **({"weight": s["weight"]} if "weight" in s else {}),
                           "late_factor": s["factor"], "dropped": s in dropped, "passed": _passed_item(s)}
                          for s in items]
    counted = {n: c for n, c in categories.items() if c["percent"] is not None}
    possible = sum(c["max"] for c in counted.values())
    final: float | None
    if policy["aggregation"] == "sum":
        final = sum(c["points"] for c in counted.values()) if counted else None
        percent = 100 * final / possible if counted else None
    elif policy["aggregation"] == "mean":
        final = sum(c["percent"] for c in counted.values()) / len(counted) if counted else None
        percent = final
    else:
        weight = sum(c["weight"] for c in counted.values())
        final = sum(c["percent"] * c["weight"] for c in counted.values()) / weight if weight else None
        percent = final
    if override is not None:
        final, percent = _overridden(override, policy["aggregation"], possible)
    letter = None if percent is None else next(x["letter"] for x in policy["letters"] if percent >= x["min"])
    return {"categories": categories, "final": None if final is None else round(final, 2),
            "unit": "points" if policy["aggregation"] == "sum" else "percent",
            "percent": None if percent is None else round(percent, 2),
            "letter": letter, "passed": percent is not None and percent >= policy["pass_mark"],
            "overridden": override is not None, "override_reason": override and override.get("reason"),
            "override": override and {"grade": override["grade"], "unit": override.get("unit", "percent")},
            "scores": contributions}
