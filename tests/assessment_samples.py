"""One question of every type, with an answer earning full marks, a partly right one and a
wrong one (and the share each earns), for unit and API tests; and odd answers of every shape,
for checking that bad input is refused and odd but valid input graded."""

from __future__ import annotations

from typing import Any

SAMPLES: dict[str, dict[str, Any]] = {
    "single_choice": {
        "question": {"type": "single_choice", "title": "Capital of France", "prompt": "Which city is the capital of France?",
                     "skills": ["geography"], "tags": ["Europe"], "general_feedback": "Capitals host the government.",
                     "options": [{"id": "a", "text": "Paris", "correct": True, "feedback": "Yes."},
                                 {"id": "b", "text": "Lyon", "feedback": "No, Lyon is smaller."},
                                 {"id": "c", "text": "Nice"}]},
        "right": {"option_id": "a"}, "partial": None, "wrong": {"option_id": "b"},
    },
    "multiple_choice": {
        "question": {"type": "multiple_choice", "title": "Primes", "prompt": "Which numbers are prime?",
                     "skills": ["arithmetic"], "scoring": "right_minus_wrong",
                     "options": [{"id": "a", "text": "2", "correct": True}, {"id": "b", "text": "3", "correct": True},
                                 {"id": "c", "text": "4"}, {"id": "d", "text": "9"}]},
        # a and c: 1/2 of the right ones minus 1/2 of the wrong ones = 0; only a: 1/2.
        "right": {"option_ids": ["a", "b"]}, "partial": ({"option_ids": ["a"]}, 0.5), "wrong": {"option_ids": ["a", "c"]},
    },
    "true_false": {
        "question": {"type": "true_false", "title": "Earth is flat", "prompt": "The Earth is flat.", "correct": False,
                     "feedback_true": "No: it is round.", "feedback_false": "Right."},
        "right": {"value": False}, "partial": None, "wrong": {"value": True},
    },
    "numeric": {
        "question": {"type": "numeric", "title": "Length", "prompt": "How long is the rod?", "skills": ["measures"],
                     "answers": [{"value": 1.5, "tolerance": 0.01}, {"value": 1.5, "tolerance": 0.1, "credit": 0.5}],
                     "units": [{"unit": "m", "multiplier": 1}, {"unit": "cm", "multiplier": 100}]},
        "right": {"text": "150 cm"}, "partial": ({"text": "1,55 m"}, 0.5), "wrong": {"text": "2 m"},
    },
    "short_text": {
        "question": {"type": "short_text", "title": "Author", "prompt": "Who wrote Hamlet?",
                     "answers": [{"text": "Shakespeare"}, {"text": "(william )?shakespeare", "regex": True},
                                 {"text": "Shakspere", "credit": 0.5, "feedback": "Old spelling."}]},
        "right": {"text": "  William   SHAKESPEARE "}, "partial": ({"text": "shakspere"}, 0.5), "wrong": {"text": "Marlowe"},
    },
    "matching": {
        "question": {"type": "matching", "title": "Capitals", "prompt": "Match country and capital.",
                     "stems": [{"id": "s1", "text": "Italy", "choice_id": "c1"}, {"id": "s2", "text": "Spain", "choice_id": "c2"},
                               {"id": "s3", "text": "Peru", "choice_id": "c3"}, {"id": "s4", "text": "Chad", "choice_id": "c4"}],
                     "choices": [{"id": "c1", "text": "Rome"}, {"id": "c2", "text": "Madrid"}, {"id": "c3", "text": "Lima"},
                                 {"id": "c4", "text": "N'Djamena"}, {"id": "c5", "text": "Oslo"}]},
        "right": {"matches": {"s1": "c1", "s2": "c2", "s3": "c3", "s4": "c4"}},
        "partial": ({"matches": {"s1": "c1", "s2": "c2", "s3": "c5"}}, 0.5), "wrong": {"matches": {"s1": "c5"}},
    },
    "ordering": {
        "question": {"type": "ordering", "title": "Planets", "prompt": "Order by distance from the Sun.",
                     "items": [{"id": "i1", "text": "Mercury"}, {"id": "i2", "text": "Venus"},
                               {"id": "i3", "text": "Earth"}, {"id": "i4", "text": "Mars"}]},
        "right": {"order": ["i1", "i2", "i3", "i4"]}, "partial": ({"order": ["i1", "i2", "i4", "i3"]}, 0.5),
        "wrong": {"order": ["i4", "i3", "i2", "i1"]},
    },
    "cloze": {
        "question": {"type": "cloze", "title": "Water", "prompt": "Water is {{1}} and boils at {{2}} °C; it is {{3}}.",
                     "blanks": [{"id": "1", "kind": "short_text", "answers": [{"text": "H2O"}], "case_sensitive": True},
                                {"id": "2", "kind": "numeric", "answers": [{"value": 100, "tolerance": 1}], "weight": 2},
                                {"id": "3", "kind": "choice", "options": [{"id": "a", "text": "wet", "correct": True},
                                                                          {"id": "b", "text": "dry"}]}]},
        # blank 1 wrong (case), blank 2 (weight 2) right, blank 3 wrong: 2/4.
        "right": {"blanks": {"1": "H2O", "2": "99.5", "3": "a"}},
        "partial": ({"blanks": {"1": "h2o", "2": "100", "3": "b"}}, 0.5), "wrong": {"blanks": {"1": "water", "2": "0"}},
    },
    "essay": {
        "question": {"type": "essay", "title": "Why learn", "prompt": "Why do we learn history?",
                     "rubric": [{"id": "ideas", "title": "Ideas", "levels": [{"id": "weak", "label": "Weak", "points": 0},
                                                                           {"id": "good", "label": "Good", "points": 3}]},
                                {"id": "style", "title": "Style", "levels": [{"id": "poor", "label": "Poor", "points": 0},
                                                                           {"id": "fine", "label": "Fine", "points": 1}]}]},
        "right": {"text": "To understand how we got here."}, "partial": None, "wrong": None,
    },
}

# Values of every JSON kind, and text PostgreSQL cannot store (NUL, an unpaired surrogate).
ODD_VALUES: list[Any] = [None, True, 0, -1, 1.5, 10**30, "", "   ", "a", "c1", "i1", "zz", "1", "1e999", "x\x00y",
                         "\ud800", "9" * 400, "e" * 60_000, [], ["a"], [["a"]], [None], {}, {"a": 1}, {"s1": "c1"}]


def answer_shapes(kind: str, value: Any) -> list[Any]:
    """The answer bodies of a question type with `value` in each place a value goes."""
    per_kind = {
        "single_choice": [{"option_id": value}],
        "multiple_choice": [{"option_ids": value}, {"option_ids": [value]}, {"option_ids": ["a", value]}],
        "true_false": [{"value": value}],
        "numeric": [{"text": value}],
        "short_text": [{"text": value}],
        "essay": [{"text": value}],
        "matching": [{"matches": value}, {"matches": {"s1": value}}, {"matches": {"s1": "c1", "s2": value}}],
        "ordering": [{"order": value}, {"order": ["i1", "i2", "i3", value]}, {"order": [value, "i2", "i3", "i4"]}],
        "cloze": [{"blanks": value}, {"blanks": {"1": value}}, {"blanks": {"3": value}}],
    }
    keyed = [{k: "a"} for k in ([value] if isinstance(value, str) else [])]  # the value as a field name
    return [value, *per_kind[kind], *keyed]
