"""Teachers assign courses to students of their classes or to whole classes, admins to anyone,
with due dates; each source keeps its own assignment; joiners of a class get its courses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.identity import Role
from tests.api.catalog.conftest import class_with, event_count

DUE = (datetime.now(UTC) + timedelta(days=14)).isoformat()


def assign(client, course, who, student_ids, due_at=DUE):
    """min_position: the roster read model has the classes made just before (log_head, not waited for otherwise)."""
    from projections.engine.tracking import log_head

    return client.post(f"/api/v1/courses/{course['course_id']}/assignments", headers=who.headers,
                       json={"student_ids": student_ids, "due_at": due_at},
                       params={"min_position": log_head(client.app.state.deps.pool)})


def mine(client, who, position):
    r = client.get("/api/v1/me/courses", headers=who.headers, params={"min_position": position})
    return {c["course_id"]: c for c in r.json()["items"]}


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ADMIN])
def test_teachers_and_admins_assign_with_a_due_date(client, make_person, kit, role):
    course, assigner = kit.published(title="Assigned reading"), make_person(role)
    a, b = make_person(), make_person()
    class_id = class_with(client, assigner, [a, b])[0] if role == Role.TEACHER else None
    r = assign(client, course, assigner, [a.user_id, b.user_id, a.user_id])
    assert r.status_code == 200, r.text
    assert sorted(r.json()["assigned"]) == sorted([a.user_id, b.user_id])
    entry = mine(client, a, r.json()["position"])[course["course_id"]]
    assert (entry["source"], entry["assigned_by"], entry["status"]) == ("assigned", assigner.user_id, "not_started")
    assert entry["class_id"] == class_id  # a teacher assigns through the class they teach the student in
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
    class_with(client, teacher, [student])
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
    class_with(client, teacher, [ready, not_ready])
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


def test_assigning_to_a_whole_class(client, make_person, kit):
    course, teacher = kit.published(title="Class reading"), make_person(Role.TEACHER)
    students = [make_person(), make_person()]
    class_id, position = class_with(client, teacher, students)
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
    assert saves == [251]  # the class's assignment and every enrolment
    students = client.get(f"/api/v1/courses/{course['course_id']}/students", headers=kit.author.headers,
                          params={"min_position": r.json()["position"], "limit": 100}).json()
    assert len(students["items"]) == 100 and students["next_cursor"]


def test_teachers_assign_only_students_of_their_own_classes(client, make_person, kit, infra):
    course, teacher = kit.published(), make_person(Role.TEACHER)
    mine_, stranger, removed = make_person(), make_person(), make_person()
    class_id, _ = class_with(client, teacher, [mine_, removed])
    r = client.delete(f"/api/v1/classes/{class_id}/students/{removed.user_id}", headers=teacher.headers)
    assert r.status_code == 200
    before = event_count(infra, None, "Enrolment.%")
    for who in ([stranger.user_id], [mine_.user_id, stranger.user_id], [removed.user_id]):
        r = assign(client, course, teacher, who)
        assert r.status_code == 403, r.text
        assert r.json()["errors"][0]["field"] == "student_ids" and mine_.user_id not in r.json()["errors"][0]["message"]
    assert event_count(infra, None, "Enrolment.%") == before
    assert assign(client, course, teacher, [mine_.user_id]).status_code == 200
    assert assign(client, course, make_person(Role.ADMIN), [stranger.user_id]).status_code == 200  # admins: anyone


def test_a_second_teachers_assignment_is_kept_beside_the_first(client, make_person, kit):
    course, student = kit.published(), make_person()
    first, second = make_person(Role.TEACHER), make_person(Role.TEACHER)
    first_class, _ = class_with(client, first, [student])
    second_class, _ = class_with(client, second, [student])
    soon, later = (datetime.now(UTC) + timedelta(days=d) for d in (7, 30))
    assert assign(client, course, first, [student.user_id], soon.isoformat()).status_code == 200
    r = assign(client, course, second, [student.user_id], later.isoformat())
    assert r.status_code == 200, r.text
    entry = mine(client, student, r.json()["position"])[course["course_id"]]
    # The first teacher's due date and class stay on show; the second's is kept beside them.
    assert (entry["assigned_by"], entry["class_id"]) == (first.user_id, first_class)
    assert datetime.fromisoformat(entry["due_at"]) == soon
    by_class = {a["class_id"]: a for a in entry["assignments"]}
    assert set(by_class) == {first_class, second_class}
    assert datetime.fromisoformat(by_class[second_class]["due_at"]) == later
    assert by_class[second_class]["assigned_by"] == second.user_id
    # The same teacher again: their own due date moves, nothing else.
    r = assign(client, course, first, [student.user_id], None)
    entry = mine(client, student, r.json()["position"])[course["course_id"]]
    assert entry["due_at"] is None and len(entry["assignments"]) == 2
    assert assign(client, course, first, [student.user_id], None).json()["position"] == 0  # unchanged: nothing recorded


def test_a_student_removed_from_the_assigning_classes_may_leave(client, make_person, kit):
    course, student = kit.published(), make_person()
    first, second, admin = make_person(Role.TEACHER), make_person(Role.TEACHER), make_person(Role.ADMIN)
    first_class, _ = class_with(client, first, [student])
    second_class, _ = class_with(client, second, [student])
    r = client.post(f"/api/v1/courses/{course['course_id']}/class-assignments", json={"class_id": first_class},
                    headers=first.headers)
    assert r.status_code == 200, r.text
    assert assign(client, course, second, [student.user_id]).status_code == 200
    leave = f"/api/v1/courses/{course['course_id']}/enrolment"
    assert client.delete(leave, headers=student.headers).status_code == 409
    client.delete(f"/api/v1/classes/{first_class}/students/{student.user_id}", headers=first.headers)
    assert client.delete(leave, headers=student.headers).status_code == 409  # the second class still holds it
    client.delete(f"/api/v1/classes/{second_class}/students/{student.user_id}", headers=second.headers)
    r = client.delete(leave, headers=student.headers)
    assert r.status_code == 200, r.text
    assert course["course_id"] not in mine(client, student, r.json()["position"])
    # An admin's assignment is no class's: it holds for good.
    assert assign(client, course, admin, [student.user_id]).status_code == 200
    r = client.delete(leave, headers=student.headers)
    assert r.status_code == 409 and "admin" in r.json()["detail"]


def _caught_up(app) -> int:
    """Waits until the read models the class-courses worker asks have applied the whole log."""
    from projections.catalog.catalog import catalog
    from projections.catalog.enrolment import enrolment
    from projections.classroom.classroom import classroom
    from projections.engine.tracking import log_head, wait_for_position

    head = log_head(app.state.deps.pool)
    wait_for_position(app.state.deps.pool, [catalog, classroom, enrolment], head, 10)
    return head


def test_students_who_join_later_get_the_class_courses(client, app, make_person, kit):
    from workers.classroom.class_courses import assign_due

    basics = kit.published(title="Basics", lessons=1)
    course, needs_basics = kit.published(), kit.published(prerequisites=[basics["course_id"]])
    teacher = make_person(Role.TEACHER)
    r = client.post("/api/v1/classes", json={"name": "New class"}, headers=teacher.headers)
    class_id, code = r.json()["class_id"], r.json()["join_code"]
    for c in (course, needs_basics):
        r = client.post(f"/api/v1/courses/{c['course_id']}/class-assignments", json={"class_id": class_id, "due_at": DUE},
                        headers=teacher.headers)
        assert r.status_code == 200 and r.json()["assigned"] == []  # an empty class is fine: joiners get it
    joiner = make_person()
    assert client.post("/api/v1/classes/join", json={"code": code}, headers=joiner.headers).status_code == 200
    _caught_up(app)
    assert assign_due(app.state.deps) == 1  # the course without prerequisites
    entry = mine(client, joiner, _caught_up(app))[course["course_id"]]
    assert (entry["source"], entry["assigned_by"], entry["class_id"]) == ("assigned", teacher.user_id, class_id)
    assert datetime.fromisoformat(entry["due_at"]) == datetime.fromisoformat(DUE)
    assert assign_due(app.state.deps) == 0  # exactly once; the blocked one is asked again, recording nothing
    # Once the prerequisite is completed, the next round hands out the other course.
    client.post(f"/api/v1/courses/{basics['course_id']}/enrolment", headers=joiner.headers)
    client.post(f"/api/v1/courses/{basics['course_id']}/lessons/{basics['lesson_ids'][0]}/completion", headers=joiner.headers)
    _caught_up(app)
    assert assign_due(app.state.deps) == 1
    assert needs_basics["course_id"] in mine(client, joiner, _caught_up(app))


def test_the_class_courses_worker_follows_the_log(client, app, infra, make_person, kit):
    import threading
    import time

    from workers.classroom.class_courses import giver

    course, teacher, joiner = kit.published(), make_person(Role.TEACHER), make_person()
    r = client.post("/api/v1/classes", json={"name": "Late joiners"}, headers=teacher.headers)
    class_id, code = r.json()["class_id"], r.json()["join_code"]
    client.post(f"/api/v1/courses/{course['course_id']}/class-assignments", json={"class_id": class_id},
                headers=teacher.headers)
    stop = threading.Event()
    worker = threading.Thread(target=giver(app.state.deps, infra.database_url, idle_timeout=1).run,
                              args=(stop,), daemon=True)
    worker.start()
    try:
        assert client.post("/api/v1/classes/join", json={"code": code}, headers=joiner.headers).status_code == 200
        deadline = time.monotonic() + 15
        while course["course_id"] not in mine(client, joiner, 0) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert course["course_id"] in mine(client, joiner, 0)
    finally:
        stop.set()
        worker.join(5)
