"""Bad input anywhere in the assessment API is a clear 422 (never a 500) and records nothing;
odd but valid input is saved, graded and read back without stalling a read model."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.assessment.conftest import API
from tests.assessment_samples import ODD_VALUES, SAMPLES, answer_shapes


def _put_json(kit, person, path: str, body: Any):
    # json.dumps escapes an unpaired surrogate as \ud800, which a client may send (httpx's json= cannot).
    return kit.client.put(f"{API}{path}", content=json.dumps({"answer": body}),
                          headers={**person.headers, "Content-Type": "application/json"})


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_answers_of_every_shape_are_saved_or_refused_with_a_422(kit, infra, kind):
    room = kit.classroom(1)
    quiz = kit.quiz(room, [kind], negative_marking=0.5)
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    path = f"/attempts/{attempt_id}/answers/{quiz.questions[kind]}"
    before, saved, position = kit.events(infra, "AnswerSaved"), 0, 0
    for value in ODD_VALUES:
        for body in answer_shapes(kind, value):
            r = _put_json(kit, student, path, body)
            assert r.status_code in (200, 422), (body, r.status_code, r.text)
            if r.status_code == 422:
                assert r.headers["content-type"] == "application/problem+json"
                assert r.json()["errors"][0]["field"].startswith(("answer", "body.answer")), r.text
            else:
                saved += 1
                position = r.json()["position"]
    assert kit.events(infra, "AnswerSaved") == before + saved  # a refused answer recorded nothing
    assert saved > 0
    # What was saved does not stall the attempts read model, and grades.
    assert kit.view(student, attempt_id, position)["status"] == "in_progress"
    done = kit.ok(kit.submit(student, attempt_id))
    assert kit.view(room.teacher, attempt_id, done["position"])["result"]["score"] >= 0


def _post_json(kit, person, path: str, body: Any):
    return kit.client.post(f"{API}{path}", content=json.dumps(body),
                           headers={**person.headers, "Content-Type": "application/json"})


@pytest.mark.parametrize("text", ["x\x00y", "\udc00"])
def test_text_postgresql_cannot_store_is_refused_everywhere_a_teacher_writes(kit, infra, text):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["essay", "true_false"], publish=False)
    teacher = room.teacher
    bank_id = kit.bank(teacher)
    before = {t: kit.events(infra, t) for t in ("Question.Created", "QuestionBank.Created", "Quiz.Created",
                                                "Quiz.Edited", "Attempt.EssayGraded", "Quiz.KeyCorrected")}
    for field in ("title", "prompt", "general_feedback"):
        question = {**SAMPLES["true_false"]["question"], field: text}
        r = _post_json(kit, teacher, f"/question-banks/{bank_id}/questions", {"question": question})
        assert r.status_code == 422, r.text
    tagged = {**SAMPLES["single_choice"]["question"], "tags": [text]}
    assert _post_json(kit, teacher, f"/question-banks/{bank_id}/questions", {"question": tagged}).status_code == 422
    assert _post_json(kit, teacher, "/question-banks", {"title": text}).status_code == 422
    assert _post_json(kit, teacher, "/quizzes", {"title": text, "class_id": room.class_id}).status_code == 422
    r = kit.client.put(f"{API}/quizzes/{quiz.quiz_id}", content=json.dumps({"title": "Quiz", "description": text}),
                       headers={**teacher.headers, "Content-Type": "application/json"})
    assert r.status_code == 422
    kit.publish(quiz)
    student = room.students[0]
    attempt_id = kit.ok(kit.start(student, quiz.quiz_id), 201)["attempt_id"]
    kit.ok(kit.answer(student, attempt_id, quiz.questions["essay"], SAMPLES["essay"]["right"]))
    kit.ok(kit.submit(student, attempt_id))
    grade = {"levels": {"ideas": "good", "style": "fine"}, "comment": text}
    r = kit.client.put(f"{API}/attempts/{attempt_id}/answers/{quiz.questions['essay']}/grade", content=json.dumps(grade),
                       headers={**teacher.headers, "Content-Type": "application/json"})
    assert r.status_code == 422
    corrected = {**SAMPLES["true_false"]["question"], "feedback_true": text}
    r = _post_json(kit, teacher, f"/quizzes/{quiz.quiz_id}/versions/1/key-corrections",
                   {"question_id": quiz.questions["true_false"], "question": corrected})
    assert r.status_code == 422
    assert {t: kit.events(infra, t) for t in before} == before


@pytest.mark.parametrize("version", [0, -1, 10**12])
def test_a_key_correction_of_a_version_that_cannot_exist_is_a_422(kit, infra, version):
    room = kit.classroom(0)
    quiz = kit.quiz(room, ["true_false"])
    body = {"question_id": quiz.questions["true_false"], "question": SAMPLES["true_false"]["question"]}
    before = kit.events(infra, "Quiz.KeyCorrected")
    for suffix in ("/preview", ""):
        r = kit.client.post(f"{API}/quizzes/{quiz.quiz_id}/versions/{version}/key-corrections{suffix}",
                            headers=room.teacher.headers, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "path.version"
    assert kit.get(room.teacher, f"/quizzes/{quiz.quiz_id}/versions/{version}").status_code == 422
    assert kit.events(infra, "Quiz.KeyCorrected") == before


def _many_options(count: int) -> str:
    answers = "".join(f'<answer fraction="{100 if i == 0 else 0}"><text>option {i}</text></answer>' for i in range(count))
    return (f'<question type="multichoice"><name><text>Many options</text></name>'
            f'<questiontext format="html"><text>Pick one.</text></questiontext><single>true</single>{answers}</question>')


def _import(kit, person, bank_id, fmt, data: str):
    return kit.client.post(f"{API}/question-banks/{bank_id}/imports", params={"format": fmt}, content=data.encode(),
                           headers={**person.headers, "Content-Type": "text/plain"})


def test_an_import_nothing_of_which_fits_is_a_422_and_the_reasons_are_listed(kit, infra):
    teacher = kit.cast.teacher
    bank_id = kit.bank(teacher)
    before = kit.events(infra, "Question.Created")
    r = _import(kit, teacher, bank_id, "moodle_xml", f"<quiz>{_many_options(703)}</quiz>")
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert error["field"] == "source.questions.1" and "at most 26" in error["message"]
    r = _import(kit, teacher, bank_id, "gift", "::Nul::Say\x00 it {=yes}\n\n::Intro::Just text.")
    assert r.status_code == 422 and len(r.json()["errors"]) == 2
    assert kit.events(infra, "Question.Created") == before
    tf = ('<question type="truefalse"><name><text>TF</text></name><questiontext><text>Yes?</text></questiontext>'
          '<answer fraction="100"><text>true</text></answer></question>')
    mixed = kit.ok(_import(kit, teacher, bank_id, "moodle_xml", f"<quiz>{_many_options(703)}{tf}</quiz>"))
    assert [q["title"] for q in mixed["imported"]] == ["TF"] and mixed["unsupported"][0]["name"] == "Many options"


@pytest.mark.parametrize("cursor", ["WyJ4IiwieSJd", "WyJ4IiwieSIsInoiXQ==", "WzEsMl0=", "WyJ4Il0=", "bm90IGpzb24="])
def test_hand_made_cursors_are_a_422(kit, cursor):
    room = kit.classroom(1)
    quiz = kit.quiz(room, ["true_false"])
    teacher, student = room.teacher, room.students[0]
    bank_id = kit.bank(teacher)
    for person, path in ((student, "/me/attempts"), (teacher, f"/quizzes/{quiz.quiz_id}/grading-queue"),
                         (teacher, f"/quizzes/{quiz.quiz_id}/attempts"), (teacher, f"/classes/{room.class_id}/quizzes"),
                         (teacher, f"/question-banks/{bank_id}/questions")):
        r = kit.get(person, path, cursor=cursor)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["errors"][0]["field"] == "cursor"
