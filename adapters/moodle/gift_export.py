"""Writing questions as Moodle GIFT. The first skill becomes the `$CATEGORY`, further skills
(as `skill:` tags) and the tags travel in Moodle's `// [tag:...]` comment; short answers with
`*` wildcards, matching distractors as `= -> choice`. What GIFT cannot say is returned as the
export's warnings and written as a `//` comment where it was left out, never dropped silently:
ordering and cloze questions (not exported at all: use Moodle XML), units, regular expressions
that are not wildcards, case-sensitive answers, all-or-nothing scoring, and an essay's rubric,
grader information and response template, and files the texts link (GIFT cannot carry files;
the links stay). Relative tolerances become absolute ones, which grade the same (named too, as
the content changes). Texts are Markdown: the prompt carries the `[markdown]` marker, which
Moodle (and SkillHub's import) apply to the question's other texts too. Expected wrong answers
are written at 0 %, feedback for any other answer as the catch-all (`=%0%*` or `~#`)."""

from __future__ import annotations

import json
from typing import Any

from adapters.documents.rich_text import linked_media
from adapters.moodle.gift_text import escape
from adapters.moodle.question_files import (
    RELATIVE_TOLERANCE,
    WrittenFile,
    category_and_tags,
    moodle_answers,
)


def _weight(credit: float) -> str:
    return "" if credit >= 1 else f"%{credit * 100:g}%"


def _fb(text: str) -> str:
    return f"#{escape(text)}" if text else ""


def _tolerance(content: dict[str, Any], answer: dict[str, Any]) -> float:
    if content.get("tolerance_mode") == "relative":
        return answer["tolerance"] * abs(answer["value"])
    return answer["tolerance"]


def _short_text(q: dict[str, Any], lost: list[str]) -> str | None:
    if q["case_sensitive"]:
        lost.append("case-sensitive matching left out (GIFT answers ignore case)")
    written = ["=" + _weight(a["credit"]) + escape(text) + _fb(a["feedback"])
               for a, text in moodle_answers(q["answers"], lost)]
    if written and q.get("other_feedback"):
        written.append("=%0%*" + _fb(q["other_feedback"]))
    return " ".join(written) or None  # no answer left: "{}" would be an essay


def _answers(q: dict[str, Any], lost: list[str]) -> str | None:
    kind = q["type"]
    if kind == "single_choice":
        return " ".join(("=" if o["correct"] else "~") + escape(o["text"]) + _fb(o["feedback"]) for o in q["options"])
    if kind == "multiple_choice":
        if q["scoring"] == "all_or_nothing":
            lost.append("all-or-nothing scoring left out: GIFT weights score right minus wrong")
        right = sum(o["correct"] for o in q["options"])
        wrong = len(q["options"]) - right
        return " ".join(
            f"~%{(100 / right if o['correct'] else -100 / wrong):.5g}%" + escape(o["text"]) + _fb(o["feedback"])
            for o in q["options"])
    if kind == "true_false":
        wrong_fb, right_fb = (q["feedback_false"], q["feedback_true"]) if q["correct"] else (q["feedback_true"], q["feedback_false"])
        return ("T" if q["correct"] else "F") + (f"#{escape(wrong_fb)}#{escape(right_fb)}" if wrong_fb or right_fb else "")
    if kind == "short_text":
        return _short_text(q, lost)
    if kind == "numeric":
        if q["units"]:
            lost.append("units left out (GIFT numbers have none): " + ", ".join(u["unit"] for u in q["units"]))
        if q["tolerance_mode"] == "relative":
            lost.append(RELATIVE_TOLERANCE)
        other = [f"~{_fb(q['other_feedback'])}"] if q.get("other_feedback") else []
        return "#" + " ".join([f"={_weight(a['credit'])}{a['value']:g}:{_tolerance(q, a):g}{_fb(a['feedback'])}"
                               for a in q["answers"]] + other)
    if kind == "matching":
        if q["scoring"] == "all_or_nothing":
            lost.append("all-or-nothing scoring left out: Moodle scores each match")
        text = {c["id"]: c["text"] for c in q["choices"]}
        used = {s["choice_id"] for s in q["stems"]}
        pairs = [f"={escape(s['text'])} -> {escape(text[s['choice_id']])}" for s in q["stems"]]
        return " ".join(pairs + [f"= -> {escape(c['text'])}" for c in q["choices"] if c["id"] not in used])
    if kind == "essay":
        lost.append("rubric left out (GIFT essays have none; imported again, the essay gets the default rubric)")
        lost += [f"{name} left out" for name, field in (("grader information", "grader_info"),
                                                       ("response template", "response_template")) if q[field]]
        return ""
    return None


def _comment(note: str) -> str:
    return "// " + " ".join(note.split())  # one line, whatever the note quotes


def _tag_comment(tags: list[str]) -> list[str]:
    escaped = [" ".join(tag.split()).replace("]", "\\]") for tag in tags]
    return ["// " + " ".join(f"[tag:{tag}]" for tag in escaped)] if tags else []


def render_gift(contents: list[dict[str, Any]]) -> WrittenFile:
    written, lines, category = WrittenFile(), ["// Exported from SkillHub", ""], None
    for index, q in enumerate(contents, start=1):
        lost: list[str] = []
        answers = _answers(q, lost)
        if answers is None:
            reason = (f"GIFT cannot express {q['type']} questions (use Moodle XML)" if q["type"] in ("ordering", "cloze")
                      else "GIFT cannot express any of its answers")
            written.not_exported.append({"index": index, "title": q["title"], "type": q["type"], "reason": reason})
            lines += [_comment(f"not exported: '{q['title']}': {reason}"), ""]
            continue
        wanted, tags = category_and_tags(q)
        if wanted != category:  # back to the top for a question without skills
            lines += ["$CATEGORY: $course$/top" + (f"/{wanted}" if wanted else ""), ""]
            category = wanted
        if files := len(linked_media(json.dumps(q))):
            lost.append(f"{files} linked file{'s' if files > 1 else ''} not in the file (GIFT cannot carry files;"
                        " the links point at SkillHub)")
        written.warnings += [f"'{q['title']}': {note}" for note in lost]
        lines += [_comment(note) for note in lost] + _tag_comment(tags)
        general = f" ####{escape(q['general_feedback'])}" if q.get("general_feedback") else ""
        lines += [f"::{escape(q['title'])}::[markdown]{escape(q['prompt'])} {{{answers}{general}}}", ""]
    written.text = "\n".join(lines)
    return written
