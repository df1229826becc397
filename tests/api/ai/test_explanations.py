"""A student asks the configured chat model why an answer was wrong: only their own attempt,
only once the key is released, only for an answer without full credit; never without the setting."""

from __future__ import annotations

from tests.assessment_samples import SAMPLES


def explain(client, who, attempt_id, question_id):
    return client.post(f"/api/v1/attempts/{attempt_id}/questions/{question_id}/explanation", headers=who.headers)


def test_explaining_a_wrong_answer(client, assess, app, chat, monkeypatch):
    room = assess.classroom(students=2)
    setup = assess.quiz(room, ["true_false", "numeric"], attempts_allowed=1)
    student, classmate = room.students
    attempt = assess.ok(assess.start(student, setup.quiz_id), 201)["attempt_id"]
    wrong, right = setup.questions["true_false"], setup.questions["numeric"]
    assess.ok(assess.answer(student, attempt, wrong, SAMPLES["true_false"]["wrong"]))
    assess.ok(assess.answer(student, attempt, right, SAMPLES["numeric"]["right"]))
    assert explain(client, student, attempt, wrong).status_code == 409  # not submitted: the key is not out
    position = assess.ok(assess.submit(student, attempt))["position"]
    assess.view(student, attempt, position)  # the read models have the submission

    chat.replies.append("The Earth is round: satellites photograph it.")
    r = explain(client, student, attempt, wrong)
    assert r.status_code == 200, r.text
    assert r.json()["explanation"] == "The Earth is round: satellites photograph it."
    sent = chat.requests[-1]["body"]["messages"][1]["content"]
    assert "The Earth is flat." in sent and "answer_key" in sent

    calls = len(chat.requests)
    assert explain(client, student, attempt, right).status_code == 409  # full credit
    assert explain(client, student, attempt, "nope").status_code == 404
    assert explain(client, student, attempt, "x" * 41).status_code == 422
    for who in (classmate, room.teacher):
        assert explain(client, who, attempt, wrong).status_code == 404
    assert client.post(f"/api/v1/attempts/{attempt}/questions/{wrong}/explanation").status_code == 401
    assert len(chat.requests) == calls

    monkeypatch.setattr(app.state.deps.settings, "ai_chat_url", None)
    r = explain(client, student, attempt, wrong)
    assert r.status_code == 409 and "none is configured" in r.json()["detail"]
    assert len(chat.requests) == calls  # nothing called out
