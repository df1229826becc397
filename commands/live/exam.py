"""Live exam attempts: started and answered through the assessment commands (the same rules,
events and grading as any attempt), gated by the session's state and the student's own time,
and each answer graded at once onto the student's seat, which the examiner's console follows.
The student sees the grade and feedback at once when the rules say `feedback: during`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel

from commands.assessment import attempts
from commands.assessment import version_shapes
from commands.live.access import require_student
from commands.live.channel import seat_of
from commands.live.scheduling import late_join_over
from commands.loading import load
from commands.pipeline import Actor, Deps, Done
from domain.answers import check_answer
from domain.attempts import Attempt
from domain.errors import RuleBroken
from domain.live.sessions import Kind, LiveSession, Status
from domain.question_views import review, student_view
from domain.quizzes import Quiz
from domain.scoring import grade_answer


class JoinExam(BaseModel):
    session_id: UUID


class LiveAnswer(BaseModel):
    session_id: UUID
    question_id: UUID
    answer: dict[str, Any]


def _require_running(deps: Deps, session: LiveSession, student_id: UUID) -> None:
    if session.kind != Kind.EXAM:
        raise RuleBroken("this is a study session, not an exam")
    if session.status == Status.PAUSED:
        raise RuleBroken("the exam is paused")
    if session.status != Status.OPEN:
        raise RuleBroken(f"the exam is {session.status.value}")
    if deps.clock() >= session.end_for(student_id):
        raise RuleBroken("time is up")


def join_exam(cmd: JoinExam, actor: Actor, deps: Deps) -> Done:
    """The student's attempt: started on first join (until the late-join limit), the same one after."""
    session = require_student(deps, actor, cmd.session_id)
    _require_running(deps, session, actor.user_id)
    seat = seat_of(deps, session, actor.user_id)
    if seat.attempt_id is not None:
        attempt = load(deps, Attempt, seat.attempt_id, "attempt")
        questions = version_shapes.questions_of(deps, attempt.quiz_id, attempt.quiz_version)
        shown = [{"question_id": e["question_id"], "points": e["points"],
                  **student_view(questions[e["question_id"]], e["order"])} for e in attempt.layout]
        return Done(0, {"attempt_id": attempt.id, "questions": shown, "answered": sorted(attempt.answers),
                        "ends_at": session.end_for(actor.user_id)})
    if late_join_over(session, deps.clock()):
        raise RuleBroken("the late join time is over")
    started = attempts.start_attempt(attempts.StartAttempt(quiz_id=session.quiz_id), actor, deps)
    seat.start_exam(started.data["attempt_id"], len(started.data["questions"]))
    position = deps.store.record(seat)
    return Done(position, {**started.data, "answered": [], "ends_at": session.end_for(actor.user_id)})


def answer(cmd: LiveAnswer, actor: Actor, deps: Deps) -> Done:
    session = require_student(deps, actor, cmd.session_id)
    _require_running(deps, session, actor.user_id)
    seat = seat_of(deps, session, actor.user_id)
    if seat.attempt_id is None:
        raise RuleBroken("join the exam first")
    saved = attempts.save_answer(
        attempts.SaveAnswer(attempt_id=seat.attempt_id, question_id=cmd.question_id, answer=cmd.answer), actor, deps)
    attempt = load(deps, Attempt, seat.attempt_id, "attempt")
    question_id = str(cmd.question_id)
    snapshot = load(deps, Quiz, session.quiz_id, "quiz").published(attempt.quiz_version)
    question = snapshot["questions"][question_id]
    checked = check_answer(question, cmd.answer)
    grade = grade_answer(question, checked, attempt.points_of(question_id), snapshot["settings"]["negative_marking"])
    seat.graded(question_id, grade, deps.clock())
    position = deps.store.record(seat)
    data: dict[str, Any] = {"question_id": question_id, "answered": len(attempt.answers)}
    if session.rules["feedback"] == "during":
        data["review"] = saved.data.get("review") or review(question, checked, grade, with_key=False)
    return Done(max(position, saved.position), data)
