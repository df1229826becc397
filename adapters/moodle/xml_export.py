"""Writing questions as Moodle XML. Skills become categories (and `skill:` tags), texts are
written as Markdown, short answers with `*` wildcards, all-or-nothing multiple choice as
`multichoiceset` (Moodle's All-or-Nothing plugin), a required unit as a unit graded with full
penalty, an essay's rubric as text in its grader information (adapters/moodle/rubric.py, read
back on import). Relative tolerances become absolute ones, which grade the same. Each of
these conversions, and what Moodle XML cannot say, is returned as the export's warnings and
written as an XML comment in the question: regular expressions that are not wildcards,
all-or-nothing matching, units of cloze blanks, rubric level descriptions, files that could not
be embedded. Rich texts are written with format="markdown" (Moodle shows Markdown, and the
import keeps it as it is), their linked files as base64 `<file>` elements
(adapters/moodle/xml_media.py). Expected wrong answers are written at 0 %, feedback for any
other answer as the `*` catch-all."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from adapters.moodle.cloze import render_cloze
from adapters.moodle.question_files import (
    RELATIVE_TOLERANCE,
    WrittenFile,
    category_and_tags,
    moodle_answers,
)
from adapters.moodle.rubric import rubric_text
from adapters.moodle.xml_media import MediaFiles, embed_media


def _texted(parent: ET.Element, tag: str, text: str, fmt: str | None = "markdown", **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {**({"format": fmt} if fmt else {}), **attrs})
    ET.SubElement(node, "text").text = text
    return node


def _answer(q: ET.Element, percent: float, text: str, feedback: str = "", fmt: str = "plain_text") -> ET.Element:
    node = _texted(q, "answer", text, fmt, fraction=f"{percent:.7g}")
    _texted(node, "feedback", feedback)
    return node


def _options(q: ET.Element, content: dict[str, Any], single: bool) -> None:
    """Single: 100 % for the right option. Multiple: right minus wrong; all or nothing
    (multichoiceset) gives the right options their share and the wrong ones 0 %."""
    right = sum(o["correct"] for o in content["options"])
    wrong = len(content["options"]) - right
    penalty = 0.0 if content.get("scoring") == "all_or_nothing" or not wrong else -100 / wrong
    ET.SubElement(q, "single").text = "true" if single else "false"
    ET.SubElement(q, "shuffleanswers").text = "1"
    ET.SubElement(q, "answernumbering").text = "abc"
    for o in content["options"]:
        percent = (100.0 if o["correct"] else 0.0) if single else (100 / right if o["correct"] else penalty)
        _answer(q, percent, o["text"], o["feedback"], "markdown")


def _body(q: ET.Element, c: dict[str, Any], lost: list[str]) -> None:
    kind = c["type"]
    if kind in ("single_choice", "multiple_choice"):
        _options(q, c, kind == "single_choice")
    elif kind == "true_false":
        _answer(q, 100 if c["correct"] else 0, "true", c["feedback_true"])
        _answer(q, 0 if c["correct"] else 100, "false", c["feedback_false"])
    elif kind == "short_text":
        ET.SubElement(q, "usecase").text = "1" if c["case_sensitive"] else "0"
        for a, text in moodle_answers(c["answers"], lost):
            _answer(q, a["credit"] * 100, text, a["feedback"])
        if c.get("other_feedback"):
            _answer(q, 0, "*", c["other_feedback"])
    elif kind == "numeric":
        relative = c["tolerance_mode"] == "relative"
        if relative:
            lost.append(RELATIVE_TOLERANCE)
        for a in c["answers"]:
            node = _answer(q, a["credit"] * 100, f"{a['value']:g}", a["feedback"])
            ET.SubElement(node, "tolerance").text = f"{a['tolerance'] * (abs(a['value']) if relative else 1):g}"
        if c.get("other_feedback"):
            ET.SubElement(_answer(q, 0, "*", c["other_feedback"]), "tolerance").text = "0"
        # A required unit: Moodle grades the unit, and a missing or wrong one loses everything.
        ET.SubElement(q, "unitgradingtype").text = "1" if c["unit_required"] else "0"
        ET.SubElement(q, "unitpenalty").text = "1" if c["unit_required"] else "0"
        ET.SubElement(q, "showunits").text = "0" if c["units"] else "3"
        ET.SubElement(q, "unitsleft").text = "0"
        units = ET.SubElement(q, "units")
        for u in c["units"]:
            unit = ET.SubElement(units, "unit")
            ET.SubElement(unit, "multiplier").text = f"{u['multiplier']:g}"
            ET.SubElement(unit, "unit_name").text = u["unit"]
    elif kind == "matching":
        if c["scoring"] == "all_or_nothing":
            lost.append("all-or-nothing scoring left out: Moodle scores each match")
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
            _answer(q, 1, item["text"], fmt="markdown")
    elif kind == "essay":
        lost.append("rubric written as text into the grader information (Moodle grades essays without rubrics)")
        if any(lv.get("description") for cr in c["rubric"] for lv in cr["levels"]):
            lost.append("rubric level descriptions left out")
        ET.SubElement(q, "responseformat").text = "editor"
        _texted(q, "graderinfo", (c["grader_info"] + "\n\n" + rubric_text(c["rubric"])).strip())
        _texted(q, "responsetemplate", c["response_template"])


_TYPES = {"single_choice": "multichoice", "multiple_choice": "multichoice", "true_false": "truefalse",
          "short_text": "shortanswer", "numeric": "numerical"}


def _moodle_type(c: dict[str, Any], lost: list[str]) -> str:
    if c["type"] == "multiple_choice" and c["scoring"] == "all_or_nothing":
        lost.append("all-or-nothing scoring written as multichoiceset: Moodle needs the All-or-Nothing plugin")
        return "multichoiceset"
    return _TYPES.get(c["type"], c["type"])


def render_moodle_xml(contents: list[dict[str, Any]], files: MediaFiles | None = None) -> WrittenFile:
    """`files` gives the bytes of a linked media file (else links stay and are named as lost)."""
    written, root, category = WrittenFile(), ET.Element("quiz"), None
    root.append(ET.Comment(" Exported from SkillHub "))
    for c in contents:
        wanted, tags = category_and_tags(c)
        if wanted != category:  # back to the top for a question without skills
            holder = ET.SubElement(ET.SubElement(root, "question", type="category"), "category")
            ET.SubElement(holder, "text").text = "$course$/top" + (f"/{wanted}" if wanted else "")
            category = wanted
        lost: list[str] = []
        q = ET.SubElement(root, "question", type=_moodle_type(c, lost))
        _texted(q, "name", c["title"], None)
        _texted(q, "questiontext", render_cloze(c, lost) if c["type"] == "cloze" else c["prompt"])
        _texted(q, "generalfeedback", c.get("general_feedback", ""))
        ET.SubElement(q, "defaultgrade").text = "1"
        ET.SubElement(q, "hidden").text = "0"
        _body(q, c, lost)
        embed_media(q, files, lost)
        if tags:
            holder = ET.SubElement(q, "tags")
            for tag in tags:
                ET.SubElement(ET.SubElement(holder, "tag"), "text").text = tag
        for note in lost:  # "--" may not appear in an XML comment
            q.append(ET.Comment(" " + note.replace("--", "- -") + " "))
        written.warnings += [f"'{c['title']}': {note}" for note in lost]
    ET.indent(root)
    written.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return written
