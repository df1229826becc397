"""Study sessions: the teacher pushes a question, answers arrive live (the choice hidden), the
reveal shows everyone the distribution and the key."""

from __future__ import annotations

from tests.api.live.conftest import API, until


def test_push_answer_reveal(live, kit):
    quiz = live.room_and_quiz(3, kinds=("single_choice", "essay"))
    sid = live.open(quiz, kind="study")
    teacher, students = quiz.room.teacher, quiz.room.students
    question = quiz.questions["single_choice"]
    watcher = live.socket(students[2], sid)
    watcher.receive_json()
    console = live.socket(teacher, sid)
    console.receive_json()
    assert kit.client.post(f"{API}/live-sessions/{sid}/questions", headers=students[0].headers,
                           json={"question_id": question}).status_code == 403
    assert kit.client.post(f"{API}/live-sessions/{sid}/questions", headers=teacher.headers,
                           json={"question_id": quiz.questions["essay"]}).status_code == 422
    live.post(teacher, sid, "/questions", question_id=question)
    pushed = until(watcher, lambda f: f.get("kind") == "question")[-1]
    assert pushed["body"]["question"]["title"] == "Capital of France" and "correct" not in str(pushed)
    for student, option in zip(students, ("a", "b", "a"), strict=True):
        r = kit.client.put(f"{API}/live-sessions/{sid}/study-answers/{question}", headers=student.headers,
                           json={"answer": {"option_id": option}})
        assert r.status_code == 200, r.text
    again = kit.client.put(f"{API}/live-sessions/{sid}/study-answers/{question}", headers=students[0].headers,
                           json={"answer": {"option_id": "b"}})
    assert again.status_code == 409
    answered = until(console, lambda f: f.get("kind") == "study_answer" and f["body"]["person_id"] == students[2].user_id)
    assert all("choice" not in f.get("body", {}) for f in answered)
    revealed = live.post(teacher, sid, "/reveal", question_id=question)
    assert revealed["distribution"] == {"a": 2, "b": 1}
    shown = until(watcher, lambda f: f.get("kind") == "revealed")[-1]
    assert shown["body"]["distribution"] == {"a": 2, "b": 1} and shown["body"]["answer_key"]
    late = kit.client.put(f"{API}/live-sessions/{sid}/study-answers/{question}", headers=students[1].headers,
                          json={"answer": {"option_id": "a"}})
    assert late.status_code == 409
