"""The answer block of a GIFT question, `{...}`: which question type it makes and its answers.
Option texts, stems and every feedback are rich text (`texts`, with their format markers);
accepted answers and matching choices are plain (`texts.plain`: markers and HTML tags go).
A catch-all (`=%0%*#...` in a short answer, `~#...` or `*` in a numerical one) becomes the
question's feedback for any other answer."""

from __future__ import annotations

import re
from typing import Any

from adapters.moodle.gift_text import GiftTexts, find, split
from adapters.moodle.question_files import (
    ParsedFile,
    credit,
    letter,
    warn_uneven_weights,
    wildcard_answer,
)

_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.DOTALL)
Segment = tuple[str, float | None, str, str]  # marker, weight, text, feedback (both still escaped)


def answer_block(inside: str, title: str, result: ParsedFile, texts: GiftTexts) -> dict[str, Any]:
    if not inside:
        result.warnings.append(f"'{title}': essay imported with the default rubric (Overall: 0-3 points)")
        return {"type": "essay"}
    if (m := _TRUE_FALSE.match(inside)) is not None:
        right = m.group(1).startswith("T")
        wrong_fb, right_fb = ([texts(f) for f in split(m.group(2)[1:], "#")] + ["", ""])[:2] if m.group(2) else ("", "")
        return {"type": "true_false", "correct": right,
                "feedback_true": right_fb if right else wrong_fb, "feedback_false": wrong_fb if right else right_fb}
    if inside.startswith("#"):
        return _numeric(_segments(inside[1:], first="="), title, result, texts)
    answers = _segments(inside)
    if all(marker == "=" for marker, _, _, _ in answers):
        if all(find(text, "->") >= 0 for _, _, text, _ in answers):
            return _matching(answers, texts)
        return _short_text(answers, title, result, texts)
    return _choices(answers, title, result, texts)


def _segments(inside: str, first: str | None = None) -> list[Segment]:
    """Each answer starting with an unescaped = or ~; text before the first marker is an answer
    of kind `first` (a numerical answer may come without `=`)."""
    found, start, i = [], None, 0
    while i < len(inside):
        if inside[i] == "\\":
            i += 2
            continue
        if inside[i] in "=~":
            if start is None and first and inside[:i].strip():
                found.append(first + inside[:i])
            elif start is not None:
                found.append(inside[start:i])
            start = i
        i += 1
    if start is not None:
        found.append(inside[start:])
    elif first and inside.strip():
        found.append(first + inside)
    segments = []
    for piece in found:
        marker, body, weight = piece[0], piece[1:].strip(), None
        if (m := _WEIGHT.match(body)) is not None:
            weight, body = float(m.group(1)), body[m.end():]
        text, *feedback = split(body, "#")
        segments.append((marker, weight, text, "#".join(feedback)))
    return segments


def _percent(marker: str, weight: float | None) -> float:
    return weight if weight is not None else 100.0 if marker == "=" else 0.0


def _catch_all(text: str) -> bool:
    return bool(text) and set(text) == {"*"}


def _other_feedback(title: str, catch_alls: list[Segment], result: ParsedFile, texts: GiftTexts) -> str:
    for marker, weight, _, _ in catch_alls:
        if _percent(marker, weight) > 0:
            result.warnings.append(f"'{title}': a catch-all answer worth {_percent(marker, weight):g}% imported as"
                                   " feedback for any other answer, which earns nothing here")
    if len(catch_alls) > 1:
        result.warnings.append(f"'{title}': only the first catch-all answer's feedback kept")
    return texts(catch_alls[0][3]) if catch_alls else ""


def _short_text(answers: list[Segment], title: str, result: ParsedFile, texts: GiftTexts) -> dict[str, Any]:
    catch_alls = [a for a in answers if _catch_all(texts.plain(a[2]))]
    kept = [{**wildcard_answer(texts.plain(text)), "credit": credit(_percent(m, w)), "feedback": texts(fb)}
            for m, w, text, fb in answers if (m, w, text, fb) not in catch_alls]
    return {"type": "short_text", "answers": kept, "other_feedback": _other_feedback(title, catch_alls, result, texts)}


def _choices(answers: list[Segment], title: str, result: ParsedFile, texts: GiftTexts) -> dict[str, Any]:
    right = [a for a in answers if a[0] == "="]
    options = [{"id": letter(i), "text": texts(text), "feedback": texts(fb),
                "correct": marker == "=" or (w is not None and w > 0)} for i, (marker, w, text, fb) in enumerate(answers)]
    if len(right) == 1:
        for option, (marker, w, _, _) in zip(options, answers, strict=True):
            if marker == "~" and w is not None and w > 0:
                option["correct"] = False
                result.warnings.append(f"'{title}': partial credit ({w:g}%) on a single-choice option imported as wrong")
        return {"type": "single_choice", "options": options}
    warn_uneven_weights(title, [100.0 if m == "=" else (w or 0.0) for m, w, _, _ in answers], result.warnings.append)
    return {"type": "multiple_choice", "options": options, "scoring": "right_minus_wrong"}


def _matching(answers: list[Segment], texts: GiftTexts) -> dict[str, Any]:
    stems, choices = [], {}
    for i, (_, _, text, _) in enumerate(answers):
        at = find(text, "->")
        answer = texts.plain(text[at + 2:])
        choice_id = choices.setdefault(answer, f"c{len(choices) + 1}")
        if text[:at].strip():  # "= -> x" adds a distractor
            stems.append({"id": f"s{i + 1}", "text": texts(text[:at]), "choice_id": choice_id})
    return {"type": "matching", "stems": stems, "choices": [{"id": c, "text": t} for t, c in choices.items()]}


def _number(text: str) -> tuple[float, float]:
    """(value, tolerance) of `a:tolerance` or the range `low..high`."""
    if ".." in text:
        low, high = (float(x) for x in text.split(".."))
        return (low + high) / 2, (high - low) / 2
    value_text, _, tolerance_text = text.partition(":")
    return float(value_text), float(tolerance_text or 0)


def _numeric(parts: list[Segment], title: str, result: ParsedFile, texts: GiftTexts) -> dict[str, Any]:
    catch_alls = [p for p in parts if texts.plain(p[2]) in ("", "*")]
    answers = []
    for marker, weight, text, feedback in parts:
        if (marker, weight, text, feedback) not in catch_alls:
            value, tolerance = _number(texts.plain(text))
            answers.append({"value": value, "tolerance": tolerance, "credit": credit(_percent(marker, weight)),
                            "feedback": texts(feedback)})
    return {"type": "numeric", "answers": answers, "tolerance_mode": "absolute",
            "other_feedback": _other_feedback(title, catch_alls, result, texts)}
