"""Correcting an answer key: preview of old and new scores, then re-grading on confirmation."""

from __future__ import annotations

from tests.api.assessment.conftest import API
from tests.assessment_samples import SAMPLES

CORRECTED = {**SAMPLES["single_choice"]["question"],
             "options": [{"id": "a", "text": "Paris"}, {"id": "b", "text": "Lyon", "correct": True}, {"id": "c", "text": "Nice"}]}


def _path(quiz, version: int = 1, preview: bool = False) -> str:
    return f"{API}/quizzes/{quiz.quiz_id}/versions/{version}/key-corrections" + ("/preview" if preview else "")


def test_preview_then_confirm_regrades_submitted_attempts_from_their_answers(kit, infra):
    room = kit.classroom(4)
    quiz = kit.quiz(room, ["single_choice", "true_false"], attempts_allowed=1)
    question_id = quiz.questions["single_choice"]
    attempts, position = {}, 0
    for student, chosen in zip(room.students[:3], "abc", strict=True):
        attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
        kit.ok(kit.answer(student, attempt_id, question_id, {"option_id": chosen}))
        kit.ok(kit.answer(student, attempt_id, quiz.questions["true_false"], {"value": False}))
        position = kit.ok(kit.submit(student, attempt_id))["position"]
        attempts[chosen] = attempt_id
    latecomer = room.students[3]
    in_progress = kit.ok(kit.start(latecomer, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(latecomer, in_progress, question_id, {"option_id": "b"}))

    before = (kit.events(infra, "Attempt.Regraded"), kit.events(infra, "Quiz.KeyCorrected"))
    preview = kit.ok(kit.client.post(_path(quiz, preview=True), headers=room.teacher.headers,
                                     json={"question_id": question_id, "question": CORRECTED}))
    table = {r["attempt_id"]: (r["old_score"], r["new_score"]) for r in preview["rows"]}
    assert table == {attempts["a"]: (4.0, 2.0), attempts["b"]: (2.0, 4.0), attempts["c"]: (2.0, 2.0)}
    assert preview["changed"] == 2 and all(r["display_name"] == "Cast" for r in preview["rows"])
    assert (kit.events(infra, "Attempt.Regraded"), kit.events(infra, "Quiz.KeyCorrected")) == before
    assert kit.view(room.students[1], attempts["b"], position)["result"]["score"] == 2.0

    confirmed = kit.ok(kit.client.post(_path(quiz), headers=room.teacher.headers,
                                       json={"question_id": question_id, "question": CORRECTED}))
    assert confirmed["changed"] == 2 and confirmed["rows"] == [{**r} for r in preview["rows"]]
    assert kit.events(infra, "Attempt.Regraded") == before[0] + 2
    view = kit.view(room.students[1], attempts["b"], confirmed["position"])
    assert view["result"]["score"] == 4.0
    reviewed = next(q for q in view["questions"] if q["question_id"] == question_id)["review"]
    assert reviewed["answer_key"] == {"option_id": "b"} and reviewed["grade"]["state"] == "correct"
    assert kit.view(room.students[0], attempts["a"])["result"]["score"] == 2.0
    # An attempt still open is graded with the corrected key when submitted.
    late = kit.ok(kit.submit(latecomer, in_progress))
    assert late["result"]["score"] == 2.0
    results = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/results", late["position"]))
    assert sorted(s["score"] for s in results["students"]) == [2.0, 2.0, 2.0, 4.0]


def test_who_may_correct_and_what_a_correction_may_change(kit, infra):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["single_choice", "essay"])
    body = {"question_id": quiz.questions["single_choice"], "question": CORRECTED}
    corrections = kit.events(infra, "Quiz.KeyCorrected")
    assert kit.client.post(_path(quiz, preview=True), headers=room.students[0].headers, json=body).status_code == 403
    assert kit.client.post(_path(quiz), headers=kit.cast.other_teacher.headers, json=body).status_code == 404
    assert kit.client.post(_path(quiz), headers=kit.cast.auditor.headers, json=body).status_code == 403
    assert kit.client.post(_path(quiz, version=2), headers=room.teacher.headers, json=body).status_code == 409
    as_other_type = {**body, "question": SAMPLES["true_false"]["question"]}
    r = kit.client.post(_path(quiz), headers=room.teacher.headers, json=as_other_type)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "question.type"
    renamed = {**body, "question": {**CORRECTED, "options": [{"id": "a", "text": "Paris", "correct": True},
                                                             {"id": "z", "text": "Lyon"}, {"id": "c", "text": "Nice"}]}}
    r = kit.client.post(_path(quiz, preview=True), headers=room.teacher.headers, json=renamed)
    assert r.status_code == 422 and "keeps every option" in r.json()["detail"]  # saved answers name option ids
    essay = {"question_id": quiz.questions["essay"], "question": SAMPLES["essay"]["question"] | {"prompt": "New"}}
    assert kit.client.post(_path(quiz), headers=room.teacher.headers, json=essay).status_code == 409
    unchanged = {**body, "question": SAMPLES["single_choice"]["question"]}  # confirming twice is harmless
    assert kit.ok(kit.client.post(_path(quiz), headers=room.teacher.headers, json=unchanged))["changed"] == 0
    assert kit.events(infra, "Quiz.KeyCorrected") == corrections


def test_a_students_grades_and_regrades_are_in_their_data_and_the_auditors_person_filter(kit):
    room = kit.classroom(2)
    quiz = kit.quiz(room, ["single_choice"], attempts_allowed=1)
    student, classmate = room.students
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt_id, quiz.questions["single_choice"], {"option_id": "b"}))
    kit.ok(kit.submit(student, attempt_id))
    other = kit.ok(kit.start(classmate, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.submit(classmate, other))
    kit.ok(kit.client.post(_path(quiz), headers=room.teacher.headers,
                           json={"question_id": quiz.questions["single_choice"], "question": CORRECTED}))

    mine = kit.ok(kit.client.get(f"{API}/users/me/data", headers=student.headers))["events"]
    of_attempt = [e["type"] for e in mine if e["aggregate_id"] == attempt_id]
    assert of_attempt == ["Attempt.Started", "Attempt.AnswerSaved", "Attempt.Submitted", "Attempt.Regraded"]
    regraded = next(e for e in mine if e["type"] == "Attempt.Regraded" and e["aggregate_id"] == attempt_id)
    assert regraded["data"]["grade"]["state"] == "correct"
    assert other not in {e["aggregate_id"] for e in mine}  # a classmate's attempt is not theirs

    audited = kit.ok(kit.client.get(f"{API}/audit/events", params={"person_id": student.user_id, "limit": 1000},
                                    headers=kit.cast.auditor.headers))
    assert [e["type"] for e in audited["items"] if e["aggregate_id"] == attempt_id] == of_attempt
