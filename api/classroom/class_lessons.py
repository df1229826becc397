"""Class lesson endpoints. The class's teacher sees and manages every lesson; its students
see published lessons whose time has come. Anyone else, and a lesson id of another class,
gets 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api.classroom.responses import (
    ClassLesson,
    ClassLessonListed,
    LessonCreated,
    LessonPublished,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Recorded
from api.platform.read_position import read_after
from commands.access.classroom_access import ClassRole, class_role, readable_lesson
from commands.classroom import class_lessons as lessons
from projections.classroom import class_lessons_queries
from projections.classroom.class_lessons import class_lessons
from projections.classroom.media import media
from projections.engine.tracking import NotCaughtUp

router = APIRouter(prefix="/api/v1/classes/{class_id}", tags=["classroom"])


@router.post("/lessons", response_model=LessonCreated, status_code=201, description="Who: the class's teacher, while the class is not archived."
             " Attached media must be files the teacher may read.")
def create_lesson(
    class_id: UUID, body: lessons.LessonContent, actor: ActorDep, deps: DepsDep, response: Response,
) -> dict[str, Any]:
    cmd = lessons.CreateLesson(class_id=class_id, **body.model_dump())
    return run(lessons.create_lesson, cmd, actor, deps, response)


@router.get("/lessons", response_model=list[ClassLessonListed], description="Who: the class's teacher (every lesson, with its status) and its students"
            " (only lessons published and whose publish time has passed).")
def list_lessons(class_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([class_lessons])) -> list[dict[str, Any]]:
    _, role = class_role(deps, actor, class_id)
    return class_lessons_queries.lessons_of_class(
        deps.pool, class_id, deps.clock(), only_visible=role == ClassRole.STUDENT
    )


@router.get("/lessons/{lesson_id}", response_model=ClassLesson, description="Who: the class's teacher, and its students once the lesson is"
            " visible to them. Includes the Markdown text and the attached media.")
def open_lesson(
    class_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([class_lessons, media]),
) -> dict[str, Any]:
    readable_lesson(deps, actor, class_id, lesson_id)
    found = class_lessons_queries.lesson(deps.pool, lesson_id, deps.clock())
    if found is None:
        raise NotCaughtUp(f"lesson {lesson_id} is not in the read model yet; pass min_position or retry")
    return found


@router.patch("/lessons/{lesson_id}", response_model=Recorded, description="Who: the class's teacher, while the class is not archived.")
def edit_lesson(
    class_id: UUID, lesson_id: UUID, body: lessons.LessonChanges, actor: ActorDep, deps: DepsDep, response: Response,
) -> dict[str, Any]:
    cmd = lessons.EditLesson(class_id=class_id, lesson_id=lesson_id, **body.model_dump())
    return run(lessons.edit_lesson, cmd, actor, deps, response)


@router.put("/lesson-order", response_model=Recorded, description="Who: the class's teacher. lesson_ids lists every lesson once, in order.")
def reorder(class_id: UUID, body: lessons.LessonOrder, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = lessons.ReorderLessons(class_id=class_id, lesson_ids=body.lesson_ids)
    return run(lessons.reorder_lessons, cmd, actor, deps, response)


@router.post("/lessons/{lesson_id}/publication", response_model=LessonPublished, description="Who: the class's teacher. Publishes now, or at a"
             " future publish_at (students see it from then on); a pending schedule may be moved.")
def publish(
    class_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep, response: Response,
    body: lessons.Publication | None = None,
) -> dict[str, Any]:
    publish_at = body.publish_at if body else None
    cmd = lessons.PublishLesson(class_id=class_id, lesson_id=lesson_id, publish_at=publish_at)
    return run(lessons.publish_lesson, cmd, actor, deps, response)


@router.delete("/lessons/{lesson_id}/publication", response_model=Recorded, description="Who: the class's teacher. Back to draft; students"
               " no longer see it.")
def unpublish(class_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(lessons.unpublish_lesson, lessons.LessonRef(class_id=class_id, lesson_id=lesson_id), actor, deps, response)
