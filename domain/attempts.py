"""Assessment context: one student's attempt at one quiz version.

An attempt starts with its layout (questions, points, option orders) and its deadline, saves
each answer as one event, and is submitted by the student or, at the deadline, by the system
with what it holds. The deadline is checked on every change, so a late answer is refused even
when no worker submitted the attempt on time. Grades are recorded at submission, by a person
for essays, and again when a corrected answer key re-grades the saved answers.

Answers typed by the student (and a grader's comment on them) are personal data, sealed with
the student's key. The id of attempt N of a student is derived from (quiz, student, N): two
starts of the same attempt at once collide in the store and only one is saved.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from domain.answers import TEXT_TYPES
from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root
from domain.quizzes import FeedbackMode


def attempt_id(quiz_id: UUID, student_id: UUID, number: int) -> UUID:
    return uuid5(quiz_id, f"attempt:{student_id}:{number}")


class Attempt(Root):
    class Started(Root.Created):
        personal_subject = "student_id"  # the aggregate is this person's: all its events are about them
        quiz_id: UUID
        quiz_version: int
        student_id: UUID
        number: int
        seed: int
        questions: list[dict[str, Any]]  # [{question_id, points, order}], as shown
        started_at: datetime
        deadline: datetime | None
        feedback_mode: str
        live_session_id: UUID | None  # started in a live exam: its session's state gates every change
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["live_session_id"] = None  # live exams came later

        def apply(self, a: Attempt) -> None:
            a.quiz_id, a.quiz_version, a.student_id, a.number = self.quiz_id, self.quiz_version, self.student_id, self.number
            a.layout, a.deadline, a.feedback_mode = self.questions, self.deadline, self.feedback_mode
            a.live_session_id = self.live_session_id
            a.answers, a.grades, a.submitted_at = {}, {}, None

    class AnswerSaved(Root.Event):
        student_id: UUID
        question_id: str
        answer: dict[str, Any]
        saved_at: datetime

        def apply(self, a: Attempt) -> None:
            a.answers[self.question_id] = self.answer

    class TextAnswerSaved(Root.Event):
        student_id: UUID
        question_id: str
        answer: dict[str, Any]
        saved_at: datetime
        personal_fields = ("answer",)
        personal_subject = "student_id"

        def apply(self, a: Attempt) -> None:
            a.answers[self.question_id] = self.answer

    class Submitted(Root.Event):
        reason: str  # "student" or "deadline"
        submitted_at: datetime
        grades: dict[str, dict[str, Any]]

        def apply(self, a: Attempt) -> None:
            a.submitted_at, a.grades = self.submitted_at, self.grades

    class EssayGraded(Root.Event):
        student_id: UUID
        question_id: str
        levels: dict[str, str]
        grade: dict[str, Any]
        comment: str
        personal_fields = ("comment",)
        personal_subject = "student_id"

        def apply(self, a: Attempt) -> None:
            a.grades = {**a.grades, self.question_id: self.grade}

    class Regraded(Root.Event):
        quiz_version: int
        question_id: str
        grade: dict[str, Any]

        def apply(self, a: Attempt) -> None:
            a.grades = {**a.grades, self.question_id: self.grade}

    @classmethod
    def start(
        cls, quiz_id: UUID, quiz_version: int, student_id: UUID, number: int, seed: int,
        layout: list[dict[str, Any]], started_at: datetime, deadline: datetime | None, feedback_mode: str,
        live_session_id: UUID | None = None,
    ) -> Attempt:
        return cls._create(
            cls.Started, id=attempt_id(quiz_id, student_id, number), quiz_id=quiz_id, quiz_version=quiz_version,
            student_id=student_id, number=number, seed=seed, questions=layout, started_at=started_at,
            deadline=deadline, feedback_mode=feedback_mode, live_session_id=live_session_id,
        )

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def overdue(self, now: datetime) -> bool:
        return not self.submitted and self.deadline is not None and now >= self.deadline

    def points_of(self, question_id: str) -> float:
        for entry in self.layout:
            if entry["question_id"] == question_id:
                return entry["points"]
        raise InvalidInput(f"question {question_id} is not part of this attempt", fields={"question_id": "not in this attempt"})

    def save_answer(self, question: dict[str, Any], question_id: str, answer: dict[str, Any], now: datetime) -> None:
        self.points_of(question_id)
        if self.submitted:
            raise RuleBroken("the attempt is already submitted")
        if self.overdue(now):
            raise RuleBroken("time is up: answers after the deadline are not accepted")
        if self.feedback_mode == FeedbackMode.IMMEDIATE and question_id in self.answers:
            raise RuleBroken("with immediate feedback an answer is final once saved")
        event = self.TextAnswerSaved if question["type"] in TEXT_TYPES else self.AnswerSaved
        self.trigger_event(event, student_id=self.student_id, question_id=question_id, answer=answer, saved_at=now)

    def submit(self, grades: dict[str, dict[str, Any]], now: datetime) -> str:
        """After the deadline the attempt counts as submitted at the deadline, with what it held."""
        if self.submitted:
            raise RuleBroken("the attempt is already submitted")
        late = self.overdue(now)
        reason = "deadline" if late else "student"
        self.trigger_event(self.Submitted, reason=reason, submitted_at=self.deadline if late else now, grades=grades)
        return reason

    def grade_essay(self, question_id: str, levels: dict[str, str], grade: dict[str, Any], comment: str) -> None:
        if not self.submitted:
            raise RuleBroken("essays are graded after the attempt is submitted")
        if self.grades.get(question_id, {}).get("state") == "unanswered":
            raise RuleBroken("the student left this essay blank")
        self.trigger_event(self.EssayGraded, student_id=self.student_id, question_id=question_id,
                           levels=levels, grade=grade, comment=comment)

    def regrade(self, question_id: str, grade: dict[str, Any]) -> bool:
        """Only a changed grade is recorded; returns whether one was."""
        if not self.submitted or question_id not in self.grades or self.grades[question_id] == grade:
            return False
        self.trigger_event(self.Regraded, quiz_version=self.quiz_version, question_id=question_id, grade=grade)
        return True
