"""Mastery, next steps and why a suggestion was shown, through the API, from real attempts."""

from __future__ import annotations

import uuid

from tests.api.learner.conftest import learned

API = "/api/v1"


def question(skill: str, n: int) -> dict:
    return {"type": "true_false", "title": f"{skill} {n}", "prompt": f"Statement {n} on {skill}.", "correct": False,
            "skills": [skill]}


def answered_quiz(kit, infra, learner, seat: int) -> tuple:
    """A student answers fractions right and decimals wrong, then opens a second attempt. Each test
    takes its own seats among the cast's students (`seat` answers, `seat + 1` does not)."""
    room = kit.classroom(students=seat + 2)
    bank_id = kit.bank(room.teacher)
    ids = {f"{skill}-{n}": kit.question(room.teacher, bank_id, question(skill, n))[0]
           for skill in ("Fractions", "Decimals") for n in range(3)}
    body = {"title": "Numbers", "class_id": room.class_id, "attempts_allowed": 3,
            "items": [{"question_id": q, "points": 1} for q in ids.values()]}
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=room.teacher.headers, json=body), 201)["quiz_id"]
    kit.ok(kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=room.teacher.headers))
    student = room.students[seat]
    attempt_id = kit.ok(kit.start(student, quiz_id), 201)["attempt_id"]
    for name, qid in ids.items():
        kit.ok(kit.answer(student, attempt_id, qid, {"value": not name.startswith("Fractions")}))
    kit.ok(kit.submit(student, attempt_id))
    second = kit.ok(kit.start(student, quiz_id), 201)
    learned(infra, second["position"])
    return room, student, room.students[seat + 1], ids, second["attempt_id"]


def test_mastery_next_steps_and_why(kit, infra, learner):
    room, student, _, ids, open_attempt = answered_quiz(kit, infra, learner, seat=0)
    mastery = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/mastery", headers=student.headers))
    skills = {s["skill"]: s for s in mastery["skills"]}
    assert set(skills) == {"fractions", "decimals"}
    assert skills["fractions"]["probability"] > skills["decimals"]["probability"]
    for s in skills.values():
        assert s["low"] <= s["probability"] <= s["high"] and s["answers"] == 3
        assert s["model_version"] == mastery["model_version"] and 0 < s["position"] <= mastery["position"]
    assert skills["fractions"]["right_answers"] == 3 and skills["decimals"]["right_answers"] == 0

    steps = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/next-steps", headers=student.headers))
    first, *rest = steps["suggestions"]
    assert first["kind"] == "continue" and first["target"]["attempt_id"] == open_attempt
    practice = [s for s in rest if s["kind"] == "practice"]
    assert practice[0]["skill"] == "decimals" and "weakest" in practice[0]["reason"]
    drawn = {q["question_id"] for q in practice[0]["target"]["questions"]}
    assert drawn == {ids[f"Decimals-{n}"] for n in range(3)}  # the ones not yet answered right
    assert all(s["model_version"] == steps["model_version"] and s["reason"] for s in steps["suggestions"])

    why = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/suggestions/{practice[0]['suggestion_id']}",
                                headers=kit.cast.auditor.headers))
    assert why["reason"] == practice[0]["reason"] and why["evidence"]["position"] == why["position"]
    assert [a["correct"] for a in why["answers_behind"]] == [False] * 3
    assert all(a["position"] <= why["position"] for a in why["answers_behind"])


def test_who_may_read_and_bad_input(kit, infra, learner):
    room, student, other, _, _ = answered_quiz(kit, infra, learner, seat=2)
    shown = kit.ok(kit.client.get(f"{API}/learners/{student.user_id}/next-steps", headers=student.headers))
    suggestion_id = shown["suggestions"][0]["suggestion_id"]
    paths = [f"/learners/{student.user_id}/mastery", f"/learners/{student.user_id}/next-steps",
             f"/learners/{student.user_id}/suggestions/{suggestion_id}"]
    for path in paths:
        for person in (other, room.teacher) if "next-steps" in path or "suggestions" in path else (other,):
            r = kit.client.get(f"{API}{path}", headers=person.headers)
            assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json", r.text
        assert kit.client.get(f"{API}{path}").status_code == 401
        for person in (kit.cast.admin, kit.cast.auditor):
            assert kit.client.get(f"{API}{path}", headers=person.headers).status_code == 200
    guessed = [f"/learners/{student.user_id}/suggestions/{uuid.uuid4()}",
               f"/learners/{other.user_id}/suggestions/{suggestion_id}"]  # someone else's suggestion
    for path in guessed:
        r = kit.client.get(f"{API}{path}", headers=kit.cast.auditor.headers)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    for bad in (f"/learners/{student.user_id}/next-steps?limit=0", "/learners/not-a-uuid/mastery"):
        assert kit.client.get(f"{API}{bad}", headers=student.headers).status_code == 422
    assert kit.client.get(f"{API}{paths[0]}", headers=room.teacher.headers).status_code == 200  # their class
    empty = kit.ok(kit.client.get(f"{API}/learners/{other.user_id}/next-steps", headers=other.headers))
    assert empty["suggestions"] == []
