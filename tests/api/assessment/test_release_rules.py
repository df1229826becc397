"""When students see grades, feedback and answer keys: keys wait until they cannot help in
another attempt, and "after the close" means the quiz's latest close across its versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.assessment.conftest import API
from tests.assessment_samples import SAMPLES

KINDS = ["single_choice", "true_false"]


def _iso(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _answer(kit, student, attempt_id, quiz, which="wrong"):
    return [kit.ok(kit.answer(student, attempt_id, quiz.questions[k], SAMPLES[k][which])) for k in KINDS]


def _keys(view) -> list:
    return [q["review"]["answer_key"] for q in view["questions"]]


def test_after_submission_keys_wait_until_no_attempt_is_left(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, KINDS, feedback_mode="after_submission", attempts_allowed=2)
    student = room.students[0]
    first = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    _answer(kit, student, first, quiz)
    done = kit.ok(kit.submit(student, first))
    assert done["result"]["score"] == 0.0  # the score is released at once
    view = kit.view(student, first, done["position"])
    assert view["feedback_released"] and not view["keys_released"]
    assert [q["review"]["grade"]["state"] for q in view["questions"]] == ["incorrect", "incorrect"]
    assert view["questions"][0]["review"]["feedback"][0] == "No, Lyon is smaller."
    assert _keys(view) == [None, None]
    assert "'option_id': 'a'" not in str(view)  # the key is nowhere in it
    second = kit.ok(kit.start(student, quiz.quiz_id), 201)
    assert _keys(kit.view(student, first, second["position"])) == [None, None]  # the last attempt is open
    _answer(kit, student, second["attempt_id"], quiz, "right")
    done = kit.ok(kit.submit(student, second["attempt_id"]))
    for attempt_id in (first, second["attempt_id"]):
        view = kit.view(student, attempt_id, done["position"])
        assert view["keys_released"] and _keys(view) == [{"option_id": "a"}, {"value": False}]
    teacher_view = kit.view(room.teacher, first)
    assert _keys(teacher_view) == [{"option_id": "a"}, {"value": False}]  # the teacher sees them all along


def test_with_attempts_left_keys_come_at_the_close(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, KINDS, attempts_allowed=None, closes_at=_iso(hours=1))
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    _answer(kit, student, attempt_id, quiz)
    done = kit.ok(kit.submit(student, attempt_id))
    assert _keys(kit.view(student, attempt_id, done["position"])) == [None, None]  # unlimited attempts
    kit.travel(hours=2)
    assert _keys(kit.view(student, attempt_id)) == [{"option_id": "a"}, {"value": False}]


def test_immediate_feedback_shows_keys_only_in_the_last_attempt(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, KINDS, feedback_mode="immediate", attempts_allowed=2)
    student = room.students[0]
    first = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    saved = _answer(kit, student, first, quiz)
    assert [r["review"]["grade"]["state"] for r in saved] == ["incorrect", "incorrect"]
    assert [r["review"]["answer_key"] for r in saved] == [None, None]
    assert saved[0]["review"]["feedback"][0] == "No, Lyon is smaller."
    assert _keys(kit.view(student, first, saved[-1]["position"])) == [None, None]
    kit.ok(kit.submit(student, first))
    last = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    saved = _answer(kit, student, last, quiz, "right")
    assert [r["review"]["answer_key"] for r in saved] == [{"option_id": "a"}, {"value": False}]


def test_after_close_waits_for_the_latest_close_of_every_version(kit):
    room = kit.classroom(2)
    quiz = kit.quiz(room, KINDS + ["essay"], feedback_mode="after_close", closes_at=_iso(hours=1), attempts_allowed=1)
    early, late = room.students
    first = kit.ok(kit.start(early, quiz.quiz_id), 201)["attempt_id"]
    _answer(kit, early, first, quiz, "right")
    kit.ok(kit.answer(early, first, quiz.questions["essay"], SAMPLES["essay"]["right"]))
    assert kit.ok(kit.submit(early, first))["result"] is None
    body = {"title": "Quiz", "feedback_mode": "after_close", "closes_at": _iso(hours=3), "attempts_allowed": 1,
            "items": [{"question_id": quiz.questions[k], "points": 2} for k in KINDS + ["essay"]]}
    kit.ok(kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", headers=room.teacher.headers, json=body))
    kit.publish(quiz)
    second = kit.ok(kit.start(late, quiz.quiz_id), 201)
    assert second["quiz_version"] == 2
    kit.travel(hours=2)  # version 1 has closed, version 2 not yet: a classmate is still answering
    view = kit.view(early, first, second["position"])
    assert not view["feedback_released"] and view["result"] is None and all(q["review"] is None for q in view["questions"])
    assert kit.ok(kit.get(early, "/me/attempts", quiz_id=quiz.quiz_id))["items"][0]["result"] is None
    assert kit.answer(late, second["attempt_id"], quiz.questions["true_false"], {"value": False}).status_code == 200
    kit.travel(hours=4)
    view = kit.view(early, first)
    assert view["feedback_released"] and view["keys_released"]
    assert view["status"] == "awaiting_grading" and view["result"]["pending"] == 1 and view["result"]["passed"] is None
    essay = next(q for q in view["questions"] if q["type"] == "essay")
    assert essay["review"]["grade"]["state"] == "pending" and essay["review"]["answer_key"] is None
    graded = kit.ok(kit.client.put(f"{API}/attempts/{first}/answers/{quiz.questions['essay']}/grade",
                                   headers=room.teacher.headers, json={"levels": {"ideas": "good", "style": "fine"}}))
    view = kit.view(early, first, graded["position"])
    assert view["status"] == "graded" and view["result"]["score"] == 6.0
    assert kit.ok(kit.get(early, "/me/attempts", graded["position"], quiz_id=quiz.quiz_id))["items"][0]["result"]["score"] == 6.0
