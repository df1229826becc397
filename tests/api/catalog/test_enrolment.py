"""Enrolling, leaving, prerequisites, lesson completion and progress."""

from __future__ import annotations

import threading
import uuid

import pytest

from commands.identity.roles import ChangeRole, revoke_role
from commands.pipeline import SYSTEM, execute
from domain.enrolment import enrolment_id
from domain.identity import Role
from tests.api.catalog.conftest import course_body, event_count


def enrol(client, course, who):
    return client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=who.headers)


def complete(client, course, lesson_id, who):
    return client.post(f"/api/v1/courses/{course['course_id']}/lessons/{lesson_id}/completion", headers=who.headers)


def my_courses(client, who, position):
    r = client.get("/api/v1/me/courses", headers=who.headers, params={"min_position": position})
    assert r.status_code == 200, r.text
    return {c["course_id"]: c for c in r.json()["items"]}


def test_enrol_leave_and_come_back(client, make_person, kit, infra):
    course, student = kit.published(title="Pottery"), make_person()
    assert client.post(f"/api/v1/courses/{course['course_id']}/enrolment").status_code == 401
    r = enrol(client, course, student)
    assert r.status_code == 201, r.text
    assert r.json()["enrolment_id"] == str(enrolment_id(uuid.UUID(student.user_id), uuid.UUID(course["course_id"])))
    mine = my_courses(client, student, r.json()["position"])[course["course_id"]]
    assert (mine["title"], mine["source"], mine["status"], mine["lessons_total"]) == ("Pottery", "self", "not_started", 2)
    assert enrol(client, course, student).status_code == 409

    r = client.delete(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    assert r.status_code == 200
    assert course["course_id"] not in my_courses(client, student, r.json()["position"])
    assert client.delete(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers).status_code == 409
    r = enrol(client, course, student)
    assert r.status_code == 201
    assert course["course_id"] in my_courses(client, student, r.json()["position"])
    count = kit.detail(course["course_id"], None, r.json()["position"]).json()["enrolment_count"]
    assert count == 1  # joined twice, left once
    assert event_count(infra, r.json()["enrolment_id"], "Enrolment.Enrolled") == 1


def test_only_published_open_courses_take_students(client, make_person, kit):
    student = make_person()
    assert enrol(client, kit.create(), student).status_code == 404  # a draft does not exist for students
    assert enrol(client, {"course_id": str(uuid.uuid4())}, student).status_code == 404
    archived = kit.published()
    client.post(f"/api/v1/courses/{archived['course_id']}/archive", headers=kit.author.headers)
    r = enrol(client, archived, student)
    assert r.status_code == 409 and "archived" in r.json()["detail"]


def test_people_without_the_student_role_cannot_enrol(client, make_person, kit, app):
    course, person = kit.published(), make_person()
    execute(revoke_role, ChangeRole(user_id=person.user_id, role=Role.STUDENT), SYSTEM, app.state.deps)
    assert enrol(client, course, person).status_code == 403


def test_concurrent_double_enrolment_saves_one(client, make_person, kit, infra):
    course, student = kit.published(), make_person()
    start, results = threading.Barrier(4), []

    def attempt() -> None:
        start.wait()
        results.append(enrol(client, course, student).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409, 409, 409]
    eid = str(enrolment_id(uuid.UUID(student.user_id), uuid.UUID(course["course_id"])))
    assert event_count(infra, eid) == 1


def test_a_lost_enrolment_race_is_a_409_not_a_500(client, make_person, kit, infra, monkeypatch):
    """Force the race: the enrolment is not seen on load, so the save collides in the store."""
    import commands.catalog.enrolment as module

    course, student = kit.published(), make_person()
    assert enrol(client, course, student).status_code == 201
    real_find = module.find
    monkeypatch.setattr(module, "find", lambda deps, cls, i: None if cls is module.Enrolment else real_find(deps, cls, i))
    r = enrol(client, course, student)
    assert r.status_code == 409 and "same time" in r.json()["detail"]
    eid = str(enrolment_id(uuid.UUID(student.user_id), uuid.UUID(course["course_id"])))
    assert event_count(infra, eid) == 1


def test_prerequisites_are_enforced_and_named(client, make_person, kit):
    basics = kit.published(title="Basics of Clay", lessons=2)
    advanced = kit.published(title="Advanced Glazing", prerequisites=[basics["course_id"]])
    student = make_person()
    r = enrol(client, advanced, student)
    assert r.status_code == 409
    assert "Basics of Clay" in r.json()["detail"] and basics["course_id"] in r.json()["detail"]
    assert r.json()["errors"] == [{"field": "prerequisites", "message": basics["course_id"]}]
    assert enrol(client, basics, student).status_code == 201
    first = complete(client, basics, basics["lesson_ids"][0], student)
    assert first.json() == {"newly_completed": True, "course_completed": False, "position": first.json()["position"]}
    assert enrol(client, advanced, student).status_code == 409  # half done is not done
    last = complete(client, basics, basics["lesson_ids"][1], student)
    assert last.json()["course_completed"] is True
    assert enrol(client, advanced, student).status_code == 201


def test_lesson_completion_and_progress(client, make_person, kit, infra):
    course, student = kit.published(lessons=3), make_person()
    lessons = course["lesson_ids"]
    assert complete(client, course, lessons[0], student).status_code == 409  # not enrolled
    enrol(client, course, student)
    assert complete(client, course, str(uuid.uuid4()), student).status_code == 404
    r = complete(client, course, lessons[0], student)
    assert r.status_code == 200 and r.json()["newly_completed"] is True
    again = complete(client, course, lessons[0], student)
    assert again.json()["newly_completed"] is False
    eid = str(enrolment_id(uuid.UUID(student.user_id), uuid.UUID(course["course_id"])))
    assert event_count(infra, eid, "LessonCompleted") == 1
    r = client.get(f"/api/v1/courses/{course['course_id']}/progress/{student.user_id}", headers=student.headers,
                   params={"min_position": r.json()["position"]})
    p = r.json()
    assert (p["lessons_completed"], p["lessons_total"], p["percent_complete"], p["status"]) == (1, 3, 33.3, "in_progress")
    assert p["completed_lesson_ids"] == [lessons[0]] and p["last_activity_at"] is not None
    complete(client, course, lessons[1], student)
    r = complete(client, course, lessons[2], student)
    mine = my_courses(client, student, r.json()["position"])[course["course_id"]]
    assert (mine["percent_complete"], mine["status"]) == (100.0, "completed") and mine["completed_at"]


def test_progress_follows_the_published_revision(client, make_person, kit):
    course, student = kit.published(lessons=2), make_person()
    enrol(client, course, student)
    complete(client, course, course["lesson_ids"][0], student)
    modules = course_body(lessons=0)["modules"]
    modules[0]["lessons"] = [{"lesson_id": i, "title": "Kept"} for i in course["lesson_ids"]] + [{"title": "New"}]
    client.put(f"/api/v1/courses/{course['course_id']}/syllabus", json={"modules": modules}, headers=kit.author.headers)
    position = kit.publish(course)
    mine = my_courses(client, student, position)[course["course_id"]]
    assert (mine["lessons_completed"], mine["lessons_total"]) == (1, 3)


@pytest.mark.parametrize("viewer, allowed", [
    ("student", True), ("owner", True), ("admin", True),
    ("other_student", False), ("other_creator", False), ("moderator", False), ("teacher", False),
])
def test_who_sees_progress(client, make_person, kit, viewer, allowed):
    course, student = kit.published(), make_person()
    position = enrol(client, course, student).json()["position"]
    who = {
        "student": lambda: student, "owner": lambda: kit.author, "admin": lambda: make_person(Role.ADMIN),
        "other_student": make_person, "other_creator": lambda: make_person(Role.CREATOR),
        "moderator": lambda: kit.moderator, "teacher": lambda: make_person(Role.TEACHER),
    }[viewer]()
    url = f"/api/v1/courses/{course['course_id']}"
    r = client.get(f"{url}/progress/{student.user_id}", headers=who.headers, params={"min_position": position})
    assert r.status_code == (200 if allowed else 403)
    if viewer != "student":
        r = client.get(f"{url}/students", headers=who.headers, params={"min_position": position})
        assert r.status_code == (200 if allowed else 403)
        if allowed:
            assert [s["student_id"] for s in r.json()["items"]] == [student.user_id]


def test_lesson_texts_are_for_enrolled_students_owner_and_staff(client, make_person, kit):
    course, student, outsider = kit.published(), make_person(), make_person()
    url = f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}"
    position = enrol(client, course, student).json()["position"]
    assert client.get(url).status_code == 401
    assert client.get(url, headers=outsider.headers, params={"min_position": position}).status_code == 403
    for who in (student, kit.author, kit.moderator):
        r = client.get(url, headers=who.headers, params={"min_position": position})
        assert r.status_code == 200 and r.json()["content"] == "Text 1"
    missing = f"/api/v1/courses/{course['course_id']}/lessons/{uuid.uuid4()}"
    assert client.get(missing, headers=student.headers).status_code == 404


def test_erasing_a_student_drops_their_learning_record(client, make_person, kit):
    course, student, stays = kit.published(), make_person(), make_person()
    enrol(client, course, stays)
    enrol(client, course, student)
    complete(client, course, course["lesson_ids"][0], student)
    r = client.post(f"/api/v1/users/{student.user_id}/erasure", headers=student.headers)
    assert r.status_code == 200, r.text
    listed = client.get(f"/api/v1/courses/{course['course_id']}/students", headers=kit.author.headers,
                        params={"min_position": r.json()["position"]}).json()["items"]
    assert [s["student_id"] for s in listed] == [stays.user_id]
    r = client.get(f"/api/v1/courses/{course['course_id']}/progress/{student.user_id}", headers=kit.author.headers)
    assert r.status_code == 404
