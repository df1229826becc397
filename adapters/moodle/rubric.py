"""An essay's rubric in Moodle XML. Moodle grades essays without rubrics, so the rubric travels
as readable text at the end of the grader information, which graders in Moodle see and which
SkillHub reads back on import:

    Rubric:
    - Ideas [ideas]: Weak [weak] = 0; Good [good] = 3
    - Style [style]: Poor [poor] = 0; Fine [fine] = 1

Level descriptions do not travel (the export names them as lost)."""

from __future__ import annotations

import re
from typing import Any

HEADING = "Rubric:"
_ID = r"\[([A-Za-z0-9_.-]{1,40})\]"
_CRITERION = re.compile(rf"^- (.+?) {_ID}: (.+)$")
_LEVEL = re.compile(rf"^(.+?) {_ID} = (-?\d+(?:\.\d+)?)$")


def rubric_text(rubric: list[dict[str, Any]]) -> str:
    lines = [
        f"- {c['title']} [{c['id']}]: " + "; ".join(f"{lv['label']} [{lv['id']}] = {lv['points']:g}" for lv in c["levels"])
        for c in rubric
    ]
    return "\n".join([HEADING, *lines])


def _criterion(line: str) -> dict[str, Any] | None:
    found = _CRITERION.match(line)
    if found is None:
        return None
    levels = [_LEVEL.match(part.strip()) for part in found.group(3).split("; ")]
    if not all(levels):
        return None
    return {"id": found.group(2), "title": found.group(1), "levels": [
        {"id": lv.group(2), "label": lv.group(1), "points": float(lv.group(3))} for lv in levels if lv]}


def split_rubric(grader_info: str) -> tuple[str, list[dict[str, Any]] | None]:
    """The grader information without a trailing rubric, and that rubric (None if there is none
    that reads back whole)."""
    at = grader_info.rfind(HEADING)
    if at < 0 or (at > 0 and grader_info[at - 1] != "\n"):
        return grader_info, None
    criteria = [_criterion(line.strip()) for line in grader_info[at + len(HEADING):].strip().splitlines()]
    if not criteria or not all(criteria):
        return grader_info, None
    return grader_info[:at].strip(), [c for c in criteria if c]
