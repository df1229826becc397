"""Reading Moodle XML question files (https://docs.moodle.org/en/Moodle_XML_format).

Supported: multichoice (single or multiple answers), multichoiceset (all or nothing),
truefalse, shortanswer (with `*` wildcards), numerical (tolerance, units, a graded unit as a
required one), matching, essay (with a rubric written by SkillHub's export), cloze (embedded
answers) and ordering (qtype_ordering). Categories become skills. Every other type (description,
calculated, drag-and-drop, random...) is listed as unsupported with its name. Texts become
Markdown and their embedded files are collected (adapters/moodle/xml_texts.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from adapters.moodle.cloze import UnsupportedBlank
from adapters.moodle.question_files import (
    ParsedFile,
    skill_of_category,
    skills_and_tags,
)
from adapters.moodle.xml_texts import XmlTexts
from adapters.moodle.xml_types import READERS, Element

# Moodle's feedback by outcome and hints: SkillHub gives feedback per answer only.
_UNKEPT = {"correctfeedback": "feedback for a correct answer",
           "partiallycorrectfeedback": "feedback for a partly correct answer",
           "incorrectfeedback": "feedback for an incorrect answer", "hint": "hints"}


def _content(q: Element, t: XmlTexts, reader: Callable[[Element, XmlTexts], dict[str, Any]]) -> dict[str, Any]:
    content = reader(q, t)
    prompt = content["prompt"] if "prompt" in content else t.rich(q, "questiontext")
    if image := t.old_image(q):
        prompt = f"{prompt}\n\n{image}".strip()
    for tag, what in _UNKEPT.items():
        if any(t.plain(node, ".") or "<img" in (node.findtext("text") or "") for node in q.findall(tag)):
            t.lost.append(f"{what} left out (SkillHub gives feedback per answer)")
    return {"title": t.name, **content, "prompt": prompt, "general_feedback": t.rich(q, "generalfeedback")}


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
            if (q.findtext("info/text") or "").strip():
                result.warnings.append(f"category '{category or 'top'}': its description left out (skills have none)")
            continue
        index += 1
        texts = XmlTexts("", result, result.warnings.append)
        name = texts.plain(q, "name") or f"question {index}"
        texts.name = name
        reader = READERS.get(kind)
        if reader is None:
            result.skip(index, name, kind, f"Moodle question type '{kind}' is not supported")
            continue
        try:
            content = _content(q, texts, reader)
        except (UnsupportedBlank, ValueError) as e:
            result.skip(index, name, kind, str(e))
            continue
        texts.report(name, result.warnings)
        skills, tags = skills_and_tags(category, [t.findtext("text") or "" for t in q.findall("tags/tag")])
        result.questions.append((index, {**content, "skills": skills, "tags": [t for t in tags if t]}))
    return result
