"""What reading a question file (Moodle GIFT or Moodle XML) yields, and the conventions both
formats share with SkillHub's question content (commands/question_specs.py).

- Moodle's question category becomes the question's first skill (`$course$/top/Algebra/Linear`
  -> skill "Algebra/Linear"); further skills travel as tags "skill:<name>".
- Moodle answer fractions are percentages (100 = full marks); SkillHub credits are 0..1.
- Options, stems, items and blanks get short ids in file order: a, b, c... / s1, s2... / i1...
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from string import ascii_lowercase
from typing import Any

SKILL_TAG = "skill:"
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?>", re.IGNORECASE)


@dataclass
class ParsedFile:
    questions: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (index, raw content to validate)
    unsupported: list[dict[str, Any]] = field(default_factory=list)  # {index, name, type, reason}
    warnings: list[str] = field(default_factory=list)

    def skip(self, index: int, name: str, kind: str, reason: str) -> None:
        self.unsupported.append({"index": index, "name": name, "type": kind, "reason": reason})


def letter(i: int) -> str:
    """a..z, then aa, ab... zz, aaa... for any count (Moodle allows many options; validation
    then says how many SkillHub takes)."""
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = ascii_lowercase[rest] + name
    return name


def skill_of_category(path: str) -> str | None:
    parts = [p for p in path.strip().split("/") if p]
    while parts and parts[0] in ("$course$", "$system$", "$module$", "$cat1$", "top"):
        parts.pop(0)
    return "/".join(parts) or None


def skills_and_tags(category: str | None, tags: list[str]) -> tuple[list[str], list[str]]:
    skills = [category] if category else []
    skills += [t[len(SKILL_TAG):] for t in tags if t.startswith(SKILL_TAG)]
    return skills, [t for t in tags if not t.startswith(SKILL_TAG)]


def category_and_tags(content: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The reverse of skills_and_tags, for export."""
    skills = content.get("skills", [])
    return (skills[0] if skills else None), content.get("tags", []) + [SKILL_TAG + s for s in skills[1:]]


def credit(percent: float) -> float:
    return round(percent / 100, 6)


def plain_text(text: str, fmt: str) -> str:
    """Moodle HTML as plain text (paragraphs and line breaks kept)."""
    if fmt != "html":
        return text.strip()
    text = _BREAK.sub("\n", text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(_TAG.sub("", text))).strip()


def title_from(text: str) -> str:
    first = " ".join(text.split())
    return first[:60] + ("..." if len(first) > 60 else "") or "Untitled"
