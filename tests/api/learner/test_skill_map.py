"""The skill map: prerequisites hold back skills a student is not ready for; loops, repeats and
people without the right are refused and change nothing."""

from __future__ import annotations

import uuid

from tests.api.learner.conftest import learned
from tests.api.learner.test_next_steps import question

API = "/api/v1"


def weak_on_both(kit, infra, basics: str, advanced: str):
    room = kit.classroom(students=5)  # the fifth: a seat no other learner test answers from
    bank_id = kit.bank(room.teacher)
    ids = [kit.question(room.teacher, bank_id, question(skill, n))[0] for skill in (basics, advanced) for n in range(2)]
    body = {"title": "Mixed", "class_id": room.class_id, "items": [{"question_id": q, "points": 1} for q in ids]}
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=room.teacher.headers, json=body), 201)["quiz_id"]
    kit.ok(kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=room.teacher.headers))
    student = room.students[4]
    attempt_id = kit.ok(kit.start(student, quiz_id), 201)["attempt_id"]
    for qid in ids:
        kit.ok(kit.answer(student, attempt_id, qid, {"value": True}))  # all wrong
    learned(infra, kit.ok(kit.submit(student, attempt_id))["position"])
    return room, student


def test_prerequisites_hold_back_a_skill_until_mastered(kit, infra, learner):
    basics, advanced = f"counting-{uuid.uuid4().hex[:6]}", f"sums-{uuid.uuid4().hex[:6]}"
    room, student = weak_on_both(kit, infra, basics, advanced)
    lesson = str(uuid.uuid4())
    defined = kit.ok(kit.client.put(f"{API}/skills/{advanced.upper()}", headers=room.teacher.headers,
                                    json={"prerequisites": [basics], "lesson_ids": [lesson]}))
    assert defined["name"] == advanced and defined["prerequisites"] == [basics]
    learned(infra, defined["position"])
    steps = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/next-steps", headers=student.headers,
                                  params={"limit": 20}))
    ours = [(s["kind"], s["skill"]) for s in steps["suggestions"] if s["skill"] in (basics, advanced)]
    assert ours == [("practice", basics)]  # the cast's student may hold other tests' skills too
    shown = kit.ok(kit.client.get(f"{API}/skills/{advanced}", headers=student.headers))
    assert shown["lesson_ids"] == [lesson] and shown["position"] == defined["position"]

    loop = kit.client.put(f"{API}/skills/{basics}", headers=room.teacher.headers, json={"prerequisites": [advanced]})
    assert loop.status_code == 422 and "loop" in loop.text
    again = kit.client.put(f"{API}/skills/{advanced}", headers=kit.cast.admin.headers,
                           json={"prerequisites": [basics], "lesson_ids": [lesson]})
    assert again.status_code == 409
    assert kit.client.get(f"{API}/skills/{basics}", headers=student.headers).status_code == 404  # nothing recorded


def test_who_may_define_skills_and_bad_input(kit):
    name = f"reading-{uuid.uuid4().hex[:6]}"
    student = kit.cast.students[0]
    denied = kit.client.put(f"{API}/skills/{name}", headers=student.headers, json={"prerequisites": []})
    assert denied.status_code == 403 and denied.headers["content-type"] == "application/problem+json"
    assert kit.client.put(f"{API}/skills/{name}", json={}).status_code == 401
    teacher = kit.cast.teacher.headers
    for body in ({"prerequisites": [name.upper()]}, {"prerequisites": [f"s{i}" for i in range(21)]},
                 {"lesson_ids": ["not-a-uuid"]}, {"prerequisites": [""]}):
        r = kit.client.put(f"{API}/skills/{name}", headers=teacher, json=body)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", (body, r.text)
    assert kit.client.put(f"{API}/skills/%20%20", headers=teacher, json={}).status_code == 422
    assert kit.client.get(f"{API}/skills/{name}", headers=teacher).status_code == 404
    assert kit.client.get(f"{API}/skills/{name}").status_code == 401
