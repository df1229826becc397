"""Quiz endpoints: create, edit, publish, list per class or course, and answer-key
corrections with their re-grading preview. Students see published settings only, never the
questions' keys; people outside the class or course get 404."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from api.assessment.responses.quizzes import (
    Quiz,
    QuizCreated,
    QuizListed,
    QuizPublished,
    QuizVersion,
    Regrading,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page, Recorded
from api.platform.read_position import read_after
from commands.access.assessment_access import QuizRole, sees_drafts
from commands.assessment import quizzes as quiz_commands
from commands.assessment import regrading
from commands.assessment.question_specs import QuestionSpec
from commands.assessment.quiz_settings import QuizSettings
from domain.errors import NotFound
from domain.quizzes import Audience
from projections.assessment import attempts_queries, quizzes_queries
from projections.assessment.question_bank import question_bank
from projections.assessment.quizzes import quizzes

router = APIRouter(prefix="/api/v1", tags=["assessment"])
Limit = Annotated[int, Query(ge=1, le=200)]
Version = Annotated[int, Path(ge=1, le=1_000_000, description="a published version, from 1")]


class Correction(BaseModel):
    question_id: UUID
    question: QuestionSpec



@router.post("/quizzes", response_model=QuizCreated, status_code=201, description=(
    "Who: the teacher of the class (class_id) or the owner of the course (course_id), and admins."))
def create_quiz(body: quiz_commands.CreateQuiz, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(quiz_commands.create_quiz, body, actor, deps, response)


@router.get("/quizzes/{quiz_id}", response_model=Quiz, response_model_exclude_unset=True, description=(
    "Who: the quiz's teacher or course owner, admins and auditors (draft, versions, questions with keys);"
    " its students once published (the published settings only)."))
def get_quiz(quiz_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([quizzes])) -> dict[str, Any]:
    quiz, role = quiz_commands.quiz_for(deps, actor, quiz_id)
    row = quizzes_queries.quiz(deps.pool, quiz_id)
    if row is None:
        raise NotFound(f"quiz {quiz_id} not found")
    head = {k: row[k] for k in ("quiz_id", "audience", "audience_id", "latest_version")}
    latest = quizzes_queries.version(deps.pool, quiz_id, row["latest_version"]) if row["latest_version"] else None
    if role == QuizRole.TAKER:
        return {**head, "settings": latest["snapshot"]["settings"] if latest else None}
    return {**head, "draft": row["settings"], "versions": quizzes_queries.versions(deps.pool, quiz_id),
            "latest": latest["snapshot"] if latest else None}


@router.put("/quizzes/{quiz_id}", response_model=Recorded, description=(
    "Who: the quiz's teacher or course owner, and admins. Replaces the draft settings; students keep the"
    " published version until the next publication."))
def edit_quiz(quiz_id: UUID, body: QuizSettings, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(quiz_commands.edit_quiz, quiz_commands.EditQuiz(quiz_id=quiz_id, settings=body), actor, deps, response)


@router.post("/quizzes/{quiz_id}/publication", response_model=QuizPublished, description=(
    "Who: the quiz's teacher or course owner, and admins. Freezes the draft and a copy of its questions as"
    " the next version; `min_position` waits for questions just added to the bank (random draws)."))
def publish_quiz(quiz_id: UUID, actor: ActorDep, deps: DepsDep, response: Response,
                 _: None = read_after([question_bank])) -> dict[str, Any]:
    return run(quiz_commands.publish_quiz, quiz_commands.QuizRef(quiz_id=quiz_id), actor, deps, response)


@router.get("/quizzes/{quiz_id}/versions/{version}", response_model=QuizVersion, description=(
    "Who: the quiz's teacher or course owner, admins and auditors. A published version with its questions."))
def get_version(quiz_id: UUID, version: Version, actor: ActorDep, deps: DepsDep, _: None = read_after([quizzes])) -> dict[str, Any]:
    quiz_commands.require_quiz_reader(deps, actor, quiz_id)
    found = quizzes_queries.version(deps.pool, quiz_id, version)
    if found is None:
        raise NotFound(f"quiz {quiz_id} has no version {version}")
    return found


def _listing(audience: Audience, audience_id: UUID, actor: Any, deps: Any, limit: int,
             cursor: str | None) -> dict[str, Any]:
    drafts = sees_drafts(deps, actor, audience, audience_id)
    return quizzes_queries.quizzes_for(deps.pool, audience_id, published_only=not drafts, limit=limit, cursor=cursor)


@router.get("/classes/{class_id}/quizzes", response_model=Page[QuizListed], description=(
    "Who: the class's teacher (drafts too) and its students (published quizzes)."))
def class_quizzes(class_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
                  _: None = read_after([quizzes])) -> dict[str, Any]:
    return _listing(Audience.CLASS, class_id, actor, deps, limit, cursor)


@router.get("/courses/{course_id}/quizzes", response_model=Page[QuizListed], description=(
    "Who: the course's owner (drafts too) and its enrolled students (published quizzes)."))
def course_quizzes(course_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
                   _: None = read_after([quizzes])) -> dict[str, Any]:
    return _listing(Audience.COURSE, course_id, actor, deps, limit, cursor)


def _named(result: dict[str, Any], deps: Any) -> dict[str, Any]:
    names = attempts_queries.display_names(deps.pool, [r["student_id"] for r in result["rows"]])
    return {**result, "rows": [{**r, "display_name": names.get(r["student_id"])} for r in result["rows"]]}


@router.post("/quizzes/{quiz_id}/versions/{version}/key-corrections/preview", response_model=Regrading, description=(
    "Who: the quiz's teacher or course owner, and admins. Each student's old and new score if the corrected"
    " question replaced the one in this version. Records nothing."))
def preview_correction(quiz_id: UUID, version: Version, body: Correction, actor: ActorDep, deps: DepsDep,
                       response: Response) -> dict[str, Any]:
    cmd = regrading.CorrectKey(quiz_id=quiz_id, version=version, question_id=body.question_id, question=body.question)
    result = _named(run(regrading.preview_key_correction, cmd, actor, deps, response), deps)
    del response.headers["X-Log-Position"]
    return result


@router.post("/quizzes/{quiz_id}/versions/{version}/key-corrections", response_model=Regrading, description=(
    "Who: the quiz's teacher or course owner, and admins. Records the corrected question and re-grades every"
    " submitted attempt of the version from its saved answers; answers the same table as the preview."))
def correct_key(quiz_id: UUID, version: Version, body: Correction, actor: ActorDep, deps: DepsDep,
                response: Response) -> dict[str, Any]:
    cmd = regrading.CorrectKey(quiz_id=quiz_id, version=version, question_id=body.question_id, question=body.question)
    return _named(run(regrading.correct_key, cmd, actor, deps, response), deps)
