"""What a student's answer to each question type looks like, checked before it is saved, so
grading never meets an answer it cannot read. Bad answers are InvalidInput (422) naming the
field; nothing is recorded.

    single_choice    {"option_id": "b"}
    multiple_choice  {"option_ids": ["a", "c"]}
    true_false       {"value": true}
    numeric          {"text": "1.5 m"}
    short_text       {"text": "Paris"}
    matching         {"matches": {"stem-id": "choice-id", ...}}   (stems may be left out)
    ordering         {"order": ["item-id", ...]}                   (every item once)
    cloze            {"blanks": {"blank-id": "text or option id", ...}}
    essay            {"text": "..."}

An answer that chooses or says nothing (no option, only spaces, no match, every blank empty) is
saved as given but graded as unanswered (`is_blank`), so negative marking never takes points
for it.
"""

from __future__ import annotations

from typing import Any

from domain.errors import InvalidInput

# Answers that are text the student wrote: personal data, sealed in the log.
TEXT_TYPES = frozenset({"numeric", "short_text", "cloze", "essay"})
MAX_TEXT = {"numeric": 100, "short_text": 500, "cloze": 500, "essay": 50_000}


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"the answer is not valid: {message}", fields={f"answer.{field}" if field else "answer": message})


def _field(answer: dict[str, Any], name: str, kind: type) -> Any:
    value = answer.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _bad(name, f"expected {kind.__name__}")
    return value


def _text(answer: dict[str, Any], limit: int, name: str = "text") -> str:
    text = _field(answer, name, str)
    if len(text) > limit:
        raise _bad(name, f"at most {limit} characters")
    return text


def _ids(values: Any, allowed: set[str], field: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _bad(field, "expected a list of ids")
    if len(set(values)) != len(values) or not set(values) <= allowed:
        raise _bad(field, "unknown or repeated ids")
    return values


def is_blank(answer: dict[str, Any]) -> bool:
    """Whether a checked answer chooses or says nothing. An ordering always holds every item."""
    if "option_ids" in answer:
        return not answer["option_ids"]
    if "text" in answer:
        return not answer["text"].strip()
    if "matches" in answer:
        return not answer["matches"]
    if "blanks" in answer:
        return not any(v.strip() for v in answer["blanks"].values())
    return False


def check_answer(question: dict[str, Any], answer: Any) -> dict[str, Any]:
    """The answer in its canonical shape, or InvalidInput. Text the read models cannot store
    is refused by the API (`body.answer...`) and by `Root` for the event (`answer...`)."""
    if not isinstance(answer, dict):
        raise _bad("", "expected an object")
    kind = question["type"]
    if kind in ("single_choice", "multiple_choice"):
        options = {o["id"] for o in question["options"]}
        if kind == "single_choice":
            return {"option_id": _ids([_field(answer, "option_id", str)], options, "option_id")[0]}
        return {"option_ids": _ids(answer.get("option_ids"), options, "option_ids")}
    if kind == "true_false":
        return {"value": _field(answer, "value", bool)}
    if kind in MAX_TEXT and kind != "cloze":
        return {"text": _text(answer, MAX_TEXT[kind])}
    if kind == "matching":
        return {"matches": _matches(question, _field(answer, "matches", dict))}
    if kind == "ordering":
        order = _ids(answer.get("order"), {i["id"] for i in question["items"]}, "order")
        if len(order) != len(question["items"]):
            raise _bad("order", "put every item in the order")
        return {"order": order}
    return {"blanks": _blanks(question, _field(answer, "blanks", dict))}


def _matches(question: dict[str, Any], matches: dict[str, Any]) -> dict[str, str]:
    stems = {s["id"] for s in question["stems"]}
    choices = {c["id"] for c in question["choices"]}
    for stem, choice in matches.items():
        if stem not in stems or not isinstance(choice, str) or choice not in choices:
            raise _bad(f"matches.{stem}", "unknown stem or choice")
    return dict(matches)


def _blanks(question: dict[str, Any], blanks: dict[str, Any]) -> dict[str, str]:
    known = {b["id"]: b for b in question["blanks"]}
    for blank_id, value in blanks.items():
        blank = known.get(blank_id)
        if blank is None or not isinstance(value, str) or len(value) > MAX_TEXT["cloze"]:
            raise _bad(f"blanks.{blank_id}", "unknown blank, or not a text of at most 500 characters")
        if blank["kind"] == "choice" and value not in {o["id"] for o in blank["options"]}:
            raise _bad(f"blanks.{blank_id}", "not one of the blank's options")
    return dict(blanks)
