"""Completion rules per course: who sets them, bad input, and a pass mark that holds back a
certificate until the grade is reached; the issuing worker following the log by itself."""

from __future__ import annotations

import threading
import time
from uuid import UUID

import pytest

from domain.certification import completion_rules_id
from domain.identity import Role
from tests.api.catalog.conftest import event_count
from workers.certificates import CertificateIssuer

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
                                  {"require_all_lessons": False}, {"show_grade": "maybe"}])
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
    worker = CertificateIssuer(app.state.deps, infra.database_url, idle_timeout=1.0)
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
