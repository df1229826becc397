"""Teachers and admins assign courses to students or whole classes, with due dates."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.identity import Role
from tests.api.catalog.conftest import event_count

DUE = (datetime.now(UTC) + timedelta(days=14)).isoformat()


def assign(client, course, who, student_ids, due_at=DUE):
    return client.post(f"/api/v1/courses/{course['course_id']}/assignments",
                       json={"student_ids": student_ids, "due_at": due_at}, headers=who.headers)


def mine(client, who, position):
    r = client.get("/api/v1/me/courses", headers=who.headers, params={"min_position": position})
    return {c["course_id"]: c for c in r.json()["items"]}


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ADMIN])
def test_teachers_and_admins_assign_with_a_due_date(client, make_person, kit, role):
    course, assigner = kit.published(title="Assigned reading"), make_person(role)
    a, b = make_person(), make_person()
    r = assign(client, course, assigner, [a.user_id, b.user_id, a.user_id])
    assert r.status_code == 200, r.text
    assert sorted(r.json()["assigned"]) == sorted([a.user_id, b.user_id])
    entry = mine(client, a, r.json()["position"])[course["course_id"]]
    assert (entry["source"], entry["assigned_by"], entry["status"]) == ("assigned", assigner.user_id, "not_started")
    assert datetime.fromisoformat(entry["due_at"]) == datetime.fromisoformat(DUE)
    assert entry["last_activity_at"] is None  # the teacher acted, not the student
    # An assigned course cannot be left by the student.
    assert client.delete(f"/api/v1/courses/{course['course_id']}/enrolment", headers=a.headers).status_code == 409
    later = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    r = assign(client, course, assigner, [a.user_id], later)
    assert r.status_code == 200
    entry = mine(client, a, r.json()["position"])[course["course_id"]]
    assert datetime.fromisoformat(entry["due_at"]) == datetime.fromisoformat(later)


def test_assigning_a_self_enrolled_student_makes_it_an_assignment(client, make_person, kit):
    course, teacher, student = kit.published(), make_person(Role.TEACHER), make_person()
    client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers)
    r = assign(client, course, teacher, [student.user_id], None)
    entry = mine(client, student, r.json()["position"])[course["course_id"]]
    assert (entry["source"], entry["due_at"]) == ("assigned", None)


@pytest.mark.parametrize("role", [None, Role.CREATOR, Role.MODERATOR, Role.AUDITOR])
def test_others_cannot_assign(client, make_person, kit, role, infra):
    course, student = kit.published(), make_person()
    person = make_person(*([role] if role else []))
    before = event_count(infra, None, "Enrolment.%")
    assert assign(client, course, person, [student.user_id]).status_code == 403
    r = client.post(f"/api/v1/courses/{course['course_id']}/assignments", json={"student_ids": [student.user_id]})
    assert r.status_code == 401
    assert event_count(infra, None, "Enrolment.%") == before
    assert course["course_id"] not in mine(client, student, course["position"])


@pytest.mark.parametrize("student_ids, due_at, field", [
    ([], DUE, "body.student_ids"),
    (["me"], DUE, "body.student_ids.0"),
    (None, (datetime.now(UTC) - timedelta(days=1)).isoformat(), "due_at"),
    (None, "2030-01-01T10:00:00", "body.due_at"),  # a time without its zone is ambiguous
    (None, DUE, "student_ids"),  # one unknown person spoils the lot
], ids=["no-students", "not-a-uuid", "due-in-the-past", "due-without-zone", "unknown-student"])
def test_bad_assignments_change_nothing(client, make_person, kit, infra, student_ids, due_at, field):
    course, teacher, student = kit.published(), make_person(Role.TEACHER), make_person()
    ids = student_ids if student_ids is not None else [student.user_id, str(uuid.uuid4())]
    if field == "due_at":
        ids = [student.user_id]
    before = event_count(infra, None, "Enrolment.Enrolled")
    r = assign(client, course, teacher, ids, due_at)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
    assert event_count(infra, None, "Enrolment.Enrolled") == before


def test_assignment_respects_prerequisites_for_everyone_or_nobody(client, make_person, kit, infra):
    basics = kit.published(title="Basics first", lessons=1)
    course = kit.published(title="Needs basics", prerequisites=[basics["course_id"]])
    teacher, ready, not_ready = make_person(Role.TEACHER), make_person(), make_person()
    client.post(f"/api/v1/courses/{basics['course_id']}/enrolment", headers=ready.headers)
    client.post(f"/api/v1/courses/{basics['course_id']}/lessons/{basics['lesson_ids'][0]}/completion", headers=ready.headers)
    before = event_count(infra, None, "Enrolment.Enrolled")
    r = assign(client, course, teacher, [ready.user_id, not_ready.user_id])
    assert r.status_code == 409
    assert not_ready.user_id in r.json()["detail"] and "Basics first" in r.json()["detail"]
    assert ready.user_id not in r.json()["detail"]
    assert event_count(infra, None, "Enrolment.Enrolled") == before
    assert assign(client, course, teacher, [ready.user_id]).status_code == 200


def test_only_published_open_courses_can_be_assigned(client, make_person, kit):
    teacher, student = make_person(Role.TEACHER), make_person()
    assert assign(client, kit.create(), teacher, [student.user_id]).status_code == 404
    archived = kit.published()
    client.post(f"/api/v1/courses/{archived['course_id']}/archive", headers=kit.author.headers)
    assert assign(client, archived, teacher, [student.user_id]).status_code == 409


def _class_with(client, teacher, students):
    r = client.post("/api/v1/classes", json={"name": "Form 3B"}, headers=teacher.headers)
    assert r.status_code == 201, r.text
    class_id, position = r.json()["class_id"], r.json()["position"]
    for s in students:
        r = client.post(f"/api/v1/classes/{class_id}/students", json={"user_id": s.user_id}, headers=teacher.headers)
        assert r.status_code == 201, r.text
        position = r.json()["position"]
    return class_id, position


def test_assigning_to_a_whole_class(client, make_person, kit):
    course, teacher = kit.published(title="Class reading"), make_person(Role.TEACHER)
    students = [make_person(), make_person()]
    class_id, position = _class_with(client, teacher, students)
    url = f"/api/v1/courses/{course['course_id']}/class-assignments"
    body = {"class_id": class_id, "due_at": DUE}
    other_teacher = make_person(Role.TEACHER)
    r = client.post(url, json=body, headers=other_teacher.headers, params={"min_position": position})
    assert r.status_code == 403
    assert client.post(url, json=body, headers=students[0].headers).status_code == 403
    r = client.post(url, json={"class_id": str(uuid.uuid4())}, headers=teacher.headers)
    assert r.status_code == 404
    r = client.post(url, json=body, headers=teacher.headers, params={"min_position": position})
    assert r.status_code == 200, r.text
    assert sorted(r.json()["assigned"]) == sorted(s.user_id for s in students)
    for s in students:
        entry = mine(client, s, r.json()["position"])[course["course_id"]]
        assert (entry["source"], entry["class_id"]) == ("assigned", class_id)
    admin = make_person(Role.ADMIN)
    r = client.post(url, json={"class_id": class_id}, headers=admin.headers)
    assert r.status_code == 200


def test_an_empty_class_gets_a_clear_409(client, make_person, kit):
    course, teacher = kit.published(), make_person(Role.TEACHER)
    class_id, position = _class_with(client, teacher, [])
    r = client.post(f"/api/v1/courses/{course['course_id']}/class-assignments", json={"class_id": class_id},
                    headers=teacher.headers, params={"min_position": position})
    assert r.status_code == 409 and "no students" in r.json()["detail"]


def test_a_large_class_is_assigned_in_one_save(client, make_person, kit, app, monkeypatch):
    """Hundreds of enrolments are one atomic save (large saves used to hang over the Unix socket)."""
    from domain.classroom import SchoolClass
    from domain.event_conventions import Cause, caused_by

    # The roster is written straight to the log: class assignment takes students from it as they are.
    course, teacher, store = kit.published(), make_person(Role.TEACHER), app.state.deps.store
    with caused_by(Cause(uuid.UUID(teacher.user_id), uuid.uuid4())):
        big_class = SchoolClass.open(uuid.uuid4(), uuid.UUID(teacher.user_id), "Lecture hall", "", "")
        for _ in range(250):
            big_class.invite(uuid.uuid4())
    position = store.record(big_class)
    saves: list[int] = []
    real_record = store.record
    monkeypatch.setattr(store, "record", lambda *aggregates: saves.append(len(aggregates)) or real_record(*aggregates))
    r = client.post(f"/api/v1/courses/{course['course_id']}/class-assignments", json={"class_id": str(big_class.id)},
                    headers=teacher.headers, params={"min_position": position})
    assert r.status_code == 200, r.text
    assert len(r.json()["assigned"]) == 250
    assert saves == [250]
    students = client.get(f"/api/v1/courses/{course['course_id']}/students", headers=kit.author.headers,
                          params={"min_position": r.json()["position"], "limit": 100}).json()
    assert len(students["items"]) == 100 and students["next_cursor"]
