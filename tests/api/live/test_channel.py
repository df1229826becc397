"""The session's WebSocket: the same JWT (checked again when it expires), presence, chat to
everyone or privately between a student and an examiner (each message an event), hands,
announcements, and a reconnecting client getting exactly what it missed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.websockets import WebSocketDisconnect

from adapters.security.tokens import AccessClaims, TokenIssuer
from tests.api.live.conftest import until


def chat(frame):
    return frame["type"] == "entry" and frame["kind"] in ("chat", "announcement", "hand")


def test_chat_presence_and_private_messages_reach_only_who_may_see_them(live, kit, infra):
    quiz = live.room_and_quiz(2)
    sid = live.open(quiz)
    teacher, (ann, bob) = quiz.room.teacher, quiz.room.students
    examiner = live.socket(teacher, sid)
    welcome = examiner.receive_json()
    assert welcome["type"] == "welcome" and welcome["role"] == "examiner" and welcome["session"]["status"] == "open"
    first = live.socket(ann, sid)
    assert first.receive_json()["role"] == "student"
    second = live.socket(bob, sid)
    second.receive_json()
    joined = until(examiner, lambda f: f.get("kind") == "connected" and f["body"]["person_id"] == bob.user_id)
    assert any(f.get("kind") == "connected" and f["body"]["person_id"] == ann.user_id for f in joined)

    first.send_json({"type": "chat", "text": "hello all"})
    assert until(second, chat)[-1]["body"]["text"] == "hello all"
    first.send_json({"type": "chat", "text": "psst, examiner", "to_id": teacher.user_id})
    private = until(examiner, lambda f: chat(f) and f["body"]["text"] == "psst, examiner")[-1]
    assert private["body"]["to_id"] == teacher.user_id
    first.send_json({"type": "chat", "text": "to bob only", "to_id": bob.user_id})
    refused = until(first, lambda f: f["type"] == "error")[-1]
    assert refused["status"] == 403
    first.send_json({"type": "hand"})
    assert until(examiner, chat)[-1]["kind"] == "hand"
    second.send_json({"type": "announce", "text": "I am not an examiner"})
    assert until(second, lambda f: f["type"] == "error")[-1]["status"] == 403
    examiner.send_json({"type": "announce", "text": "Ten minutes left"})
    # Bob saw neither the private message nor Ann's hand: the next thing he gets is the announcement.
    assert until(second, chat)[-1]["body"]["text"] == "Ten minutes left"
    first.send_json({"type": "chat", "text": "   "})
    assert until(first, lambda f: f["type"] == "error")[-1]["status"] == 422
    for ws in (examiner, first, second):
        live.leave(ws)
    assert kit.events(infra, "LiveMessage.Posted") >= 4


def test_examiners_only_chat(live, kit):
    quiz = live.room_and_quiz(1)
    sid = live.open(quiz, rules={"chat": "examiners_only"})
    student = live.socket(quiz.room.students[0], sid)
    student.receive_json()
    student.send_json({"type": "chat", "text": "everyone?"})
    assert until(student, lambda f: f["type"] == "error")[-1]["status"] == 403
    student.send_json({"type": "chat", "text": "sir?", "to_id": quiz.room.teacher.user_id, "ref": 7})
    assert until(student, lambda f: f["type"] == "sent")[-1]["ref"] == 7
    live.leave(student)


def test_a_reconnecting_client_gets_what_it_missed_once(live, kit):
    quiz = live.room_and_quiz(1)
    sid = live.open(quiz)
    student, teacher = quiz.room.students[0], quiz.room.teacher
    ws = live.socket(student, sid)
    ws.receive_json()
    examiner = live.socket(teacher, sid)
    examiner.receive_json()
    examiner.send_json({"type": "announce", "text": "one"})
    seen = until(ws, chat)[-1]
    live.leave(ws)
    for text in ("two", "three"):
        examiner.send_json({"type": "announce", "text": text})
        until(examiner, lambda f, t=text: chat(f) and f["body"]["text"] == t)
    again = live.socket(student, sid, last_position=seen["position"])
    assert again.receive_json()["type"] == "welcome"
    examiner.send_json({"type": "announce", "text": "four"})
    texts = [f["body"]["text"] for f in until(again, lambda f: chat(f) and f["body"]["text"] == "four") if chat(f)]
    assert texts == ["two", "three", "four"]


def test_bad_tokens_and_outsiders_are_turned_away(live, kit):
    quiz = live.room_and_quiz(1)
    sid = live.open(quiz)
    for token, code in (("not-a-token", 4401), (kit.cast.students[4].tokens["access_token"], 4404)):
        ws = live.raw_socket(sid, {"type": "hello", "token": token})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == code


def test_the_token_is_checked_again_when_it_expires(live, kit):
    quiz = live.room_and_quiz(1)
    sid = live.open(quiz)
    student = quiz.room.students[0]
    deps = kit.deps
    claims = deps.tokens.verify(student.tokens["access_token"])
    short = TokenIssuer(deps.settings.resolved_secret_key(), 3)
    ws = live.raw_socket(sid, {"type": "hello", "token": short.issue(claims, datetime.now(UTC))})
    assert ws.receive_json()["type"] == "welcome"
    ws.send_json({"type": "token", "token": short.issue(AccessClaims(claims.user_id, claims.session_id, claims.roles),
                                                        datetime.now(UTC))})
    assert until(ws, lambda f: f["type"] == "token_accepted")
    with pytest.raises(WebSocketDisconnect) as closed:  # no new token this time
        until(ws, lambda f: False, limit=50)
    assert closed.value.code == 4401
