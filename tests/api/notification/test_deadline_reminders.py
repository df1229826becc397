"""Reminders: a quiz closes soon (to those who have not submitted), an assigned course is due
soon (to the student, while the assignment still holds), each told once, inside its lead time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.announcements import AnnouncementKind
from domain.identity import Role
from projections.notification.queries import pending_timed_notices
from tests.api.assessment.conftest import API
from tests.api.notification.helpers import decided, notices, running, wait_until
from workers.notification.announcements import AnnouncementScheduler, job_id


def _mine(client, person, tag: str, position: int = 0) -> list[dict]:
    return [n for n in notices(client, person, position, "deadline_reminder") if tag in n["title"]]


def test_a_quiz_closing_soon_reminds_only_those_who_have_not_submitted(kit, app, infra):
    tag = uuid.uuid4().hex[:6]
    room = kit.classroom(2)
    closes = datetime.now(UTC) + timedelta(hours=2)  # inside the day's lead: reminded at once
    quiz = kit.quiz(room, ["true_false"], title=f"Closing {tag}", closes_at=closes.isoformat())
    later = datetime.now(UTC) + timedelta(days=3)
    far = kit.quiz(room, ["true_false"], title=f"Far {tag}", closes_at=later.isoformat())
    done, waiting = room.students
    attempt = kit.ok(kit.start(done, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.submit(done, attempt))
    decided(infra)

    scheduler = AnnouncementScheduler(app.state.deps, infra.database_url)
    with running(scheduler):
        [told] = wait_until(lambda: _mine(kit.client, waiting, f"Closing {tag}"), 20, "the reminder")
        job = wait_until(lambda: scheduler.scheduler.get_job(
            job_id("quiz_closing", UUID(far.quiz_id), later)), 10, "the far quiz's job")
        assert job.next_run_time == later - timedelta(days=1)
    assert told["title"] == f"Closing {tag} closes at {closes:%Y-%m-%d %H:%M} UTC"
    assert "you have not submitted an attempt yet" in told["body"]
    assert _mine(kit.client, done, tag) == []
    assert _mine(kit.client, room.teacher, tag) == []
    assert _mine(kit.client, waiting, f"Far {tag}") == []
    assert not scheduler.announce("quiz_closing", UUID(quiz.quiz_id), closes)  # once only
    assert not scheduler.announce("quiz_closing", UUID(far.quiz_id), later)  # not yet due
    kit.travel(days=3, minutes=1)
    assert not scheduler.announce("quiz_closing", UUID(far.quiz_id), later)  # closed: too late to remind


def test_an_assigned_course_is_reminded_a_day_before_it_is_due(kit, app, infra, catalog, make_person):
    title = f"Due course {uuid.uuid4().hex[:6]}"
    course = catalog.published(title=title)
    admin, ada, bo = make_person(Role.ADMIN), make_person(), make_person()
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    r = kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/assignments", headers=admin.headers,
                               json={"student_ids": [ada.user_id], "due_at": due.isoformat()}))
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/assignments", headers=admin.headers,
                           json={"student_ids": [bo.user_id]}))  # no due date: nothing to remind of
    decided(infra)
    pending = [n for n in pending_timed_notices(infra.pool, datetime.now(UTC))
               if n["kind"] == AnnouncementKind.ASSIGNMENT_DUE and n["moment"] == due]
    assert len(pending) == 1

    scheduler = AnnouncementScheduler(app.state.deps, infra.database_url)
    with infra.pool.connection() as conn:
        ada_enrolment, bo_enrolment = (conn.execute(
            "SELECT enrolment_id FROM view_enrolment.enrolments WHERE student_id = %s AND course_id = %s",
            (s.user_id, course["course_id"])).fetchone()["enrolment_id"] for s in (ada, bo))
    assert not scheduler.announce("assignment_due", ada_enrolment, due)  # three days ahead: not yet
    kit.travel(days=2, hours=1)
    assert scheduler.announce("assignment_due", ada_enrolment, due)
    assert not scheduler.announce("assignment_due", ada_enrolment, due)  # told once
    assert not scheduler.announce("assignment_due", bo_enrolment, due)  # nothing of his is due then
    decided(infra)
    [told] = [n for n in notices(kit.client, ada, r["position"], "deadline_reminder") if title in n["title"]]
    assert told["title"] == f"{title} is due at {due:%Y-%m-%d %H:%M} UTC"
    assert notices(kit.client, bo, r["position"], "deadline_reminder") == []
