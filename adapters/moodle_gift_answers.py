"""The answer block of a GIFT question, `{...}`: which question type it makes and its answers."""

from __future__ import annotations

import re
from typing import Any

from adapters.moodle_gift_text import find, split, unescape
from adapters.question_files import ParsedFile, credit, letter, warn_uneven_weights, wildcard_answer

_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.DOTALL)


def answer_block(inside: str, title: str, result: ParsedFile) -> dict[str, Any]:
    if not inside:
        result.warnings.append(f"'{title}': essay imported with the default rubric (Overall: 0-3 points)")
        return {"type": "essay"}
    if (m := _TRUE_FALSE.match(inside)) is not None:
        right = m.group(1).startswith("T")
        wrong_fb, right_fb = ([unescape(f).strip() for f in split(m.group(2)[1:], "#")] + ["", ""])[:2] if m.group(2) else ("", "")
        return {"type": "true_false", "correct": right,
                "feedback_true": right_fb if right else wrong_fb, "feedback_false": wrong_fb if right else right_fb}
    if inside.startswith("#"):
        return _numeric(inside[1:])
    answers = _segments(inside)
    if all(marker == "=" for marker, _, _, _ in answers):
        if all(find(text, "->") >= 0 for _, _, text, _ in answers):
            return _matching(answers)
        return {"type": "short_text", "answers": [
            {**wildcard_answer(unescape(text).strip()), "credit": credit(w if w is not None else 100), "feedback": fb}
            for _, w, text, fb in answers]}
    return _choices(answers, title, result)


def _segments(inside: str) -> list[tuple[str, float | None, str, str]]:
    """(marker, weight, text, feedback) per answer starting with an unescaped = or ~."""
    found, start, i = [], None, 0
    while i < len(inside):
        if inside[i] == "\\":
            i += 2
            continue
        if inside[i] in "=~":
            if start is not None:
                found.append(inside[start:i])
            start = i
        i += 1
    if start is not None:
        found.append(inside[start:])
    segments = []
    for piece in found:
        marker, body, weight = piece[0], piece[1:], None
        if (m := _WEIGHT.match(body.strip())) is not None:
            weight, body = float(m.group(1)), body.strip()[m.end():]
        text, *feedback = split(body, "#")
        segments.append((marker, weight, text, unescape("#".join(feedback)).strip()))
    return segments


def _choices(answers: list[tuple[str, float | None, str, str]], title: str, result: ParsedFile) -> dict[str, Any]:
    right = [a for a in answers if a[0] == "="]
    options = [{"id": letter(i), "text": unescape(text).strip(), "feedback": fb,
                "correct": marker == "=" or (w is not None and w > 0)}
               for i, (marker, w, text, fb) in enumerate(answers)]
    if len(right) == 1:
        for option, (marker, w, _, _) in zip(options, answers, strict=True):
            if marker == "~" and w is not None and w > 0:
                option["correct"] = False
                result.warnings.append(f"'{title}': partial credit ({w:g}%) on a single-choice option imported as wrong")
        return {"type": "single_choice", "options": options}
    warn_uneven_weights(title, [100.0 if m == "=" else (w or 0.0) for m, w, _, _ in answers], result.warnings.append)
    return {"type": "multiple_choice", "options": options, "scoring": "right_minus_wrong"}


def _matching(answers: list[tuple[str, float | None, str, str]]) -> dict[str, Any]:
    stems, choices = [], {}
    for i, (_, _, text, _) in enumerate(answers):
        at = find(text, "->")
        answer = unescape(text[at + 2:]).strip()
        choice_id = choices.setdefault(answer, f"c{len(choices) + 1}")
        stem = unescape(text[:at]).strip()
        if stem:  # "= -> x" adds a distractor
            stems.append({"id": f"s{i + 1}", "text": stem, "choice_id": choice_id})
    return {"type": "matching", "stems": stems, "choices": [{"id": c, "text": t} for t, c in choices.items()]}


def _numeric(inside: str) -> dict[str, Any]:
    parts = _segments(inside) if find(inside, "=") >= 0 else [("=", None, *(split(inside, "#") + [""])[:2])]
    answers = []
    for _, weight, text, feedback in parts:
        text = unescape(text).strip()
        if ".." in text:
            low, high = (float(x) for x in text.split(".."))
            value, tolerance = (low + high) / 2, (high - low) / 2
        else:
            value_text, _, tolerance_text = text.partition(":")
            value, tolerance = float(value_text), float(tolerance_text or 0)
        answers.append({"value": value, "tolerance": tolerance, "credit": credit(weight if weight is not None else 100),
                        "feedback": unescape(feedback).strip()})
    return {"type": "numeric", "answers": answers, "tolerance_mode": "absolute"}
