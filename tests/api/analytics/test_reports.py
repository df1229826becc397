"""The analytics reports through the API: their numbers on a small known course, the three
formats, who may read each one, and bad input."""

from __future__ import annotations

import io

import polars as pl

from domain.identity import Role
from tests.api.analytics.conftest import get, post


def test_engagement_counts_the_days_activity(client, learning):
    course_id = learning.course["course_id"]
    r = get(client, learning.author, f"/analytics/scopes/{course_id}/engagement", learning.position)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scope"] == "course" and body["period"] == "day"
    [day] = body["rows"]
    assert (day["active_students"], day["completions"]) == (1, 2)
    weekly = get(client, learning.author, f"/analytics/scopes/{course_id}/engagement", period="week").json()["rows"]
    assert weekly[0]["active_students"] == 1


def test_funnel_names_the_lesson_where_students_stop(client, learning, make_person):
    course_id = learning.course["course_id"]
    quitter = make_person()
    position = post(client, quitter, f"/courses/{course_id}/enrolment")
    body = get(client, learning.author, f"/analytics/scopes/{course_id}/funnel", position).json()
    assert [row["reached"] for row in body["rows"]] == [1, 1, 0, 0]
    assert [row["title"] for row in body["rows"]] == ["Lesson 1", "Lesson 2", "Lesson 3", "Lesson 4"]
    # Two enrolled: one never started (lost at lesson 1), one stopped after lesson 2.
    assert body["rows"][0]["lost"] == 1 and body["drop_off"]["step_no"] == 1
    assert body["drop_off"]["lost"] == 1


def test_at_risk_shows_the_reason(client, learning, make_person):
    course_id = learning.course["course_id"]
    idle = make_person()
    position = post(client, idle, f"/courses/{course_id}/enrolment")
    later = "2099-01-01T00:00:00Z"
    body = get(client, learning.author, f"/analytics/scopes/{course_id}/at-risk", position, as_of=later).json()
    rows = {row["student_id"]: row for row in body["rows"]}
    assert "inactive" in rows[idle.user_id]["reasons"] and "no activity for" in rows[idle.user_id]["detail"]
    assert rows[idle.user_id]["display_name"] == "Test Person"
    now = get(client, learning.author, f"/analytics/scopes/{course_id}/at-risk", position).json()
    assert now["rows"] == []  # nobody has been idle for three weeks yet


def test_exports_as_csv_and_parquet(client, learning):
    course_id = learning.course["course_id"]
    path = f"/analytics/scopes/{course_id}/funnel"
    r = get(client, learning.author, path, learning.position, format="csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert pl.read_csv(io.StringIO(r.text))["reached"].to_list() == [1, 1, 0, 0]
    r = get(client, learning.author, path, learning.position, format="parquet")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert pl.read_parquet(io.BytesIO(r.content))["title"].to_list()[0] == "Lesson 1"
    r = get(client, learning.author, f"/analytics/scopes/{course_id}/at-risk", as_of="2099-01-01T00:00:00Z",
            format="csv")
    assert r.status_code == 200 and r.text.startswith("student_id,display_name,reasons")


def test_popularity_and_platform(client, learning, make_person):
    admin, moderator = make_person(Role.ADMIN), make_person(Role.MODERATOR)
    rows = get(client, moderator, "/analytics/courses/popularity", learning.position).json()["rows"]
    mine = next(r for r in rows if r["course_id"] == learning.course["course_id"])
    assert (mine["enrolments"], mine["enrolled_now"], mine["completions"]) == (1, 1, 0)
    body = get(client, admin, "/analytics/platform", learning.position, days=7).json()
    assert body["totals"]["enrolments"] >= 1 and body["totals"]["events_in_log"] >= learning.position
    assert body["rows"][-1]["active_learners"] >= 1
    assert get(client, admin, "/analytics/platform", format="parquet").status_code == 200


def test_who_may_read_the_reports(client, learning, make_person):
    course_id = learning.course["course_id"]
    admin, other_creator, moderator = make_person(Role.ADMIN), make_person(Role.CREATOR), make_person(Role.MODERATOR)
    for report in ("engagement", "funnel", "quiz-performance", "at-risk"):
        path = f"/analytics/scopes/{course_id}/{report}"
        assert get(client, admin, path, learning.position).status_code == 200, report
        assert get(client, learning.student, path).status_code == 403, report
        assert get(client, other_creator, path).status_code == 403, report
        assert get(client, None, path).status_code == 401, report
        assert get(client, admin, f"/analytics/scopes/{learning.student.user_id}/{report}").status_code == 404, report
    assert get(client, learning.student, "/analytics/courses/popularity").status_code == 403
    assert get(client, learning.author, "/analytics/courses/popularity").status_code == 403
    assert get(client, moderator, "/analytics/platform").status_code == 403
    assert get(client, learning.student, "/analytics/platform").status_code == 403


def test_bad_input_is_a_problem(client, learning):
    course_id = learning.course["course_id"]
    base = f"/analytics/scopes/{course_id}"
    for path, params in [("/engagement", {"period": "month"}), ("/engagement", {"format": "xlsx"}),
                         ("/engagement", {"since": "2026-02-01", "until": "2026-01-01"}),
                         ("/at-risk", {"as_of": "2026-01-01T00:00:00"}), ("/at-risk", {"as_of": "yesterday"})]:
        r = get(client, learning.author, base + path, **params)
        assert r.status_code == 422, (path, params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")



def test_every_json_route_declares_its_response_model(client):
    """The OpenAPI document types every field the progress and analytics routes answer."""
    spec = client.get("/openapi.json").json()
    routes = {path: ops["get"] for path, ops in spec["paths"].items()
              if path.startswith(("/api/v1/analytics/", "/api/v1/progress/")) and "get" in ops}
    assert len(routes) == 8
    for path, op in routes.items():
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        model = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        assert model["properties"] and set(model["required"]) == set(model["properties"]), path


def test_at_risk_lists_the_first_students_and_counts_them_all(client, learning, make_person):
    course_id = learning.course["course_id"]
    position = 0
    for _ in range(2):
        position = post(client, make_person(), f"/courses/{course_id}/enrolment")
    path, later = f"/analytics/scopes/{course_id}/at-risk", "2099-01-01T00:00:00Z"
    everyone = get(client, learning.author, path, position, as_of=later).json()
    first = get(client, learning.author, path, as_of=later, limit=1).json()
    assert first["total"] == everyone["total"] == len(everyone["rows"]) >= 2
    assert first["rows"] == everyone["rows"][:1]
    r = get(client, learning.author, path, as_of=later, limit=0)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
