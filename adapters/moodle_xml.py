"""Reading Moodle XML question files (https://docs.moodle.org/en/Moodle_XML_format).

Supported: multichoice (single or multiple answers), multichoiceset (all or nothing),
truefalse, shortanswer (with `*` wildcards), numerical (tolerance, units, a graded unit as a
required one), matching, essay (with a rubric written by SkillHub's export), cloze (embedded
answers) and ordering (qtype_ordering). Categories become skills. Every other type (description,
calculated, drag-and-drop, random...) is listed as unsupported with its name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from adapters.moodle_cloze import UnsupportedBlank, parse_cloze
from adapters.moodle_rubric import split_rubric
from adapters.question_files import (
    ParsedFile, credit, letter, plain_text, skill_of_category, skills_and_tags, warn_uneven_weights, wildcard_answer,
)

Element = ET.Element


def _text(q: Element, path: str) -> str:
    node = q.find(path)
    if node is None:
        return ""
    inner = node.find("text")
    raw = (inner.text if inner is not None else node.text) or ""
    return plain_text(raw, node.get("format", "html") if inner is not None else "plain")


def _flag(q: Element, path: str, default: bool = False) -> bool:
    value = (q.findtext(path) or "").strip().lower()
    return default if not value else value in ("1", "true")


def _answers(q: Element) -> list[tuple[float, str, str, Element]]:
    """(percent, text, feedback, element) per <answer>."""
    return [(float(a.get("fraction", "0")), _text(a, "."), _text(a, "feedback"), a) for a in q.findall("answer")]


def _multichoice(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    single = _flag(q, "single", default=True)
    options, percents = [], []
    for i, (percent, text, feedback, _) in enumerate(_answers(q)):
        if single and 0 < percent < 100:
            warn(f"'{name}': partial credit ({percent:g}%) on a single-choice option imported as wrong")
        options.append({"id": letter(i), "text": text, "feedback": feedback, "correct": percent >= 100 if single else percent > 0})
        percents.append(percent)
    if single:
        return {"type": "single_choice", "options": options}
    warn_uneven_weights(name, percents, warn)
    return {"type": "multiple_choice", "options": options, "scoring": "right_minus_wrong"}


def _multichoiceset(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    """Moodle's All-or-Nothing plugin: the right options are those with a weight."""
    options = [{"id": letter(i), "text": text, "feedback": feedback, "correct": percent > 0}
               for i, (percent, text, feedback, _) in enumerate(_answers(q))]
    return {"type": "multiple_choice", "options": options, "scoring": "all_or_nothing"}


def _truefalse(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    found = {text.strip().lower(): (percent, feedback) for percent, text, feedback, _ in _answers(q)}
    return {"type": "true_false", "correct": found.get("true", (0, ""))[0] >= 100,
            "feedback_true": found.get("true", (0, ""))[1], "feedback_false": found.get("false", (0, ""))[1]}


def _shortanswer(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    answers = [{**wildcard_answer(text), "credit": credit(p), "feedback": fb} for p, text, fb, _ in _answers(q) if p > 0]
    if len(answers) < len(q.findall("answer")):
        warn(f"'{name}': answers worth 0% (feedback for wrong answers) were left out")
    return {"type": "short_text", "answers": answers, "case_sensitive": _flag(q, "usecase")}


def _numerical(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    answers = [
        {"value": float(text), "tolerance": float(a.findtext("tolerance") or 0), "credit": credit(p), "feedback": fb}
        for p, text, fb, a in _answers(q) if p > 0 and text != "*"
    ]
    if len(answers) < len(q.findall("answer")):
        warn(f"'{name}': answers worth 0% (feedback for wrong answers) were left out")
    units = [{"unit": (u.findtext("unit_name") or "").strip(), "multiplier": float(u.findtext("multiplier") or 1)}
             for u in q.findall("units/unit")]
    # Moodle grades the unit (unitgradingtype 1 or 2) with a penalty; SkillHub requires it or not.
    graded = (q.findtext("unitgradingtype") or "0").strip() not in ("", "0")
    penalty = float(q.findtext("unitpenalty") or 1) if graded else 0.0
    if graded and units and penalty < 1:
        warn(f"'{name}': a missing or wrong unit costs {100 * penalty:g}% in Moodle, here all (the unit is required)")
    return {"type": "numeric", "answers": answers, "tolerance_mode": "absolute", "units": units,
            "unit_required": graded and bool(units)}


def _matching(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    stems, choices = [], {}
    for i, sub in enumerate(q.findall("subquestion")):
        choice_id = choices.setdefault(_text(sub, "answer"), f"c{len(choices) + 1}")
        stem = _text(sub, ".")
        if stem:  # a subquestion without text only adds a distractor
            stems.append({"id": f"s{i + 1}", "text": stem, "choice_id": choice_id})
    return {"type": "matching", "stems": stems, "choices": [{"id": c, "text": t} for t, c in choices.items()]}


def _essay(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    """A rubric written at the end of the grader information (adapters/moodle_rubric.py) is read back."""
    grader_info, rubric = split_rubric(_text(q, "graderinfo"))
    essay = {"type": "essay", "grader_info": grader_info, "response_template": _text(q, "responsetemplate")}
    if rubric is None:
        warn(f"'{name}': essay imported with the default rubric (Overall: 0-3 points); adjust it in the bank")
        return essay
    return {**essay, "rubric": rubric}


def _ordering(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    items = [{"id": f"i{i + 1}", "text": text} for i, (_, text, _, _) in enumerate(_answers(q))]
    grading = (q.findtext("gradingtype") or "").strip().upper()
    all_or_nothing = grading in ("ALL_OR_NOTHING", "-1")
    if not all_or_nothing and grading not in ("", "ABSOLUTE_POSITION", "0"):
        warn(f"'{name}': ordering grading '{grading}' imported as credit per correct position")
    return {"type": "ordering", "items": items, "scoring": "all_or_nothing" if all_or_nothing else "positions"}


def _cloze(q: Element, name: str, warn: Callable[[str], None]) -> dict[str, Any]:
    node = q.find("questiontext")
    if node is None:
        raise ValueError("a cloze question needs its questiontext")
    prompt, blanks = parse_cloze(node.findtext("text") or "")
    return {"type": "cloze", "prompt": plain_text(prompt, node.get("format", "html")), "blanks": blanks}


READERS: dict[str, Callable[[Element, str, Callable[[str], None]], dict[str, Any]]] = {
    "multichoice": _multichoice, "multichoiceset": _multichoiceset, "truefalse": _truefalse, "shortanswer": _shortanswer, "numerical": _numerical,
    "matching": _matching, "essay": _essay, "ordering": _ordering, "cloze": _cloze,
}


def parse_moodle_xml(source: str | bytes) -> ParsedFile:
    result, category, index = ParsedFile(), None, 0
    try:
        root = ET.fromstring(source)
    except ET.ParseError as e:
        raise ValueError(f"not well-formed XML: {e}") from None
    if root.tag != "quiz":
        raise ValueError("a Moodle XML question file has <quiz> as its root element")
    for q in root.findall("question"):
        kind = q.get("type", "")
        if kind == "category":
            category = skill_of_category(q.findtext("category/text") or "")
            continue
        index += 1
        name = _text(q, "name") or f"question {index}"
        reader = READERS.get(kind)
        if reader is None:
            result.skip(index, name, kind, f"Moodle question type '{kind}' is not supported")
            continue
        try:
            content = {"title": name, "prompt": _text(q, "questiontext"), "general_feedback": _text(q, "generalfeedback")}
            content.update(reader(q, name, result.warnings.append))
        except (UnsupportedBlank, ValueError) as e:
            result.skip(index, name, kind, str(e))
            continue
        skills, tags = skills_and_tags(category, [t.findtext("text") or "" for t in q.findall("tags/tag")])
        result.questions.append((index, {**content, "skills": skills, "tags": [t for t in tags if t]}))
    return result
