"""A live exam: join and answer through the assessment commands, each answer graded at once and
on the examiner's console, feedback when the rules allow, pause, extra time for one student,
ending early, integrity signals, open attempts submitted at the end, results in the gradebook's
live_exams category, and the session report with its CSV."""

from __future__ import annotations

import csv
import io

from domain.grade_calc import DEFAULT_POLICY
from tests.api.live.conftest import API, until
from tests.assessment_samples import SAMPLES


def ended_position(kit, person, sid):
    return max(e["position"] for e in kit.ok(kit.get(person, f"/live-sessions/{sid}/feed"))["items"])


def answer(kit, student, sid, question_id, body):
    return kit.client.put(f"{API}/live-sessions/{sid}/answers/{question_id}", headers=student.headers,
                          json={"answer": body})


def test_answers_are_graded_at_once_and_reach_the_console(live, kit):
    quiz = live.room_and_quiz(2)
    sid = live.open(quiz, rules={"feedback": "during"})
    teacher, (ann, bob) = quiz.room.teacher, quiz.room.students
    console = live.socket(teacher, sid)
    console.receive_json()
    joined = live.post(ann, sid, "/exam")
    assert {q["question_id"] for q in joined["questions"]} == set(quiz.questions.values())
    assert "correct" not in str(joined["questions"])  # no keys shown
    again = live.post(ann, sid, "/exam")  # joining again gives the same attempt back
    assert again["attempt_id"] == joined["attempt_id"]
    tf = quiz.questions["true_false"]
    saved = kit.ok(answer(kit, ann, sid, tf, SAMPLES["true_false"]["right"]))
    assert saved["review"]["grade"]["state"] == "correct" and saved["review"]["answer_key"] is None
    graded = until(console, lambda f: f.get("kind") == "graded")[-1]
    assert graded["body"] == {"person_id": ann.user_id, "question_id": tf, "grade": saved["review"]["grade"],
                              "at": graded["body"]["at"]}
    seats = kit.ok(kit.get(teacher, f"/live-sessions/{sid}/console", saved["position"]))["seats"]
    ann_seat = next(s for s in seats if s["person_id"] == ann.user_id)
    assert ann_seat["answered"] == 1 and ann_seat["score"] == 2.0 and ann_seat["questions"] == 2
    # Who may do what: another student cannot read the console or answer without joining.
    assert kit.get(bob, f"/live-sessions/{sid}/console").status_code == 403
    assert answer(kit, bob, sid, tf, {"value": True}).status_code == 409  # join first
    assert answer(kit, teacher, sid, tf, {"value": True}).status_code == 403
    assert answer(kit, ann, sid, tf, {"value": "yes"}).status_code == 422


def test_pause_extra_time_and_the_end_submit_every_open_attempt(live, kit, infra):
    quiz = live.room_and_quiz(2)
    sid = live.open(quiz, duration=600, rules={"late_join_seconds": 300})
    teacher, (ann, bob) = quiz.room.teacher, quiz.room.students
    attempt_ids = {ann.user_id: live.post(ann, sid, "/exam")["attempt_id"],
                   bob.user_id: live.post(bob, sid, "/exam")["attempt_id"]}
    tf, sc = quiz.questions["true_false"], quiz.questions["single_choice"]
    kit.ok(answer(kit, ann, sid, tf, SAMPLES["true_false"]["right"]))
    assert "review" not in kit.ok(answer(kit, bob, sid, tf, SAMPLES["true_false"]["wrong"]))  # feedback after
    assert kit.client.post(f"{API}/live-sessions/{sid}/pause", headers=teacher.headers, json={}).status_code == 422
    assert kit.client.post(f"{API}/live-sessions/{sid}/pause", headers=ann.headers,
                           json={"reason": "x"}).status_code == 403
    live.post(teacher, sid, "/pause", reason="fire alarm")
    assert answer(kit, ann, sid, sc, SAMPLES["single_choice"]["right"]).status_code == 423
    resumed = live.post(teacher, sid, "/resume")
    live.post(teacher, sid, "/extra-time", student_id=bob.user_id, seconds=600, reason="accommodation")
    assert kit.client.post(f"{API}/live-sessions/{sid}/extra-time", headers=teacher.headers,
                           json={"student_id": kit.cast.students[4].user_id, "seconds": 60,
                                 "reason": "x"}).status_code == 422
    kit.travel(seconds=700)  # past the (paused and resumed) end, inside Bob's extra time
    assert answer(kit, ann, sid, sc, SAMPLES["single_choice"]["right"]).status_code == 409  # time is up
    kit.ok(answer(kit, bob, sid, sc, SAMPLES["single_choice"]["right"]))
    assert live.close(sid) == {"ended": False}  # Bob still works
    kit.travel(seconds=1400)
    ended = live.close(sid)
    assert ended == {"ended": True, "submitted": 2}
    assert resumed["ends_at"]
    position = ended_position(kit, teacher, sid)
    views = {person: kit.view(teacher, attempt_id, position) for person, attempt_id in attempt_ids.items()}
    scores = {person: (v["status"], v["result"]["score"]) for person, v in views.items()}
    assert scores == {ann.user_id: ("graded", 2.0), bob.user_id: ("graded", 2.0)}
    assert kit.ok(kit.get(teacher, f"/live-sessions/{sid}"))["status"] == "ended"


def test_ending_early_integrity_signals_gradebook_and_report(live, kit, infra):
    quiz = live.room_and_quiz(2)
    sid = live.open(quiz)
    teacher, (ann, bob) = quiz.room.teacher, quiz.room.students
    ws = live.socket(ann, sid)
    ws.receive_json()
    console = live.socket(teacher, sid)
    console.receive_json()
    live.post(ann, sid, "/exam")
    kit.ok(answer(kit, ann, sid, quiz.questions["true_false"], SAMPLES["true_false"]["right"]))
    ws.send_json({"type": "integrity", "kind": "focus_lost"})
    ws.send_json({"type": "integrity", "kind": "cheating"})
    assert until(ws, lambda f: f["type"] == "error")[-1]["status"] == 422
    signal = until(console, lambda f: f.get("kind") == "integrity")[-1]
    assert signal["body"]["kind"] == "focus_lost" and signal["body"]["person_id"] == ann.user_id
    ws.send_json({"type": "chat", "text": "=HYPERLINK(\"x\")"})
    until(console, lambda f: f.get("kind") == "chat")
    live.leave(ws)
    until(console, lambda f: f.get("kind") == "dropped")
    assert kit.client.post(f"{API}/live-sessions/{sid}/end", headers=teacher.headers, json={}).status_code == 422
    ended = live.post(teacher, sid, "/end", reason="everyone finished")
    assert ended["submitted"] == 1
    assert until(console, lambda f: f.get("kind") == "ended")[-1]["body"]["early"] is True
    assert live.post(ann, sid, "/exam", status=409)

    policy = {**DEFAULT_POLICY, "categories": {"quizzes": {"weight": 1}, "live_exams": {"weight": 2}}}
    set_policy = kit.ok(kit.client.put(f"{API}/gradebooks/{quiz.room.class_id}/policy", headers=teacher.headers,
                                       json=policy))
    grades = kit.ok(kit.client.get(f"{API}/gradebooks/{quiz.room.class_id}", headers=teacher.headers,
                                   params={"min_position": set_policy["position"]}))["items"]
    ann_grades = next(g for g in grades if str(g["student_id"]) == ann.user_id)
    assert ann_grades["categories"]["live_exams"]["percent"] == 50.0

    report = kit.ok(kit.get(teacher, f"/live-sessions/{sid}/report", ended["position"]))
    ann_row = next(s for s in report["students"] if s["person_id"] == ann.user_id)
    assert ann_row["drops"] == 1 and ann_row["signals"] == 1 and ann_row["final_score"] == 2.0
    assert [c["text"] for c in report["chat"]] == ["=HYPERLINK(\"x\")"]
    assert report["integrity_signals"][0]["kind"] == "focus_lost" and report["session"]["end_reason"] == "everyone finished"
    r = kit.get(teacher, f"/live-sessions/{sid}/report", format="csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert r.headers["content-type"].startswith("text/csv") and rows[0]["drops"] in ("0", "1")
    assert kit.get(ann, f"/live-sessions/{sid}/report").status_code == 403
    assert kit.get(kit.cast.auditor, f"/live-sessions/{sid}/report").status_code == 200
    assert kit.get(kit.cast.other_teacher, f"/live-sessions/{sid}/report").status_code == 404
