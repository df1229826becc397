"""Attempts: start, save an answer, submit; and the system's submission at the deadline.

The server's clock decides: every command checks the attempt's deadline, so a late answer is
refused even if the deadline worker (workers/notification/quiz_deadlines.py) is down, and an attempt found
open after its deadline is submitted with what it held.

A live exam's quiz (gradebook category `live_exams`) is started only through its session
(commands/live/exam.py), which records the session on the attempt; every answer and the
submission then check the session (paused: 423; ended, or the student's own time over: 409),
whichever route they come through.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from commands.access.assessment_access import QuizRole, quiz_role
from commands.assessment.answering import put_answer
from commands.live import answers as live_answers
from commands.loading import find, load
from commands.pipeline import Actor, Deps, Done, require_login, require_role, retrying_races
from domain.attempts import Attempt, attempt_id
from domain.errors import Forbidden, NotFound, RuleBroken
from domain.identity import Role
from domain.question_views import review, student_view
from domain.quiz_layout import layout
from domain.quizzes import (
    FeedbackMode,
    Quiz,
    deadline_for,
    feedback_released,
    keys_released,
    require_open,
)
from domain.scoring import grade_answer, grade_attempt, passed, totals


class StartAttempt(BaseModel):
    quiz_id: UUID


class SaveAnswer(BaseModel):
    attempt_id: UUID
    question_id: UUID
    answer: dict[str, Any]


class AttemptRef(BaseModel):
    attempt_id: UUID


def _close(attempt: Attempt, quiz: Quiz, now: datetime) -> str:
    """Grade what the attempt holds against its version's (possibly corrected) key and submit."""
    snapshot = quiz.published(attempt.quiz_version)
    return attempt.submit(grade_attempt(snapshot, attempt.layout, attempt.answers), now)


def start_attempt(cmd: StartAttempt, actor: Actor, deps: Deps) -> Done:
    closed, attempt, data = new_attempt(deps, actor, cmd.quiz_id)
    return Done(deps.store.record(*closed, attempt), data)


def new_attempt(deps: Deps, actor: Actor, quiz_ref: UUID, *,
                live_session_id: UUID | None = None) -> tuple[list[Attempt], Attempt, dict[str, Any]]:
    """The student's next attempt, not yet recorded, with any earlier one found overdue (closed
    now) and what the student sees. live_session_id: started by joining a live exam
    (commands/live/exam.py), which checked the session and records all of it in one commit."""
    quiz = load(deps, Quiz, quiz_ref, "quiz", read_only=True)
    if quiz_role(deps, actor, quiz) != QuizRole.TAKER:
        raise Forbidden("only the students of the quiz's class or course take it")
    student_id, snapshot, now = actor.user_id, quiz.published(), deps.clock()
    settings = snapshot["settings"]
    if settings.get("category") == "live_exams" and live_session_id is None:
        raise RuleBroken("this quiz is a live exam: start it by joining its live session")
    require_open(settings, now)
    number, closed = 1, []
    while (earlier := find(deps, Attempt, attempt_id(quiz.id, student_id, number))) is not None:
        if not earlier.submitted:
            if not earlier.overdue(now):
                raise RuleBroken("finish the attempt in progress first", fields={"attempt_id": str(earlier.id)})
            _close(earlier, quiz, now)
            closed.append(earlier)
        number += 1
    if settings["attempts_allowed"] is not None and number > settings["attempts_allowed"]:
        raise RuleBroken(f"no attempts left: {settings['attempts_allowed']} allowed")
    seed = secrets.randbits(48)
    attempt = Attempt.start(quiz.id, quiz.latest_version, student_id, number, seed, layout(snapshot, seed), now,
                            deadline_for(settings, now), settings["feedback_mode"], live_session_id)
    questions = [
        {"question_id": e["question_id"], "points": e["points"], **student_view(snapshot["questions"][e["question_id"]], e["order"])}
        for e in attempt.layout
    ]
    return closed, attempt, {
        "attempt_id": attempt.id, "number": number, "quiz_version": attempt.quiz_version,
        "deadline": attempt.deadline, "questions": questions,
    }


def own_attempt(deps: Deps, actor: Actor, attempt_ref: UUID) -> Attempt:
    """The caller's own attempt; anyone else's does not exist for them."""
    user_id = require_login(actor)
    attempt = find(deps, Attempt, attempt_ref)
    if attempt is None or attempt.student_id != user_id:
        raise NotFound(f"attempt {attempt_ref} not found")
    return attempt


def attempt_reader(deps: Deps, actor: Actor, attempt_ref: UUID) -> bool:
    """Whether the caller reads the attempt as its student (False) or as the quiz's teacher,
    an admin or an auditor (True, everything shown). Anyone else gets 404."""
    user_id = require_login(actor)
    attempt = find(deps, Attempt, attempt_ref)
    if attempt is not None:
        if attempt.student_id == user_id:
            return False
        try:
            if quiz_role(deps, actor, load(deps, Quiz, attempt.quiz_id, "quiz", read_only=True)) != QuizRole.TAKER:
                return True
        except NotFound:
            pass
    raise NotFound(f"attempt {attempt_ref} not found")


@retrying_races
def save_answer(cmd: SaveAnswer, actor: Actor, deps: Deps) -> Done:
    """With immediate feedback the answer is final and the response carries its review (the
    answer key only in the student's last attempt, or after the close: keys_released)."""
    attempt = own_attempt(deps, actor, cmd.attempt_id)
    if attempt.live_session_id is not None:
        session = live_answers.session_of(deps, attempt)
        live_answers.require_answering(deps, session, attempt.student_id)
        return live_answers.answer_attempt(deps, session, attempt, cmd.question_id, cmd.answer)
    question_id, answer = put_answer(deps, attempt, cmd.question_id, cmd.answer)
    points = attempt.points_of(question_id)
    position = deps.store.record(attempt)
    if attempt.feedback_mode != FeedbackMode.IMMEDIATE:
        return Done(position, {"question_id": question_id})
    quiz = load(deps, Quiz, attempt.quiz_id, "quiz", read_only=True)
    snapshot = quiz.published(attempt.quiz_version)  # the current key
    question = snapshot["questions"][question_id]
    grade = grade_answer(question, answer, points, snapshot["settings"]["negative_marking"])
    # Attempts are one at a time, so this is the only one open and its number counts them all.
    with_key = keys_released(snapshot["settings"], deps.clock(), submitted=False, other_open=False,
                             attempts_left=quiz.attempts_left(attempt.number), quiz_closes_at=quiz.closes_at)
    return Done(position, {"question_id": question_id, "review": review(question, answer, grade, with_key=with_key)})


def submit_attempt(cmd: AttemptRef, actor: Actor, deps: Deps) -> Done:
    """The score comes back only if the quiz's feedback mode already allows it."""
    attempt = own_attempt(deps, actor, cmd.attempt_id)
    if attempt.live_session_id is not None and not attempt.submitted:
        live_answers.require_answering(deps, live_answers.session_of(deps, attempt), attempt.student_id)
    quiz = load(deps, Quiz, attempt.quiz_id, "quiz", read_only=True)
    now = deps.clock()
    reason = _close(attempt, quiz, now)
    position = deps.store.record(attempt)
    settings = quiz.published(attempt.quiz_version)["settings"]
    result = None
    if feedback_released(settings, True, now, quiz_closes_at=quiz.closes_at):
        result = totals(attempt.grades)
        result["passed"] = passed(result["percent"], settings["pass_mark"]) if not result["pending"] else None
    return Done(position, {"reason": reason, "submitted_at": attempt.submitted_at, "result": result})


def submit_overdue(cmd: AttemptRef, actor: Actor, deps: Deps) -> Done:
    """The deadline worker's command (as the system): submits an attempt still open after its
    deadline; anything else is left alone and nothing is recorded."""
    require_role(actor, [Role.ADMIN])
    attempt = find(deps, Attempt, cmd.attempt_id)
    now = deps.clock()
    if attempt is None or not attempt.overdue(now):
        return Done(0, {"submitted": False})
    _close(attempt, load(deps, Quiz, attempt.quiz_id, "quiz", read_only=True), now)
    return Done(deps.store.record(attempt), {"submitted": True})
