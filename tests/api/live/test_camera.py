"""The rule camera_required: the student page reports its camera on the channel; each change is
an integrity signal (with its time) the examiner sees at once and on the console; the exam does
not start for a student without a camera until it is on, or until an examiner waives it for
that student (an event, with a reason). Without the rule, reports record nothing."""

from __future__ import annotations

from tests.api.live.conftest import API, until


def test_no_exam_without_the_camera_unless_waived(live, kit, infra):
    quiz = live.room_and_quiz(2)
    sid = live.open(quiz, rules={"camera_required": True})
    teacher, (ann, bob) = quiz.room.teacher, quiz.room.students
    console = live.socket(teacher, sid)
    console.receive_json()
    page = live.socket(ann, sid)
    page.receive_json()
    refused = kit.client.post(f"{API}/live-sessions/{sid}/exam", headers=ann.headers)
    assert refused.status_code == 409 and "camera" in refused.json()["detail"]  # nothing reported yet
    page.send_json({"type": "media", "camera": False})
    off = until(console, lambda f: f.get("kind") == "integrity")[-1]
    assert off["body"]["kind"] == "camera_off" and off["body"]["person_id"] == ann.user_id and off["body"]["at"]
    assert kit.client.post(f"{API}/live-sessions/{sid}/exam", headers=ann.headers).status_code == 409
    page.send_json({"type": "media", "camera": "maybe"})
    assert until(page, lambda f: f["type"] == "error")[-1]["status"] == 422
    page.send_json({"type": "media", "camera": True})
    on = until(console, lambda f: f.get("kind") == "integrity")[-1]
    assert on["body"]["kind"] == "camera_on"
    assert live.post(ann, sid, "/exam")["attempt_id"]

    # Bob has no camera: only an examiner's waiver, with a reason, lets him start.
    assert kit.client.post(f"{API}/live-sessions/{sid}/exam", headers=bob.headers).status_code == 409
    waive, waivers = f"{API}/live-sessions/{sid}/camera-waiver", kit.events(infra, "LiveSeat.CameraWaived")
    assert kit.client.post(waive, headers=teacher.headers, json={"student_id": bob.user_id}).status_code == 422
    assert kit.client.post(waive, headers=bob.headers, json={"student_id": bob.user_id,
                                                             "reason": "x"}).status_code == 403
    assert kit.client.post(waive, headers=teacher.headers, json={"student_id": teacher.user_id,
                                                                 "reason": "x"}).status_code == 422
    assert kit.events(infra, "LiveSeat.CameraWaived") == waivers  # refused requests record nothing
    waived = live.post(teacher, sid, "/camera-waiver", student_id=bob.user_id, reason="broken webcam")
    assert until(console, lambda f: f.get("kind") == "camera_waived")[-1]["body"]["reason"] == "broken webcam"
    assert live.post(bob, sid, "/exam")["attempt_id"]
    seats = {s["person_id"]: s for s in kit.ok(kit.get(teacher, f"/live-sessions/{sid}/console",
                                                       waived["position"]))["seats"]}
    assert (seats[ann.user_id]["camera"], seats[ann.user_id]["camera_waived"]) == (True, None)
    assert (seats[bob.user_id]["camera"], seats[bob.user_id]["camera_waived"]) == (None, "broken webcam")
    assert seats[ann.user_id]["signals"] == 2


def test_without_the_rule_camera_reports_record_nothing(live, kit, infra):
    quiz = live.room_and_quiz(1)
    sid = live.open(quiz)
    teacher, (ann,) = quiz.room.teacher, quiz.room.students
    page = live.socket(ann, sid)
    page.receive_json()
    signals = kit.events(infra, "LiveSeat.IntegritySignal")
    page.send_json({"type": "media", "camera": False})
    page.send_json({"type": "ping"})
    until(page, lambda f: f["type"] == "pong")
    assert kit.events(infra, "LiveSeat.IntegritySignal") == signals
    assert live.post(ann, sid, "/exam")["attempt_id"]
    assert kit.client.post(f"{API}/live-sessions/{sid}/camera-waiver", headers=teacher.headers,
                           json={"student_id": ann.user_id, "reason": "x"}).status_code == 409
