"""Course recommendations: learned from enrolments and completions, taken and blocked courses
left out, reasons, model version and log position, and who may read what was shown."""

from __future__ import annotations

import uuid

from domain.identity import Role
from projections.engine.rebuild import rebuild
from projections.recommendations import queries
from projections.recommendations.signals import recommendations


def enrol(client, course, who) -> int:
    r = client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["position"]


def recommended(client, who, position, limit=50):
    r = client.get("/api/v1/me/recommendations", headers=who.headers, params={"min_position": position, "limit": limit})
    assert r.status_code == 200, r.text
    return r.json()


def test_follow_on_prerequisites_and_taken_courses(client, kit, make_person):
    first, second = kit.published(title="Algebra I"), kit.published(title="Algebra II")
    advanced = kit.published(title="Calculus", prerequisites=[first["course_id"]])
    pioneer, learner = make_person(), make_person()
    enrol(client, first, pioneer)
    enrol(client, second, pioneer)
    position = enrol(client, first, learner)

    answer = recommended(client, learner, position)
    items = {i["course_id"]: i for i in answer["items"]}
    assert answer["model_version"] == "covisit-v1" and answer["position"] >= position
    assert answer["items"][0]["course_id"] == second["course_id"]  # the follow-on beats every popular course
    assert items[second["course_id"]]["reason"] == "follow_on"
    assert items[second["course_id"]]["because_of"] == first["course_id"]
    assert "Algebra I" in items[second["course_id"]]["explanation"]
    assert first["course_id"] not in items  # taken
    assert advanced["course_id"] not in items  # prerequisite not completed

    for lesson_id in first["lesson_ids"]:
        r = client.post(f"/api/v1/courses/{first['course_id']}/lessons/{lesson_id}/completion", headers=learner.headers)
        assert r.status_code == 200, r.text
        position = r.json()["position"]
    assert advanced["course_id"] in {i["course_id"] for i in recommended(client, learner, position)["items"]}


def test_newcomer_gets_popular_courses_and_one_explored(client, kit, make_person):
    courses = [kit.published(title=f"Fresh course {n}") for n in range(3)]
    newcomer = make_person()
    answer = recommended(client, newcomer, courses[-1]["position"], limit=3)
    assert len(answer["items"]) == 3
    assert {i["reason"] for i in answer["items"][:2]} == {"popular"}
    assert answer["items"][-1]["reason"] in ("explore", "popular")
    assert all(i["explanation"] for i in answer["items"])


def test_what_was_shown_is_kept_for_the_person_and_auditors(client, kit, make_person):
    course = kit.published(title="Audited course")
    student, other, auditor = make_person(), make_person(), make_person(Role.AUDITOR)
    shown = recommended(client, student, course["position"], limit=3)

    r = client.get(f"/api/v1/users/{student.user_id}/recommendations/served", headers=auditor.headers)
    assert r.status_code == 200, r.text
    last = r.json()["items"][0]
    assert last["model_version"] == shown["model_version"] and last["position"] == shown["position"]
    assert [i["course_id"] for i in last["items"]] == [i["course_id"] for i in shown["items"]]
    assert all(i["reason"] for i in last["items"])
    assert client.get(f"/api/v1/users/{student.user_id}/recommendations/served",
                      headers=student.headers).status_code == 200
    assert client.get(f"/api/v1/users/{student.user_id}/recommendations/served",
                      headers=other.headers).status_code == 403
    assert client.get(f"/api/v1/users/{student.user_id}/recommendations/served").status_code == 401
    assert client.get(f"/api/v1/users/{uuid.uuid4()}/recommendations/served",
                      headers=other.headers).status_code == 403


def test_bad_input_is_refused(client, make_person):
    student = make_person()
    for params in ({"limit": 0}, {"limit": 51}, {"min_position": -1}):
        r = client.get("/api/v1/me/recommendations", headers=student.headers, params=params)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    r = client.get(f"/api/v1/users/{student.user_id}/recommendations/served", headers=student.headers,
                   params={"cursor": "bm90IGEgY3Vyc29y"})
    assert r.status_code == 422
    assert client.get("/api/v1/me/recommendations").status_code == 401


def test_a_rebuild_from_the_log_recommends_the_same(client, kit, make_person, infra):
    first, second = kit.published(title="Rebuild I"), kit.published(title="Rebuild II")
    pioneer, learner = make_person(), make_person()
    enrol(client, first, pioneer)
    enrol(client, second, pioneer)
    position = enrol(client, first, learner)
    recommended(client, learner, position)  # the read model has it all

    def learned() -> list[tuple]:
        answer = queries.recommend(infra.pool, uuid.UUID(learner.user_id), 20)
        return [(i["course_id"], i["reason"], i["because_of"], i["score"]) for i in answer["items"]
                if i["reason"] != "explore"]  # the explored slot is drawn per log position

    before = learned()
    rebuild(infra.pool, infra.store, recommendations, 100)
    assert learned() == before and before[0][:3] == (uuid.UUID(second["course_id"]), "follow_on",
                                                     uuid.UUID(first["course_id"]))
