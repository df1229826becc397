"""Completion rules per course: who sets them, bad input, and a pass mark that holds back a
certificate until the grade is reached; the issuing worker following the log by itself."""

from __future__ import annotations

import threading
import time
from uuid import UUID

import pytest

from domain.certification import completion_rules_id
from domain.identity import Role
from tests.api.catalog.conftest import class_with, event_count
from workers.certification.certificates import certificate_issuer

API = "/api/v1"


def rules_url(course: dict) -> str:
    return f"{API}/courses/{course['course_id']}/completion-rules"


@pytest.mark.parametrize("who,status", [("owner", 200), ("admin", 200), ("other_creator", 403),
                                        ("student", 403), ("anonymous", 401)])
def test_who_sets_completion_rules(ck, make_person, client, who, status):
    course = ck.published()
    headers = {"owner": lambda: ck.author.headers, "admin": lambda: make_person(Role.ADMIN).headers,
               "other_creator": lambda: make_person(Role.CREATOR).headers,
               "student": lambda: make_person().headers, "anonymous": lambda: {}}[who]()
    r = client.put(rules_url(course), json={"pass_mark": 60}, headers=headers)
    assert r.status_code == status, r.text


@pytest.mark.parametrize("body", [{"pass_mark": 150}, {"pass_mark": -1}, {"pass_mark": "lots"},
                                  {"require_all_lessons": False}, {"show_grade": "maybe"},
                                  {"required_lesson_ids": ["00000000-0000-0000-0000-000000000001"]},
                                  {"required_lesson_ids": ["not-a-uuid"]},
                                  {"required_quiz_ids": ["00000000-0000-0000-0000-000000000001"]}])
def test_bad_rules_are_refused_and_change_nothing(ck, client, infra, body):
    course = ck.published()
    r = client.put(rules_url(course), json=body, headers=ck.author.headers)
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert event_count(infra, str(completion_rules_id(UUID(course["course_id"])))) == 0


def test_rules_read_back_and_unchanged_rules_record_nothing(ck, client, infra):
    course = ck.published()
    assert client.get(rules_url(course), headers=ck.author.headers).json()["pass_mark"] is None
    r = client.put(rules_url(course), json={"pass_mark": 70, "show_grade": True}, headers=ck.author.headers)
    again = client.put(rules_url(course), json={"pass_mark": 70, "show_grade": True}, headers=ck.author.headers)
    assert again.json()["changed"] is False
    got = client.get(rules_url(course), headers=ck.author.headers, params={"min_position": r.json()["position"]})
    assert got.json()["pass_mark"] == 70 and got.json()["show_grade"] is True
    assert client.put(f"{API}/courses/00000000-0000-0000-0000-000000000001/completion-rules",
                      json={}, headers=ck.author.headers).status_code == 404


def test_pass_mark_holds_the_certificate_until_reached(ck, student, client):
    course = ck.published()
    client.put(rules_url(course), json={"pass_mark": 70, "show_grade": True}, headers=ck.author.headers)
    ck.completed(student, course)
    ck.quiz_score(student, course["course_id"], 5)  # 50 %
    _, position = ck.issue()
    assert ck.certificate_of(student, course, position) is None
    ck.quiz_score(student, course["course_id"], 10)  # second quiz 100 %: mean 75 %
    _, position = ck.issue()
    cert = ck.certificate_of(student, course, position)
    assert cert is not None and cert["grade"] == 75.0
    pdf = client.get(f"{API}/certificates/{cert['certificate_id']}/pdf", headers=student.headers).content
    assert b"Grade: 75.0%" in pdf  # the course shows grades


def test_the_worker_issues_by_itself(ck, student, app, infra):
    stop = threading.Event()
    worker = certificate_issuer(app.state.deps, infra.database_url, idle_timeout=1.0)
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        course = ck.completed(student)
        deadline = time.monotonic() + 15
        while ck.certificate_of(student, course) is None:
            assert time.monotonic() < deadline, "no certificate was issued"
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(5)


def test_required_lessons_must_be_the_courses_and_a_quiz_of_another_course_is_refused(ck, client, student, infra):
    course, other = ck.published(), ck.published()
    foreign_quiz = ck.quiz(other["course_id"])
    for body, field in (({"required_lesson_ids": [other["lesson_ids"][0]]}, "required_lesson_ids"),
                        ({"required_quiz_ids": [str(foreign_quiz)]}, "required_quiz_ids")):
        r = client.put(rules_url(course), json=body, headers=ck.author.headers)
        assert r.status_code == 422 and field in r.text, r.text
    assert event_count(infra, str(completion_rules_id(UUID(course["course_id"])))) == 0


def test_some_required_lessons_are_enough(ck, student, client):
    course = ck.published()
    r = client.put(rules_url(course), json={"require_all_lessons": False, "required_lesson_ids": course["lesson_ids"][:1]},
                   headers=ck.author.headers)
    assert r.status_code == 200, r.text
    got = client.get(rules_url(course), headers=student.headers, params={"min_position": r.json()["position"]}).json()
    assert got["required_lesson_ids"] == course["lesson_ids"][:1] and got["require_all_lessons"] is False
    ck.completed(student, course, lessons=1)  # the first of two lessons: the course is not completed
    _, position = ck.issue()
    assert ck.certificate_of(student, course, position) is not None


def test_required_quizzes_must_be_passed_at_their_pass_mark(ck, student, client):
    course = ck.published()
    quiz = ck.quiz(course["course_id"], pass_mark=60)
    r = client.put(rules_url(course), json={"required_quiz_ids": [str(quiz)]}, headers=ck.author.headers)
    assert r.status_code == 200, r.text
    ck.completed(student, course)
    ck.attempt(student, quiz, 5)  # 50 %: below the quiz's pass mark
    _, position = ck.issue()
    assert ck.certificate_of(student, course, position) is None
    ck.attempt(student, quiz, 7, number=2)  # 70 %: passed
    issued, position = ck.issue()
    assert ck.certificate_of(student, course, position) is not None


@pytest.mark.parametrize("who,status", [("moderator", 200), ("assigning_teacher", 200), ("other_teacher", 403)])
def test_moderators_and_the_holders_teacher_revoke(ck, make_person, client, who, status):
    teacher = make_person(Role.TEACHER)
    holder = make_person()
    course = ck.published()
    _, position = class_with(client, teacher, [holder])  # teachers assign courses to their classes' students
    r = client.post(f"{API}/courses/{course['course_id']}/assignments", headers=teacher.headers,
                    json={"student_ids": [holder.user_id], "due_at": "2999-01-01T00:00:00Z"},
                    params={"min_position": position})  # waits for the roster the assignment checks
    assert r.status_code in (200, 201), r.text
    for lesson_id in course["lesson_ids"]:
        assert client.post(f"{API}/courses/{course['course_id']}/lessons/{lesson_id}/completion",
                           headers=holder.headers).status_code == 200
    _, position = ck.issue()
    cert = ck.certificate_of(holder, course, position)
    headers = {"moderator": lambda: make_person(Role.MODERATOR).headers, "assigning_teacher": lambda: teacher.headers,
               "other_teacher": lambda: make_person(Role.TEACHER).headers}[who]()
    r = client.post(f"{API}/certificates/{cert['certificate_id']}/revocation", json={"reason": "withdrawn"}, headers=headers)
    assert r.status_code == status, r.text
