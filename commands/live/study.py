"""Study sessions: the teacher pushes a question of the session's quiz to everyone, answers
arrive live on each student's seat, and revealing the question shows the class how the answers
were distributed (and the answer key). The distribution counts the option chosen for choice
questions and the answer's state (correct, partial, incorrect, unanswered) for the others."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel

from commands.live.access import require_examiner, require_student
from commands.live.channel import seat_of
from commands.loading import load
from commands.pipeline import Actor, Deps, Done
from domain.answers import check_answer
from domain.errors import InvalidInput, RuleBroken
from domain.live.sessions import LiveSession, Status
from domain.question_views import answer_key, student_view
from domain.quizzes import Quiz
from domain.scoring import grade_answer
from projections.engine.tracking import log_head, wait_for_position
from projections.live import queries
from projections.live.read_model import live


class PushQuestion(BaseModel):
    session_id: UUID
    question_id: UUID


class StudyAnswer(BaseModel):
    session_id: UUID
    question_id: UUID
    answer: dict[str, Any]


def _question(deps: Deps, session: LiveSession, question_id: str) -> dict[str, Any]:
    questions = load(deps, Quiz, session.quiz_id, "quiz", read_only=True).published()["questions"]
    if question_id not in questions:
        raise InvalidInput("not a question of the session's quiz", fields={"question_id": "not in the quiz"})
    return questions[question_id]


def push_question(cmd: PushQuestion, actor: Actor, deps: Deps) -> Done:
    session = require_examiner(deps, actor, cmd.session_id, writable=True)
    question_id = str(cmd.question_id)
    question = _question(deps, session, question_id)
    if question["type"] == "essay":
        raise InvalidInput("essays have no distribution to show", fields={"question_id": "an essay"})
    if question_id in session.pushed:
        raise RuleBroken("this question was pushed already")
    session.push_question(question_id, student_view(question, None))
    return Done(deps.store.record(session))


def _choice(question: dict[str, Any], answer: dict[str, Any], state: str) -> str:
    if question["type"] == "single_choice":
        return str(answer.get("option_id"))
    if question["type"] == "true_false":
        return str(answer.get("value")).lower()
    if question["type"] == "multiple_choice":
        return ",".join(sorted(answer.get("option_ids", []))) or "unanswered"
    return state


def answer(cmd: StudyAnswer, actor: Actor, deps: Deps) -> Done:
    session = require_student(deps, actor, cmd.session_id)
    question_id = str(cmd.question_id)
    if session.status != Status.OPEN or question_id not in session.pushed or question_id in session.revealed:
        raise RuleBroken("this question is not open for answers")
    question = _question(deps, session, question_id)
    checked = check_answer(question, cmd.answer)
    grade = grade_answer(question, checked, 1.0, 0.0)
    seat = seat_of(deps, session, actor.user_id)
    seat.answer_study(question_id, _choice(question, checked, grade["state"]), grade["state"])
    return Done(deps.store.record(seat), {"question_id": question_id})


def reveal(cmd: PushQuestion, actor: Actor, deps: Deps) -> Done:
    """The distribution is counted from the read model once it holds every answer recorded
    before the reveal (a 503 if it cannot catch up in time: reveal again)."""
    session = require_examiner(deps, actor, cmd.session_id, writable=True)
    question_id = str(cmd.question_id)
    question = _question(deps, session, question_id)
    wait_for_position(deps.pool, [live], log_head(deps.pool), deps.settings.read_wait_seconds)
    distribution = queries.study_distribution(deps.pool, session.id, question_id)
    session.reveal(question_id, distribution, answer_key(question))
    return Done(deps.store.record(session), {"distribution": distribution})
