"""End to end: the skills a course's author accepts for a lesson (the AI tools' content analysis)
link that lesson to the skill for mastery, so a weak skill's next step suggests the lesson; a
new acceptance replaces the old link, and a skill's own definition adds its lessons first.
Also `min_position`: read-your-writes for the learner's estimates."""

from __future__ import annotations

import uuid

import pytest

from domain.identity import Role
from tests.api.catalog.conftest import CatalogKit, catalog_staff, class_with  # noqa: F401 - fixture
from tests.api.learner.conftest import learned
from tests.api.learner.test_next_steps import question

API = "/api/v1"
# Several people registered (argon2), a course, a class and a quiz: slow on a loaded CI machine.
pytestmark = pytest.mark.timeout(300)


def weak_on(kit, infra, skill: str):
    """A student of a new class answers two questions on the skill wrong (too few answers to practise
    first: a lesson comes first when one teaches it); the student and the submission's position."""
    student, teacher = kit.make_person(), kit.cast.teacher
    class_id, _ = class_with(kit.client, teacher, [student])
    bank_id = kit.bank(teacher)
    ids = [kit.question(teacher, bank_id, question(skill, n))[0] for n in range(2)]
    body = {"title": "Check", "class_id": class_id, "items": [{"question_id": q, "points": 1} for q in ids]}
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=teacher.headers, json=body), 201)["quiz_id"]
    kit.ok(kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=teacher.headers))
    attempt_id = kit.ok(kit.start(student, quiz_id), 201)["attempt_id"]
    for qid in ids:
        kit.ok(kit.answer(student, attempt_id, qid, {"value": True}))  # wrong
    return student, kit.ok(kit.submit(student, attempt_id))["position"]


def steps_on(kit, student, skill: str) -> list[dict]:
    shown = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/next-steps", headers=student.headers))
    return [s for s in shown["suggestions"] if s["skill"] == skill]


def test_accepted_lesson_skills_make_the_lesson_a_next_step(kit, infra, learner, catalog_staff):  # noqa: F811
    name = f"Decimals {uuid.uuid4().hex[:6]}"
    skill = name.lower()
    catalog = CatalogKit(kit.client, kit.make_person, catalog_staff)
    course = catalog.create(kit.make_person(Role.CREATOR))
    lesson_id, other_lesson = course["lesson_ids"]
    topics = f"{API}/courses/{course['course_id']}/lessons/{lesson_id}/topics"
    kit.ok(kit.client.put(topics, headers=course["author"].headers,
                          json={"skills": [f"  {name}", "reading"], "tags": [], "key_concepts": []}))
    student, position = weak_on(kit, infra, name)
    learned(infra, position)

    [step] = steps_on(kit, student, skill)
    assert step["kind"] == "lesson" and step["target"]["lesson_ids"] == [lesson_id]
    assert "weakest" in step["reason"]
    assert kit.ok(kit.client.get(f"{API}/skills/{name}", headers=student.headers))["lesson_ids"] == [lesson_id]

    # The skill's own definition names another lesson: both teach it, the definition's first.
    defined = kit.ok(kit.client.put(f"{API}/skills/{name}", headers=kit.cast.teacher.headers,
                                    json={"lesson_ids": [other_lesson]}))
    learned(infra, defined["position"])
    assert steps_on(kit, student, skill)[0]["target"]["lesson_ids"] == [other_lesson, lesson_id]

    # The author takes the skill off the lesson: only the definition's lesson is left.
    again = kit.ok(kit.client.put(topics, headers=course["author"].headers, json={"skills": ["reading"]}))
    learned(infra, again["position"])
    assert steps_on(kit, student, skill)[0]["target"]["lesson_ids"] == [other_lesson]
    assert kit.ok(kit.client.get(f"{API}/skills/reading", headers=student.headers))["lesson_ids"] == [lesson_id]


def test_min_position_waits_until_the_learner_has_the_answers(kit, infra, learner):
    name = f"ratios {uuid.uuid4().hex[:6]}"
    student, position = weak_on(kit, infra, name)  # no wait for the learner: the position is enough
    found = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/mastery", headers=student.headers,
                                  params={"min_position": position}))
    assert [(s["skill"], s["answers"], s["right_answers"]) for s in found["skills"]] == [(name, 2, 0)]
    assert found["position"] >= position
    steps = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/next-steps", headers=student.headers,
                                  params={"min_position": position}))
    assert [s["skill"] for s in steps["suggestions"]] == [name]
    for path in ("mastery", "next-steps"):
        r = kit.client.get(f"{API}/learners/{student.user_id}/{path}", headers=student.headers,
                           params={"min_position": position + 10**9})
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
