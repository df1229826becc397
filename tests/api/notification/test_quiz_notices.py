"""Quizzes: "opens soon" some time before opens_at, and scores told once the student may see
them, never of their own submission, and for after-close quizzes not before the close."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from commands.assessment.attempts import AttemptRef, submit_overdue
from commands.pipeline import SYSTEM, execute
from projections.notification.queries import pending_timed_notices
from tests.api.assessment.conftest import API
from tests.api.catalog.conftest import course_body
from tests.api.notification.helpers import (
    decided,
    notices,
    running,
    text_of,
    titles,
    wait_until,
)
from tests.assessment_samples import SAMPLES
from workers.notification.announcements import AnnouncementScheduler, job_id

CORRECTED = {**SAMPLES["single_choice"]["question"],
             "options": [{"id": "a", "text": "Paris"}, {"id": "b", "text": "Lyon", "correct": True},
                         {"id": "c", "text": "Nice"}]}


def _mine(client, person, tag: str, type_key: str, position: int = 0) -> list[dict]:
    return [n for n in notices(client, person, position, type_key) if tag in n["title"]]


def _course_quiz(kit, title: str, opens_at: datetime) -> dict:
    """A published course with a published quiz of its own; returns the course."""
    owner = kit.cast.creator
    course = kit.ok(kit.client.post(f"{API}/courses", json=course_body(), headers=owner.headers), 201)
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/submission", headers=owner.headers))
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/review", json={"approve": True},
                           headers=kit.cast.admin.headers))
    question_id, _ = kit.question(owner, kit.bank(owner, course_id=course["course_id"]), SAMPLES["true_false"]["question"])
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=owner.headers, json={
        "title": title, "course_id": course["course_id"], "items": [{"question_id": question_id}],
        "opens_at": opens_at.isoformat()}), 201)["quiz_id"]
    kit.ok(kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=owner.headers))
    return course


def test_quiz_opening_soon_reaches_its_class_or_course_an_hour_before(kit, app, infra, make_notifier, smtp):
    tag = uuid.uuid4().hex[:6]
    room = kit.classroom(2)
    now = datetime.now(UTC)
    kit.quiz(room, ["true_false"], title=f"Soon {tag}", opens_at=(now + timedelta(minutes=30)).isoformat())
    opens_later = now + timedelta(hours=3)
    later = kit.quiz(room, ["true_false"], title=f"Later {tag}", opens_at=opens_later.isoformat())
    enrolled, stranger = kit.cast.students[3], kit.cast.students[4]
    course = _course_quiz(kit, f"Course {tag}", now + timedelta(minutes=20))
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=enrolled.headers), 201)
    decided(infra)

    scheduler = AnnouncementScheduler(app.state.deps, infra.database_url)
    with running(scheduler), running(make_notifier(smtp.mailer())):
        # Published inside the hour before opening: told at once.
        for student in room.students:
            [told] = wait_until(lambda s=student: _mine(kit.client, s, f"Soon {tag}", "quiz_opening"), 20)
            assert told["title"] == f"Soon {tag} opens at {now + timedelta(minutes=30):%Y-%m-%d %H:%M} UTC"
        wait_until(lambda: _mine(kit.client, enrolled, f"Course {tag}", "quiz_opening"), 20)
        student = room.students[0]
        [mail] = wait_until(lambda: [m for m in smtp.to(student.email) if f"Soon {tag}" in m["Subject"]], 20)
        assert "Be ready to start it then" in text_of(mail)
        # Three hours ahead: its job waits until an hour before the opening.
        job = scheduler.scheduler.get_job(job_id("quiz_opening", UUID(later.quiz_id), opens_later))
        assert job.next_run_time == opens_later - timedelta(hours=1)
    assert _mine(kit.client, stranger, tag, "quiz_opening") == []  # not enrolled in the course
    assert _mine(kit.client, room.students[0], f"Later {tag}", "quiz_opening") == []
    assert not scheduler.announce("quiz_opening", UUID(later.quiz_id), opens_later)  # not due yet

    kit.travel(hours=2, minutes=1)
    assert scheduler.announce("quiz_opening", UUID(later.quiz_id), opens_later)
    decided(infra)
    assert len(_mine(kit.client, room.students[1], f"Later {tag}", "quiz_opening")) == 1
    assert _mine(kit.client, room.teacher, tag, "quiz_opening") == []


def _essay_grade(kit, teacher, attempt_id: str, question_id: str, levels: dict) -> int:
    r = kit.client.put(f"{API}/attempts/{attempt_id}/answers/{question_id}/grade", headers=teacher.headers,
                       json={"levels": levels, "comment": "Thanks"})
    return kit.ok(r)["position"]


def test_scores_are_told_unless_the_student_submitted_themselves(kit, infra):
    tag = uuid.uuid4().hex[:6]
    room = kit.classroom(2)
    quiz = kit.quiz(room, ["single_choice", "essay"], title=f"Graded {tag}", time_limit_seconds=60)
    choice, essay = quiz.questions["single_choice"], quiz.questions["essay"]
    ada, bo = room.students
    a = kit.ok(kit.start(ada, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(ada, a, choice, {"option_id": "a"}))
    kit.ok(kit.answer(ada, a, essay, SAMPLES["essay"]["right"]))
    position = kit.ok(kit.submit(ada, a))["position"]
    assert _mine(kit.client, ada, tag, "quiz_graded", position) == []  # their own action: the result is on screen

    position = _essay_grade(kit, room.teacher, a, essay, {"ideas": "good", "style": "poor"})
    [graded] = _mine(kit.client, ada, tag, "quiz_graded", position)
    assert graded["title"] == f"Your essay in Graded {tag} was graded"
    assert graded["body"].startswith(f"A teacher graded your essay in Graded {tag}: 1.5 of 2 points."
                                     " Your attempt now stands at 3.5 of 4 points.")

    b = kit.ok(kit.start(bo, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(bo, b, choice, {"option_id": "b"}))
    kit.travel(seconds=90)  # past the time limit: the deadline worker submits it as the system
    position = execute(submit_overdue, AttemptRef(attempt_id=UUID(b)), SYSTEM, kit.deps).position
    [submitted] = _mine(kit.client, bo, tag, "quiz_graded", position)
    assert submitted["body"].startswith(f"Your attempt at Graded {tag} was submitted at its deadline: 0 of 4 points.")

    # A corrected key re-grades both attempts: both are told (the teacher acted).
    r = kit.client.post(f"{API}/quizzes/{quiz.quiz_id}/versions/1/key-corrections", headers=room.teacher.headers,
                        json={"question_id": choice, "question": CORRECTED})
    position = kit.ok(r)["position"]
    assert _mine(kit.client, ada, tag, "quiz_graded", position)[0]["body"].startswith(
        f"Your attempt at Graded {tag} was re-graded after a correction: 1.5 of 4 points")
    assert _mine(kit.client, bo, tag, "quiz_graded", position)[0]["body"].startswith(
        f"Your attempt at Graded {tag} was re-graded after a correction: 2 of 4 points")
    assert _mine(kit.client, room.teacher, tag, "quiz_graded") == []


def test_after_close_scores_wait_for_the_close_then_go_to_everyone_who_submitted(kit, app, infra):
    tag = uuid.uuid4().hex[:6]
    room = kit.classroom(2)
    closes = datetime.now(UTC) + timedelta(hours=1)
    quiz = kit.quiz(room, ["true_false", "essay"], title=f"Closing {tag}", feedback_mode="after_close",
                    closes_at=closes.isoformat())
    ada, bo = room.students
    a = kit.ok(kit.start(ada, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(ada, a, quiz.questions["true_false"], SAMPLES["true_false"]["right"]))
    kit.ok(kit.answer(ada, a, quiz.questions["essay"], SAMPLES["essay"]["right"]))
    kit.ok(kit.submit(ada, a))
    # Graded before the close: the points must not reach her yet (they would leak the result).
    position = _essay_grade(kit, room.teacher, a, quiz.questions["essay"], {"ideas": "good", "style": "fine"})
    assert _mine(kit.client, ada, tag, "quiz_graded", position) == []

    # A second version closing later moves everyone's release to its close (feedback_released).
    later = closes + timedelta(minutes=30)
    items = [{"question_id": q, "points": 2} for q in quiz.questions.values()]
    kit.ok(kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", headers=room.teacher.headers, json={
        "title": f"Closing {tag}", "items": items, "attempts_allowed": 2, "feedback_mode": "after_close",
        "closes_at": later.isoformat()}))
    kit.publish(quiz)
    decided(infra)
    pending = pending_timed_notices(infra.pool, datetime.now(UTC) - timedelta(days=1))
    assert [n["moment"] for n in pending if n["subject_id"] == UUID(quiz.quiz_id)] == [later]

    scheduler = AnnouncementScheduler(app.state.deps, infra.database_url)
    assert not scheduler.announce("quiz_results", UUID(quiz.quiz_id), later)  # not closed yet
    kit.travel(hours=2)
    assert not scheduler.announce("quiz_results", UUID(quiz.quiz_id), closes)  # no longer the release
    assert scheduler.announce("quiz_results", UUID(quiz.quiz_id), later)
    assert not AnnouncementScheduler(app.state.deps, infra.database_url).announce(
        "quiz_results", UUID(quiz.quiz_id), later)  # a second scheduler records nothing
    decided(infra)
    assert [n["title"] for n in _mine(kit.client, ada, tag, "quiz_graded")] == [f"Results of Closing {tag} are out"]
    assert _mine(kit.client, bo, tag, "quiz_graded") == []  # never started

    # Once released, a new grade is told at once.
    position = _essay_grade(kit, room.teacher, a, quiz.questions["essay"], {"ideas": "weak", "style": "fine"})
    assert titles(kit.client, ada, position, "quiz_graded")[0] == f"Your essay in Closing {tag} was graded"
