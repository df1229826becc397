"""Writing questions as Moodle XML. Skills become categories (and `skill:` tags), texts are
written as Markdown. What Moodle XML cannot say is written as an XML comment where it was
left out: regular-expression answers; relative tolerances become absolute ones; an essay's
rubric is written into its grader information."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from adapters.moodle_cloze import render_cloze
from adapters.question_files import category_and_tags


def _texted(parent: ET.Element, tag: str, text: str, fmt: str | None = "markdown", **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {**({"format": fmt} if fmt else {}), **attrs})
    ET.SubElement(node, "text").text = text
    return node


def _answer(q: ET.Element, percent: float, text: str, feedback: str = "") -> ET.Element:
    node = _texted(q, "answer", text, "plain_text", fraction=f"{percent:.7g}")
    _texted(node, "feedback", feedback)
    return node


def _options(q: ET.Element, content: dict[str, Any], single: bool) -> None:
    right = sum(o["correct"] for o in content["options"])
    wrong = len(content["options"]) - right
    ET.SubElement(q, "single").text = "true" if single else "false"
    ET.SubElement(q, "shuffleanswers").text = "1"
    ET.SubElement(q, "answernumbering").text = "abc"
    for o in content["options"]:
        percent = 100.0 if single and o["correct"] else 0.0 if single else (100 / right if o["correct"] else -100 / wrong)
        _answer(q, percent, o["text"], o["feedback"])


def _body(q: ET.Element, c: dict[str, Any]) -> None:
    kind = c["type"]
    if kind in ("single_choice", "multiple_choice"):
        _options(q, c, kind == "single_choice")
    elif kind == "true_false":
        _answer(q, 100 if c["correct"] else 0, "true", c["feedback_true"])
        _answer(q, 0 if c["correct"] else 100, "false", c["feedback_false"])
    elif kind == "short_text":
        ET.SubElement(q, "usecase").text = "1" if c["case_sensitive"] else "0"
        for a in c["answers"]:
            if a["regex"]:
                q.append(ET.Comment(f" regular-expression answer not exported: {a['text']} "))
            else:
                _answer(q, a["credit"] * 100, a["text"], a["feedback"])
    elif kind == "numeric":
        relative = c["tolerance_mode"] == "relative"
        for a in c["answers"]:
            node = _answer(q, a["credit"] * 100, f"{a['value']:g}", a["feedback"])
            ET.SubElement(node, "tolerance").text = f"{a['tolerance'] * (abs(a['value']) if relative else 1):g}"
        units = ET.SubElement(q, "units")
        for u in c["units"]:
            unit = ET.SubElement(units, "unit")
            ET.SubElement(unit, "multiplier").text = f"{u['multiplier']:g}"
            ET.SubElement(unit, "unit_name").text = u["unit"]
    elif kind == "matching":
        text = {ch["id"]: ch["text"] for ch in c["choices"]}
        pairs = [(s["text"], text[s["choice_id"]]) for s in c["stems"]]
        used = {s["choice_id"] for s in c["stems"]}
        pairs += [("", ch["text"]) for ch in c["choices"] if ch["id"] not in used]  # distractors
        for stem, answer in pairs:
            sub = _texted(q, "subquestion", stem)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = answer
    elif kind == "ordering":
        ET.SubElement(q, "layouttype").text = "VERTICAL"
        ET.SubElement(q, "selecttype").text = "ALL"
        ET.SubElement(q, "gradingtype").text = "ALL_OR_NOTHING" if c["scoring"] == "all_or_nothing" else "ABSOLUTE_POSITION"
        for item in c["items"]:
            _answer(q, 1, item["text"])
    elif kind == "essay":
        rubric = "\n".join(
            f"{cr['title']}: " + "; ".join(f"{lv['label']} ({lv['points']:g})" for lv in cr["levels"]) for cr in c["rubric"])
        ET.SubElement(q, "responseformat").text = "editor"
        _texted(q, "graderinfo", (c["grader_info"] + "\n\nRubric:\n" + rubric).strip())
        _texted(q, "responsetemplate", c["response_template"])


def render_moodle_xml(contents: list[dict[str, Any]]) -> str:
    root, category = ET.Element("quiz"), None
    root.append(ET.Comment(" Exported from SkillHub "))
    for c in contents:
        wanted, tags = category_and_tags(c)
        if wanted and wanted != category:
            holder = ET.SubElement(ET.SubElement(root, "question", type="category"), "category")
            ET.SubElement(holder, "text").text = f"$course$/top/{wanted}"
            category = wanted
        q = ET.SubElement(root, "question", type={"single_choice": "multichoice", "multiple_choice": "multichoice",
                                                  "true_false": "truefalse", "short_text": "shortanswer",
                                                  "numeric": "numerical"}.get(c["type"], c["type"]))
        _texted(q, "name", c["title"], None)
        _texted(q, "questiontext", render_cloze(c) if c["type"] == "cloze" else c["prompt"])
        _texted(q, "generalfeedback", c.get("general_feedback", ""))
        ET.SubElement(q, "defaultgrade").text = "1"
        ET.SubElement(q, "hidden").text = "0"
        _body(q, c)
        if tags:
            holder = ET.SubElement(q, "tags")
            for tag in tags:
                ET.SubElement(ET.SubElement(holder, "tag"), "text").text = tag
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

