"""Catalog endpoints: write and read courses. Each route's description says who may call it."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.catalog.responses.courses import (
    CourseCard,
    CourseCreated,
    CourseDetail,
    CourseLesson,
    RevisionChanged,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page
from api.platform.read_position import read_after
from commands.access.course_access import reads_published_lessons
from commands.catalog import courses
from commands.catalog.course_content import CourseDetails, ModuleInput
from commands.catalog.enrolment import published_course
from commands.pipeline import require_login
from domain.catalog import Level
from domain.errors import Forbidden, NotFound
from domain.identity import Role
from projections.catalog import course_queries
from projections.catalog import queries as catalog_queries
from projections.catalog.catalog import catalog
from projections.classroom.media import media

router = APIRouter(prefix="/api/v1", tags=["catalog"])
Limit = Annotated[int, Query(ge=1, le=100)]
Sort = Literal["relevance", "newest", "popular", "title"]


class Syllabus(BaseModel):
    modules: list[ModuleInput] = Field(max_length=100)


@router.post("/courses", response_model=CourseCreated, status_code=201, description="Who: creators, moderators and admins. Starts a draft they own.")
def create_course(body: courses.CreateCourse, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(courses.create_course, body, actor, deps, response)


@router.get("/courses", response_model=Page[CourseCard], response_model_exclude_unset=True, description=(
    "Who: anyone. Published courses. `q` searches title, summary and description (ranked in that order);"
    " `category_id` includes its sub-categories; `language=en` also finds en-GB. Sort defaults to"
    " relevance with `q`, else newest."))
def list_courses(
    deps: DepsDep,
    q: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    category_id: UUID | None = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    level: Level | None = None,
    language: Annotated[str | None, Query(max_length=35)] = None,
    sort: Sort | None = None, limit: Limit = 20, cursor: str | None = None, _: None = read_after([catalog]),
) -> dict[str, Any]:
    f = catalog_queries.CourseFilter(q, category_id, tag, level.value if level else None, language)
    return catalog_queries.search_courses(deps.pool, f, sort=sort, limit=limit, cursor=cursor)


@router.get("/courses/{course_id}", response_model=CourseDetail, response_model_exclude_unset=True, description=(
    "Who: anyone, for published and archived courses (the published revision, syllabus without lesson"
    " texts). The owner, moderators and admins also see drafts and the working revision."))
def course_detail(course_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([catalog])) -> dict[str, Any]:
    course = course_queries.course_detail(deps.pool, course_id, actor.user_id, actor.has_role(Role.MODERATOR, Role.ADMIN))
    if course is None:
        raise NotFound(f"course {course_id} not found")
    return course


@router.put("/courses/{course_id}", response_model=RevisionChanged, description=(
    "Who: the owner. Replaces the details of the working draft; on a published course this starts"
    " a new revision while the published one stays on show."))
def edit_details(course_id: UUID, body: CourseDetails, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = courses.EditCourseDetails(course_id=course_id, **body.model_dump())
    return run(courses.edit_details, cmd, actor, deps, response)


@router.put("/courses/{course_id}/syllabus", response_model=RevisionChanged, description=(
    "Who: the owner. Replaces the modules and lessons of the working draft; keep `lesson_id`s"
    " to keep students' progress on those lessons."))
def edit_syllabus(course_id: UUID, body: Syllabus, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = courses.EditSyllabus(course_id=course_id, modules=body.modules)
    return run(courses.edit_syllabus, cmd, actor, deps, response)


@router.get("/courses/{course_id}/lessons/{lesson_id}", response_model=CourseLesson, description=(
    "Who: students enrolled in the course (by themselves or assigned), its owner, moderators and"
    " admins. A lesson of the published revision, with its Markdown content and its file (`media`,"
    " with the download url)."))
def lesson(
    course_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([catalog, media])
) -> dict[str, Any]:
    require_login(actor)
    # Checked on the course and the enrolment themselves: leaving takes effect at once.
    if not reads_published_lessons(deps, actor, published_course(deps, course_id)):
        raise Forbidden("enrol in the course to read its lessons")
    found = course_queries.published_lesson(deps.pool, course_id, lesson_id)
    if found is None:
        raise NotFound(f"lesson {lesson_id} not found in the published course {course_id}")
    lesson = found["lesson"]
    return {"course_id": course_id, "module_id": found["module_id"], **lesson,
            "media": course_queries.lesson_media(deps.pool, lesson)}
