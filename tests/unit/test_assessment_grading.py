"""Automated grading of every question type, answer checking, scoring, the release rules and the seeded layout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commands.assessment.question_specs import validate_content
from domain.answers import check_answer
from domain.errors import InvalidInput
from domain.grading import mark
from domain.grading_text import numeric_credit, parse_number
from domain.question_views import answer_key, review, student_view
from domain.quiz_layout import layout, partition_pools
from domain.quizzes import feedback_released, keys_released, latest_close
from domain.scoring import grade_answer, rubric_fraction, totals
from tests.assessment_samples import ODD_VALUES, SAMPLES, answer_shapes

OBJECTIVE = [t for t in SAMPLES if t != "essay"]


def content(kind: str) -> dict:
    return validate_content(SAMPLES[kind]["question"])


@pytest.mark.parametrize("kind", OBJECTIVE)
def test_right_partial_and_wrong_answers_earn_their_share(kind):
    sample, question = SAMPLES[kind], content(kind)
    assert mark(question, check_answer(question, sample["right"])).fraction == 1.0
    assert mark(question, check_answer(question, sample["wrong"])).fraction == 0.0
    if sample["partial"]:
        answer, share = sample["partial"]
        found = mark(question, check_answer(question, answer))
        assert (found.fraction, found.state) == (share, "partial")


def test_feedback_is_the_authors_for_the_chosen_option_then_the_general_one():
    question = content("single_choice")
    assert mark(question, {"option_id": "b"}).feedback == ("No, Lyon is smaller.", "Capitals host the government.")


@pytest.mark.parametrize("scoring, chosen, share", [
    ("all_or_nothing", ["a", "b"], 1.0), ("all_or_nothing", ["a"], 0.0),
    ("right_minus_wrong", ["a", "b", "c"], 0.5), ("right_minus_wrong", ["a", "c", "d"], 0.0),  # floored at 0
    ("right_minus_wrong", [], 0.0),
])
def test_multiple_choice_scoring_rules(scoring, chosen, share):
    question = validate_content({**SAMPLES["multiple_choice"]["question"], "scoring": scoring})
    assert mark(question, {"option_ids": chosen}).fraction == share


def test_ordering_all_or_nothing():
    question = validate_content({**SAMPLES["ordering"]["question"], "scoring": "all_or_nothing"})
    assert mark(question, SAMPLES["ordering"]["partial"][0]).fraction == 0.0
    assert mark(question, SAMPLES["ordering"]["right"]).fraction == 1.0


@pytest.mark.parametrize("text, expected", [
    ("150 cm", 1.0), ("1.5", 1.0), ("1,5m", 1.0), ("0.0015e3 m", 1.0), ("1.55 m", 0.5),
    ("1.5 km", 0.0), ("one and a half", 0.0), ("", 0.0),
])
def test_numeric_units_tolerance_and_decimal_comma(text, expected):
    assert numeric_credit(content("numeric"), text)[0] == expected


def test_relative_tolerance_and_required_unit():
    spec = validate_content({"type": "numeric", "title": "c", "prompt": "c?", "tolerance_mode": "relative",
                             "answers": [{"value": 300000, "tolerance": 0.01}], "unit_required": True,
                             "units": [{"unit": "km/s", "multiplier": 1}]})
    assert numeric_credit(spec, "297500 km/s")[0] == 1.0  # within 1 %
    assert numeric_credit(spec, "296000 km/s")[0] == 0.0
    assert numeric_credit(spec, "300000") == (0.0, "Give the unit with your number.")
    assert parse_number("-2.5e-3 kg") == (-0.0025, "kg")


def test_short_text_case_sensitivity():
    spec = validate_content({"type": "short_text", "title": "t", "prompt": "p", "case_sensitive": True,
                             "answers": [{"text": "NaCl"}]})
    assert mark(spec, {"text": "NaCl"}).fraction == 1.0
    assert mark(spec, {"text": "nacl"}).fraction == 0.0


def test_answer_patterns_match_in_linear_time_whatever_the_pattern():
    """(a+)+b backtracks exponentially in Python's re: 40 letters would take hours there."""
    spec = validate_content({"type": "short_text", "title": "t", "prompt": "p",
                             "answers": [{"text": "(a+)+b", "regex": True}, {"text": "colou?r", "regex": True}]})
    assert mark(spec, {"text": "a" * 40}).fraction == 0.0
    assert mark(spec, {"text": "a" * 40 + "b"}).fraction == 1.0
    assert mark(spec, {"text": "COLOR"}).fraction == 1.0  # case-insensitive unless the author says so
    with pytest.raises(ValueError, match="RE2 syntax"):
        validate_content({"type": "short_text", "title": "t", "prompt": "p",
                          "answers": [{"text": r"(?=x)x", "regex": True}]})


def test_essays_wait_for_a_person_and_the_rubric_decides():
    question = content("essay")
    assert mark(question, {"text": "..."}).state == "pending"
    assert mark(question, None).state == "unanswered"
    assert rubric_fraction(question, {"ideas": "good", "style": "poor"}) == 0.75
    with pytest.raises(InvalidInput):
        rubric_fraction(question, {"ideas": "good"})
    with pytest.raises(InvalidInput):
        rubric_fraction(question, {"ideas": "good", "style": "excellent"})


@pytest.mark.parametrize("kind, answer", [
    ("single_choice", {"option_id": "z"}), ("single_choice", {"option_ids": ["a"]}),
    ("multiple_choice", {"option_ids": ["a", "a"]}), ("true_false", {"value": "yes"}),
    ("numeric", {"text": 1.5}), ("short_text", {"text": "x" * 501}), ("matching", {"matches": {"s9": "c1"}}),
    ("ordering", {"order": ["i1", "i2"]}), ("cloze", {"blanks": {"3": "c"}}), ("essay", {"text": None}),
    ("essay", "just text"),
])
def test_malformed_answers_are_invalid_input(kind, answer):
    with pytest.raises(InvalidInput):
        check_answer(content(kind), answer)


def test_negative_marking_takes_points_for_wrong_not_blank_answers_and_totals_stay_at_least_zero():
    question = content("true_false")
    wrong = grade_answer(question, {"value": True}, 2.0, 0.25)
    blank = grade_answer(question, None, 2.0, 0.25)
    assert (wrong["points"], blank["points"], blank["state"]) == (-0.5, 0.0, "unanswered")
    assert totals({"q1": wrong, "q2": blank})["score"] == 0.0
    right = grade_answer(question, {"value": False}, 2.0, 0.25)
    assert totals({"q1": wrong, "q3": right}) == {"score": 1.5, "max_score": 4.0, "percent": 37.5, "pending": 0}


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_student_view_never_carries_the_key_or_feedback(kind):
    question = content(kind)
    view = str(student_view(question, None))
    for secret in ("correct", "feedback", "answers", "choice_id", "grader_info", "Shakespeare"):
        assert secret not in view
    if kind != "essay":
        assert answer_key(question) is not None


def _snapshot(shuffle: bool) -> dict:
    questions = {f"q{i}": {**content("single_choice"), "title": f"Q{i}"} for i in range(10)}
    questions["o"] = content("ordering")
    return {"settings": {"shuffle_questions": shuffle, "shuffle_options": shuffle}, "questions": questions,
            "items": [{"question_id": "o", "points": 1}],
            "draws": [{"skill": "geography", "count": 3, "points": 2, "pool": [f"q{i}" for i in range(10)]}]}


def test_layout_is_a_function_of_the_seed():
    snapshot = _snapshot(shuffle=True)
    first = layout(snapshot, 42)
    assert first == layout(snapshot, 42)
    assert len(first) == 4 and len({e["question_id"] for e in first}) == 4
    assert {layout(snapshot, seed)[0]["question_id"] for seed in range(30)} != {first[0]["question_id"]}
    ordering = next(e for e in first if e["question_id"] == "o")
    assert ordering["order"] != ["i1", "i2", "i3", "i4"]  # never shown in the right order


def test_without_shuffling_options_keep_the_authors_order_but_ordering_items_are_still_mixed():
    entries = layout(_snapshot(shuffle=False), 7)
    assert entries[0]["question_id"] == "o" and entries[0]["order"] != ["i1", "i2", "i3", "i4"]
    assert all(e["order"] is None for e in entries[1:])


def test_pools_exclude_fixed_and_earlier_questions_and_must_be_big_enough():
    draws = [{"skill": "a", "count": 2}, {"skill": "b", "count": 1}]
    assert partition_pools(["q1"], draws, [["q1", "q2", "q3"], ["q2", "q4"]]) == [["q2", "q3"], ["q4"]]
    with pytest.raises(InvalidInput):
        partition_pools(["q1"], draws, [["q1", "q2"], ["q4"]])


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_every_answer_the_check_accepts_is_graded_and_reviewed(kind):
    """An answer of any shape is refused (InvalidInput) or graded: nothing in between raises."""
    question = content(kind)
    for value in ODD_VALUES:
        for body in answer_shapes(kind, value):
            try:
                answer = check_answer(question, body)
            except InvalidInput:
                continue
            grade = grade_answer(question, answer, 2.0, 0.5)
            assert grade["points"] >= -1.0 and grade["state"] in ("correct", "partial", "incorrect", "unanswered", "pending")
            review(question, answer, grade)


@pytest.mark.parametrize("kind, blank", [
    ("multiple_choice", {"option_ids": []}), ("short_text", {"text": "   "}), ("numeric", {"text": ""}),
    ("matching", {"matches": {}}), ("cloze", {"blanks": {"1": " ", "2": ""}}), ("cloze", {"blanks": {}}),
    ("essay", {"text": "\n"}),
])
def test_a_blank_answer_is_unanswered_and_never_loses_points(kind, blank):
    question = content(kind)
    grade = grade_answer(question, check_answer(question, blank), 2.0, 0.5)
    assert grade == {"fraction": 0.0, "points": 0.0, "max": 2.0, "state": "unanswered"}
    assert mark(question, blank).feedback == ()  # no "That is not a number." for an empty box


NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)


def test_feedback_after_the_close_waits_for_the_latest_close_across_versions():
    own = {"feedback_mode": "after_close", "closes_at": (NOW - timedelta(hours=1)).isoformat()}
    assert feedback_released(own, True, NOW)  # the version's own close: the signature others call
    assert not feedback_released(own, True, NOW, quiz_closes_at=NOW + timedelta(hours=1))
    assert feedback_released(own, True, NOW, quiz_closes_at=NOW)
    assert feedback_released(own, True, NOW, quiz_closes_at=NOW - timedelta(days=1))  # an earlier one changes nothing
    assert not feedback_released(own, False, NOW)
    assert latest_close([None, "2030-01-01T00:00:00+00:00", NOW]) == NOW and latest_close([None]) is None


@pytest.mark.parametrize("mode, submitted, left, other_open, closes_in, expected", [
    ("after_submission", True, 1, False, None, False),   # another attempt could use them
    ("after_submission", True, 0, False, None, True),
    ("after_submission", True, 0, True, None, False),    # the last attempt is still open
    ("after_submission", True, None, False, None, False),  # unlimited attempts: only the close releases keys
    ("after_submission", True, None, False, -1, True),
    ("after_submission", False, 0, False, None, False),
    ("immediate", False, 0, False, None, True),          # the last attempt: each answered question's key
    ("immediate", False, 1, False, None, False),
    ("after_close", True, 0, False, 1, False),           # before the close nothing is released
    ("after_close", True, 3, False, -1, True),
])
def test_answer_keys_wait_until_they_cannot_help_in_another_attempt(mode, submitted, left, other_open, closes_in, expected):
    closes = NOW + timedelta(hours=closes_in) if closes_in is not None else None
    settings = {"feedback_mode": mode, "closes_at": closes.isoformat() if closes else None}
    assert keys_released(settings, NOW, submitted=submitted, attempts_left=left, other_open=other_open) is expected
