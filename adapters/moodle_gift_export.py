"""Writing questions as Moodle GIFT. What GIFT cannot say is written as a `//` comment
where it was left out (never dropped silently): ordering and cloze questions, units,
regular-expression answers, matching distractors. Relative tolerances become absolute ones."""

from __future__ import annotations

from typing import Any

from adapters.moodle_gift_text import escape
from adapters.question_files import category_and_tags

def _weight(credit: float) -> str:
    return "" if credit >= 1 else f"%{credit * 100:g}%"


def _fb(text: str) -> str:
    return f"#{escape(text)}" if text else ""


def _tolerance(content: dict[str, Any], answer: dict[str, Any]) -> float:
    if content.get("tolerance_mode") == "relative":
        return answer["tolerance"] * abs(answer["value"])
    return answer["tolerance"]


def _answers(q: dict[str, Any], notes: list[str]) -> str | None:
    kind = q["type"]
    if kind == "single_choice":
        return " ".join(("=" if o["correct"] else "~") + escape(o["text"]) + _fb(o["feedback"]) for o in q["options"])
    if kind == "multiple_choice":
        right = sum(o["correct"] for o in q["options"])
        wrong = len(q["options"]) - right
        return " ".join(
            f"~%{(100 / right if o['correct'] else -100 / wrong):.5g}%" + escape(o["text"]) + _fb(o["feedback"])
            for o in q["options"])
    if kind == "true_false":
        wrong_fb, right_fb = (q["feedback_false"], q["feedback_true"]) if q["correct"] else (q["feedback_true"], q["feedback_false"])
        return ("T" if q["correct"] else "F") + (f"#{escape(wrong_fb)}#{escape(right_fb)}" if wrong_fb or right_fb else "")
    if kind == "short_text":
        notes += [f"regular-expression answer not exported: {a['text']}" for a in q["answers"] if a["regex"]]
        return " ".join("=" + _weight(a["credit"]) + escape(a["text"]) + _fb(a["feedback"]) for a in q["answers"] if not a["regex"])
    if kind == "numeric":
        if q["units"]:
            notes.append("units not exported: " + ", ".join(u["unit"] for u in q["units"]))
        return "#" + " ".join(f"={_weight(a['credit'])}{a['value']:g}:{_tolerance(q, a):g}{_fb(a['feedback'])}" for a in q["answers"])
    if kind == "matching":
        used = {s["choice_id"] for s in q["stems"]}
        notes += [f"matching distractor not exported: {c['text']}" for c in q["choices"] if c["id"] not in used]
        text = {c["id"]: c["text"] for c in q["choices"]}
        return " ".join(f"={escape(s['text'])} -> {escape(text[s['choice_id']])}" for s in q["stems"])
    if kind == "essay":
        return ""
    return None


def render_gift(contents: list[dict[str, Any]]) -> str:
    lines, category = ["// Exported from SkillHub", ""], None
    for q in contents:
        wanted, _ = category_and_tags(q)
        if wanted and wanted != category:
            lines += [f"$CATEGORY: $course$/top/{wanted}", ""]
            category = wanted
        notes: list[str] = []
        answers = _answers(q, notes)
        if answers is None:
            lines += [f"// not exported: '{q['title']}' is a {q['type']} question, which GIFT cannot express"
                      " (use Moodle XML)", ""]
            continue
        lines += [f"// {note}" for note in notes]
        general = f" ####{escape(q['general_feedback'])}" if q.get("general_feedback") else ""
        lines += [f"::{escape(q['title'])}::[markdown]{escape(q['prompt'])} {{{answers}{general}}}", ""]
    return "\n".join(lines)
