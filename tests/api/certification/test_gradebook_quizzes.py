"""The gradebook follows each quiz's published settings: an attempt counts in the category and
with the soft due date of the quiz version it was graded against, the quiz's best or last attempt
as that version's score policy says; a draft edit counts from its publication on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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


def _counted(kit, room, quiz, student, position: int) -> tuple[float, float]:
    """The quiz's percent in the student's gradebook and in the quiz's results report."""
    book = kit.ok(kit.client.get(f"{API}/{room.class_id}/students/{student.user_id}", headers=room.teacher.headers,
                                 params={"min_position": position}))
    [score] = [s for s in book["scores"] if s["item_id"] == quiz.quiz_id]
    results = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/results", position))
    [row] = [s for s in results["students"] if s["student_id"] == student.user_id]
    return 100 * score["points"] / score["max"], row["percent"]


@pytest.mark.parametrize("score_policy,counted", [("best", 100.0), ("last", 0.0)])
def test_the_gradebook_counts_the_attempt_the_quizs_score_policy_says(kit, score_policy, counted):
    room = kit.classroom(1)
    student = room.students[0]
    quiz = kit.quiz(room, ["single_choice"], attempts_allowed=3, score_policy=score_policy)
    _take(kit, student, quiz, "right")
    position = _take(kit, student, quiz, "wrong")  # a worse retry
    assert _counted(kit, room, quiz, student, position) == (counted, counted)  # as the results report counts
    mine = kit.ok(kit.client.get(f"{API}/{room.class_id}/students/{student.user_id}", headers=student.headers,
                                 params={"min_position": position}))
    assert mine["final"] == counted  # the student's own view counts the same attempt


def test_a_republished_score_policy_counts_for_every_attempt_from_its_publication_on(kit):
    room = kit.classroom(1)
    student, teacher = room.students[0], room.teacher
    quiz = kit.quiz(room, ["single_choice"], attempts_allowed=3)  # version 1: the best attempt counts
    _take(kit, student, quiz, "right")
    position = _take(kit, student, quiz, "wrong")
    assert _counted(kit, room, quiz, student, position) == (100.0, 100.0)
    as_of = datetime.now(UTC).isoformat()
    settings = {"title": "Quiz", "attempts_allowed": 3, "score_policy": "last",
                "items": [{"question_id": quiz.questions["single_choice"], "points": 2}]}
    kit.ok(kit.client.put(f"/api/v1/quizzes/{quiz.quiz_id}", json=settings, headers=teacher.headers))
    position = kit.publish(quiz)  # version 2: the last attempt counts, the old ones too (as in Moodle)
    # The gradebook and the results report agree, though nobody took version 2 yet.
    assert _counted(kit, room, quiz, student, position) == (0.0, 0.0)
    before = kit.ok(kit.client.get(f"{API}/{room.class_id}/students/{student.user_id}", headers=teacher.headers,
                                   params={"min_position": position, "as_of": as_of}))
    assert before["final"] == 100.0  # as of before the republication: the best of the two
    history = kit.ok(kit.client.get(f"{API}/{room.class_id}/students/{student.user_id}/history",
                                    headers=teacher.headers, params={"min_position": position}))["items"]
    assert (history[-1]["cause"], history[-1]["final"]) == ("Quiz.Published", 0.0)
    assert history[-1]["actor_id"] == teacher.user_id
