"""A question drafted by a machine from a lesson's text: it goes to the course's owner, never to
students. Approving it creates a real question in one of the course's banks (the owner may edit
it first); rejecting it keeps the record. Each draft names the sentence it came from, the
generator and its version, and the log position of the course text it was made from."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.errors import RuleBroken
from domain.event_conventions import Root


class QuestionDraft(Root):
    class Generated(Root.Created):
        course_id: UUID
        lesson_id: UUID
        content: dict[str, Any]  # a question as commands/assessment/question_specs.py validates it
        source_sentence: str
        generator: str  # e.g. "offline-v1", or "chat:<model>" for an OpenAI-compatible endpoint
        source_position: int

        def apply(self, d: QuestionDraft) -> None:
            d.course_id, d.lesson_id, d.content, d.status = self.course_id, self.lesson_id, self.content, "draft"
            d.question_id = None

    class Approved(Root.Event):
        question_id: UUID
        bank_id: UUID
        content: dict[str, Any]  # as approved, edits included

        def apply(self, d: QuestionDraft) -> None:
            d.status, d.question_id, d.content = "approved", self.question_id, self.content

    class Rejected(Root.Event):
        reason: str

        def apply(self, d: QuestionDraft) -> None:
            d.status = "rejected"

    @classmethod
    def generate(cls, draft_id: UUID, course_id: UUID, lesson_id: UUID, content: dict[str, Any],
                 source_sentence: str, generator: str, source_position: int) -> QuestionDraft:
        return cls._create(cls.Generated, id=draft_id, course_id=course_id, lesson_id=lesson_id, content=content,
                           source_sentence=source_sentence, generator=generator, source_position=source_position)

    def _require_open(self) -> None:
        if self.status != "draft":
            raise RuleBroken(f"the draft was already {self.status}")

    def approve(self, question_id: UUID, bank_id: UUID, content: dict[str, Any]) -> None:
        self._require_open()
        self.trigger_event(self.Approved, question_id=question_id, bank_id=bank_id, content=content)

    def reject(self, reason: str) -> None:
        self._require_open()
        self.trigger_event(self.Rejected, reason=reason)
