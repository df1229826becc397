"""A live exam's attempt knows its session: whether the student answers through the session's
route or the attempt's own (`PUT /attempts/{id}/answers/...`, `POST .../submission`), the answer
is refused while the exam is paused (423), past the student's own end (extra time counts) or
after the end (409), and nothing is recorded; accepted answers reach the examiner's console
either way. A live exam's quiz cannot be started outside its session."""

from __future__ import annotations

from tests.api.live.conftest import until
from tests.api.live.test_live_exam import answer
from tests.assessment_samples import SAMPLES


def test_the_attempt_routes_follow_the_session(live, kit, infra):
    quiz = live.room_and_quiz(2)
    sid = live.open(quiz, duration=600, rules={"feedback": "during"})
    teacher, (ann, bob) = quiz.room.teacher, quiz.room.students
    tf, sc = quiz.questions["true_false"], quiz.questions["single_choice"]
    started = kit.start(ann, quiz.quiz_id)
    assert started.status_code == 409 and "live session" in started.json()["detail"]
    ann_attempt = live.post(ann, sid, "/exam")["attempt_id"]
    bob_attempt = live.post(bob, sid, "/exam")["attempt_id"]
    console = live.socket(teacher, sid)
    console.receive_json()

    # Through the attempt's own route: saved, graded onto the seat, seen on the console.
    saved = kit.ok(kit.answer(ann, ann_attempt, tf, SAMPLES["true_false"]["right"]))
    assert saved["answered"] == 1 and saved["review"]["grade"]["state"] == "correct"
    graded = until(console, lambda f: f.get("kind") == "graded")[-1]
    assert graded["body"]["person_id"] == ann.user_id and graded["body"]["question_id"] == tf

    live.post(teacher, sid, "/pause", reason="fire alarm")
    answers_before = kit.events(infra, "Attempt.AnswerSaved")
    for refused in (kit.answer(ann, ann_attempt, sc, SAMPLES["single_choice"]["right"]),
                    answer(kit, ann, sid, sc, SAMPLES["single_choice"]["right"]),
                    kit.submit(ann, ann_attempt)):
        assert refused.status_code == 423, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "paused" in refused.json()["detail"]
    assert kit.events(infra, "Attempt.AnswerSaved") == answers_before
    live.post(teacher, sid, "/resume")
    live.post(teacher, sid, "/extra-time", student_id=bob.user_id, seconds=600, reason="accommodation")

    kit.travel(seconds=700)  # past the end, inside Bob's extra time
    for refused in (kit.answer(ann, ann_attempt, sc, SAMPLES["single_choice"]["right"]),
                    answer(kit, ann, sid, sc, SAMPLES["single_choice"]["right"]),
                    kit.submit(ann, ann_attempt)):
        assert refused.status_code == 409 and "time is up" in refused.json()["detail"], refused.text
    kit.ok(kit.answer(bob, bob_attempt, sc, SAMPLES["single_choice"]["right"]))
    assert kit.ok(kit.submit(bob, bob_attempt))["reason"] == "student"
    assert kit.events(infra, "Attempt.AnswerSaved") == answers_before + 1

    live.post(teacher, sid, "/end", reason="done")
    after_end = kit.answer(ann, ann_attempt, sc, SAMPLES["single_choice"]["right"])
    assert after_end.status_code == 409
    view = kit.view(ann, ann_attempt, after_end.json().get("position", 0))
    assert view["status"] != "in_progress"  # submitted at the end with the one answer it held
