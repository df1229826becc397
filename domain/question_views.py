"""How a question looks to a student taking it (no answer key, no feedback, options in the
attempt's order) and the answer key shown once the quiz's feedback mode allows."""

from __future__ import annotations

from typing import Any

from domain.grading import mark


def _arranged(entries: list[dict[str, Any]], order: list[str] | None) -> list[dict[str, Any]]:
    """id + text only, in the attempt's recorded order when there is one."""
    by_id = {e["id"]: {"id": e["id"], "text": e["text"]} for e in entries}
    return [by_id[i] for i in order] if order else list(by_id.values())


def student_view(question: dict[str, Any], order: list[str] | None) -> dict[str, Any]:
    kind = question["type"]
    view: dict[str, Any] = {"type": kind, "title": question["title"], "prompt": question["prompt"]}
    if kind in ("single_choice", "multiple_choice"):
        view["options"] = _arranged(question["options"], order)
    elif kind == "numeric":
        view["units"] = [u["unit"] for u in question.get("units", [])]
    elif kind == "matching":
        view["stems"] = [{"id": s["id"], "text": s["text"]} for s in question["stems"]]
        view["choices"] = _arranged(question["choices"], order)
    elif kind == "ordering":
        view["items"] = _arranged(question["items"], order)
    elif kind == "cloze":
        view["blanks"] = [
            {"id": b["id"], "kind": b["kind"], **({"options": _arranged(b["options"], None)} if b["kind"] == "choice" else {})}
            for b in question["blanks"]
        ]
    elif kind == "essay":
        view["response_template"] = question.get("response_template", "")
        view["rubric"] = [
            {"id": c["id"], "title": c["title"], "levels": [{k: lv[k] for k in ("id", "label", "points")} for lv in c["levels"]]}
            for c in question["rubric"]
        ]
    return view


def shape(question: dict[str, Any]) -> Any:
    """Everything a saved answer may refer to (type, option, stem, choice, item and blank ids).
    A key correction keeps it, so answers saved before still fit the corrected question."""
    blanks = [(b["id"], b["kind"], [o["id"] for o in b.get("options", [])]) for b in question.get("blanks", [])]
    parts = ("options", "stems", "choices", "items")
    return question["type"], [[e["id"] for e in question.get(p, [])] for p in parts], blanks


def _full_credit(answers: list[dict[str, Any]], field: str) -> list[Any]:
    return [a[field] for a in answers if a.get("credit", 1.0) >= 1.0]


def answer_key(question: dict[str, Any]) -> dict[str, Any] | None:
    """What full marks look like; None for essays (a person grades them with the rubric)."""
    kind = question["type"]
    if kind == "single_choice":
        return {"option_id": next(o["id"] for o in question["options"] if o["correct"])}
    if kind == "multiple_choice":
        return {"option_ids": [o["id"] for o in question["options"] if o["correct"]]}
    if kind == "true_false":
        return {"value": question["correct"]}
    if kind == "numeric":
        return {"values": _full_credit(question["answers"], "value"), "base_unit": _base_unit(question)}
    if kind == "short_text":
        return {"accepted": _full_credit(question["answers"], "text")}
    if kind == "matching":
        return {"matches": {s["id"]: s["choice_id"] for s in question["stems"]}}
    if kind == "ordering":
        return {"order": [i["id"] for i in question["items"]]}
    if kind == "cloze":
        return {"blanks": {b["id"]: _blank_key(b) for b in question["blanks"]}}
    return None


def review(question: dict[str, Any], answer: Any, grade: dict[str, Any] | None, *, with_key: bool = True) -> dict[str, Any]:
    """What a student sees about one answered question once feedback is released: the recorded
    grade, the author's feedback for that answer, and the answer key once that is released too
    (domain.quizzes.keys_released; null before)."""
    key = answer_key(question) if with_key else None
    return {"grade": grade, "feedback": list(mark(question, answer).feedback), "answer_key": key}


def _base_unit(spec: dict[str, Any]) -> str | None:
    return next((u["unit"] for u in spec.get("units", []) if u["multiplier"] == 1), None)


def _blank_key(blank: dict[str, Any]) -> list[Any]:
    if blank["kind"] == "choice":
        return [o["id"] for o in blank["options"] if o["correct"]]
    return _full_credit(blank["answers"], "text" if blank["kind"] == "short_text" else "value")
