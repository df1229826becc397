"""Assessment context: question banks and their questions.

A bank belongs to a teacher (their own questions, for any of their classes) or to a course
(its owner writes them). A question's content is one dict: its type, prompt, answer key,
feedback, skills and tags, already validated by commands/assessment/question_specs.py. Questions are
teaching material written for students, not personal data.

Quizzes never point at a question's current content: publishing a quiz copies the content
into the quiz version, so editing or retiring a question changes no published quiz.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import RuleBroken
from domain.event_conventions import Root


class BankOwner(StrEnum):
    TEACHER = "teacher"
    COURSE = "course"


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    SHORT_TEXT = "short_text"
    MATCHING = "matching"
    ORDERING = "ordering"
    CLOZE = "cloze"
    ESSAY = "essay"


class QuestionBank(Root):
    class Created(Root.Created):
        owner_kind: str
        owner_id: UUID  # the teacher, or the course
        title: str

        def apply(self, bank: QuestionBank) -> None:
            bank.owner_kind, bank.owner_id, bank.title = self.owner_kind, self.owner_id, self.title

    class Renamed(Root.Event):
        title: str

        def apply(self, bank: QuestionBank) -> None:
            bank.title = self.title

    @classmethod
    def create(cls, bank_id: UUID, owner_kind: BankOwner, owner_id: UUID, title: str) -> QuestionBank:
        return cls._create(cls.Created, id=bank_id, owner_kind=owner_kind.value, owner_id=owner_id, title=title)

    def rename(self, title: str) -> None:
        if title != self.title:
            self.trigger_event(self.Renamed, title=title)


class Question(Root):
    class Created(Root.Created):
        bank_id: UUID
        content: dict[str, Any]

        def apply(self, q: Question) -> None:
            q.bank_id, q.content, q.revision, q.retired = self.bank_id, self.content, 1, False

    class Revised(Root.Event):
        revision: int
        content: dict[str, Any]

        def apply(self, q: Question) -> None:
            q.content, q.revision = self.content, self.revision

    class Retired(Root.Event):
        def apply(self, q: Question) -> None:
            q.retired = True

    @classmethod
    def create(cls, question_id: UUID, bank_id: UUID, content: dict[str, Any]) -> Question:
        return cls._create(cls.Created, id=question_id, bank_id=bank_id, content=content)

    def revise(self, content: dict[str, Any]) -> None:
        if self.retired:
            raise RuleBroken("the question is retired")
        if content == self.content:
            raise RuleBroken("nothing changed")
        self.trigger_event(self.Revised, revision=self.revision + 1, content=content)

    def retire(self) -> None:
        if self.retired:
            raise RuleBroken("the question is already retired")
        self.trigger_event(self.Retired)

    @property
    def skills(self) -> list[str]:
        return self.content.get("skills", [])
