"""Reading Moodle GIFT files (https://docs.moodle.org/en/GIFT_format).

Supported: multiple choice (one right answer -> single_choice; weighted ~%n% answers ->
multiple_choice), missing word (a choice inside the sentence), true/false, short answer,
matching, numerical (value:tolerance, ranges, several weighted answers) and essay.
Descriptions (text without an answer block) are not questions and are listed as unsupported,
as is anything that cannot be parsed. Tags come from Moodle's `// [tag:name]` comments of a
question (`skill:` tags are further skills), and `*` in a short answer is Moodle's wildcard.
Texts become Markdown according to their format marker (moodle_gift_text.GiftTexts).
"""

from __future__ import annotations

import re
from typing import Any

from adapters.moodle.gift_answers import answer_block
from adapters.moodle.gift_text import GiftTexts, find, marked, unescape
from adapters.moodle.question_files import (
    ParsedFile,
    skill_of_category,
    skills_and_tags,
    title_from,
)

# Stands for the gap of a missing-word question while the text is converted (no Markdown in it).
_GAP = "SkillHubMissingWordGap"


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
    fmt, before = marked(before, "moodle")
    texts = GiftTexts(fmt)
    if after.strip():  # missing word: the answers stand for a gap in the sentence
        before = f"{before.rstrip()} {_GAP} {after.lstrip()}"
    prompt = texts(before).replace(_GAP, "_____")
    general = ""
    if (at := find(inside, "####")) >= 0:
        inside, general = inside[:at].strip(), texts(inside[at + 4:])
    name = title or title_from(prompt)
    question = {"title": name, "prompt": prompt, "general_feedback": general, **answer_block(inside, name, result, texts)}
    texts.report(name, result.warnings)
    return question
