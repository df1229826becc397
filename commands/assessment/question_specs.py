"""The shape of a question of each type, as the API, the Moodle importers and answer-key
corrections accept it. `QuestionSpec` validates one (the `type` field picks the model);
`content_of` gives the plain JSON dict the events store (see domain/question_bank.py)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, TypeAdapter, model_validator

from commands.assessment.cloze_and_essay import Cloze, Essay
from commands.assessment.question_parts import (
    Common,
    Id,
    Note,
    NumericRules,
    Option,
    Strict,
    Text,
    TextRules,
    check_choices,
)
from domain.errors import InvalidInput
from domain.storable_text import unstorable

MAX_QUESTION_BYTES = 64 * 1024


class SingleChoice(Common):
    type: Literal["single_choice"]
    options: list[Option] = Field(min_length=2, max_length=26)

    @model_validator(mode="after")
    def one_right(self) -> Self:
        check_choices(self.options, single=True)
        return self


class MultipleChoice(Common):
    type: Literal["multiple_choice"]
    options: list[Option] = Field(min_length=2, max_length=26)
    scoring: Literal["all_or_nothing", "right_minus_wrong"] = "right_minus_wrong"

    @model_validator(mode="after")
    def some_right(self) -> Self:
        check_choices(self.options, single=False)
        return self


class TrueFalse(Common):
    type: Literal["true_false"]
    correct: bool
    feedback_true: Note = ""
    feedback_false: Note = ""


class Numeric(Common, NumericRules):
    type: Literal["numeric"]


class ShortText(Common, TextRules):
    type: Literal["short_text"]


class Entry(Strict):
    id: Id
    text: Text


class Stem(Entry):
    choice_id: Id


class Matching(Common):
    type: Literal["matching"]
    stems: list[Stem] = Field(min_length=2, max_length=30)
    choices: list[Entry] = Field(min_length=2, max_length=40, description="answers; unused ones are distractors")
    scoring: Literal["partial", "all_or_nothing"] = "partial"

    @model_validator(mode="after")
    def stems_point_at_choices(self) -> Self:
        ids = {c.id for c in self.choices}
        if len(ids) != len(self.choices) or len({s.id for s in self.stems}) != len(self.stems):
            raise ValueError("stem and choice ids must be unique")
        if any(s.choice_id not in ids for s in self.stems):
            raise ValueError("every stem's choice_id must be one of the choices")
        return self


class Ordering(Common):
    type: Literal["ordering"]
    items: list[Entry] = Field(min_length=2, max_length=30, description="in the right order")
    scoring: Literal["positions", "all_or_nothing"] = "positions"

    @model_validator(mode="after")
    def unique_items(self) -> Self:
        if len({i.id for i in self.items}) != len(self.items):
            raise ValueError("item ids must be unique")
        return self


QuestionSpec = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Numeric | ShortText | Matching | Ordering | Cloze | Essay,
    Field(discriminator="type"),
]
SPEC = TypeAdapter(QuestionSpec)


def content_of(spec: BaseModel) -> dict[str, Any]:
    """Plain JSON; skills and tags without duplicates; text the read models can store
    (domain/storable_text.py). Its size is bounded (each field is, but
    not their sum): quiz versions copy questions, and one oversized event can stall the event
    store (commands/bounded_saves.py)."""
    content = spec.model_dump(mode="json")
    content["skills"] = list(dict.fromkeys(content["skills"]))
    content["tags"] = list(dict.fromkeys(content["tags"]))
    if found := unstorable(content, "question"):
        raise InvalidInput(f"{found[0]} {found[1]}", fields={found[0]: found[1]})
    size = len(json.dumps(content))
    if size > MAX_QUESTION_BYTES:
        raise InvalidInput(f"a question may hold at most {MAX_QUESTION_BYTES // 1024} KiB of text; this one has"
                           f" {size // 1024} KiB", fields={"question": "too long in total"})
    return content


def validate_content(raw: Any) -> dict[str, Any]:
    """For data that did not come through the API's own validation (imports)."""
    return content_of(SPEC.validate_python(raw))
