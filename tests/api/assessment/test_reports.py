"""Results and reports of a quiz through the API, on the example of tests/unit/test_item_statistics.py."""

from __future__ import annotations

import pytest

from tests.api.assessment.conftest import API
from tests.assessment_samples import SAMPLES

# Per student: single_choice, true_false, multiple_choice right (1) or wrong (0).
PATTERNS = [(1, 1, 1), (1, 1, 0), (1, 0, 1), (0, 1, 0)]
KINDS = ["single_choice", "true_false", "multiple_choice"]


@pytest.fixture
def taken(kit):
    """Four students took the quiz (one point per question), a fifth started and did not submit."""
    room = kit.classroom(5)
    quiz = kit.quiz(room, KINDS, pass_mark=50, attempts_allowed=3)
    position = 0
    for student, pattern in zip(room.students, PATTERNS, strict=False):
        attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
        for kind, right in zip(KINDS, pattern, strict=True):
            kit.ok(kit.answer(student, attempt_id, quiz.questions[kind], SAMPLES[kind]["right" if right else "wrong"]))
        position = kit.ok(kit.submit(student, attempt_id))["position"]
    position = kit.ok(kit.start(room.students[4], quiz.quiz_id), 201)["position"]
    quiz.position = position
    return quiz


def test_statistics_match_the_hand_computed_example(kit, taken):
    stats = kit.ok(kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/statistics", taken.position))
    assert stats["attempts"] == 4
    # Students A-D of the unit test's example (2 points per question), worked out by hand again:
    items = {i["type"]: i for i in stats["items"]}
    assert items["single_choice"]["difficulty"] == pytest.approx(0.75)
    assert items["true_false"]["difficulty"] == pytest.approx(0.75)
    assert items["multiple_choice"]["difficulty"] == pytest.approx(0.5)
    # Correlation ignores the scale, so in answers right: single_choice 1,1,1,0 against the rest
    # 2,1,1,1: Sxy = .25, Sxx = .75, Syy = .75 -> 1/3.
    assert items["single_choice"]["discrimination"] == pytest.approx(1 / 3)
    # true_false 1,1,0,1 against 2,1,2,0: Sxy = -.75, Sxx = .75, Syy = 2.75 -> -0.522233.
    assert items["true_false"]["discrimination"] == pytest.approx(-0.522233, abs=1e-6)
    # alpha: item variances 1/4, 1/4, 1/3; totals 3,2,2,1 -> variance 2/3; 3/2 * (1 - (5/6)/(2/3)) = -0.375
    assert stats["cronbach_alpha"] == pytest.approx(-0.375)
    assert [b["count"] for b in stats["distribution"]["bins"]] == [0, 0, 0, 1, 0, 0, 2, 0, 0, 1]
    choices = {d["id"]: d["count"] for d in items["single_choice"]["distractors"]}
    assert choices == {"a": 3, "b": 1, "c": 0, None: 0}
    assert {d["id"]: d["count"] for d in items["true_false"]["distractors"]} == {"true": 1, "false": 3, None: 0}
    csv = kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/statistics", format="csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "question_id,title,type,n,difficulty,discrimination"
    assert len(csv.text.splitlines()) == 4


def test_results_count_the_best_or_the_last_attempt_as_the_quiz_says(kit, taken):
    teacher, best_student = taken.room.teacher, taken.room.students[0]
    retry = kit.ok(kit.start(best_student, taken.quiz_id), 201)["attempt_id"]
    done = kit.ok(kit.submit(best_student, retry))  # a blank second attempt
    results = kit.ok(kit.get(teacher, f"/quizzes/{taken.quiz_id}/results", done["position"]))
    mine = next(s for s in results["students"] if s["student_id"] == best_student.user_id)
    assert (results["score_policy"], mine["attempts"], mine["percent"], mine["passed"]) == ("best", 2, 100.0, True)
    assert sorted(s["passed"] for s in results["students"]) == [False, True, True, True]
    body = {"title": "Quiz", "score_policy": "last", "pass_mark": 50, "attempts_allowed": 3,
            "items": [{"question_id": taken.questions[k], "points": 2} for k in KINDS]}
    kit.ok(kit.client.put(f"{API}/quizzes/{taken.quiz_id}", headers=teacher.headers, json=body))
    published = kit.publish(taken)
    results = kit.ok(kit.get(teacher, f"/quizzes/{taken.quiz_id}/results", published))
    mine = next(s for s in results["students"] if s["student_id"] == best_student.user_id)
    assert (results["score_policy"], mine["percent"], mine["counted_attempt_id"]) == ("last", 0.0, retry)
    csv = kit.get(teacher, f"/quizzes/{taken.quiz_id}/results", format="csv").text.splitlines()
    assert csv[0].startswith("student_id,display_name,attempts,counted_attempt_id,score")
    assert len(csv) == 5


def test_who_has_not_attempted(kit, taken):
    missing = kit.ok(kit.get(taken.room.teacher, f"/quizzes/{taken.quiz_id}/non-attempts", taken.position))
    assert missing == [{"student_id": taken.room.students[4].user_id, "display_name": "Cast", "status": "in_progress"}]


def test_erasing_a_student_blanks_their_written_answers_but_keeps_scores(kit, make_person):
    room = kit.classroom(0)
    quiz = kit.quiz(room, ["short_text", "single_choice"])
    student = make_person()
    opened = kit.ok(kit.get(room.teacher, f"/classes/{room.class_id}"))
    kit.ok(kit.client.post(f"{API}/classes/join", headers=student.headers, json={"code": opened["join_code"]}))
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt_id, quiz.questions["short_text"], {"text": "Shakespeare"}))
    kit.ok(kit.answer(student, attempt_id, quiz.questions["single_choice"], {"option_id": "a"}))
    kit.ok(kit.submit(student, attempt_id))
    erased = kit.ok(kit.client.post(f"{API}/users/{student.user_id}/erasure", headers=student.headers))
    view = kit.view(room.teacher, attempt_id, erased["position"])
    answers = {q["type"]: q["answer"] for q in view["questions"]}
    assert answers == {"short_text": None, "single_choice": {"option_id": "a"}}
    assert view["result"]["score"] == 4.0
