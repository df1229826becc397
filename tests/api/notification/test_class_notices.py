"""Courses assigned, and lessons published in my class: at once, or when a scheduled lesson
becomes visible (announced by the scheduler), never before and never twice."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from domain.announcements import AnnouncementKind, announcement_id
from domain.identity import Role
from tests.api.catalog.conftest import event_count
from tests.api.notification.helpers import (
    decided,
    notices,
    running,
    text_of,
    titles,
    wait_until,
)
from workers.notification.announcements import AnnouncementScheduler
from workers.runtime import start_workers

API = "/api/v1"


def _ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.text
    return r.json()


def test_assigned_courses_are_told_but_enrolling_oneself_is_not(client, make_person, catalog, make_notifier, smtp):
    title = f"Assigned reading {uuid.uuid4().hex[:6]}"
    course = catalog.published(title=title)
    teacher, sara, sam = make_person(Role.ADMIN), make_person(), make_person()  # admins assign anyone
    _ok(client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=sam.headers), 201)
    due = datetime.now(UTC) + timedelta(days=14)
    with running(make_notifier(smtp.mailer())):
        r = _ok(client.post(f"{API}/courses/{course['course_id']}/assignments", headers=teacher.headers,
                            json={"student_ids": [sara.user_id], "due_at": due.isoformat()}))
        assert titles(client, sara, r["position"], "course_assigned") == [f"Course assigned to you: {title}"]
        [mail] = smtp.wait_for(sara.email)
    assert f"due {due:%Y-%m-%d %H:%M} UTC" in text_of(mail)
    assert titles(client, sam, r["position"], "course_assigned") == []  # enrolled themselves
    # Assigning a self-enrolled student (or again, with a new date) is told as well.
    r = _ok(client.post(f"{API}/courses/{course['course_id']}/assignments", headers=teacher.headers,
                        json={"student_ids": [sam.user_id]}))
    [told] = notices(client, sam, r["position"], "course_assigned")
    assert told["body"] == f'A teacher assigned you the course {title}. It is in "My courses".'
    assert titles(client, teacher, r["position"], "course_assigned") == []


def _class(client, teacher, *students) -> tuple[str, str]:
    name = f"Algebra {uuid.uuid4().hex[:6]}"
    opened = _ok(client.post(f"{API}/classes", headers=teacher.headers, json={"name": name}), 201)
    for student in students:
        _ok(client.post(f"{API}/classes/join", headers=student.headers, json={"code": opened["join_code"]}))
    return opened["class_id"], name


def _lesson(client, teacher, class_id: str, title: str, publish_at: datetime | None = None) -> tuple[str, int]:
    lesson_id = _ok(client.post(f"{API}/classes/{class_id}/lessons", headers=teacher.headers,
                                json={"title": title, "body": "Some text"}), 201)["lesson_id"]
    body = {"publish_at": publish_at.isoformat()} if publish_at else None
    r = _ok(client.post(f"{API}/classes/{class_id}/lessons/{lesson_id}/publication", headers=teacher.headers, json=body))
    return lesson_id, r["position"]


def test_class_students_hear_of_a_lesson_published_now_once(client, make_person, make_notifier, smtp):
    teacher, stays, leaves, admin = make_person(Role.TEACHER), make_person(), make_person(), make_person(Role.ADMIN)
    class_id, name = _class(client, teacher, stays, leaves)
    _ok(client.delete(f"{API}/classes/{class_id}/students/{leaves.user_id}", headers=teacher.headers))
    with running(make_notifier(smtp.mailer())):
        lesson_id, position = _lesson(client, teacher, class_id, "Linear equations")
        assert titles(client, stays, position, "lesson_published") == [f"New lesson in {name}: Linear equations"]
        [mail] = smtp.wait_for(stays.email)
    assert "Your teacher published a new lesson in" in text_of(mail)
    assert titles(client, leaves, position, "lesson_published") == []  # removed from the class before
    assert titles(client, teacher, position, "lesson_published") == []  # their own action

    # Withdrawn and published again: not news.
    lesson = f"{API}/classes/{class_id}/lessons/{lesson_id}/publication"
    _ok(client.delete(lesson, headers=teacher.headers))
    r = _ok(client.post(lesson, headers=teacher.headers))
    assert len(titles(client, stays, r["position"], "lesson_published")) == 1

    # Erasing the teacher erases their lesson title and class name from the students' inboxes.
    r = _ok(client.post(f"{API}/users/{teacher.user_id}/erasure", headers=admin.headers))
    [told] = notices(client, stays, r["position"], "lesson_published")
    assert told["title"] == "New lesson in [erased]: [erased]" and "Linear" not in told["body"]


def test_a_scheduled_lesson_is_announced_when_it_becomes_visible(client, make_person, app, infra):
    teacher, student = make_person(Role.TEACHER), make_person()
    class_id, name = _class(client, teacher, student)
    publish_at = datetime.now(UTC) + timedelta(seconds=3)
    lesson_id, position = _lesson(client, teacher, class_id, "Scheduled", publish_at)
    withdrawn_at = datetime.now(UTC) + timedelta(seconds=2)
    withdrawn, _ = _lesson(client, teacher, class_id, "Withdrawn", withdrawn_at)
    _ok(client.delete(f"{API}/classes/{class_id}/lessons/{withdrawn}/publication", headers=teacher.headers))
    assert titles(client, student, position, "lesson_published") == []  # not visible yet

    scheduler = AnnouncementScheduler(app.state.deps, infra.database_url)
    with running(scheduler):
        told = wait_until(lambda: notices(client, student, type_key="lesson_published"), timeout=30,
                          what="the scheduled lesson's notice")
        arrived = datetime.now(UTC)
        time.sleep(1)  # the withdrawn lesson's moment passes too
    assert [t["title"] for t in told] == [f"New lesson in {name}: Scheduled"]
    assert arrived >= publish_at
    # Another scheduler (or a restart) records nothing more; the withdrawn one never goes out.
    other = AnnouncementScheduler(app.state.deps, infra.database_url)
    assert not other.announce("lesson_published", uuid.UUID(lesson_id), publish_at)
    assert not other.announce("lesson_published", uuid.UUID(withdrawn), withdrawn_at)
    made = announcement_id(AnnouncementKind.LESSON_PUBLISHED, uuid.UUID(lesson_id), publish_at)
    assert event_count(infra, str(made), "Announcement.LessonPublished") == 1
    decided(infra)
    assert [t["title"] for t in notices(client, student, type_key="lesson_published")] == [
        f"New lesson in {name}: Scheduled"]


def test_announcements_worker_is_registered_and_stops_cleanly(infra):
    workers = start_workers(infra, ["announcements"])
    try:
        wait_until(lambda: [t for t in workers.threads if t.name == "announcements" and t.is_alive()],
                   what="the announcements thread")
    finally:
        workers.shutdown()
    assert not any(t.is_alive() for t in workers.threads)
