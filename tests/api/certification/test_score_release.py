"""A quiz's score stays out of the student's gradebook until the quiz releases its feedback:
with feedback after the close, the student sees neither the score nor a category or final grade
computed from it before the close; staff see everything all along."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.assessment_samples import SAMPLES

API = "/api/v1/gradebooks"


def _iso(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _take(kit, student, quiz, which: str) -> int:
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt_id, quiz.questions["single_choice"], SAMPLES["single_choice"][which]))
    return kit.ok(kit.submit(student, attempt_id))["position"]


def test_after_close_score_is_hidden_from_the_student_until_the_close(kit):
    room = kit.classroom(1)
    student, teacher = room.students[0], room.teacher
    hidden = kit.quiz(room, ["single_choice"], feedback_mode="after_close", closes_at=_iso(hours=1))
    shown = kit.quiz(room, ["single_choice"])  # feedback after submission
    _take(kit, student, hidden, "right")  # 100 %, released at the close
    position = _take(kit, student, shown, "wrong")  # 0 %, released at once
    mine = f"{API}/{room.class_id}/students/{student.user_id}"

    own = kit.ok(kit.client.get(mine, headers=student.headers, params={"min_position": position}))
    assert [s["item_id"] for s in own["scores"]] == [shown.quiz_id]
    assert own["final"] == 0 and own["letter"] == "F" and own["categories"]["quizzes"]["percent"] == 0
    assert own["pending_release"] == [{"item_id": hidden.quiz_id, "category": "quizzes",
                                       "released_at": own["pending_release"][0]["released_at"]}]
    assert own["view"] == "student"
    history = kit.ok(kit.client.get(f"{mine}/history", headers=student.headers))["items"]
    assert [h["final"] for h in history] == [0]  # the hidden quiz's 100 % never shows, not even for a moment

    staff = kit.ok(kit.client.get(mine, headers=teacher.headers))
    assert staff["final"] == 50 and len(staff["scores"]) == 2 and staff["view"] == "staff"
    assert [p["item_id"] for p in staff["pending_release"]] == [hidden.quiz_id]  # what the student cannot see yet
    listed = kit.ok(kit.client.get(f"{API}/{room.class_id}", headers=teacher.headers))["items"]
    assert [r["final"] for r in listed if r["student_id"] == student.user_id] == [50]
    staff_history = kit.ok(kit.client.get(f"{mine}/history", headers=teacher.headers))["items"]
    assert [h["final"] for h in staff_history] == [100, 50]

    kit.travel(hours=2)  # past the close
    own = kit.ok(kit.client.get(mine, headers=student.headers))
    assert own["final"] == 50 and len(own["scores"]) == 2 and own["pending_release"] == []
    history = kit.ok(kit.client.get(f"{mine}/history", headers=student.headers))["items"]
    assert [h["final"] for h in history] == [100, 50]


def test_as_of_in_the_students_view_hides_unreleased_scores_too(kit):
    room = kit.classroom(1)
    student = room.students[0]
    hidden = kit.quiz(room, ["single_choice"], feedback_mode="after_close", closes_at=_iso(hours=1))
    position = _take(kit, student, hidden, "right")
    mine = f"{API}/{room.class_id}/students/{student.user_id}"
    kit.ok(kit.client.get(mine, headers=student.headers, params={"min_position": position}))
    own = kit.ok(kit.client.get(mine, headers=student.headers, params={"as_of": _iso(minutes=1)}))
    assert own["final"] is None and own["scores"] == [] and own["passed"] is False
