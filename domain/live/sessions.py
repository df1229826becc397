"""A live session: an exam (linked to a quiz) or a study session (a quiz as its practice set),
for a class or chosen students, with examiners and rules. Scheduling, rescheduling, cancelling,
opening, pausing, extra time, the end and the study questions are events of this aggregate;
what each person does during it lives on their seat (domain/live/seats.py), so 300 students
never race on one aggregate.

Time: `ends_at` is the planned end; every pause moves it by the pause's length; a student with
extra time works until `ends_at` plus their extra seconds, and the session closes for everyone
at the last of those moments.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import InvalidInput, Locked, RuleBroken
from domain.event_conventions import Root


class Kind(StrEnum):
    EXAM = "exam"
    STUDY = "study"


class Status(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    PAUSED = "paused"
    ENDED = "ended"
    CANCELLED = "cancelled"


class LiveSession(Root):
    class Scheduled(Root.Created):
        kind: str
        class_id: UUID
        quiz_id: UUID
        title: str
        student_ids: list[UUID] | None  # None: whoever is in the class
        examiner_ids: list[UUID]
        starts_at: datetime
        duration_seconds: int
        rules: dict[str, Any]  # commands/live/scheduling.py Rules

        def apply(self, s: LiveSession) -> None:
            s.kind, s.class_id, s.quiz_id, s.title = self.kind, self.class_id, self.quiz_id, self.title
            s.student_ids, s.examiner_ids, s.rules = self.student_ids, self.examiner_ids, self.rules
            s.starts_at, s.ends_at = self.starts_at, self.starts_at + timedelta(seconds=self.duration_seconds)
            s.status, s.paused_at, s.extra, s.pushed, s.revealed = Status.SCHEDULED, None, {}, [], []
            s.scheduled_by = self.actor_id

    class Rescheduled(Root.Event):
        starts_at: datetime
        duration_seconds: int
        reason: str

        def apply(self, s: LiveSession) -> None:
            s.starts_at, s.ends_at = self.starts_at, self.starts_at + timedelta(seconds=self.duration_seconds)

    class Cancelled(Root.Event):
        reason: str

        def apply(self, s: LiveSession) -> None:
            s.status = Status.CANCELLED

    class Opened(Root.Event):
        at: datetime

        def apply(self, s: LiveSession) -> None:
            s.status = Status.OPEN

    class Paused(Root.Event):
        at: datetime
        reason: str

        def apply(self, s: LiveSession) -> None:
            s.status, s.paused_at = Status.PAUSED, self.at

    class Resumed(Root.Event):
        at: datetime
        ends_at: datetime

        def apply(self, s: LiveSession) -> None:
            s.status, s.paused_at, s.ends_at = Status.OPEN, None, self.ends_at

    class ExtraTimeGiven(Root.Event):
        student_id: UUID
        seconds: int  # in all, for this student
        reason: str

        def apply(self, s: LiveSession) -> None:
            s.extra = {**s.extra, str(self.student_id): self.seconds}

    class Ended(Root.Event):
        at: datetime
        reason: str  # "on time", or the examiner's reason for ending early
        early: bool
        submitted_attempt_ids: list[UUID]

        def apply(self, s: LiveSession) -> None:
            s.status = Status.ENDED

    class QuestionPushed(Root.Event):
        question_id: str
        question: dict[str, Any]  # as students see it: no key

        def apply(self, s: LiveSession) -> None:
            s.pushed = [*s.pushed, self.question_id]

    class QuestionRevealed(Root.Event):
        question_id: str
        distribution: dict[str, int]
        answer_key: dict[str, Any] | None

        def apply(self, s: LiveSession) -> None:
            s.revealed = [*s.revealed, self.question_id]

    @classmethod
    def schedule(cls, session_id: UUID, **fields: Any) -> LiveSession:
        return cls._create(cls.Scheduled, id=session_id, **fields)

    # Rules ------------------------------------------------------------------------------

    @property
    def live(self) -> bool:
        return self.status in (Status.OPEN, Status.PAUSED)

    def end_for(self, student_id: UUID) -> datetime:
        return self.ends_at + timedelta(seconds=self.extra.get(str(student_id), 0))

    def require_answering(self, student_id: UUID, now: datetime) -> None:
        """A student answers and submits a live exam attempt only while the exam runs and their
        own time (with extra time) lasts, whichever route they use."""
        if self.status == Status.PAUSED:
            raise Locked("the exam is paused: answers wait until the examiner resumes it")
        if self.status != Status.OPEN:
            raise RuleBroken(f"the exam is {self.status.value}")
        if now >= self.end_for(student_id):
            raise RuleBroken("time is up: your time in this live exam is over")

    @property
    def closes_at(self) -> datetime:
        return self.ends_at + timedelta(seconds=max(self.extra.values(), default=0))

    def _require(self, *allowed: Status) -> None:
        if self.status not in allowed:
            raise RuleBroken(f"the session is {self.status.value}")

    def reschedule(self, starts_at: datetime, duration_seconds: int, reason: str) -> None:
        self._require(Status.SCHEDULED)
        self.trigger_event(self.Rescheduled, starts_at=starts_at, duration_seconds=duration_seconds, reason=reason)

    def cancel(self, reason: str) -> None:
        self._require(Status.SCHEDULED)
        self.trigger_event(self.Cancelled, reason=reason)

    def open(self, now: datetime) -> bool:
        """False when there is nothing to do (already open, or not yet time)."""
        if self.status != Status.SCHEDULED or now < self.starts_at:
            return False
        self.trigger_event(self.Opened, at=now)
        return True

    def pause(self, now: datetime, reason: str) -> None:
        self._require(Status.OPEN)
        self.trigger_event(self.Paused, at=now, reason=reason)

    def resume(self, now: datetime) -> None:
        self._require(Status.PAUSED)
        self.trigger_event(self.Resumed, at=now, ends_at=self.ends_at + (now - self.paused_at))

    def give_extra_time(self, student_id: UUID, seconds: int, reason: str, students: frozenset[UUID]) -> None:
        self._require(Status.SCHEDULED, Status.OPEN, Status.PAUSED)
        if student_id not in students:
            raise InvalidInput("not a student of this session", fields={"student_id": "not in this session"})
        total = self.extra.get(str(student_id), 0) + seconds
        self.trigger_event(self.ExtraTimeGiven, student_id=student_id, seconds=total, reason=reason)

    def end(self, now: datetime, reason: str, early: bool, submitted: list[UUID]) -> None:
        self._require(Status.OPEN, Status.PAUSED)
        self.trigger_event(self.Ended, at=now, reason=reason, early=early, submitted_attempt_ids=submitted)

    def push_question(self, question_id: str, question: dict[str, Any]) -> None:
        self._require(Status.OPEN)
        if self.kind != Kind.STUDY:
            raise RuleBroken("questions are pushed in study sessions only")
        self.trigger_event(self.QuestionPushed, question_id=question_id, question=question)

    def reveal(self, question_id: str, distribution: dict[str, int], answer_key: dict[str, Any] | None) -> None:
        self._require(Status.OPEN, Status.PAUSED, Status.ENDED)
        if question_id not in self.pushed:
            raise InvalidInput("this question was not pushed", fields={"question_id": "not pushed"})
        if question_id in self.revealed:
            raise RuleBroken("already revealed")
        self.trigger_event(self.QuestionRevealed, question_id=question_id, distribution=distribution,
                           answer_key=answer_key)
