"""The teacher of a class that was assigned a course sees that class's students in the course
(rows and progress), and no one else's; other teachers see nothing."""

from __future__ import annotations

from domain.identity import Role
from tests.api.catalog.conftest import class_with


def students(client, course, who, position=0):
    return client.get(f"/api/v1/courses/{course['course_id']}/students", headers=who.headers,
                      params={"min_position": position})


def progress_of(client, course, who, student, position=0):
    return client.get(f"/api/v1/courses/{course['course_id']}/progress/{student.user_id}", headers=who.headers,
                      params={"min_position": position})


def test_teachers_see_the_students_their_classes_brought(client, make_person, kit):
    course = kit.published()
    teacher, other_teacher = make_person(Role.TEACHER), make_person(Role.TEACHER)
    a, b, self_enrolled, elsewhere = make_person(), make_person(), make_person(), make_person()
    class_id, roster_position = class_with(client, teacher, [a, b, self_enrolled])
    other_class, _ = class_with(client, other_teacher, [elsewhere])
    client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=self_enrolled.headers)
    r = client.post(f"/api/v1/courses/{course['course_id']}/assignments", json={"student_ids": [a.user_id, b.user_id]},
                    headers=teacher.headers, params={"min_position": roster_position})
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/courses/{course['course_id']}/class-assignments", json={"class_id": other_class},
                    headers=other_teacher.headers)
    position = r.json()["position"]
    client.post(f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}/completion", headers=a.headers)

    rows = students(client, course, teacher, position).json()["items"]
    assert sorted(s["student_id"] for s in rows) == sorted([a.user_id, b.user_id])
    assert progress_of(client, course, teacher, b, position).status_code == 200
    for outside in (self_enrolled, elsewhere):  # in the course, but not through this teacher's classes
        assert progress_of(client, course, teacher, outside, position).status_code == 403
    assert [s["student_id"] for s in students(client, course, other_teacher, position).json()["items"]] == [
        elsewhere.user_id]
    assert progress_of(client, course, other_teacher, a, position).status_code == 403
    # The owner still sees everyone.
    assert len(students(client, course, kit.author, position).json()["items"]) == 4

    # A student removed from the class is no longer the teacher's to watch.
    r = client.delete(f"/api/v1/classes/{class_id}/students/{b.user_id}", headers=teacher.headers)
    assert [s["student_id"] for s in students(client, course, teacher, r.json()["position"]).json()["items"]] == [
        a.user_id]
    assert progress_of(client, course, teacher, b, r.json()["position"]).status_code == 403


def test_teachers_without_an_assigned_class_see_nothing(client, make_person, kit):
    course, student = kit.published(), make_person()
    teacher_of_student = make_person(Role.TEACHER)
    class_with(client, teacher_of_student, [student])  # their student, but the course came from elsewhere
    position = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers).json()["position"]
    for who in (teacher_of_student, make_person(Role.TEACHER)):
        assert students(client, course, who, position).status_code == 403
        assert progress_of(client, course, who, student, position).status_code == 403
