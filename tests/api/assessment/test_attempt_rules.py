"""The rules around attempts: deadlines kept by the server, one submission, attempts allowed,
who may take, read and answer what, and versions that attempts keep."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.assessment.conftest import API
from tests.api.catalog.conftest import course_body
from tests.assessment_samples import SAMPLES


def _in(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def test_answers_after_the_time_limit_are_refused_and_the_attempt_counts_at_its_deadline(kit, infra):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["true_false", "short_text"], time_limit_seconds=60)
    student = room.students[0]
    started = kit.ok(kit.start(student, quiz.quiz_id), 201)
    answered = kit.ok(kit.answer(student, started["attempt_id"], quiz.questions["true_false"], SAMPLES["true_false"]["right"]))
    kit.travel(seconds=61)
    saved = kit.events(infra, "AnswerSaved")
    late = kit.answer(student, started["attempt_id"], quiz.questions["short_text"], SAMPLES["short_text"]["right"])
    assert late.status_code == 409 and "time is up" in late.json()["detail"]
    assert kit.events(infra, "AnswerSaved") == saved
    view = kit.view(student, started["attempt_id"], answered["position"])
    assert view["status"] == "overdue"
    done = kit.ok(kit.submit(student, started["attempt_id"]))
    assert done["reason"] == "deadline" and done["submitted_at"] == started["deadline"]
    assert done["result"]["score"] == 2.0  # only the answer saved in time counts


def test_the_close_time_ends_attempts_and_keeps_students_out(kit):
    room = kit.classroom(2)
    closes = _in(hours=2)
    quiz = kit.quiz(room, ["true_false"], opens_at=_in(hours=1), closes_at=closes)
    early, late = room.students
    r = kit.start(early, quiz.quiz_id)
    assert r.status_code == 409 and "opens at" in r.json()["detail"]
    kit.travel(hours=1, minutes=30)
    started = kit.ok(kit.start(early, quiz.quiz_id), 201)
    assert datetime.fromisoformat(started["deadline"]) == datetime.fromisoformat(closes)
    kit.travel(hours=3)
    assert kit.start(late, quiz.quiz_id).status_code == 409
    assert kit.answer(early, started["attempt_id"], quiz.questions["true_false"], {"value": False}).status_code == 409


def test_double_submission_is_refused(kit, infra):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["true_false"])
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.submit(student, attempt_id))
    submitted = kit.events(infra, "Attempt.Submitted")
    again = kit.submit(student, attempt_id)
    assert again.status_code == 409 and again.json()["detail"] == "the attempt is already submitted"
    assert kit.events(infra, "Attempt.Submitted") == submitted
    assert kit.answer(student, attempt_id, quiz.questions["true_false"], {"value": True}).status_code == 409


def test_attempts_allowed_one_at_a_time_and_an_overdue_one_is_closed_when_the_next_starts(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["true_false"], attempts_allowed=2, time_limit_seconds=60, score_policy="last")
    student = room.students[0]
    first = kit.ok(kit.start(student, quiz.quiz_id), 201)
    busy = kit.start(student, quiz.quiz_id)
    assert busy.status_code == 409 and busy.json()["errors"][0]["message"] == first["attempt_id"]
    kit.travel(minutes=5)
    second = kit.ok(kit.start(student, quiz.quiz_id), 201)
    assert second["number"] == 2
    assert kit.view(student, first["attempt_id"], second["position"])["submit_reason"] == "deadline"
    kit.ok(kit.submit(student, second["attempt_id"]))
    third = kit.start(student, quiz.quiz_id)
    assert third.status_code == 409 and "no attempts left" in third.json()["detail"]


def test_students_read_only_their_own_attempts(kit):
    room = kit.classroom(2)
    quiz = kit.quiz(room, ["essay"])
    owner, classmate = room.students
    outsider, other_teacher = kit.cast.students[4], kit.cast.other_teacher
    attempt_id = kit.ok(kit.start(owner, quiz.quiz_id), 201)["attempt_id"]
    saved = kit.ok(kit.answer(owner, attempt_id, quiz.questions["essay"], {"text": "My own words."}))
    for intruder in (classmate, outsider, other_teacher):
        assert kit.get(intruder, f"/attempts/{attempt_id}", saved["position"]).status_code == 404
        assert kit.answer(intruder, attempt_id, quiz.questions["essay"], {"text": "not mine"}).status_code == 404
        assert kit.submit(intruder, attempt_id).status_code == 404
    assert kit.get(None, f"/attempts/{attempt_id}").status_code == 401
    for reader in (room.teacher, kit.cast.admin, kit.cast.auditor):
        assert kit.view(reader, attempt_id, saved["position"])["questions"][0]["answer"] == {"text": "My own words."}
    mine = kit.ok(kit.get(classmate, "/me/attempts", saved["position"], quiz_id=quiz.quiz_id))
    assert mine["items"] == []
    kit.ok(kit.submit(owner, attempt_id))
    grade = {"levels": {"ideas": "good", "style": "fine"}}
    path = f"{API}/attempts/{attempt_id}/answers/{quiz.questions['essay']}/grade"
    for person, status in ((owner, 403), (classmate, 403), (kit.cast.auditor, 403), (other_teacher, 404)):
        assert kit.client.put(path, headers=person.headers, json=grade).status_code == status
    bad = kit.client.put(path, headers=room.teacher.headers, json={"levels": {"ideas": "good"}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "levels"
    assert kit.ok(kit.client.put(path, headers=room.teacher.headers, json=grade))["grade"]["points"] == 2.0


def test_who_may_take_and_manage_a_class_quiz(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["true_false"], publish=False)
    student, outsider = room.students[0], kit.cast.students[4]
    assert kit.get(student, f"/quizzes/{quiz.quiz_id}").status_code == 404  # not published yet
    assert kit.start(student, quiz.quiz_id).status_code == 404
    kit.publish(quiz)
    assert kit.get(outsider, f"/quizzes/{quiz.quiz_id}", quiz.position).status_code == 404
    assert kit.start(outsider, quiz.quiz_id).status_code == 404
    assert kit.get(outsider, f"/classes/{room.class_id}/quizzes").status_code == 404
    assert kit.start(room.teacher, quiz.quiz_id).status_code == 403
    for path in ("/results", "/statistics", "/non-attempts", "/grading-queue"):
        assert kit.get(student, f"/quizzes/{quiz.quiz_id}{path}").status_code == 403
        assert kit.get(kit.cast.other_teacher, f"/quizzes/{quiz.quiz_id}{path}").status_code == 404
        assert kit.get(kit.cast.auditor, f"/quizzes/{quiz.quiz_id}{path}").status_code == 200
    edit = {"title": "Mine now"}
    assert kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", headers=student.headers, json=edit).status_code == 403
    assert kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", headers=kit.cast.auditor.headers, json=edit).status_code == 403
    assert kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", headers=kit.cast.other_teacher.headers, json=edit).status_code == 404
    assert kit.client.post(f"{API}/quizzes", headers=student.headers,
                           json={"title": "x", "class_id": room.class_id}).status_code == 403
    assert kit.client.post(f"{API}/quizzes", headers=kit.cast.other_teacher.headers,
                           json={"title": "x", "class_id": room.class_id}).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"title": "x"}, "body"),  # neither class_id nor course_id
    ({"title": "x", "class_id": "CLASS", "closes_at": "2030-01-01T00:00:00Z", "opens_at": "2030-02-01T00:00:00Z"}, "body"),
    ({"title": "x", "class_id": "CLASS", "feedback_mode": "after_close"}, "body"),
    ({"title": "x", "class_id": "CLASS", "negative_marking": 2}, "body.negative_marking"),
    ({"title": "x", "class_id": "CLASS", "time_limit_seconds": 5}, "body.time_limit_seconds"),
    ({"title": "x", "class_id": "CLASS", "closes_at": "2030-01-01T00:00:00"}, "body.closes_at"),  # no time zone
])
def test_bad_quiz_settings_are_rejected(kit, infra, body, field):
    room = kit.classroom(0)
    body = {k: (room.class_id if v == "CLASS" else v) for k, v in body.items()}
    before = kit.events(infra, "Quiz.Created")
    r = kit.client.post(f"{API}/quizzes", headers=room.teacher.headers, json=body)
    assert r.status_code == 422, r.text
    assert any(e["field"].startswith(field) for e in r.json()["errors"])
    assert kit.events(infra, "Quiz.Created") == before


def test_bad_answers_are_rejected_and_record_nothing(kit, infra):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["matching", "single_choice"])
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    before = kit.events(infra, "AnswerSaved")
    r = kit.answer(student, attempt_id, quiz.questions["matching"], {"matches": {"s1": "nope"}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "answer.matches.s1"
    assert kit.answer(student, attempt_id, quiz.questions["single_choice"], {"option_id": 3}).status_code == 422
    assert kit.answer(student, attempt_id, quiz.questions["single_choice"], "a").status_code == 422
    other_question = kit.question(room.teacher, kit.bank(room.teacher), SAMPLES["true_false"]["question"])[0]
    assert kit.answer(student, attempt_id, other_question, {"value": True}).status_code == 422
    assert kit.events(infra, "AnswerSaved") == before


def test_published_versions_are_frozen_and_attempts_keep_theirs(kit):
    room = kit.classroom(2)
    quiz = kit.quiz(room, ["true_false"], attempts_allowed=1)
    first, second = room.students
    early = kit.ok(kit.start(first, quiz.quiz_id), 201)
    question_id = quiz.questions["true_false"]
    kit.ok(kit.client.put(f"{API}/questions/{question_id}", headers=room.teacher.headers, json={
        "question": {**SAMPLES["true_false"]["question"], "prompt": "The Earth is round.", "correct": True}}))
    assert kit.client.post(f"{API}/quizzes/{quiz.quiz_id}/publication", headers=room.teacher.headers).status_code == 200
    again = kit.client.post(f"{API}/quizzes/{quiz.quiz_id}/publication", headers=room.teacher.headers)
    assert again.status_code == 409 and "nothing changed" in again.json()["detail"]
    late = kit.ok(kit.start(second, quiz.quiz_id), 201)
    assert (early["quiz_version"], late["quiz_version"]) == (1, 2)
    assert late["questions"][0]["prompt"] == "The Earth is round."
    kit.ok(kit.answer(first, early["attempt_id"], question_id, {"value": False}))
    done = kit.ok(kit.submit(first, early["attempt_id"]))
    assert done["result"]["score"] == 2.0  # graded with version 1's key
    view = kit.view(first, early["attempt_id"], done["position"])
    assert view["questions"][0]["prompt"] == "The Earth is flat."


def test_a_course_quiz_is_taken_by_enrolled_students(kit):
    owner, moderator = kit.cast.creator, kit.cast.admin
    course = kit.ok(kit.client.post(f"{API}/courses", json=course_body(), headers=owner.headers), 201)
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/submission", headers=owner.headers))
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/review", json={"approve": True}, headers=moderator.headers))
    bank_id = kit.bank(owner, course_id=course["course_id"])
    question_id, _ = kit.question(owner, bank_id, SAMPLES["single_choice"]["question"])
    quiz_id = kit.ok(kit.client.post(f"{API}/quizzes", headers=owner.headers, json={
        "title": "Check", "course_id": course["course_id"], "items": [{"question_id": question_id}]}), 201)["quiz_id"]
    kit.ok(kit.client.post(f"{API}/quizzes/{quiz_id}/publication", headers=owner.headers))
    enrolled, stranger = kit.cast.students[3], kit.cast.students[4]
    kit.ok(kit.client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=enrolled.headers), 201)
    assert kit.start(stranger, quiz_id).status_code == 404
    started = kit.ok(kit.start(enrolled, quiz_id), 201)
    kit.ok(kit.answer(enrolled, started["attempt_id"], question_id, {"option_id": "a"}))
    done = kit.ok(kit.submit(enrolled, started["attempt_id"]))
    assert done["result"]["percent"] == 100.0
    assert kit.get(kit.cast.other_creator, f"/quizzes/{quiz_id}/results").status_code == 404
    missing = kit.ok(kit.get(owner, f"/quizzes/{quiz_id}/non-attempts", done["position"]))
    assert enrolled.user_id not in [m["student_id"] for m in missing]


def test_blank_answers_are_unanswered_and_never_lose_points_under_negative_marking(kit):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["multiple_choice", "short_text", "essay", "true_false"], negative_marking=1)
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    for kind, blank in (("multiple_choice", {"option_ids": []}), ("short_text", {"text": " "}), ("essay", {"text": ""})):
        kit.ok(kit.answer(student, attempt_id, quiz.questions[kind], blank))
    kit.ok(kit.answer(student, attempt_id, quiz.questions["true_false"], SAMPLES["true_false"]["right"]))
    done = kit.ok(kit.submit(student, attempt_id))
    assert done["result"] == {"score": 2.0, "max_score": 8.0, "percent": 25.0, "pending": 0, "passed": None}
    view = kit.view(student, attempt_id, done["position"])
    states = {q["type"]: q["review"]["grade"]["state"] for q in view["questions"]}
    assert states == {"multiple_choice": "unanswered", "short_text": "unanswered", "essay": "unanswered",
                      "true_false": "correct"}
    assert view["status"] == "graded"  # a blank essay waits for nobody
    queue = kit.ok(kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/grading-queue", done["position"]))
    assert queue["items"] == []


def test_two_submissions_at_the_same_moment_record_one(kit, infra):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["true_false", "single_choice"])
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt_id, quiz.questions["true_false"], SAMPLES["true_false"]["right"]))
    before = kit.events(infra, "Attempt.Submitted")
    barrier = threading.Barrier(2)

    def submit():
        barrier.wait()
        return kit.submit(student, attempt_id)

    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda _: submit(), range(2)))
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    # Usually both loaded the open attempt and the store refused the second save (a version clash);
    # if one ran just after the other, it found the attempt submitted. Either way one 409.
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.headers["content-type"] == "application/problem+json"
    assert kit.events(infra, "Attempt.Submitted") == before + 1
    done = next(r for r in responses if r.status_code == 200).json()
    assert kit.view(student, attempt_id, done["position"])["result"]["score"] == 2.0
