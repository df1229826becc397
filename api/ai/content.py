"""Content analysis of a course's texts and the topics its author accepts (docs/ai_tools.md)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api.ai.responses import LessonTopics, TextAnalysis, TopicsAccepted
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.read_position import read_after
from commands.ai import topics as topic_commands
from commands.ai.course_texts import require_course_author
from projections.ai_content import queries
from projections.ai_content.projection import ai_content

router = APIRouter(prefix="/api/v1", tags=["personalization"])
WHO = "Who: the course's author (its owner) and admins; a student of the course gets 403, anyone else 404."


@router.post("/courses/{course_id}/analysis", response_model=TextAnalysis, description=f"{WHO} Key concepts, reading level and time,"
             " suggested skills and tags of the whole course text (newest revision). Records nothing.")
def analyse_course(course_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    return topic_commands.analyse_text(topic_commands.AnalyseText(course_id=course_id), actor, deps)


@router.post("/courses/{course_id}/lessons/{lesson_id}/analysis", response_model=TextAnalysis, description=f"{WHO} As for the course, for one lesson.")
def analyse_lesson(course_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    cmd = topic_commands.AnalyseText(course_id=course_id, lesson_id=lesson_id)
    return topic_commands.analyse_text(cmd, actor, deps)


def _accept(course_id: UUID, lesson_id: UUID | None, body: topic_commands.TopicsInput, actor: Any, deps: Any, response: Response) -> Any:
    cmd = topic_commands.AcceptTopics(course_id=course_id, lesson_id=lesson_id, **body.model_dump())
    return run(topic_commands.accept_topics, cmd, actor, deps, response)


@router.put("/courses/{course_id}/topics", response_model=TopicsAccepted, description=f"{WHO} Accept (possibly edited) skills, tags and concepts.")
def accept_course_topics(course_id: UUID, body: topic_commands.TopicsInput, actor: ActorDep, deps: DepsDep,
                         response: Response) -> dict[str, Any]:
    return _accept(course_id, None, body, actor, deps, response)


@router.put("/courses/{course_id}/lessons/{lesson_id}/topics", response_model=TopicsAccepted, description=(
    f"{WHO} Accept (possibly edited) skills, tags and concepts of a lesson; its skills link it to the questions"
    " of the course's banks that name them."))
def accept_lesson_topics(course_id: UUID, lesson_id: UUID, body: topic_commands.TopicsInput, actor: ActorDep, deps: DepsDep,
                         response: Response) -> dict[str, Any]:
    return _accept(course_id, lesson_id, body, actor, deps, response)


@router.get("/courses/{course_id}/lessons/{lesson_id}/topics", response_model=LessonTopics, dependencies=[read_after([ai_content])],
            description=f"{WHO} The accepted topics (null before any) and the questions they link the lesson to.")
def lesson_topics(course_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    require_course_author(deps, actor, course_id)
    return {"topics": queries.topics(deps.pool, course_id, lesson_id),
            "linked_questions": queries.lesson_links(deps.pool, lesson_id)}
