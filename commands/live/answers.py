"""A live exam's answers, whichever route they come through (the session's
`PUT .../answers/{question_id}` or the attempt's own `PUT /attempts/{id}/answers/...`): checked
against the session (paused, ended, the student's own time with extra time), saved on the
attempt and graded onto the student's seat for the examiner's console, both in one commit.
The student sees the grade and feedback at once when the rules say `feedback: during`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel

from commands.assessment.answering import put_answer
from commands.live.access import require_student
from commands.live.channel import seat_of
from commands.loading import find, load
from commands.pipeline import Actor, Deps, Done, retrying_races
from domain.attempts import Attempt
from domain.errors import RuleBroken
from domain.live.seats import LiveSeat
from domain.live.sessions import Kind, LiveSession
from domain.question_views import review
from domain.quizzes import Quiz
from domain.scoring import grade_answer


class LiveAnswer(BaseModel):
    session_id: UUID
    question_id: UUID
    answer: dict[str, Any]


def require_answering(deps: Deps, session: LiveSession, student_id: UUID) -> None:
    if session.kind != Kind.EXAM:
        raise RuleBroken("this is a study session, not an exam")
    session.require_answering(student_id, deps.clock())


def session_of(deps: Deps, attempt: Attempt) -> LiveSession:
    """The attempt's session, for reading (usually the cached object: one short query)."""
    return load(deps, LiveSession, attempt.live_session_id, "live session", read_only=True)


@retrying_races
def answer(cmd: LiveAnswer, actor: Actor, deps: Deps) -> Done:
    session = require_student(deps, actor, cmd.session_id)
    require_answering(deps, session, actor.user_id)
    seat = seat_of(deps, session, actor.user_id)
    attempt = find(deps, Attempt, seat.attempt_id) if seat.attempt_id is not None else None
    if attempt is None:
        raise RuleBroken("join the exam first")
    return answer_attempt(deps, session, attempt, cmd.question_id, cmd.answer, seat)


def answer_attempt(deps: Deps, session: LiveSession, attempt: Attempt, question_ref: UUID, given: dict[str, Any],
                   seat: LiveSeat | None = None) -> Done:
    """The session already checked for this student."""
    question_id, checked = put_answer(deps, attempt, question_ref, given)
    snapshot = load(deps, Quiz, attempt.quiz_id, "quiz", read_only=True).published(attempt.quiz_version)
    question = snapshot["questions"][question_id]  # the current key
    grade = grade_answer(question, checked, attempt.points_of(question_id), snapshot["settings"]["negative_marking"])
    seat = seat or seat_of(deps, session, attempt.student_id)
    seat.graded(question_id, grade, deps.clock())
    position = deps.store.record(attempt, seat)
    data: dict[str, Any] = {"question_id": question_id, "answered": len(attempt.answers)}
    if session.rules["feedback"] == "during":
        data["review"] = review(question, checked, grade, with_key=False)
    return Done(position, data)
