"""Gradebook through the API: grades from attempt events, who sees what, policy what-if and
change, history with causes, as-of queries, overrides, CSV export, bad input."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from uuid import UUID

import pytest

from commands.certification.gradebook import (
    Category,
    LatePenalty,
    Letter,
    Policy,
    SetPolicy,
    set_policy,
)
from commands.pipeline import Actor, execute
from domain.gradebook import override_id, policy_id
from domain.identity import Role
from projections.engine.tracking import log_head
from tests.api.catalog.conftest import event_count

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
                                 {**DROP_ONE, "pass_mark": 101}, {**DROP_ONE, "aggregation": "median"},
                                 {**DROP_ONE, "categories": {"quizzes": {"weight": 1e20}}},
                                 {**DROP_ONE, "categories": {"quizzes": {"weight": 1001}}}])
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


def test_enrolled_students_without_scores_appear_with_empty_grades(ck, client, make_person):
    course = ck.published()
    newcomer = make_person()
    r = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=newcomer.headers)
    assert r.status_code == 201, r.text
    got = client.get(f"{API}/{course['course_id']}", headers=ck.author.headers,
                     params={"min_position": r.json()["position"]}).json()["items"]
    [row] = [i for i in got if i["student_id"] == newcomer.user_id]
    assert row["final"] is None and row["letter"] is None and row["scores"] == [] and not row["passed"]
    own = client.get(f"{API}/{course['course_id']}/students/{newcomer.user_id}", headers=newcomer.headers).json()
    assert own["final"] is None and own["categories"]["quizzes"]["percent"] is None


def test_history_records_category_changes_with_their_cause(ck, client, student):
    course = ck.published()
    scope = course["course_id"]
    two = {**DROP_ONE, "categories": {"quizzes": {"weight": 1}, "essays": {"weight": 1}}}
    r = client.put(f"{API}/{scope}/policy", json=two, headers=ck.author.headers)
    assert r.status_code == 200, r.text
    ck.quiz_score(student, scope, 8)
    ck.quiz_score(student, scope, 4, category="essays")
    history = client.get(f"{API}/{scope}/students/{student.user_id}/history", headers=ck.author.headers,
                         params={"min_position": log_head(ck.deps.pool)}).json()["items"]
    assert [(h["cause"], h["changed"]) for h in history] == [
        ("Attempt.Submitted", ["final", "letter", "categories.quizzes"]),
        ("Attempt.Submitted", ["final", "categories.essays"])]  # 60 % is still a P
    assert history[-1]["categories"] == {"quizzes": 80, "essays": 40} and history[-1]["final"] == 60
    # A policy change that moves only the categories' weights changes the final grade, not the categories.
    r = client.put(f"{API}/{scope}/policy", json={**two, "categories": {"quizzes": {"weight": 3}, "essays": {"weight": 1}}},
                   headers=ck.author.headers)
    history = client.get(f"{API}/{scope}/students/{student.user_id}/history", headers=student.headers,
                         params={"min_position": r.json()["position"]}).json()["items"]
    assert history[-1]["cause"] == "GradingPolicy.Changed" and history[-1]["changed"] == ["final"]
    assert history[-1]["final"] == 70 and history[-1]["actor_id"] == ck.author.user_id


def test_under_a_sum_policy_an_override_is_in_points(ck, client, student, infra):
    course = ck.published()
    scope = course["course_id"]
    r = client.put(f"{API}/{scope}/policy", json={**DROP_ONE, "aggregation": "sum",
                                                   "categories": {"quizzes": {"weight": 1}}}, headers=ck.author.headers)
    assert r.status_code == 200, r.text
    ck.quiz_score(student, scope, 5)
    ck.quiz_score(student, scope, 10)  # 15 of 20 points
    url = f"{API}/{scope}/students/{student.user_id}/override"
    r = client.put(url, json={"grade": 18, "reason": "project"}, headers=ck.author.headers)
    assert r.status_code == 200 and r.json()["unit"] == "points", r.text
    got = client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers,
                     params={"min_position": r.json()["position"]}).json()
    assert (got["final"], got["unit"], got["percent"]) == (18, "points", 90)
    assert got["override"] == {"grade": 18, "unit": "points"}
    r = client.put(url, json={"grade": 50, "unit": "percent", "reason": "halved"}, headers=ck.author.headers)
    got = client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers,
                     params={"min_position": r.json()["position"]}).json()
    assert (got["final"], got["percent"]) == (10, 50)  # half of the 20 points
    before = event_count(infra, str(override_id(UUID(scope), UUID(student.user_id))))
    for bad in ({"grade": 150, "unit": "percent", "reason": "x"}, {"grade": -1, "reason": "x"},
                {"grade": 5, "unit": "marks", "reason": "x"}):
        assert client.put(url, json=bad, headers=ck.author.headers).status_code == 422, bad
    assert event_count(infra, str(override_id(UUID(scope), UUID(student.user_id)))) == before


def test_reads_never_fail_on_a_stored_number_out_of_range(ck, client, student, graded):
    """A policy stored before weights had a range (1e20: JSONB gives it back as an integer past 64
    bits) and a -0.0: every read answers, finite, and no response carries -0.0."""
    scope, _ = graded
    author = ck.author
    actor = Actor(UUID(author.user_id), frozenset({Role.CREATOR.value}))
    huge = Policy.model_construct(**{**DROP_ONE, "categories": {
        "quizzes": Category.model_construct(weight=1e20, drop_lowest=0),
        "essays": Category.model_construct(weight=-0.0, drop_lowest=0)},
        "late_penalty": LatePenalty(), "letters": [Letter(**x) for x in DROP_ONE["letters"]]})
    done = execute(set_policy, SetPolicy.model_construct(scope_id=UUID(scope), policy=huge), actor, ck.deps)
    params = {"min_position": done.position}
    for url, who in ((f"{API}/{scope}/policy", author), (f"{API}/{scope}", author),
                     (f"{API}/{scope}/students/{student.user_id}", student), (f"{API}/{scope}/export.csv", author)):
        r = client.get(url, headers=who.headers, params=params)
        assert r.status_code == 200, (url, r.text)
        assert "-0.0" not in r.text and "inf" not in r.text.lower(), (url, r.text)
    assert client.get(f"{API}/{scope}/students/{student.user_id}", headers=student.headers).json()["final"] == 75
