"""The issuing worker re-evaluates only the students whose facts changed, checks again when a
score is released, and issues exactly one certificate even when two rounds race."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.certification import Certificate, certificate_id
from projections.certification.certification import certification
from projections.certification.gradebook import gradebook
from projections.engine.tracking import log_head, wait_for_position
from tests.api.catalog.conftest import event_count
from workers.certification import certificates

API = "/api/v1"


def _rules(ck, client, course: dict[str, Any], **body: Any) -> None:
    r = client.put(f"{API}/courses/{course['course_id']}/completion-rules", json=body, headers=ck.author.headers)
    assert r.status_code == 200, r.text


def test_a_round_evaluates_only_the_students_its_events_touched(ck, make_person, client, monkeypatch):
    waiting, newcomer = make_person(), make_person()
    held = ck.published()
    _rules(ck, client, held, pass_mark=80)
    ck.completed(waiting, held)
    ck.quiz_score(waiting, held["course_id"], 5)  # 50 %: below the pass mark
    ck.issue()
    evaluated: list[tuple[UUID, UUID]] = []
    real = certificates.evaluate

    def spy(deps, course_id, student_id, now):
        evaluated.append((course_id, student_id))
        return real(deps, course_id, student_id, now)

    monkeypatch.setattr(certificates, "evaluate", spy)
    course = ck.completed(newcomer)
    issued, position = ck.issue()
    assert (UUID(course["course_id"]), UUID(newcomer.user_id)) in evaluated
    assert (UUID(held["course_id"]), UUID(waiting.user_id)) not in evaluated  # nothing of theirs changed
    assert ck.certificate_of(newcomer, course, position) is not None
    evaluated.clear()
    ck.quiz_score(waiting, held["course_id"], 10)  # two more quizzes at 100 %: a mean of 83 %
    ck.quiz_score(waiting, held["course_id"], 10)
    _, position = ck.issue()
    assert (UUID(held["course_id"]), UUID(waiting.user_id)) in evaluated
    assert ck.certificate_of(waiting, held, position) is not None


def test_a_score_released_at_the_close_certifies_then_and_two_racing_rounds_issue_once(
        ck, make_person, client, infra, monkeypatch, caplog):
    student = make_person()
    course = ck.published()
    _rules(ck, client, course, pass_mark=50)
    closes = datetime.now(UTC) + timedelta(hours=1)
    quiz = ck.quiz(course["course_id"], feedback_mode="after_close", closes_at=closes.isoformat())
    ck.completed(student, course)
    ck.attempt(student, quiz, 9)  # 90 %, which the student may see only after the close
    _, position = ck.issue()
    assert ck.certificate_of(student, course, position) is None  # issuing now would reveal the grade

    # Past the close (in this process only: other test processes keep the real clock, so they
    # cannot issue it first). Both rounds see the due student and try to record version 1 of
    # the same certificate at the same moment; one of them loses.
    monkeypatch.setattr(ck.deps, "clock", lambda: datetime.now(UTC) + timedelta(hours=2))
    wanted = certificate_id(UUID(student.user_id), UUID(course["course_id"]))
    both = threading.Barrier(2, timeout=20)
    racing: list[str] = []
    record = ck.deps.store.record

    def record_together(*aggregates):
        if any(isinstance(a, Certificate) and a.id == wanted for a in aggregates):
            racing.append(threading.current_thread().name)
            both.wait()
        return record(*aggregates)

    monkeypatch.setattr(ck.deps.store, "record", record_together)
    wait_for_position(ck.deps.pool, [certification, gradebook], log_head(ck.deps.pool), 10)
    results: dict[str, Any] = {}

    def round_(name: str) -> None:
        try:
            results[name] = certificates.issue_due(ck.deps)
        except Exception as e:  # noqa: BLE001  (shown by the assertion below)
            results[name] = e

    caplog.set_level(logging.INFO, logger="workers.certification.certificates")
    threads = [threading.Thread(target=round_, args=(n,), name=n) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(isinstance(v, Exception) for v in results.values()), results
    assert sorted(racing) == ["first", "second"]  # both really tried at once
    assert event_count(infra, str(wanted), "Certificate.Issued") == 1
    assert any(str(student.user_id) in r.getMessage() and "not issued" in r.getMessage() for r in caplog.records)
    cert = ck.certificate_of(student, course, log_head(ck.deps.pool))
    assert cert is not None and cert["certificate_id"] == str(wanted)
