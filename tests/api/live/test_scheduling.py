"""Scheduling: who may schedule, what is refused (and records nothing), rescheduling and
cancelling as events, the calendar, and the reminder through the notification rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.live.conftest import API


def test_a_teacher_schedules_a_live_exam_and_it_is_in_everyones_calendar(live, kit):
    quiz = live.room_and_quiz(2)
    room = quiz.room
    done = kit.ok(live.schedule(quiz, examiner_ids=[kit.cast.other_teacher.user_id],
                                rules={"chat": "examiners_only", "feedback": "during", "late_join_seconds": 300}), 201)
    sid = done["session_id"]
    seen = kit.ok(kit.get(room.students[0], f"/live-sessions/{sid}", done["position"]))
    assert seen["status"] == "scheduled" and seen["role"] == "student" and seen["rules"]["chat"] == "examiners_only"
    for person, role in ((room.students[1], "student"), (kit.cast.other_teacher, "examiner"), (room.teacher, "examiner")):
        items = kit.ok(kit.get(person, "/me/live-sessions", done["position"]))["items"]
        assert [(str(i["session_id"]), i["role"]) for i in items if str(i["session_id"]) == sid] == [(sid, role)]
    outsider = kit.cast.students[4]
    assert kit.get(outsider, f"/live-sessions/{sid}").status_code == 404
    assert sid not in {str(i["session_id"]) for i in kit.ok(kit.get(outsider, "/me/live-sessions"))["items"]}


def test_chosen_students_only(live, kit):
    quiz = live.room_and_quiz(2)
    done = kit.ok(live.schedule(quiz, student_ids=[quiz.room.students[0].user_id]), 201)
    assert kit.get(quiz.room.students[0], f"/live-sessions/{done['session_id']}", done["position"]).status_code == 200
    assert kit.get(quiz.room.students[1], f"/live-sessions/{done['session_id']}").status_code == 404


def test_bad_schedules_are_refused_and_record_nothing(live, kit, infra):
    quiz = live.room_and_quiz(1)
    other_quiz = kit.quiz(quiz.room, ["true_false"])  # category quizzes: not for a live exam
    before = kit.events(infra, "LiveSession.Scheduled")
    cases = [
        ({"starts_in": -60}, "starts_at"),
        ({"student_ids": [kit.cast.students[4].user_id]}, "student_ids.0"),
        ({"examiner_ids": [kit.cast.students[0].user_id]}, "examiner_ids.0"),
        ({"rules": {"late_join_seconds": 4000}, "duration": 1800}, "rules.late_join_seconds"),
        ({"duration": 10}, "body.duration_seconds"),
    ]
    for body, field in cases:
        r = live.schedule(quiz, **body)
        assert r.status_code == 422, (body, r.text)
        assert field in r.text, (field, r.text)
    r = live.schedule(other_quiz)
    assert r.status_code == 422 and "live_exams" in r.text
    assert kit.ok(live.schedule(other_quiz, kind="study"), 201)  # a study session takes any quiz of the class
    assert kit.events(infra, "LiveSession.Scheduled") == before + 1


def test_who_may_schedule(live, kit):
    quiz = live.room_and_quiz(1)
    assert live.schedule(quiz, as_person=quiz.room.students[0]).status_code == 403
    assert live.schedule(quiz, as_person=kit.cast.other_teacher).status_code == 404  # not their class
    r = kit.client.post(f"{API}/live-sessions", json={})
    assert r.status_code in (401, 422)


def test_reschedule_and_cancel_are_events_and_only_examiners_do_them(live, kit, infra):
    quiz = live.room_and_quiz(1)
    sid = kit.ok(live.schedule(quiz), 201)["session_id"]
    later = datetime.now(UTC) + timedelta(hours=2)
    body = {"starts_at": later.isoformat(), "duration_seconds": 3600, "reason": "fire drill"}
    assert kit.client.post(f"{API}/live-sessions/{sid}/reschedule", headers=quiz.room.students[0].headers,
                           json=body).status_code == 403
    done = live.post(quiz.room.teacher, sid, "/reschedule", **body)
    seen = kit.ok(kit.get(quiz.room.teacher, f"/live-sessions/{sid}", done["position"]))
    assert datetime.fromisoformat(seen["starts_at"]) == later.replace(microsecond=later.microsecond)
    assert datetime.fromisoformat(seen["ends_at"]) - datetime.fromisoformat(seen["starts_at"]) == timedelta(hours=1)
    done = live.post(quiz.room.teacher, sid, "/cancellation", reason="teacher ill")
    assert kit.ok(kit.get(quiz.room.teacher, f"/live-sessions/{sid}", done["position"]))["status"] == "cancelled"
    r = kit.client.post(f"{API}/live-sessions/{sid}/cancellation", headers=quiz.room.teacher.headers, json={})
    assert r.status_code == 409
    assert kit.events(infra, "LiveSession.Rescheduled") >= 1 and kit.events(infra, "LiveSession.Cancelled") >= 1
