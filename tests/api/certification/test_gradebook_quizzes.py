"""The gradebook follows each quiz's published settings: an attempt counts in the category and
with the soft due date of the quiz version it was graded against; a draft edit counts from its
publication on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.assessment_samples import SAMPLES

API = "/api/v1/gradebooks"
LATE = {"aggregation": "weighted_mean", "categories": {"quizzes": {"weight": 1}, "essays": {"weight": 1}},
        "late_penalty": {"percent_per_day": 10, "max_percent": 50}, "pass_mark": 50,
        "letters": [{"letter": "P", "min": 50}, {"letter": "F", "min": 0}]}


def _iso(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _take(kit, student, quiz, which: str) -> int:
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt_id, quiz.questions["single_choice"], SAMPLES["single_choice"][which]))
    return kit.ok(kit.submit(student, attempt_id))["position"]


def test_category_and_due_date_come_from_the_version_attempts_are_graded_against(kit):
    room = kit.classroom(1)
    student, teacher = room.students[0], room.teacher
    kit.ok(kit.client.put(f"{API}/{room.class_id}/policy", json=LATE, headers=teacher.headers))
    quiz = kit.quiz(room, ["single_choice"])  # version 1: category "quizzes", no due date
    _take(kit, student, quiz, "wrong")
    settings = {"title": "Quiz", "attempts_allowed": 2, "category": "essays", "due_at": _iso(hours=-36),
                "items": [{"question_id": quiz.questions["single_choice"], "points": 2}]}
    kit.ok(kit.client.put(f"/api/v1/quizzes/{quiz.quiz_id}", json=settings, headers=teacher.headers))
    kit.publish(quiz)  # version 2: "essays", due a day and a half ago
    position = _take(kit, student, quiz, "right")
    got = kit.ok(kit.client.get(f"{API}/{room.class_id}/students/{student.user_id}", headers=teacher.headers,
                                params={"min_position": position}))
    [score] = got["scores"]  # the quiz counts once: its best attempt, on version 2
    assert score["category"] == "essays" and score["late_factor"] == 0.8  # two started days late
    assert got["categories"]["essays"]["percent"] == 80 and got["categories"]["quizzes"]["percent"] is None
    assert got["final"] == 80

    # A draft edit is not what any attempt was graded against: nothing changes until it is published.
    r = kit.client.put(f"/api/v1/quizzes/{quiz.quiz_id}", json={**settings, "category": "quizzes", "due_at": None},
                       headers=teacher.headers)
    again = kit.ok(kit.client.get(f"{API}/{room.class_id}/students/{student.user_id}", headers=teacher.headers,
                                  params={"min_position": kit.ok(r)["position"]}))
    assert again["scores"] == got["scores"] and again["final"] == 80
