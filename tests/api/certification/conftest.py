"""Certification test helpers: a published course a student completes, graded course quizzes
recorded straight into the store, and one issuing round of the certificate worker."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from commands.pipeline import SYSTEM
from domain.attempts import Attempt
from domain.event_conventions import Cause, caused_by
from domain.quizzes import Audience, Quiz
from projections.certification.certification import certification
from projections.certification.gradebook import gradebook
from projections.engine.tracking import log_head, wait_for_position
from tests.api.assessment.conftest import cast, kit  # noqa: F401  (classes, quizzes, attempts, the clock)
from tests.api.catalog.conftest import STAFF_REUSE_SECONDS, CatalogKit
from workers.certification.certificates import issue_due

API = "/api/v1"


class CertKit(CatalogKit):
    def _cached(self, name: str, role: Any) -> Any:
        if role is None:  # registered people are students
            person, made = self._staff.get(name, (None, 0.0))
            if person is None or time.monotonic() - made > STAFF_REUSE_SECONDS:
                self._staff[name] = (self.make_person(), time.monotonic())
            return self._staff[name][0]
        return super()._cached(name, role)

    def __init__(self, client: Any, make_person: Any, staff: dict, app: Any) -> None:
        super().__init__(client, make_person, staff)
        self.deps = app.state.deps

    def completed(self, student: Any, course: dict[str, Any] | None = None, lessons: int | None = None,
                  enrol: bool = True) -> dict[str, Any]:
        """A published course (new unless given) that `student` enrolled in (or was assigned:
        enrol=False) and completed (all lessons, or the first `lessons`)."""
        course = course or self.published()
        if enrol:
            r = self.client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=student.headers)
            assert r.status_code == 201, r.text
        for lesson_id in course["lesson_ids"][:lessons]:
            r = self.client.post(f"{API}/courses/{course['course_id']}/lessons/{lesson_id}/completion",
                                 headers=student.headers)
            assert r.status_code == 200, r.text
        return course

    def quiz(self, course_id: str, possible: float = 10.0, **settings: Any) -> UUID:
        """A published course quiz (version 1 with these settings) of one question worth
        `possible`, recorded as the assessment context records it, without the quiz API."""
        with caused_by(Cause(SYSTEM.user_id, uuid4())):
            quiz = Quiz.create(uuid4(), Audience.COURSE, UUID(course_id), {})
            quiz.publish({"settings": {"title": "Quiz", "feedback_mode": "after_submission", **settings},
                          "items": [{"question_id": "q1", "points": possible}], "draws": [], "questions": {}})
            self.deps.store.record(quiz)
        return quiz.id

    def attempt(self, student: Any, quiz_id: UUID, earned: float, possible: float = 10.0, number: int = 1) -> int:
        """Attempt `number` of the student at the quiz, submitted with earned/possible; its position."""
        now = datetime.now(UTC)
        with caused_by(Cause(SYSTEM.user_id, uuid4())):
            attempt = Attempt.start(quiz_id, 1, UUID(student.user_id), number, 0,
                                    [{"question_id": "q1", "points": possible, "order": []}], now, None, "after_submission")
            attempt.trigger_event(Attempt.Submitted, reason="student", submitted_at=now,
                                  grades={"q1": {"fraction": earned / possible, "points": earned, "max": possible,
                                                 "state": "partial"}})
            return self.deps.store.record(attempt)

    def quiz_score(self, student: Any, course_id: str, earned: float, possible: float = 10.0, **settings: Any) -> UUID:
        """A new course quiz and one submitted attempt scoring earned/possible."""
        quiz_id = self.quiz(course_id, possible, **settings)
        self.attempt(student, quiz_id, earned, possible)
        return quiz_id

    def issue(self) -> tuple[int, int]:
        """Wait until the read model has everything so far, run one issuing round; returns
        (certificates issued, log position to read them at)."""
        wait_for_position(self.deps.pool, [certification, gradebook], log_head(self.deps.pool), 10)
        issued = issue_due(self.deps)
        return issued, log_head(self.deps.pool)

    def certificate_of(self, student: Any, course: dict[str, Any], position: int = 0) -> dict[str, Any] | None:
        r = self.client.get(f"{API}/me/certificates", headers=student.headers, params={"min_position": position})
        assert r.status_code == 200, r.text
        found = [c for c in r.json()["items"] if c["course_id"] == course["course_id"]]
        return found[0] if found else None


@pytest.fixture(scope="session")
def cert_staff() -> dict:
    return {}


@pytest.fixture
def ck(client, make_person, cert_staff, app) -> CertKit:
    return CertKit(client, make_person, cert_staff, app)


@pytest.fixture
def student(ck):
    """One student shared by the tests of a run (registering is the slow part); every test
    uses courses of its own, so their certificates and grades never meet."""
    return ck._cached("student", None)
