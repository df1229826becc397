"""The two composite question types: cloze (blanks graded like short text, numbers or a
choice, marked {{id}} in the prompt) and essay (graded by a person with a rubric)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from commands.assessment.question_parts import (
    CLOZE_BLANK,
    Common,
    Id,
    Note,
    NumericRules,
    Option,
    Strict,
    TextRules,
    check_choices,
)
from commands.number_ranges import PositiveWeight, RubricPoints


class TextBlank(TextRules):
    id: Id
    kind: Literal["short_text"]
    weight: PositiveWeight = 1.0


class NumberBlank(NumericRules):
    id: Id
    kind: Literal["numeric"]
    weight: PositiveWeight = 1.0


class ChoiceBlank(Strict):
    id: Id
    kind: Literal["choice"]
    options: list[Option] = Field(min_length=2, max_length=26)
    weight: PositiveWeight = 1.0

    @model_validator(mode="after")
    def one_right(self) -> Self:
        check_choices(self.options, single=True)
        return self


class Cloze(Common):
    """The prompt marks each blank as {{blank-id}}."""

    type: Literal["cloze"]
    blanks: list[Annotated[TextBlank | NumberBlank | ChoiceBlank, Field(discriminator="kind")]] = Field(
        min_length=1, max_length=50)

    @model_validator(mode="after")
    def blanks_in_prompt(self) -> Self:
        marked = CLOZE_BLANK.findall(self.prompt)
        if sorted(marked) != sorted(b.id for b in self.blanks) or len(set(marked)) != len(marked):
            raise ValueError("the prompt must mark every blank exactly once as {{blank-id}}")
        return self


class Level(Strict):
    id: Id
    label: Annotated[str, Field(min_length=1, max_length=200)]
    points: RubricPoints
    description: Note = ""


class Criterion(Strict):
    id: Id
    title: Annotated[str, Field(min_length=1, max_length=200)]
    levels: list[Level] = Field(min_length=2, max_length=10)


def default_rubric() -> list[Criterion]:
    levels = [("missing", "Missing", 0), ("weak", "Weak", 1), ("adequate", "Adequate", 2), ("strong", "Strong", 3)]
    return [Criterion(id="overall", title="Overall", levels=[Level(id=i, label=n, points=p) for i, n, p in levels])]


class Essay(Common):
    type: Literal["essay"]
    rubric: list[Criterion] = Field(default_factory=default_rubric, min_length=1, max_length=20)
    response_template: Note = ""
    grader_info: Note = Field(default="", description="notes for graders; never shown to students")

    @model_validator(mode="after")
    def sound_rubric(self) -> Self:
        if len({c.id for c in self.rubric}) != len(self.rubric):
            raise ValueError("criterion ids must be unique")
        for c in self.rubric:
            if len({lv.id for lv in c.levels}) != len(c.levels):
                raise ValueError(f"level ids of criterion {c.id} must be unique")
        if sum(max(lv.points for lv in c.levels) for c in self.rubric) <= 0:
            raise ValueError("the rubric must be worth some points")
        return self
