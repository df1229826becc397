"""Gradebook through the API: grades from attempt events, who sees what, policy what-if and
change, history with causes, as-of queries, overrides, CSV export, bad input."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from uuid import UUID

import pytest

from domain.gradebook import policy_id
from domain.identity import Role
from tests.api.catalog.conftest import event_count
from projections.tracking import log_head

API = "/api/v1/gradebooks"
DROP_ONE = {"aggregation": "weighted_mean", "categories": {"quizzes": {"weight": 1, "drop_lowest": 1}},
            "pass_mark": 60, "letters": [{"letter": "P", "min": 60}, {"letter": "F", "min": 0}]}


@pytest.fixture
def graded(ck, student):
    """A course where the student scored 50 % and 100 % on two quizzes."""
    course = ck.published()
    ck.quiz_score(student, course["course_id"], 5)
    ck.quiz_score(student, course["course_id"], 10)
    return course["course_id"], log_head(ck.deps.pool)


def test_student_sees_own_grades_with_every_score(client, student, graded):
    scope, position = graded
    r = client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers,
                   params={"min_position": position})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["final"] == 75 and body["letter"] == "C" and len(body["scores"]) == 2
    assert body["categories"]["quizzes"]["percent"] == 75


@pytest.mark.parametrize("who,status", [("owner", 200), ("admin", 200), ("other_student", 404),
                                        ("other_creator", 404), ("anonymous", 401)])
def test_who_sees_a_students_grades_and_the_gradebook(ck, client, make_person, student, graded, who, status):
    scope, position = graded
    headers = {"owner": lambda: ck.author.headers, "admin": lambda: make_person(Role.ADMIN).headers,
               "other_student": lambda: make_person().headers,
               "other_creator": lambda: make_person(Role.CREATOR).headers, "anonymous": lambda: {}}[who]()
    for url in (f"{API}/{scope}/students/{student.user_id}", f"{API}/{scope}", f"{API}/{scope}/export.csv",
                f"{API}/{scope}/students/{student.user_id}/history"):
        r = client.get(url, headers=headers, params={"min_position": position})
        assert r.status_code == status, (url, r.text)


def test_what_if_then_change_policy_history_and_as_of(ck, client, student, infra, graded):
    scope, position = graded
    owner = ck.author.headers
    r = client.post(f"{API}/{scope}/policy/what-if", json=DROP_ONE, headers=owner, params={"min_position": position})
    assert r.status_code == 200, r.text
    [row] = [i for i in r.json()["items"] if i["student_id"] == student.user_id]
    assert (row["current_final"], row["new_final"], row["new_letter"]) == (75, 100, "P")
    assert event_count(infra, str(policy_id(UUID(scope)))) == 0  # a preview records nothing
    before = datetime.now(UTC)
    r = client.put(f"{API}/{scope}/policy", json=DROP_ONE, headers=owner)
    assert r.status_code == 200, r.text
    position = r.json()["position"]
    got = client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers,
                     params={"min_position": position}).json()
    assert got["final"] == 100
    then = client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers,
                      params={"as_of": before.isoformat()}).json()
    assert then["final"] == 75
    history = client.get(f"{API}/{scope}/students/{student.user_id}/history", headers=student.headers).json()["items"]
    assert [h["cause"] for h in history] == ["Attempt.Submitted", "Attempt.Submitted", "GradingPolicy.Set"]
    assert [h["final"] for h in history] == [50, 75, 100] and history[-1]["actor_id"] == ck.author.user_id


@pytest.mark.parametrize("bad", [{"categories": {}}, {"categories": {"homework": {}}},
                                 {**DROP_ONE, "letters": [{"letter": "A", "min": 50}]},
                                 {**DROP_ONE, "pass_mark": 101}, {**DROP_ONE, "aggregation": "median"}])
def test_bad_policies_are_refused_and_change_nothing(ck, client, infra, graded, bad):
    scope, _ = graded
    r = client.put(f"{API}/{scope}/policy", json=bad, headers=ck.author.headers)
    assert r.status_code in (400, 422), r.text
    assert event_count(infra, str(policy_id(UUID(scope)))) == 0


def test_override_with_reason_and_csv_export(ck, client, student, make_person, graded):
    scope, position = graded
    url = f"{API}/{scope}/students/{student.user_id}/override"
    assert client.put(url, json={"grade": 90, "reason": " "}, headers=ck.author.headers).status_code in (400, 422)
    assert client.put(url, json={"grade": 90, "reason": "mine"}, headers=student.headers).status_code == 404
    assert client.put(url, json={"grade": 190, "reason": "x"}, headers=ck.author.headers).status_code == 422
    r = client.put(url, json={"grade": 90, "reason": "oral exam"}, headers=ck.author.headers)
    assert r.status_code == 200, r.text
    got = client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers,
                     params={"min_position": r.json()["position"]}).json()
    assert got["final"] == 90 and got["overridden"] and got["override_reason"] == "oral exam"
    history = client.get(f"{API}/{scope}/students/{student.user_id}/history", headers=student.headers).json()["items"]
    assert history[-1]["cause"] == "GradeOverride.Overridden"
    r = client.get(f"{API}/{scope}/export.csv", headers=ck.author.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows == [{"student_id": student.user_id, "final": "90.0", "letter": "A", "passed": "true",
                     "overridden": "true", "quizzes_percent": "75.0"}]
    r = client.put(url, json={"grade": None, "reason": "cleared"}, headers=ck.author.headers)
    got = client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers,
                     params={"min_position": r.json()["position"]}).json()
    assert got["final"] == 75 and not got["overridden"]


def test_a_class_has_its_own_policy_for_its_teacher_only(client, make_person):
    teacher, other = make_person(Role.TEACHER), make_person(Role.TEACHER)
    r = client.post("/api/v1/classes", headers=teacher.headers, json={"name": "Year 9"})
    assert r.status_code == 201, r.text
    class_id = r.json()["class_id"]
    assert client.put(f"{API}/{class_id}/policy", json=DROP_ONE, headers=other.headers).status_code == 404
    r = client.put(f"{API}/{class_id}/policy", json=DROP_ONE, headers=teacher.headers)
    assert r.status_code == 200, r.text
    got = client.get(f"{API}/{class_id}/policy", headers=teacher.headers, params={"min_position": r.json()["position"]})
    assert got.json()["policy"]["categories"]["quizzes"]["drop_lowest"] == 1
    assert client.get(f"{API}/{class_id}", headers=other.headers).status_code == 404


def test_erasing_a_student_erases_override_reasons(ck, client, graded):
    scope, _ = graded
    student = ck.make_person()
    r = client.put(f"{API}/{scope}/students/{student.user_id}/override", json={"grade": 70, "reason": "private matter"},
                   headers=ck.author.headers)
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/users/{student.user_id}/erasure", headers=student.headers)
    assert r.status_code == 200, r.text
    got = client.get(f"{API}/{scope}/students/{student.user_id}", headers=ck.author.headers,
                     params={"min_position": r.json()["position"]}).json()
    assert got["final"] == 70 and got["override_reason"] == "[erased]"
