"""Learning events as xAPI 2.0 statements: exported and forwarded to an LRS, each statement
keeping the standard's rules (tests/xapi_rules.py), never naming a person by e-mail, the same
statement for the same event however often it is sent."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from pathlib import Path
from uuid import UUID

import pytest

from commands.pipeline import SYSTEM
from domain.class_progress import LessonProgress
from domain.errors import InvalidInput
from domain.event_conventions import Cause, caused_by
from projections.streaming.xapi_position import forwarder_position, forwarder_status
from tests.api.assessment.conftest import API
from tests.api.catalog.conftest import course_body, lesson_ids
from tests.api.notification.helpers import running, wait_until
from tests.assessment_samples import SAMPLES
from tests.xapi_rules import statement_problems
from workers.cli import parser
from workers.streaming.xapi_export import export_statements
from workers.streaming.xapi_forwarder import XapiForwarder
from workers.streaming.xapi_statements import LEARNING_TOPICS

VERBS = "http://adlnet.gov/expapi/verbs/"


def _learning(kit, infra) -> dict:
    """A student who launches, watches and completes a class lesson, passes a quiz, and
    completes a course; returns who and what."""
    room = kit.classroom(1)
    [student] = room.students
    quiz = kit.quiz(room, ["true_false", "single_choice"], pass_mark=50)
    attempt = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt, quiz.questions["true_false"], SAMPLES["true_false"]["right"]))
    kit.ok(kit.submit(student, attempt))
    # A class lesson's progress, recorded as the class progress command would.
    lesson, media = uuid.uuid4(), uuid.uuid4()
    with caused_by(Cause(UUID(student.user_id), uuid.uuid4())):
        progress = LessonProgress.start(UUID(student.user_id), UUID(room.class_id), lesson)
        progress.watch(media, 30.0, 100.0, 0.3)
        progress.complete()
        infra.store.record(progress)
    # A course taken to its end.
    body = course_body(title=f"xAPI {uuid.uuid4().hex[:6]}")
    creator = kit.cast.creator
    course = kit.ok(kit.client.post(f"{API}/courses", json=body, headers=creator.headers), 201)
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/submission", headers=creator.headers))
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/review", json={"approve": True},
                           headers=kit.cast.admin.headers))
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=student.headers), 201)
    for lesson_id in lesson_ids(body):
        kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/lessons/{lesson_id}/completion",
                               headers=student.headers))
    return {"student": student, "quiz_id": quiz.quiz_id, "attempt_id": attempt, "lesson_id": str(lesson),
            "course_id": course["course_id"]}


def _export(infra, tmp_path: Path, name: str = "statements.jsonl") -> list[dict]:
    out = tmp_path / name
    export_statements(infra.pool, infra.store, infra.settings.public_url, out)
    return [json.loads(line) for line in out.read_text().splitlines()]


def _of(statements: list[dict], student) -> dict[str, list[dict]]:
    by_verb: dict[str, list[dict]] = {}
    for s in statements:
        if s["actor"]["account"]["name"] == student.user_id:
            by_verb.setdefault(s["verb"]["id"].removeprefix(VERBS), []).append(s)
    return by_verb


def test_learning_events_export_as_valid_xapi_statements(kit, infra, tmp_path):
    seen = _learning(kit, infra)
    statements = _export(infra, tmp_path)
    assert statements
    for s in statements:
        assert statement_problems(s) == [], s
    mine = _of(statements, seen["student"])
    assert set(mine) == {"launched", "progressed", "completed", "answered", "scored", "passed"}
    base = infra.settings.public_url.rstrip("/")
    [scored] = mine["scored"]
    assert scored["object"]["id"] == f"{base}/xapi/activities/quiz/{seen['quiz_id']}"
    assert scored["result"]["score"] == {"raw": 2.0, "min": 0, "max": 4, "scaled": 0.5}
    assert scored["context"]["registration"] == seen["attempt_id"]
    assert mine["passed"][0]["result"]["success"] is True
    [answered] = mine["answered"]
    assert answered["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert "response" not in answered.get("result", {})  # answers stay in SkillHub
    [progressed] = mine["progressed"]
    assert progressed["result"]["extensions"] == {"https://w3id.org/xapi/cmi5/result/extensions/progress": 30}
    completed = {s["object"]["id"] for s in mine["completed"]}
    assert f"{base}/xapi/activities/class-lesson/{seen['lesson_id']}" in completed
    assert f"{base}/xapi/activities/course/{seen['course_id']}" in completed  # the whole course
    assert len(completed) == 4  # the class lesson, the course's two lessons, the course
    assert {s["object"]["id"] for s in mine["launched"]} == {
        f"{base}/xapi/activities/quiz/{seen['quiz_id']}", f"{base}/xapi/activities/class-lesson/{seen['lesson_id']}"}
    text = (tmp_path / "statements.jsonl").read_text()
    assert seen["student"].email not in text and "mbox" not in text

    # Exported again: the same statements, ids included (re-sends are idempotent).
    assert _export(infra, tmp_path, "again.jsonl")[:len(statements)] == statements


def test_the_rules_catch_what_they_should():
    good = {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", "account": {"homePage": "https://x.org",
                                                                                   "name": "1"}},
            "verb": {"id": VERBS + "scored", "display": {"en-US": "scored"}},
            "object": {"objectType": "Activity", "id": "https://x.org/a"}, "timestamp": "2026-01-01T00:00:00.000Z",
            "result": {"score": {"raw": 1, "min": 0, "max": 2, "scaled": 0.5}}}
    assert statement_problems(good) == []
    bad = [{**good, "actor": {"mbox": "mailto:ada@example.com"}}, {**good, "verb": {"id": "scored"}},
           {**good, "object": {"id": "quiz-1"}}, {**good, "result": {"score": {"scaled": 1.5}}},
           {**good, "timestamp": "yesterday"}, {**good, "id": "42"}]
    for statement in bad:
        assert statement_problems(statement), statement


def test_the_command_line_offers_the_xapi_format_and_checks_its_output(infra, tmp_path):
    args = parser().parse_args(["events", "export", "--format", "xapi", "--output", str(tmp_path / "x.jsonl")])
    assert args.format == "xapi"
    with pytest.raises(InvalidInput):
        export_statements(infra.pool, infra.store, infra.settings.public_url, tmp_path / "missing" / "x.jsonl")


def _forwarder(infra, lrs, password: str = "lrs-secret") -> XapiForwarder:
    settings = infra.settings.model_copy(update={"xapi_lrs_url": lrs.url, "xapi_lrs_user": "lrs-user",
                                                 "xapi_lrs_password": password, "xapi_batch_size": 50})
    forwarder = XapiForwarder(dataclasses.replace(infra, settings=settings))
    forwarder.retry_base = 0.05
    return forwarder


def test_the_forwarder_sends_to_the_lrs_retries_and_resumes_from_its_position(kit, infra, lrs, tmp_path):
    seen = _learning(kit, infra)
    lrs.fail_next = 2  # the LRS is down at first: the forwarder retries
    with running(_forwarder(infra, lrs)):
        wait_until(lambda: "passed" in _of(list(lrs.statements.values()), seen["student"]), 30, "the statements")
    expected = {s["id"] for s in _export(infra, tmp_path)}
    assert set(lrs.statements) == expected  # the whole history, once
    for s in lrs.statements.values():
        assert statement_problems(s) == []
    assert seen["student"].email not in json.dumps(list(lrs.statements.values()))
    position, sent = forwarder_position(infra.pool), sum(len(b) for b in lrs.posts)

    # Stopped and restarted: it resumes from its position and sends only what is new.
    again = kit.ok(kit.start(seen["student"], seen["quiz_id"]), 201)["attempt_id"]
    with running(_forwarder(infra, lrs)):
        wait_until(lambda: any(s["context"].get("registration") == again for s in lrs.statements.values()), 30,
                   "the new attempt")
    assert forwarder_position(infra.pool) > position
    assert sum(len(b) for b in lrs.posts) - sent == 1  # one launched statement, nothing sent twice
    status = forwarder_status(infra.pool, LEARNING_TOPICS)
    assert (status.pending, status.last_error) == (0, None)
    # Stopped, it lets go of the lock with its reader's connection (a moment later).
    wait_until(lambda: not forwarder_status(infra.pool, LEARNING_TOPICS).active_forwarder, 15, "the lock released")


def test_the_forwarder_keeps_its_position_while_the_lrs_refuses_it(kit, infra, lrs):
    room = kit.classroom(1)
    kit.ok(kit.start(room.students[0], kit.quiz(room, ["true_false"]).quiz_id), 201)  # a learning event to send
    start = forwarder_position(infra.pool)
    forwarder = _forwarder(infra, lrs, password="wrong")
    with running(forwarder):
        wait_until(lambda: _last_error(infra), 20, "the recorded failure")
        time.sleep(0.3)
    assert "HTTP 401" in _last_error(infra)
    assert lrs.posts == [] and forwarder_position(infra.pool) == start


def _last_error(infra) -> str | None:
    with infra.pool.connection() as conn:
        return conn.execute("SELECT last_error FROM xapi_forwarder").fetchone()["last_error"]
