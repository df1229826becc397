"""WebRTC signalling over the session's socket: offers, answers and ICE candidates relayed only
between people allowed to talk (an examiner and anyone in the session), never student to
student; the ICE servers come from settings."""

from __future__ import annotations

from tests.api.live.conftest import until

OFFER = {"kind": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" + "a=candidate-ish\r\n" * 600}


def test_signals_go_between_examiner_and_student_only(live, kit, monkeypatch):
    monkeypatch.setattr(kit.deps.settings, "live_stun_urls", ["stun:stun.school.example:3478"])
    quiz = live.room_and_quiz(2)
    sid = live.open(quiz)
    teacher, (ann, bob) = quiz.room.teacher, quiz.room.students
    examiner = live.socket(teacher, sid)
    assert examiner.receive_json()["ice_servers"] == [{"urls": ["stun:stun.school.example:3478"]}]
    first = live.socket(ann, sid)
    assert first.receive_json()["examiners"] == [teacher.user_id]
    second = live.socket(bob, sid)
    second.receive_json()

    examiner.send_json({"type": "signal", "to_id": ann.user_id, "signal": OFFER})  # large: sent compressed
    got = until(first, lambda f: f["type"] == "signal")[-1]
    assert got == {"type": "signal", "from_id": teacher.user_id, "signal": OFFER}
    first.send_json({"type": "signal", "to_id": teacher.user_id, "signal": {"kind": "answer", "sdp": "v=0"}})
    assert until(examiner, lambda f: f["type"] == "signal")[-1]["signal"]["kind"] == "answer"
    first.send_json({"type": "signal", "to_id": teacher.user_id,
                     "signal": {"kind": "ice", "candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host"}}})
    assert until(examiner, lambda f: f["type"] == "signal")[-1]["signal"]["kind"] == "ice"

    first.send_json({"type": "signal", "to_id": bob.user_id, "signal": {"kind": "offer", "sdp": "v=0"}})
    assert until(first, lambda f: f["type"] == "error")[-1]["status"] == 403
    first.send_json({"type": "signal", "to_id": kit.cast.students[4].user_id, "signal": {"kind": "offer", "sdp": "x"}})
    assert until(first, lambda f: f["type"] == "error")[-1]["status"] == 422
    first.send_json({"type": "signal", "to_id": teacher.user_id, "signal": {"kind": "exploit"}})
    assert until(first, lambda f: f["type"] == "error")[-1]["status"] == 422
    # Bob got nothing addressed to Ann: his next signal is the examiner's offer to him.
    examiner.send_json({"type": "signal", "to_id": bob.user_id, "signal": {"kind": "offer", "sdp": "for bob"}})
    assert until(second, lambda f: f["type"] == "signal")[-1]["signal"]["sdp"] == "for bob"
