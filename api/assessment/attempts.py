"""Attempt endpoints: start, answer, submit, read; and the essay grading queue. A student
reads only their own attempts (others' are 404), and sees grades, feedback and answer keys
only when the quiz's feedback mode releases them."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.assessment.responses.attempts import (
    AnswerSaved,
    Attempt,
    AttemptStarted,
    AttemptSubmitted,
    EssayGraded,
    EssayWaiting,
    MyAttempt,
    QuizAttempt,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page
from api.platform.read_position import read_after
from commands.assessment import attempts as attempt_commands
from commands.assessment import essay_grading
from commands.assessment.quizzes import require_quiz_reader
from commands.pipeline import require_login
from domain.errors import NotFound
from projections.assessment import attempt_review, attempts_queries
from projections.assessment.attempts import attempts
from projections.assessment.quizzes import quizzes

router = APIRouter(prefix="/api/v1", tags=["assessment"])
Limit = Annotated[int, Query(ge=1, le=200)]


class AnswerBody(BaseModel):
    answer: dict[str, Any] = Field(description="shape depends on the question type, see docs/assessment.md")


class EssayGrade(BaseModel):
    levels: dict[str, str] = Field(description="criterion id -> level id, for every criterion of the rubric")
    comment: essay_grading.Comment = ""



@router.post("/quizzes/{quiz_id}/attempts", response_model=AttemptStarted, response_model_exclude_unset=True, status_code=201, description=(
    "Who: students of the quiz's class or course, while it is open and attempts are left. Answers the"
    " questions as this attempt shows them (drawn and shuffled for it), without answer keys."))
def start_attempt(quiz_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(attempt_commands.start_attempt, attempt_commands.StartAttempt(quiz_id=quiz_id), actor, deps, response)


@router.put("/attempts/{attempt_id}/answers/{question_id}", response_model=AnswerSaved, response_model_exclude_unset=True, description=(
    "Who: the attempt's student, before its deadline (409 after). Saving again replaces the answer, except with"
    " immediate feedback, where the first answer is final and the response carries its review."))
def save_answer(attempt_id: UUID, question_id: UUID, body: AnswerBody, actor: ActorDep, deps: DepsDep,
                response: Response) -> dict[str, Any]:
    cmd = attempt_commands.SaveAnswer(attempt_id=attempt_id, question_id=question_id, answer=body.answer)
    return run(attempt_commands.save_answer, cmd, actor, deps, response)


@router.post("/attempts/{attempt_id}/submission", response_model=AttemptSubmitted, description=(
    "Who: the attempt's student, once (409 the second time). After the deadline it counts as submitted at the"
    " deadline with the answers saved in time. The result is included if the feedback mode already allows."))
def submit_attempt(attempt_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(attempt_commands.submit_attempt, attempt_commands.AttemptRef(attempt_id=attempt_id), actor, deps, response)


@router.get("/attempts/{attempt_id}", response_model=Attempt, response_model_exclude_unset=True, description=(
    "Who: the attempt's student (grades and feedback as the feedback mode allows), the quiz's teacher or"
    " course owner, admins and auditors (everything)."))
def get_attempt(attempt_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([quizzes, attempts])) -> dict[str, Any]:
    full = attempt_commands.attempt_reader(deps, actor, attempt_id)
    view = attempt_review.attempt_view(deps.pool, attempt_id, now=deps.clock(), full=full)
    if view is None:
        raise NotFound(f"attempt {attempt_id} not found")
    return view


@router.get("/me/attempts", response_model=Page[MyAttempt], description="Who: any logged-in person: their own attempts, newest first.")
def my_attempts(actor: ActorDep, deps: DepsDep, quiz_id: UUID | None = None, limit: Limit = 50,
                cursor: str | None = None, _: None = read_after([quizzes, attempts])) -> dict[str, Any]:
    student_id = require_login(actor)
    found = attempts_queries.attempts_of(deps.pool, student_id, quiz_id=quiz_id, limit=limit, cursor=cursor)
    return {**found, "items": attempt_review.masked(found["items"], deps.clock())}


@router.get("/quizzes/{quiz_id}/attempts", response_model=Page[QuizAttempt], description=(
    "Who: the quiz's teacher or course owner, admins and auditors. Every attempt at the quiz, student by student"
    " (by id) and each student's in order, with status, score and whether it passed (its version's pass mark);"
    " `student_id` lists one student's. Paginated with `limit` and `cursor`. Students list their own with"
    " GET /me/attempts?quiz_id=."))
def quiz_attempts(quiz_id: UUID, actor: ActorDep, deps: DepsDep, student_id: UUID | None = None, limit: Limit = 50,
                  cursor: str | None = None, _: None = read_after([quizzes, attempts])) -> dict[str, Any]:
    require_quiz_reader(deps, actor, quiz_id)
    found = attempts_queries.quiz_attempts(deps.pool, quiz_id, student_id=student_id, limit=limit, cursor=cursor)
    return {**found, "items": attempt_review.for_teacher(found["items"], deps.clock())}


@router.get("/quizzes/{quiz_id}/grading-queue", response_model=Page[EssayWaiting], description=(
    "Who: the quiz's teacher or course owner, admins and auditors. Essays waiting for a grade, oldest first."))
def grading_queue(quiz_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
                  _: None = read_after([quizzes, attempts])) -> dict[str, Any]:
    require_quiz_reader(deps, actor, quiz_id)
    return attempts_queries.grading_queue(deps.pool, quiz_id, limit=limit, cursor=cursor)


@router.put("/attempts/{attempt_id}/answers/{question_id}/grade", response_model=EssayGraded, description=(
    "Who: the quiz's teacher or course owner, and admins. Grades an essay of a submitted attempt with its"
    " rubric; grading again replaces the grade."))
def grade_essay(attempt_id: UUID, question_id: UUID, body: EssayGrade, actor: ActorDep, deps: DepsDep,
                response: Response) -> dict[str, Any]:
    cmd = essay_grading.GradeEssay(attempt_id=attempt_id, question_id=question_id, **body.model_dump())
    return run(essay_grading.grade_essay, cmd, actor, deps, response)
