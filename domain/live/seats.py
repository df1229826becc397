"""One person's seat in a live session: their connections and drops, the live exam attempt
they work on and each answer's grade as it arrives, their study answers, and the integrity
signals their page reports (leaving the page, losing focus: facts for the examiner, never a
verdict). The seat's id is derived from (session, person), so it needs no look-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from domain.errors import RuleBroken
from domain.event_conventions import Root

INTEGRITY_KINDS = ("focus_lost", "focus_back", "page_hidden", "page_visible", "left_page")
CAMERA_KINDS = ("camera_off", "camera_on")  # recorded from the page's media reports when the camera is required


def seat_id(session_id: UUID, person_id: UUID) -> UUID:
    return uuid5(session_id, f"seat:{person_id}")


class LiveSeat(Root):
    class Taken(Root.Created):
        session_id: UUID
        person_id: UUID
        personal_subject = "person_id"

        def apply(self, seat: LiveSeat) -> None:
            seat.session_id, seat.person_id = self.session_id, self.person_id
            seat.connections, seat.attempt_id, seat.study_answers = 0, None, {}
            seat.camera, seat.camera_waived = None, None  # None: no report yet; the waiver's reason

    class Connected(Root.Event):
        session_id: UUID
        person_id: UUID
        connection_id: UUID
        at: datetime

        def apply(self, seat: LiveSeat) -> None:
            seat.connections += 1

    class Dropped(Root.Event):
        session_id: UUID
        person_id: UUID
        connection_id: UUID
        at: datetime
        reason: str  # "closed", "token expired", "session ended", ...

        def apply(self, seat: LiveSeat) -> None:
            seat.connections = max(0, seat.connections - 1)

    class ExamStarted(Root.Event):
        session_id: UUID
        person_id: UUID
        attempt_id: UUID
        questions: int

        def apply(self, seat: LiveSeat) -> None:
            seat.attempt_id = self.attempt_id

    class AnswerGraded(Root.Event):
        session_id: UUID
        person_id: UUID
        question_id: str
        grade: dict[str, Any]
        at: datetime

        def apply(self, seat: LiveSeat) -> None:
            pass

    class StudyAnswered(Root.Event):
        session_id: UUID
        person_id: UUID
        question_id: str
        choice: str  # what the distribution counts: the option chosen, or the answer's state
        state: str

        def apply(self, seat: LiveSeat) -> None:
            seat.study_answers = {**seat.study_answers, self.question_id: self.choice}

    class IntegritySignal(Root.Event):
        session_id: UUID
        person_id: UUID
        kind: str
        at: datetime

        def apply(self, seat: LiveSeat) -> None:
            if self.kind in CAMERA_KINDS:
                seat.camera = self.kind == "camera_on"

    class CameraWaived(Root.Event):
        """An examiner lets this student work without a camera, with a reason."""

        session_id: UUID
        person_id: UUID
        reason: str
        at: datetime

        def apply(self, seat: LiveSeat) -> None:
            seat.camera_waived = self.reason

    @classmethod
    def take(cls, session_id: UUID, person_id: UUID) -> LiveSeat:
        return cls._create(cls.Taken, id=seat_id(session_id, person_id), session_id=session_id, person_id=person_id)

    def _fields(self) -> dict[str, UUID]:
        return {"session_id": self.session_id, "person_id": self.person_id}

    def connect(self, connection_id: UUID, now: datetime) -> None:
        self.trigger_event(self.Connected, connection_id=connection_id, at=now, **self._fields())

    def drop(self, connection_id: UUID, now: datetime, reason: str) -> None:
        self.trigger_event(self.Dropped, connection_id=connection_id, at=now, reason=reason, **self._fields())

    def start_exam(self, attempt_id: UUID, questions: int) -> None:
        self.trigger_event(self.ExamStarted, attempt_id=attempt_id, questions=questions, **self._fields())

    def graded(self, question_id: str, grade: dict[str, Any], now: datetime) -> None:
        self.trigger_event(self.AnswerGraded, question_id=question_id, grade=grade, at=now, **self._fields())

    def answer_study(self, question_id: str, choice: str, state: str) -> None:
        if question_id in self.study_answers:
            raise RuleBroken("you already answered this question")
        self.trigger_event(self.StudyAnswered, question_id=question_id, choice=choice, state=state, **self._fields())

    def signal(self, kind: str, now: datetime) -> None:
        self.trigger_event(self.IntegritySignal, kind=kind, at=now, **self._fields())

    def report_camera(self, on: bool, now: datetime) -> bool:
        """Only a change is recorded (as an integrity signal); returns whether one was."""
        if self.camera is on:
            return False
        self.signal("camera_on" if on else "camera_off", now)
        return True

    def waive_camera(self, reason: str, now: datetime) -> None:
        self.trigger_event(self.CameraWaived, reason=reason, at=now, **self._fields())

    def require_camera(self) -> None:
        """Before the exam starts for a student, when the session requires the camera."""
        if self.camera is not True and self.camera_waived is None:
            raise RuleBroken("turn your camera on: this exam requires it (or ask the examiner to waive it)")
