"""Reading Moodle GIFT files (https://docs.moodle.org/en/GIFT_format).

Supported: multiple choice (one right answer -> single_choice; weighted ~%n% answers ->
multiple_choice), missing word (a choice inside the sentence), true/false, short answer,
matching, numerical (value:tolerance, ranges, several weighted answers) and essay.
Descriptions (text without an answer block) are not questions and are listed as unsupported,
as is anything that cannot be parsed. Tags come from Moodle's `// [tag:name]` comments of a
question (`skill:` tags are further skills), and `*` in a short answer is Moodle's wildcard.
"""

from __future__ import annotations

import re
from typing import Any

from adapters.moodle_gift_answers import answer_block
from adapters.moodle_gift_text import find, unescape
from adapters.question_files import ParsedFile, plain_text, skill_of_category, skills_and_tags, title_from

_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


# Moodle's `// [tag:name]` in a question's comments; `\]` stands for `]`.
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")


def _blocks(source: str) -> list[tuple[str, list[str]]]:
    """The questions' texts (blocks of lines between blank lines) with their tags."""
    blocks, current, tags = [], [], []
    for line in source.splitlines() + [""]:
        if line.lstrip().startswith("//"):
            tags += [t.replace("\\]", "]").strip() for t in _TAG.findall(line)]
        elif line.strip():
            current.append(line)
        elif current or tags:
            if current:
                blocks.append(("\n".join(current), tags))
            current, tags = [], []
    return blocks


def parse_gift(source: str) -> ParsedFile:
    result, category, index = ParsedFile(), None, 0
    for block, tags in _blocks(source):
        if block.startswith("$CATEGORY:"):
            category = skill_of_category(block[len("$CATEGORY:"):])
            continue
        index += 1
        try:
            question = _question(block, index, result)
        except (ValueError, IndexError) as e:
            result.skip(index, block[:60], "unknown", f"could not be read: {e}")
            continue
        if question is not None:
            skills, others = skills_and_tags(category, [t for t in tags if t])
            question.update(skills=skills, tags=others)
            result.questions.append((index, question))
    return result


def _question(block: str, index: int, result: ParsedFile) -> dict[str, Any] | None:
    title = None
    if block.startswith("::"):
        end = find(block, "::", 2)
        title, block = unescape(block[2:end]).strip(), block[end + 2:]
    opening = find(block, "{")
    if opening < 0:
        result.skip(index, title or title_from(block), "description", "a description without answers is not a question")
        return None
    closing = find(block, "}", opening)
    if closing < 0:
        raise ValueError("the answer block is not closed")
    before, inside, after = block[:opening], block[opening + 1:closing].strip(), block[closing + 1:]
    fmt = "plain"
    if (m := _FORMAT.match(before)) is not None:
        fmt, before = m.group(1).lower(), before[m.end():]
    prompt = plain_text(unescape(before), fmt)
    if after.strip():  # missing word: the answers stand for a gap in the sentence
        prompt = f"{prompt} _____ {plain_text(unescape(after), fmt)}".strip()
    general = ""
    if (at := find(inside, "####")) >= 0:
        inside, general = inside[:at].strip(), unescape(inside[at + 4:]).strip()
    question = {"title": title or title_from(prompt), "prompt": prompt, "general_feedback": general}
    return {**question, **answer_block(inside, question["title"], result)}
