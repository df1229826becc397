"""Automated grading: which share of a question's points an answer earns, and the feedback
its author wrote for that answer. Pure functions of (question, answer), so grading again
from the same answer events always gives the same result; essays wait for a person.

Answers reach these functions already checked against the question (domain/answers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain import grading_text
from domain.answers import is_blank

CORRECT, PARTIAL, INCORRECT, UNANSWERED, PENDING = "correct", "partial", "incorrect", "unanswered", "pending"


@dataclass(frozen=True)
class Marking:
    fraction: float  # 0..1 of the question's points
    state: str
    feedback: tuple[str, ...] = ()


def marking(fraction: float, feedback: list[str]) -> Marking:
    fraction = min(1.0, max(0.0, fraction))
    state = CORRECT if fraction >= 1 - 1e-9 else INCORRECT if fraction <= 1e-9 else PARTIAL
    return Marking(round(fraction, 6), state, tuple(f for f in feedback if f))


def _options(q: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in q["options"]}


def single_choice(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    option = _options(q)[a["option_id"]]
    return marking(1.0 if option["correct"] else 0.0, [option.get("feedback", "")])


def multiple_choice(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    """all_or_nothing: exactly the right set. right_minus_wrong: share of the right options
    chosen minus share of the wrong options chosen, floored at 0."""
    options = _options(q)
    chosen = set(a["option_ids"])
    right = {i for i, o in options.items() if o["correct"]}
    wrong = set(options) - right
    feedback = [options[i].get("feedback", "") for i in _author_order(q, chosen)]
    if q.get("scoring", "right_minus_wrong") == "all_or_nothing":
        return marking(1.0 if chosen == right else 0.0, feedback)
    share_wrong = len(chosen & wrong) / len(wrong) if wrong else 0.0
    return marking(len(chosen & right) / len(right) - share_wrong, feedback)


def _author_order(q: dict[str, Any], chosen: set[str]) -> list[str]:
    """Chosen option ids in the author's order, so feedback reads the same every time."""
    return [o["id"] for o in q["options"] if o["id"] in chosen]


def true_false(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    said = a["value"]
    return marking(1.0 if said == q["correct"] else 0.0, [q.get("feedback_true" if said else "feedback_false", "")])


def matching(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    """partial: share of stems matched right; all_or_nothing: every stem right."""
    right = sum(1 for s in q["stems"] if a["matches"].get(s["id"]) == s["choice_id"])
    share = right / len(q["stems"])
    if q.get("scoring", "partial") == "all_or_nothing":
        share = 1.0 if right == len(q["stems"]) else 0.0
    return marking(share, [])


def ordering(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    """positions: share of items in their right place; all_or_nothing: the whole order."""
    expected = [item["id"] for item in q["items"]]
    right = sum(1 for given, wanted in zip(a["order"], expected, strict=True) if given == wanted)
    share = right / len(expected)
    if q.get("scoring", "positions") == "all_or_nothing":
        share = 1.0 if right == len(expected) else 0.0
    return marking(share, [])


def short_text(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    credit, feedback = grading_text.text_credit(q, a["text"])
    return marking(credit, [feedback])


def numeric(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    credit, feedback = grading_text.numeric_credit(q, a["text"])
    return marking(credit, [feedback])


def cloze(q: dict[str, Any], a: dict[str, Any]) -> Marking:
    """Each blank graded like its kind; the question's share is the weighted mean."""
    earned, weights, feedback = 0.0, 0.0, []
    for blank in q["blanks"]:
        given = a["blanks"].get(blank["id"])
        credit, note = grading_text.blank_credit(blank, given) if given and given.strip() else (0.0, "")
        earned += credit * blank.get("weight", 1.0)
        weights += blank.get("weight", 1.0)
        feedback.append(note)
    return marking(earned / weights, feedback)


MARKERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], Marking]] = {
    "single_choice": single_choice,
    "multiple_choice": multiple_choice,
    "true_false": true_false,
    "matching": matching,
    "ordering": ordering,
    "short_text": short_text,
    "numeric": numeric,
    "cloze": cloze,
}


def mark(question: dict[str, Any], answer: Any) -> Marking:
    """No answer, a blank one (domain.answers.is_blank) or one erased with its author earns
    nothing and is unanswered, never wrong; essays wait for a person."""
    answered = isinstance(answer, dict) and not is_blank(answer)
    if question["type"] == "essay":
        return Marking(0.0, PENDING if answered else UNANSWERED)
    if not answered:
        return Marking(0.0, UNANSWERED)
    found = MARKERS[question["type"]](question, answer)
    general = question.get("general_feedback", "")
    return Marking(found.fraction, found.state, found.feedback + ((general,) if general else ()))
