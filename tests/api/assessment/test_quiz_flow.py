"""Whole quizzes through the API: every question type, in each feedback mode, graded
automatically (essays by the teacher), with what students may see and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.assessment.conftest import API
from tests.assessment_samples import SAMPLES

KINDS = list(SAMPLES)
OBJECTIVE = [k for k in KINDS if k != "essay"]


def _answer_all(kit, student, attempt_id, ids, which):
    """Answers every question with the sample's right / partial / wrong answer; returns the responses."""
    found = {}
    for kind, question_id in ids.items():
        sample = SAMPLES[kind]
        answer = sample["right"] if which == "right" or kind == "essay" else (
            sample["partial"][0] if which == "partial" and sample["partial"] else sample["wrong"])
        found[kind] = kit.ok(kit.answer(student, attempt_id, question_id, answer))
    return found


def _iso(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _no_key(payload) -> None:
    text = str(payload)
    for leak in ("answer_key", "'correct'", "'feedback'", "general_feedback", "feedback_true", "Shakespeare",
                 "choice_id", "grader_info", "'answers'"):
        assert leak not in text, leak


def test_after_submission_every_type_is_graded_and_the_essay_waits_for_the_teacher(kit):
    room = kit.classroom(2)
    quiz = kit.quiz(room, KINDS, pass_mark=60, feedback_mode="after_submission", attempts_allowed=1)
    good, weak = room.students
    attempts = {}
    for student, which in ((good, "right"), (weak, "partial")):
        started = kit.ok(kit.start(student, quiz.quiz_id), 201)
        _no_key(started)
        assert sorted(q["type"] for q in started["questions"]) == sorted(KINDS)
        responses = _answer_all(kit, student, started["attempt_id"], quiz.questions, which)
        assert all(r.get("review") is None for r in responses.values())
        before = kit.view(student, started["attempt_id"], max(r["position"] for r in responses.values()))
        assert before["status"] == "in_progress" and before["result"] is None
        assert all(q["review"] is None for q in before["questions"])
        _no_key(before)
        attempts[student.user_id] = started["attempt_id"]
    submitted = kit.ok(kit.submit(good, attempts[good.user_id]))
    assert submitted["result"] == {"score": 16.0, "max_score": 18.0, "percent": 88.8889, "pending": 1, "passed": None}
    view = kit.view(good, attempts[good.user_id], submitted["position"])
    assert view["status"] == "awaiting_grading"
    reviews = {q["type"]: q["review"] for q in view["questions"]}
    assert all(reviews[k]["grade"]["state"] == "correct" for k in OBJECTIVE)
    assert reviews["single_choice"]["feedback"] == ["Yes.", "Capitals host the government."]
    assert reviews["numeric"]["answer_key"] == {"values": [1.5], "base_unit": "m"}
    assert reviews["essay"]["grade"]["state"] == "pending"

    weak_done = kit.ok(kit.submit(weak, attempts[weak.user_id]))
    # Partial answers earn half of 2 points on the six types that have one; the others are wrong.
    assert weak_done["result"]["score"] == 6.0
    queue = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/grading-queue", weak_done["position"]))
    assert [(i["attempt_id"], i["question_id"]) for i in queue["items"]] == [
        (attempts[good.user_id], quiz.questions["essay"]), (attempts[weak.user_id], quiz.questions["essay"])]
    assert queue["items"][0]["answer"] == SAMPLES["essay"]["right"]
    graded = kit.ok(kit.client.put(
        f"{API}/attempts/{attempts[good.user_id]}/answers/{quiz.questions['essay']}/grade", headers=room.teacher.headers,
        json={"levels": {"ideas": "good", "style": "poor"}, "comment": "Good ideas, work on style."}))
    assert graded["grade"]["points"] == 1.5 and graded["result"]["pending"] == 0
    view = kit.view(good, attempts[good.user_id], graded["position"])
    assert view["status"] == "graded"
    assert view["result"] == {"score": 17.5, "max_score": 18.0, "percent": 97.2222, "pending": 0, "passed": True}
    essay = next(q for q in view["questions"] if q["type"] == "essay")
    assert essay["review"]["comment"] == "Good ideas, work on style." and essay["review"]["levels"]["ideas"] == "good"
    queue = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/grading-queue", graded["position"]))
    assert [i["attempt_id"] for i in queue["items"]] == [attempts[weak.user_id]]


def test_immediate_feedback_reviews_each_answer_at_once_and_makes_it_final(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, KINDS, feedback_mode="immediate", negative_marking=0.5, attempts_allowed=1)
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    responses = _answer_all(kit, student, attempt_id, quiz.questions, "wrong")
    for kind in OBJECTIVE:
        review = responses[kind]["review"]
        assert review["grade"]["state"] == "incorrect" and review["grade"]["points"] == -1.0  # half of 2 points
        assert review["answer_key"] is not None
    assert responses["single_choice"]["review"]["feedback"][0] == "No, Lyon is smaller."
    assert responses["essay"]["review"]["grade"]["state"] == "pending"
    again = kit.answer(student, attempt_id, quiz.questions["true_false"], SAMPLES["true_false"]["right"])
    assert again.status_code == 409
    view = kit.view(student, attempt_id, responses["essay"]["position"])
    assert view["result"] is None and all(q["review"] is not None for q in view["questions"])
    done = kit.ok(kit.submit(student, attempt_id))
    assert done["result"]["score"] == 0.0  # 8 wrong answers lose 8 points, but a score never goes below 0


def test_after_close_feedback_waits_for_the_close_date(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, OBJECTIVE, feedback_mode="after_close", closes_at=_iso(hours=1))
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    _answer_all(kit, student, attempt_id, quiz.questions, "right")
    done = kit.ok(kit.submit(student, attempt_id))
    assert done["result"] is None
    view = kit.view(student, attempt_id, done["position"])
    assert view["status"] == "graded" and not view["feedback_released"] and view["result"] is None
    _no_key(view)
    listed = kit.ok(kit.get(student, "/me/attempts", done["position"], quiz_id=quiz.quiz_id))["items"]
    assert listed[0]["result"] is None and "score" not in listed[0]
    teacher_view = kit.view(room.teacher, attempt_id)
    assert teacher_view["result"]["score"] == 16.0  # the teacher sees it all along
    kit.travel(hours=2)
    view = kit.view(student, attempt_id)
    assert view["feedback_released"] and view["result"]["percent"] == 100.0
    assert all(q["review"]["answer_key"] is not None for q in view["questions"])
    assert kit.ok(kit.get(student, "/me/attempts", quiz_id=quiz.quiz_id))["items"][0]["result"]["score"] == 16.0


def test_students_see_published_settings_but_never_questions_or_keys(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["single_choice"])
    student, teacher = room.students[0], room.teacher
    seen = kit.ok(kit.get(student, f"/quizzes/{quiz.quiz_id}", quiz.position))
    assert seen["settings"]["title"] == "Quiz" and "latest" not in seen and "draft" not in seen
    _no_key(seen)
    assert kit.get(student, f"/quizzes/{quiz.quiz_id}/versions/1").status_code == 403
    full = kit.ok(kit.get(teacher, f"/quizzes/{quiz.quiz_id}"))
    assert full["latest"]["questions"][quiz.questions["single_choice"]]["options"][0]["correct"] is True
    listed = kit.ok(kit.get(student, f"/classes/{room.class_id}/quizzes"))
    assert [q["quiz_id"] for q in listed["items"]] == [quiz.quiz_id]


@pytest.mark.parametrize("mode", ["after_submission", "immediate"])
def test_a_random_draw_per_skill_is_seeded_and_recorded_in_the_started_event(kit, app, mode):
    room = kit.classroom(3)
    bank_id = kit.bank(room.teacher)
    position = 0
    for i in range(6):
        question = {**SAMPLES["single_choice"]["question"], "title": f"Algebra {i}", "skills": ["Algebra"]}
        _, position = kit.question(room.teacher, bank_id, question)
    kit.question(room.teacher, bank_id, {**SAMPLES["true_false"]["question"], "skills": ["geometry"]})
    body = {"title": "Draw", "class_id": room.class_id, "feedback_mode": mode, "shuffle_options": True,
            "draws": [{"bank_id": bank_id, "skill": "algebra", "count": 3, "points": 5}]}
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=room.teacher.headers, json=body), 201)["quiz_id"]
    r = kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=room.teacher.headers, params={"min_position": position})
    kit.ok(r)
    for student in room.students:
        started = kit.ok(kit.start(student, quiz_id), 201)
        titles = [q["title"] for q in started["questions"]]
        assert len(set(titles)) == 3 and all(t.startswith("Algebra") for t in titles)
        assert all(q["points"] == 5 for q in started["questions"])
        attempt = app.state.deps.store.load(started["attempt_id"])  # replayed from the events
        assert [e["question_id"] for e in attempt.layout] == [q["question_id"] for q in started["questions"]]
        assert [[o["id"] for o in q["options"]] for q in started["questions"]] == [e["order"] for e in attempt.layout]
    too_many = {"title": "Draw", "draws": [{"bank_id": bank_id, "skill": "algebra", "count": 7}]}
    r = kit.client.put(f"{API}/quizzes/{quiz_id}", headers=room.teacher.headers, json=too_many)
    kit.ok(r)
    r = kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=room.teacher.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "draws.0.count"
