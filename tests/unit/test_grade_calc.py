"""Grade computation under a policy: aggregations, dropping, late penalties, letters, overrides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.grade_calc import DEFAULT_POLICY, compute, counted_attempts, validate_policy

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def score(item: str, category: str, points: float, max_: float = 10, late_days: int = 0) -> dict:
    due = T0 if late_days else None
    return {"item_id": item, "category": category, "points": points, "max": max_,
            "submitted_at": T0 + timedelta(days=late_days, minutes=-1 if not late_days else 0), "due_at": due}


def policy(**overrides) -> dict:
    return validate_policy({**DEFAULT_POLICY, **overrides})


def test_weighted_mean_of_categories():
    p = policy(categories={"quizzes": {"weight": 3}, "essays": {"weight": 1}})
    out = compute(p, [score("a", "quizzes", 8), score("b", "essays", 4)])
    assert out["categories"]["quizzes"]["percent"] == 80 and out["final"] == 70 and out["letter"] == "C"


def test_empty_categories_do_not_count_and_no_scores_means_no_grade():
    p = policy(categories={"quizzes": {"weight": 1}, "essays": {"weight": 5}})
    assert compute(p, [score("a", "quizzes", 9)])["final"] == 90
    assert compute(p, [])["final"] is None and compute(p, [])["passed"] is False


def test_drop_lowest_keeps_at_least_one():
    p = policy(categories={"quizzes": {"weight": 1, "drop_lowest": 5}})
    out = compute(p, [score("a", "quizzes", 2), score("b", "quizzes", 10), score("c", "quizzes", 6)])
    assert out["final"] == 100 and sum(s["dropped"] for s in out["scores"]) == 2


def test_mean_and_sum():
    scores = [score("a", "quizzes", 5), score("b", "essays", 10, 20)]
    cats = {"quizzes": {"weight": 9}, "essays": {"weight": 1}}
    assert compute(policy(aggregation="mean", categories=cats), scores)["final"] == 50
    out = compute(policy(aggregation="sum", categories=cats), scores)
    assert out["final"] == 15 and out["percent"] == 50


def test_late_penalty_per_day_capped():
    p = policy(late_penalty={"percent_per_day": 10, "max_percent": 25})
    assert compute(p, [score("a", "quizzes", 10, late_days=2)])["final"] == 80
    assert compute(p, [score("a", "quizzes", 10, late_days=9)])["final"] == 75
    assert compute(p, [score("a", "quizzes", 10)])["final"] == 100


def test_override_wins_and_sets_letter_and_pass():
    out = compute(policy(pass_mark=60), [score("a", "quizzes", 3)], {"grade": 65, "reason": "oral exam"})
    assert out["final"] == 65 and out["letter"] == "D" and out["passed"] and out["overridden"]


@pytest.mark.parametrize("bad", [
    {"aggregation": "median"}, {"categories": {}}, {"categories": {"homework": {"weight": 1}}},
    {"categories": {"quizzes": {"weight": 0}}}, {"letters": [{"letter": "A", "min": 50}]},
    {"letters": [{"letter": "A", "min": 50}, {"letter": "A", "min": 0}]},
])
def test_invalid_policies_are_refused(bad):
    with pytest.raises(InvalidInput):
        validate_policy({**DEFAULT_POLICY, **bad})


def test_an_override_is_converted_to_the_unit_of_the_final_grade():
    scores = [score("a", "quizzes", 5), score("b", "quizzes", 10, 30)]  # 15 of 40 points
    by_sum = policy(aggregation="sum")
    points = compute(by_sum, scores, {"grade": 30, "unit": "points", "reason": "x"})
    assert (points["final"], points["unit"], points["percent"], points["letter"]) == (30, "points", 75, "C")
    percent = compute(by_sum, scores, {"grade": 50, "unit": "percent", "reason": "x"})
    assert (percent["final"], percent["percent"]) == (20, 50)  # half of the 40 points
    assert compute(policy(), scores, {"grade": 30, "unit": "points", "reason": "x"})["final"] == 75


def _attempt(item: str, points: float, mode: str, closes_at: datetime | None = None) -> dict:
    return {"item_id": item, "category": "quizzes", "points": points, "max": 10, "submitted_at": T0, "due_at": None,
            "pass_mark": None, "release": {"feedback_mode": mode, "closes_at": closes_at and closes_at.isoformat()}}


def test_counted_attempts_leave_unreleased_scores_out_of_the_students_view():
    closes = T0 + timedelta(days=1)
    attempts = [_attempt("a", 4, "after_submission"), _attempt("a", 6, "after_submission"),
                _attempt("b", 9, "after_close", closes)]
    staff, pending = counted_attempts(attempts, T0, student_view=False)
    assert sorted((s["item_id"], s["points"]) for s in staff) == [("a", 6), ("b", 9)]
    assert pending == [{"item_id": "b", "category": "quizzes", "released_at": closes.isoformat()}]
    student, _ = counted_attempts(attempts, T0, student_view=True)
    assert [(s["item_id"], s["points"]) for s in student] == [("a", 6)]
    after_close, pending = counted_attempts(attempts, closes, student_view=True)
    assert len(after_close) == 2 and pending == []


def test_a_quiz_is_passed_at_its_pass_mark():
    out = compute(policy(), [{**score("a", "quizzes", 6), "pass_mark": 70}, {**score("b", "quizzes", 7), "pass_mark": 70},
                             score("c", "quizzes", 1)])
    assert [s["passed"] for s in out["scores"]] == [False, True, True]  # no pass mark: a graded submission passes


def test_after_the_close_means_the_quizs_latest_close_across_versions():
    early, late = T0 + timedelta(hours=1), T0 + timedelta(days=2)
    attempt = {**_attempt("a", 9, "after_close", early), "quiz_closes_at": late}
    scores, pending = counted_attempts([attempt], T0 + timedelta(days=1), student_view=True)
    assert scores == [] and pending[0]["released_at"] == late.isoformat()
    assert len(counted_attempts([attempt], late, student_view=True)[0]) == 1


def _taken(points: float, minutes: int, score_policy: str, mode: str = "after_submission",
           closes_at: datetime | None = None) -> dict:
    return {**_attempt("a", points, mode, closes_at), "attempt_id": f"attempt-{minutes}",
            "submitted_at": T0 + timedelta(minutes=minutes), "score_policy": score_policy}


@pytest.mark.parametrize("score_policy,counted", [("best", 8), ("last", 3)])
def test_the_score_policy_picks_the_counted_attempt(score_policy, counted):
    attempts = [_taken(3, 30, score_policy), _taken(8, 10, score_policy), _taken(5, 20, score_policy)]
    [kept], _ = counted_attempts(attempts, T0 + timedelta(days=1), student_view=False)
    assert kept["points"] == counted  # "last": the latest submitted, whatever the order given


def test_the_best_of_equal_attempts_is_the_earliest_and_the_latest_attempts_version_decides():
    [kept], _ = counted_attempts([_taken(6, 20, "best"), _taken(6, 10, "best")], T0, student_view=False)
    assert kept["attempt_id"] == "attempt-10"  # as the results report: percent, then submission time
    # Taken on version 1 ("best"), then on version 2 ("last"): the latest attempt's version decides.
    [kept], _ = counted_attempts([_taken(9, 10, "best"), _taken(2, 20, "last")], T0, student_view=False)
    assert kept["points"] == 2
    [kept], _ = counted_attempts([_taken(9, 10, "last"), _taken(2, 20, "best")], T0, student_view=False)
    assert kept["points"] == 9


def test_under_last_an_unreleased_attempt_is_as_if_not_taken_for_the_student():
    closes = T0 + timedelta(days=1)
    attempts = [_taken(9, 10, "last", "after_close", closes), _taken(2, 20, "last", "after_close", closes)]
    assert counted_attempts(attempts, T0, student_view=True)[0] == []
    [staff], pending = counted_attempts(attempts, T0, student_view=False)
    assert staff["points"] == 2 and pending[0]["released_at"] == closes.isoformat()
