"""What reading a question file (Moodle GIFT or Moodle XML) yields, and the conventions both
formats share with SkillHub's question content (commands/assessment/question_specs.py).

- Moodle's question category becomes the question's first skill (`$course$/top/Algebra/Linear`
  -> skill "Algebra/Linear"); further skills travel as tags "skill:<name>".
- Moodle answer fractions are percentages (100 = full marks); SkillHub credits are 0..1.
- Options, stems, items and blanks get short ids in file order: a, b, c... / s1, s2... / i1...
- Texts people format become Markdown, and embedded files travel beside the questions until the
  import stores them (adapters/moodle/question_texts.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from string import ascii_lowercase
from typing import Any

from adapters.moodle.question_texts import FILE_LINK, EmbeddedFile

SKILL_TAG = "skill:"
RELATIVE_TOLERANCE = "relative tolerance written as absolute (grades the same)"
CLOZE_BLANK = re.compile(r"\{\{([A-Za-z0-9_.-]{1,40})\}\}")  # as commands/assessment/question_parts.py marks blanks
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?>", re.IGNORECASE)


@dataclass
class WrittenFile:
    """An export: the file, and what the format could not carry, never dropped silently (also
    written as comments in the file): `warnings` ("'title': what was lost") and `not_exported`
    ({index, title, type, reason}) for questions the format cannot hold at all."""

    text: str = ""
    warnings: list[str] = field(default_factory=list)
    not_exported: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ParsedFile:
    questions: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (index, raw content to validate)
    unsupported: list[dict[str, Any]] = field(default_factory=list)  # {index, name, type, reason}
    warnings: list[str] = field(default_factory=list)
    files: list[EmbeddedFile] = field(default_factory=list)

    def embed(self, name: str, data: bytes, missing: str = "") -> str:
        """The link standing for the file in a text."""
        self.files.append(EmbeddedFile(name, data, missing))
        return f"{FILE_LINK}{len(self.files) - 1}"

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


def wildcard_answer(text: str) -> dict[str, Any]:
    """Moodle's short-answer `*` (or a run of them) matches anything, `\\*` is a star; with a
    wildcard the answer becomes a regular expression."""
    parts = [p.replace("\\*", "*") for p in re.split(r"(?<!\\)\*+", text)]
    if len(parts) == 1:
        return {"text": parts[0], "regex": False}
    return {"text": ".*".join(re.escape(part) for part in parts), "regex": True}


def wildcard_of(pattern: str) -> str | None:
    """The Moodle wildcard text a regular expression stands for (the reverse of wildcard_answer),
    or None when it is any other pattern, which Moodle cannot express."""
    pieces = pattern.split(".*")
    texts = [re.sub(r"\\(.)", r"\1", piece, flags=re.DOTALL) for piece in pieces]
    if any(re.escape(text) != piece for text, piece in zip(texts, pieces, strict=True)):
        return None
    return "*".join(text.replace("*", "\\*") for text in texts)


def moodle_text(answer: dict[str, Any]) -> str | None:
    """A short-text answer as Moodle writes it (`*` wildcards, `\\*` for a star), or None for a
    regular expression that is not a wildcard, which Moodle cannot express."""
    if answer.get("regex"):
        return wildcard_of(answer["text"])
    return answer["text"].replace("*", "\\*")


def warn_uneven_weights(name: str, percents: list[float], warn: Callable[[str], None]) -> None:
    """SkillHub scores a multiple-response question right minus wrong: each right option
    100/right %, each wrong one -100/wrong %. Other Moodle weights (70/30, wrong options at 0 %)
    change the scores, so they are named."""
    right = [p for p in percents if p > 0]
    wrong = [p for p in percents if p <= 0]
    if not right:
        return  # no right option: validation refuses the question
    expected = [100 / len(right)] * len(right) + ([-100 / len(wrong)] * len(wrong) if wrong else [])
    if any(abs(got - want) > 0.01 for got, want in zip(right + wrong, expected, strict=True)):
        shown = ", ".join(f"{p:g}%" for p in percents)
        warn(f"'{name}': answer weights ({shown}) imported as right minus wrong: each right option"
                        f" {100 / len(right):.4g}%, each wrong one {-100 / len(wrong) if wrong else 0:.4g}%")


def moodle_answers(answers: list[dict[str, Any]], lost: list[str], where: str = "") -> list[tuple[dict[str, Any], str]]:
    """The short-text answers Moodle can express, each with its text (moodle_text); the others
    are named in `lost`."""
    kept = []
    for answer in answers:
        text = moodle_text(answer)
        if text is None:
            lost.append(f"regular-expression answer{where} left out: {answer['text']}")
        else:
            kept.append((answer, text))
    return kept


def credit(percent: float) -> float:
    return round(percent / 100, 6)


def plain_text(text: str, fmt: str) -> str:
    """Moodle HTML as plain text, for what is no rich text (names, accepted answers, choices)."""
    if fmt != "html":
        return text.strip()
    text = _BREAK.sub("\n", text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(_TAG.sub("", text))).strip()


def title_from(text: str) -> str:
    first = " ".join(text.split())
    return first[:60] + ("..." if len(first) > 60 else "") or "Untitled"
