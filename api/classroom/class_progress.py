"""Learning activity and progress in a class."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.classroom.responses import (
    CompletionRecorded,
    LessonProgress,
    StudentInClass,
    VideoRecorded,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page
from api.platform.read_position import read_after
from commands.access.classroom_access import ClassRole, class_role
from commands.classroom import class_progress as progress
from commands.pipeline import require_login
from domain.errors import Forbidden
from projections.classroom import class_progress_queries
from projections.classroom.class_lessons import class_lessons
from projections.classroom.class_progress import class_progress
from projections.classroom.classroom import classroom

router = APIRouter(prefix="/api/v1/classes/{class_id}", tags=["classroom"])
Limit = Annotated[int, Query(ge=1, le=200)]
READ_MODELS = [classroom, class_lessons, class_progress]


@router.post("/lessons/{lesson_id}/completion", response_model=CompletionRecorded, description="Who: students of the class, on lessons they can see."
             " Completing again changes nothing (recorded: false).")
def complete(class_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = progress.CompleteLesson(class_id=class_id, lesson_id=lesson_id)
    return run(progress.complete_lesson, cmd, actor, deps, response)


@router.post("/lessons/{lesson_id}/video-progress", response_model=VideoRecorded, description="Who: students of the class, on lessons they can"
             " see, for a video or audio of the lesson. Values only move forward: a report behind the known"
             " furthest point changes nothing (recorded: false); impossible values get 422.")
def report_video(
    class_id: UUID, lesson_id: UUID, body: progress.VideoReport, actor: ActorDep, deps: DepsDep, response: Response,
) -> dict[str, Any]:
    cmd = progress.ReportVideoProgress(class_id=class_id, lesson_id=lesson_id, **body.model_dump())
    return run(progress.report_video_progress, cmd, actor, deps, response)


@router.get("/progress", response_model=Page[StudentInClass], description="Who: the class's teacher (every current student) and its students (their"
            " own row only). Lessons completed out of the lessons students see now, percent, last activity.")
def class_progress_summary(
    class_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 100, cursor: str | None = None,
    _: None = read_after(READ_MODELS),
) -> dict[str, Any]:
    _, role = class_role(deps, actor, class_id)
    only = actor.user_id if role == ClassRole.STUDENT else None
    return class_progress_queries.class_progress(
        deps.pool, class_id, deps.clock(), limit=limit, cursor=cursor, student_id=only
    )


@router.get("/students/{student_id}/progress", response_model=list[LessonProgress], description="Who: the class's teacher, and the student themselves."
            " Lesson by lesson, with how far each video or audio was watched.")
def student_progress(
    class_id: UUID, student_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after(READ_MODELS),
) -> list[dict[str, Any]]:
    _, role = class_role(deps, actor, class_id)
    if role == ClassRole.STUDENT and require_login(actor) != student_id:
        raise Forbidden("students see only their own progress")
    return class_progress_queries.lessons_progress(deps.pool, class_id, student_id, deps.clock())
