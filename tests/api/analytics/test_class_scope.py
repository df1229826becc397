"""Progress and reports of a class: lesson views and completions count, the teacher alone reads
its reports, and erasing a student removes their learning record from the read model."""

from __future__ import annotations

from domain.identity import Role
from tests.api.analytics.conftest import get, post


def _class_with_lesson(client, make_person):
    teacher, student = make_person(Role.TEACHER), make_person()
    r = client.post("/api/v1/classes", headers=teacher.headers, json={"name": "Form 2A"})
    assert r.status_code == 201, r.text
    class_id, code = r.json()["class_id"], r.json()["join_code"]
    assert client.post("/api/v1/classes/join", headers=student.headers, json={"code": code}).status_code == 200
    r = client.post(f"/api/v1/classes/{class_id}/lessons", headers=teacher.headers,
                    json={"title": "Fractions", "body": "# Halves"})
    assert r.status_code == 201, r.text
    lesson_id = r.json()["lesson_id"]
    post(client, teacher, f"/classes/{class_id}/lessons/{lesson_id}/publication")
    position = post(client, student, f"/classes/{class_id}/lessons/{lesson_id}/completion")
    return teacher, student, class_id, position


def test_class_progress_and_reports(client, make_person):
    teacher, student, class_id, position = _class_with_lesson(client, make_person)
    p = get(client, student, f"/progress/students/{student.user_id}/scopes/{class_id}", position).json()
    assert (p["scope"], p["title"], p["lessons_completed"], p["lessons_total"]) == ("class", "Form 2A", 1, 1)
    assert p["percent_complete"] == 100.0 and p["current_streak_days"] == 1
    [day] = get(client, teacher, f"/analytics/scopes/{class_id}/engagement", position).json()["rows"]
    assert (day["active_students"], day["lesson_views"], day["completions"]) == (1, 1, 1)
    funnel = get(client, teacher, f"/analytics/scopes/{class_id}/funnel", position).json()
    assert funnel["scope"] == "class" and funnel["rows"][0]["reached"] == 1


def test_only_the_teacher_reads_a_class_report(client, make_person):
    teacher, student, class_id, position = _class_with_lesson(client, make_person)
    other_teacher, admin = make_person(Role.TEACHER), make_person(Role.ADMIN)
    path = f"/analytics/scopes/{class_id}/at-risk"
    assert get(client, teacher, path, position).status_code == 200
    assert get(client, student, path).status_code == 403
    assert get(client, other_teacher, path).status_code == 404
    assert get(client, admin, path).status_code == 404  # classes are the teacher's own


def test_erasing_a_student_removes_their_learning_record(client, make_person):
    teacher, student, class_id, position = _class_with_lesson(client, make_person)
    admin = make_person(Role.ADMIN)
    position = post(client, admin, f"/users/{student.user_id}/erasure")
    body = get(client, admin, f"/progress/students/{student.user_id}", position).json()
    assert body["scopes"] == [] and body["due_next"] == []
    [day] = get(client, teacher, f"/analytics/scopes/{class_id}/engagement", position).json()["rows"] or [None]
    assert day is None
