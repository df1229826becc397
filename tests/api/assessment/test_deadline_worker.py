"""The deadline worker: jobs derived from the attempts read model, and an attempt still open at
the quiz's close submitted with what it held."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from tests.api.assessment.conftest import API
from tests.assessment_samples import SAMPLES
from workers.notification.quiz_deadlines import JOB_PREFIX, DeadlineScheduler


def test_jobs_follow_the_open_attempts_of_the_read_model(kit, app):
    room = kit.classroom(2)
    quiz = kit.quiz(room, ["true_false"], time_limit_seconds=600)
    first = kit.ok(kit.start(room.students[0], quiz.quiz_id), 201)
    second = kit.ok(kit.start(room.students[1], quiz.quiz_id), 201)
    done = kit.ok(kit.submit(room.students[1], second["attempt_id"]))
    kit.view(room.teacher, first["attempt_id"], done["position"])  # the read model has both
    scheduler = DeadlineScheduler(app.state.deps)
    scheduler.sync()
    jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
    assert f"{JOB_PREFIX}{first['attempt_id']}" in jobs
    assert f"{JOB_PREFIX}{second['attempt_id']}" not in jobs
    assert jobs[f"{JOB_PREFIX}{first['attempt_id']}"].trigger.run_date == datetime.fromisoformat(first["deadline"])
    later = kit.ok(kit.submit(room.students[0], first["attempt_id"]))
    kit.view(room.teacher, first["attempt_id"], later["position"])
    scheduler.sync()
    assert f"{JOB_PREFIX}{first['attempt_id']}" not in {job.id for job in scheduler.scheduler.get_jobs()}


def test_an_attempt_open_at_the_close_is_submitted_with_what_it_held(kit, app):
    room = kit.classroom(1)
    bank_id = kit.bank(room.teacher)
    question_id, _ = kit.question(room.teacher, bank_id, SAMPLES["true_false"]["question"])
    closes = datetime.now(UTC) + timedelta(seconds=5)  # time enough to start and answer on a busy machine
    body = {"title": "Timed", "class_id": room.class_id, "closes_at": closes.isoformat(),
            "items": [{"question_id": question_id, "points": 3}]}
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=room.teacher.headers, json=body), 201)["quiz_id"]
    kit.ok(kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=room.teacher.headers))
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz_id), 201)["attempt_id"]
    saved = kit.ok(kit.answer(student, attempt_id, question_id, {"value": False}))
    kit.view(student, attempt_id, saved["position"])
    stop = threading.Event()
    worker = threading.Thread(target=DeadlineScheduler(app.state.deps, resync_seconds=0.5).run, args=(stop,))
    worker.start()
    try:
        deadline = time.monotonic() + 15
        # "overdue" is what a reader sees between the close and the worker's submission.
        while (view := kit.view(student, attempt_id))["status"] in ("in_progress", "overdue") \
                and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        worker.join(5)
    assert view["status"] == "graded" and view["submit_reason"] == "deadline"
    assert datetime.fromisoformat(view["submitted_at"]) == closes
    assert view["result"]["score"] == 3.0
    assert kit.submit(student, attempt_id).status_code == 409
