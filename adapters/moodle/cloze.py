"""Moodle's embedded answers (Cloze) syntax, read and written: `{1:SHORTANSWER:=Paris#Yes}`,
`{2:NUMERICAL:=1.5:0.1}`, `{1:MULTICHOICE:=right~wrong}` become SkillHub cloze blanks
(short_text, numeric, choice) marked {{n}} in the prompt; `*` in short answers is Moodle's
wildcard. Answers worth 0 % keep their feedback (credit 0), and a `*` catch-all becomes the
blank's feedback for any other answer. Feedback and choice texts are fragments of the question's
HTML, converted like it (`rich`). MULTIRESPONSE blanks have no SkillHub counterpart: such a
question is reported as unsupported. Writing, what the syntax cannot say (units of numeric
blanks, regular expressions that are not wildcards) is reported as lost, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from adapters.moodle.question_files import (
    CLOZE_BLANK,
    RELATIVE_TOLERANCE,
    credit,
    letter,
    moodle_answers,
    plain_text,
    wildcard_answer,
)

_EMBEDDED = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^}\\])*)\}")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_SPLIT = re.compile(r"(?<!\\)~")
_TEXT_KINDS = {"SHORTANSWER": False, "SA": False, "MW": False, "SHORTANSWER_C": True, "SAC": True, "MWC": True}
_NUMERIC_KINDS = {"NUMERICAL", "NM"}
_CHOICE_KINDS = {"MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH", "MULTICHOICE_S", "MCS",
                 "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS"}


class UnsupportedBlank(ValueError):
    pass


def _unescape(text: str) -> str:
    return re.sub(r"\\([~=#}{:\\/\"])", r"\1", text)


def _answers(body: str) -> list[tuple[float, str, str]]:
    """(percent, text, feedback) per answer; '=' means 100 %, no mark 0 %."""
    found = []
    for part in _SPLIT.split(body):
        percent = 0.0
        if part.startswith("="):
            percent, part = 100.0, part[1:]
        elif (m := _WEIGHT.match(part)) is not None:
            percent, part = float(m.group(1)), part[m.end():]
        text, *feedback = re.split(r"(?<!\\)#", part, maxsplit=1)
        found.append((percent, _unescape(text).strip(), _unescape("".join(feedback)).strip()))
    return found


def _catch_all(answers: list[tuple[float, str, str]]) -> tuple[list[tuple[float, str, str]], str]:
    """The answers but Moodle's `*` catch-all, and the catch-all's feedback."""
    kept = [a for a in answers if not (a[1] and set(a[1]) == {"*"})]
    other = [f for _, t, f in answers if t and set(t) == {"*"}]
    return kept, other[0] if other else ""


def _blank(number: str, kind: str, body: str, rich: Callable[[str], str]) -> dict[str, Any]:
    blank: dict[str, Any] = {"id": number, "weight": 1.0}
    if kind in _CHOICE_KINDS:
        return {**blank, "kind": "choice", "options": [{"id": letter(i), "text": rich(t), "correct": p >= 100, "feedback": rich(f)}
                                                       for i, (p, t, f) in enumerate(_answers(body))]}
    answers = [(p, plain_text(t, "html"), rich(f)) for p, t, f in _answers(body)]
    if kind in _TEXT_KINDS:
        kept, other = _catch_all(answers)
        return {**blank, "kind": "short_text", "case_sensitive": _TEXT_KINDS[kind], "other_feedback": other, "answers": [
            {**wildcard_answer(t), "credit": credit(max(p, 0)), "feedback": f} for p, t, f in kept]}
    if kind in _NUMERIC_KINDS:
        kept, other = _catch_all(answers)
        numbers = []
        for p, t, f in kept:
            value, _, tolerance = t.partition(":")
            numbers.append({"value": float(value), "tolerance": float(tolerance or 0), "credit": credit(max(p, 0)),
                            "feedback": f})
        return {**blank, "kind": "numeric", "answers": numbers, "other_feedback": other}
    raise UnsupportedBlank(f"{kind} blanks are not supported")


def parse_cloze(text: str, rich: Callable[[str], str]) -> tuple[str, list[dict[str, Any]]]:
    """The text with {{n}} placeholders, and the blanks in order; `rich` converts feedback and
    choice texts to Markdown."""
    blanks: list[dict[str, Any]] = []

    def placeholder(m: re.Match[str]) -> str:
        blank = _blank(str(len(blanks) + 1), m.group(2), m.group(3), rich)
        blank["weight"] = float(m.group(1) or 1)
        blanks.append(blank)
        return "{{" + blank["id"] + "}}"

    return _EMBEDDED.sub(placeholder, text), blanks


def _escape(text: str) -> str:
    return re.sub(r"([~=#}{:\\/\"])", r"\\\1", text)


def _fb(entry: dict[str, Any]) -> str:
    return f"#{_escape(entry['feedback'])}" if entry.get("feedback") else ""


def _other(blank: dict[str, Any]) -> str:
    """Feedback for any other answer, as Moodle's `*` catch-all."""
    return f"~%0%*#{_escape(blank['other_feedback'])}" if blank.get("other_feedback") else ""


def _embedded(blank: dict[str, Any], lost: list[str]) -> str:
    weight = f"{blank['weight']:g}"
    if blank["kind"] == "choice":
        body = "~".join(("=" if o["correct"] else "") + _escape(o["text"]) + _fb(o) for o in blank["options"])
        return f"{{{weight}:MULTICHOICE:{body}}}"
    if blank["kind"] == "numeric":
        if blank.get("units"):
            lost.append(f"units of blank {blank['id']} left out (cloze numbers have none): "
                        + ", ".join(u["unit"] for u in blank["units"]))
        if blank.get("tolerance_mode") == "relative":
            lost.append(f"blank {blank['id']}: {RELATIVE_TOLERANCE}")
        scale = (lambda a: abs(a["value"])) if blank.get("tolerance_mode") == "relative" else (lambda a: 1.0)
        body = "~".join(f"%{a['credit'] * 100:g}%{a['value']:g}:{a['tolerance'] * scale(a):g}{_fb(a)}" for a in blank["answers"])
        return f"{{{weight}:NUMERICAL:{body}{_other(blank)}}}"
    kind = "SHORTANSWER_C" if blank["case_sensitive"] else "SHORTANSWER"
    body = "~".join(f"%{a['credit'] * 100:g}%{_escape(text)}{_fb(a)}"
                    for a, text in moodle_answers(blank["answers"], lost, f" of blank {blank['id']}"))
    return f"{{{weight}:{kind}:{body}{_other(blank)}}}"


def render_cloze(content: dict[str, Any], lost: list[str]) -> str:
    """The prompt with each blank as embedded answers; what Moodle cannot say goes to `lost`."""
    by_id = {b["id"]: b for b in content["blanks"]}
    marked = CLOZE_BLANK.findall(content["prompt"])
    if marked != [str(n) for n in range(1, len(marked) + 1)]:
        lost.append(f"blank ids {', '.join(marked)} written as {', '.join(str(n) for n in range(1, len(marked) + 1))}"
                    " (Moodle numbers blanks in order)")
    return CLOZE_BLANK.sub(lambda m: _embedded(by_id[m.group(1)], lost), content["prompt"])
