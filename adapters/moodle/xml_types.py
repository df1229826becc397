"""The question types of Moodle XML, each read into SkillHub's question content
(commands/assessment/question_specs.py): multichoice (single or multiple answers), multichoiceset (all or
nothing), truefalse, shortanswer (with `*` wildcards), numerical (tolerance, units, a graded unit
as a required one), matching, essay (with a rubric written by SkillHub's export), cloze and
ordering (qtype_ordering). Answers worth 0 % keep their feedback (credit 0); a `*` catch-all
answer becomes the feedback for any other answer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from adapters.moodle.cloze import parse_cloze
from adapters.moodle.question_files import (
    credit,
    letter,
    warn_uneven_weights,
    wildcard_answer,
)
from adapters.moodle.rubric import split_rubric
from adapters.moodle.xml_texts import XmlTexts

Element = ET.Element


def _flag(q: Element, path: str, default: bool = False) -> bool:
    value = (q.findtext(path) or "").strip().lower()
    return default if not value else value in ("1", "true")


def _answers(q: Element, t: XmlTexts) -> list[tuple[float, str, str, Element]]:
    """(percent, rich text, rich feedback, element) per <answer>."""
    return [(float(a.get("fraction", "0")), t.rich(a, "."), t.rich(a, "feedback"), a) for a in q.findall("answer")]


def _plain_answers(q: Element, t: XmlTexts) -> tuple[list[tuple[float, str, str, Element]], str]:
    """(percent, plain text, rich feedback, element) per <answer> but the catch-all (`*`), and the
    catch-all's feedback: Moodle's feedback for any other answer."""
    found, other = [], []
    for a in q.findall("answer"):
        text, percent = t.plain(a, "."), float(a.get("fraction", "0"))
        if text and set(text) == {"*"}:
            if percent > 0:
                t.warn(f"'{t.name}': a catch-all answer worth {percent:g}% imported as feedback for any other"
                       " answer, which earns nothing here")
            other.append(t.rich(a, "feedback"))
        else:
            found.append((percent, text, t.rich(a, "feedback"), a))
    if len(other) > 1:
        t.warn(f"'{t.name}': only the first catch-all answer's feedback kept")
    return found, other[0] if other else ""


def _multichoice(q: Element, t: XmlTexts) -> dict[str, Any]:
    single = _flag(q, "single", default=True)
    options, percents = [], []
    for i, (percent, text, feedback, _) in enumerate(_answers(q, t)):
        if single and 0 < percent < 100:
            t.warn(f"'{t.name}': partial credit ({percent:g}%) on a single-choice option imported as wrong")
        options.append({"id": letter(i), "text": text, "feedback": feedback,
                        "correct": percent >= 100 if single else percent > 0})
        percents.append(percent)
    if single:
        return {"type": "single_choice", "options": options}
    warn_uneven_weights(t.name, percents, t.warn)
    return {"type": "multiple_choice", "options": options, "scoring": "right_minus_wrong"}


def _multichoiceset(q: Element, t: XmlTexts) -> dict[str, Any]:
    """Moodle's All-or-Nothing plugin: the right options are those with a weight."""
    options = [{"id": letter(i), "text": text, "feedback": feedback, "correct": percent > 0}
               for i, (percent, text, feedback, _) in enumerate(_answers(q, t))]
    return {"type": "multiple_choice", "options": options, "scoring": "all_or_nothing"}


def _truefalse(q: Element, t: XmlTexts) -> dict[str, Any]:
    found = {t.plain(a, ".").lower(): (float(a.get("fraction", "0")), t.rich(a, "feedback")) for a in q.findall("answer")}
    return {"type": "true_false", "correct": found.get("true", (0, ""))[0] >= 100,
            "feedback_true": found.get("true", (0, ""))[1], "feedback_false": found.get("false", (0, ""))[1]}


def _shortanswer(q: Element, t: XmlTexts) -> dict[str, Any]:
    answers, other = _plain_answers(q, t)
    return {"type": "short_text", "answers": [{**wildcard_answer(text), "credit": credit(max(p, 0)), "feedback": fb}
                                              for p, text, fb, _ in answers],
            "case_sensitive": _flag(q, "usecase"), "other_feedback": other}


def _numerical(q: Element, t: XmlTexts) -> dict[str, Any]:
    found, other = _plain_answers(q, t)
    answers = [{"value": float(text), "tolerance": float(a.findtext("tolerance") or 0), "credit": credit(max(p, 0)),
                "feedback": fb} for p, text, fb, a in found]
    units = [{"unit": (u.findtext("unit_name") or "").strip(), "multiplier": float(u.findtext("multiplier") or 1)}
             for u in q.findall("units/unit")]
    # Moodle grades the unit (unitgradingtype 1 or 2) with a penalty; SkillHub requires it or not.
    graded = (q.findtext("unitgradingtype") or "0").strip() not in ("", "0")
    penalty = float(q.findtext("unitpenalty") or 1) if graded else 0.0
    if graded and units and penalty < 1:
        t.warn(f"'{t.name}': a missing or wrong unit costs {100 * penalty:g}% in Moodle, here all (the unit is required)")
    return {"type": "numeric", "answers": answers, "tolerance_mode": "absolute", "units": units,
            "unit_required": graded and bool(units), "other_feedback": other}


def _matching(q: Element, t: XmlTexts) -> dict[str, Any]:
    stems, choices = [], {}
    for i, sub in enumerate(q.findall("subquestion")):
        choice_id = choices.setdefault(t.plain(sub, "answer"), f"c{len(choices) + 1}")
        stem = t.rich(sub, ".")
        if stem:  # a subquestion without text only adds a distractor
            stems.append({"id": f"s{i + 1}", "text": stem, "choice_id": choice_id})
    return {"type": "matching", "stems": stems, "choices": [{"id": c, "text": t} for t, c in choices.items()]}


def _essay(q: Element, t: XmlTexts) -> dict[str, Any]:
    """A rubric written at the end of the grader information (adapters/moodle/rubric.py) is read back."""
    grader_info, rubric = split_rubric(t.rich(q, "graderinfo"))
    essay = {"type": "essay", "grader_info": grader_info, "response_template": t.rich(q, "responsetemplate")}
    if rubric is None:
        t.warn(f"'{t.name}': essay imported with the default rubric (Overall: 0-3 points); adjust it in the bank")
        return essay
    return {**essay, "rubric": rubric}


def _ordering(q: Element, t: XmlTexts) -> dict[str, Any]:
    items = [{"id": f"i{i + 1}", "text": text} for i, (_, text, _, _) in enumerate(_answers(q, t))]
    grading = (q.findtext("gradingtype") or "").strip().upper()
    all_or_nothing = grading in ("ALL_OR_NOTHING", "-1")
    if not all_or_nothing and grading not in ("", "ABSOLUTE_POSITION", "0"):
        t.warn(f"'{t.name}': ordering grading '{grading}' imported as credit per correct position")
    return {"type": "ordering", "items": items, "scoring": "all_or_nothing" if all_or_nothing else "positions"}


def _cloze(q: Element, t: XmlTexts) -> dict[str, Any]:
    """Blanks are read from the HTML; their feedback and options are HTML fragments too."""
    node = q.find("questiontext")
    if node is None:
        raise ValueError("a cloze question needs its questiontext")
    fmt = t.format_of(node)
    prompt, blanks = parse_cloze(node.findtext("text") or "", lambda html: t.convert(html, fmt))
    return {"type": "cloze", "prompt": t.rich_source(node, prompt), "blanks": blanks}


READERS: dict[str, Callable[[Element, XmlTexts], dict[str, Any]]] = {
    "multichoice": _multichoice, "multichoiceset": _multichoiceset, "truefalse": _truefalse, "shortanswer": _shortanswer,
    "numerical": _numerical, "matching": _matching, "essay": _essay, "ordering": _ordering, "cloze": _cloze,
}
