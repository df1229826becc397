"""Building blocks of question specs (commands/assessment/question_specs.py): ids, texts, options,
accepted text and numeric answers with their credit, units, and the fields every type has.

Texts people format (prompts, options, stems, items, feedback) are Markdown
(adapters/documents/rich_text.py); titles, accepted answers, units, skills and tags are plain text.
An answer worth 0 credit is an expected wrong answer with its own feedback; `other_feedback`
answers whatever no listed answer matches (Moodle's `*` catch-all)."""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from commands.number_ranges import AnswerValue, Share, Tolerance, UnitMultiplier
from domain.grading_text import pattern_error

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Note = Annotated[str, StringConstraints(max_length=5000)]
Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=50)]
CLOZE_BLANK = re.compile(r"\{\{([A-Za-z0-9_.-]{1,40})\}\}")


def _unique(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"{what} ids must be unique")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(Strict):
    id: Id
    text: Text
    correct: bool = False
    feedback: Note = ""


class TextAnswer(Strict):
    text: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    regex: bool = Field(default=False, description="a regular expression the whole answer must match")
    credit: Share = Field(default=1.0, description="0 for an expected wrong answer with its feedback")
    feedback: Note = ""

    @model_validator(mode="after")
    def pattern_compiles(self) -> Self:
        if self.regex and (error := pattern_error(self.text)):
            # RE2's syntax: what Python's re has, less backreferences and lookaround.
            raise ValueError(f"not a regular expression SkillHub can match (RE2 syntax): {error}")
        return self


class NumericAnswer(Strict):
    value: AnswerValue
    tolerance: Tolerance = 0.0
    credit: Share = Field(default=1.0, description="0 for an expected wrong answer with its feedback")
    feedback: Note = ""


class Unit(Strict):
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    multiplier: UnitMultiplier = Field(description="how many of this unit make one base unit")


OtherFeedback = Annotated[str, StringConstraints(max_length=5000), Field(
    description="feedback for an answer none of the listed answers matches")]


class TextRules(Strict):
    answers: list[TextAnswer] = Field(min_length=1, max_length=50)
    case_sensitive: bool = False
    other_feedback: OtherFeedback = ""

    @model_validator(mode="after")
    def one_full_answer(self) -> Self:
        if max(a.credit for a in self.answers) < 1:
            raise ValueError("at least one accepted answer must earn full credit")
        return self


class NumericRules(Strict):
    answers: list[NumericAnswer] = Field(min_length=1, max_length=20)
    tolerance_mode: Literal["absolute", "relative"] = "absolute"
    units: list[Unit] = Field(default_factory=list, max_length=20)
    unit_required: bool = False
    other_feedback: OtherFeedback = ""

    @model_validator(mode="after")
    def sound_units(self) -> Self:
        if max(a.credit for a in self.answers) < 1:
            raise ValueError("at least one answer must earn full credit")
        _unique([u.unit for u in self.units], "unit")
        if self.units and not any(u.multiplier == 1 for u in self.units):
            raise ValueError("one unit must be the base unit (multiplier 1)")
        return self


def check_choices(options: list[Option], single: bool) -> None:
    _unique([o.id for o in options], "option")
    right = sum(o.correct for o in options)
    if single and right != 1:
        raise ValueError("exactly one option must be correct")
    if not single and right < 1:
        raise ValueError("at least one option must be correct")


class Common(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    general_feedback: Note = ""
    skills: list[Skill] = Field(default_factory=list, max_length=20)
    tags: list[Tag] = Field(default_factory=list, max_length=30)
