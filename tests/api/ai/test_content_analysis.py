"""Content analysis of lesson and course texts, accepting topics, and the lesson-question links
accepted skills make; who may do it."""

from __future__ import annotations

import uuid

from domain.identity import Role
from projections.ai_content import queries
from tests.api.ai.conftest import biology_course
from tests.api.catalog.conftest import event_count


def test_lesson_analysis_suggests_concepts_level_time_skills_and_tags(client, kit):
    course = biology_course(kit)
    lesson_id = course["lesson_ids"][0]
    r = client.post(f"/api/v1/courses/{course['course_id']}/lessons/{lesson_id}/analysis", headers=kit.author.headers)
    assert r.status_code == 200, r.text
    found = r.json()
    phrases = [c["phrase"].lower() for c in found["key_concepts"]]
    assert "photosynthesis" in phrases and any("calvin" in p for p in phrases)
    assert found["suggested_skills"][0] == "photosynthesis"
    assert "chlorophyll" in found["suggested_tags"] and "the" not in found["suggested_tags"]
    assert 0 < found["reading_minutes"] < 2 and found["word_count"] > 50
    assert found["reading_level"]["grade"] > 6
    assert found["analyser_version"] == "text-analysis-v1"
    assert found["source_position"] == course["position"]

    whole = client.post(f"/api/v1/courses/{course['course_id']}/analysis", headers=kit.author.headers).json()
    assert whole["word_count"] > found["word_count"]  # the other lesson's text counts too


def test_who_may_analyse(client, kit, make_person):
    course = biology_course(kit, publish=True)
    student, stranger, admin = make_person(), make_person(Role.CREATOR), make_person(Role.ADMIN)
    assert client.post(f"/api/v1/courses/{course['course_id']}/enrolment", headers=student.headers).status_code == 201
    path = f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}/analysis"
    assert client.post(path, headers=admin.headers).status_code == 200
    assert client.post(path, headers=student.headers).status_code == 403
    assert client.post(path, headers=stranger.headers).status_code == 404
    assert client.post(path).status_code == 401
    assert client.post(f"/api/v1/courses/{uuid.uuid4()}/analysis", headers=kit.author.headers).status_code == 404
    r = client.post(f"/api/v1/courses/{course['course_id']}/lessons/{uuid.uuid4()}/analysis", headers=kit.author.headers)
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    topics = f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}/topics"
    assert client.put(topics, json={"skills": ["x"]}, headers=student.headers).status_code == 403
    assert client.put(topics, json={"skills": ["x"]}, headers=stranger.headers).status_code == 404
    assert client.get(topics, headers=stranger.headers).status_code == 404


def test_accepted_skills_link_the_lesson_to_the_course_questions(client, kit, infra):
    course = biology_course(kit)
    course_id, lesson_id = course["course_id"], course["lesson_ids"][0]
    topics = f"/api/v1/courses/{course_id}/lessons/{lesson_id}/topics"
    r = client.put(topics, headers=kit.author.headers,
                   json={"skills": ["Photosynthesis", "Calvin  cycle"], "tags": ["Biology"], "key_concepts": ["chlorophyll"]})
    assert r.status_code == 200, r.text
    bank = client.post("/api/v1/question-banks", json={"title": "Bio", "course_id": course_id}, headers=kit.author.headers)
    assert bank.status_code == 201, bank.text
    question = {"type": "true_false", "title": "Plants", "prompt": "Plants make sugar.", "correct": True,
                "skills": ["photosynthesis"]}
    added = client.post(f"/api/v1/question-banks/{bank.json()['bank_id']}/questions", json={"question": question},
                        headers=kit.author.headers)
    assert added.status_code == 201, added.text

    shown = client.get(topics, headers=kit.author.headers, params={"min_position": added.json()["position"]}).json()
    assert shown["topics"]["skills"] == ["Photosynthesis", "Calvin  cycle"] and shown["topics"]["tags"] == ["biology"]
    assert shown["topics"]["analyser_version"] == "text-analysis-v1"
    assert shown["linked_questions"] == [{"skill": "photosynthesis", "question_id": added.json()["question_id"],
                                          "bank_id": bank.json()["bank_id"]}]
    found = queries.lessons_for_skills(infra.pool, ["Calvin Cycle"])
    assert {"skill": "calvin cycle", "lesson_id": uuid.UUID(lesson_id), "course_id": uuid.UUID(course_id)} in found

    again = client.put(topics, headers=kit.author.headers,
                       json={"skills": ["Photosynthesis", "Calvin  cycle"], "tags": ["biology"], "key_concepts": ["chlorophyll"]})
    assert again.status_code == 409  # nothing changed


def test_bad_topics_are_refused_and_change_nothing(client, kit, infra):
    course = biology_course(kit)
    topics = f"/api/v1/courses/{course['course_id']}/lessons/{course['lesson_ids'][0]}/topics"
    before = event_count(infra, type_suffix="ContentTopics.Accepted")
    for body in ({"tags": ["no way!"]}, {"skills": [""]}, {"skills": ["x" * 101]}, {"skills": "photosynthesis"}):
        r = client.put(topics, json=body, headers=kit.author.headers)
        assert r.status_code == 422, body
        assert r.headers["content-type"].startswith("application/problem+json")
    assert event_count(infra, type_suffix="ContentTopics.Accepted") == before
