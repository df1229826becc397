"""Enrolment endpoints: enrol, leave, assign, complete lessons, and progress."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, Field

from api.auth import ActorDep, DepsDep, run
from commands import assignment, enrolment as enrolling
from commands.pipeline import Actor, Deps, require_login
from domain.errors import Forbidden, NotFound
from domain.identity import Role
from projections import course_queries, enrolment_queries
from projections.catalog import catalog
from projections.classroom import classroom
from projections.enrolment import enrolment
from projections.tracking import wait_for_position

router = APIRouter(prefix="/api/v1", tags=["enrolment"])
MinPosition = Annotated[int | None, Query(ge=0, description="wait until the read models have applied this log position")]
Limit = Annotated[int, Query(ge=1, le=100)]


class StudentsAssignment(BaseModel):
    student_ids: list[UUID] = Field(min_length=1, max_length=assignment.MAX_STUDENTS)
    due_at: AwareDatetime | None = None


class ClassAssignment(BaseModel):
    class_id: UUID
    due_at: AwareDatetime | None = None


@router.post("/courses/{course_id}/enrolment", status_code=201, description=(
    "Who: students, in a published course whose prerequisites they completed (409 names the missing ones)."))
def enrol(course_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(enrolling.enrol, enrolling.EnrolInCourse(course_id=course_id), actor, deps, response)


@router.delete("/courses/{course_id}/enrolment", description="Who: the enrolled student, for courses nobody assigned them.")
def leave(course_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(enrolling.leave, enrolling.EnrolInCourse(course_id=course_id), actor, deps, response)


@router.post("/courses/{course_id}/assignments", description=(
    "Who: teachers and admins. Assigns the course to active students, all or none; assigning"
    " again changes the due date."))
def assign(course_id: UUID, body: StudentsAssignment, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = assignment.AssignCourse(course_id=course_id, **body.model_dump())
    return run(assignment.assign_course, cmd, actor, deps, response)


@router.post("/courses/{course_id}/class-assignments", description=(
    "Who: the teacher of the class and admins. Assigns the course to every student on the roster;"
    " `min_position` waits for the roster to include recent joins."))
def assign_class(
    course_id: UUID, body: ClassAssignment, actor: ActorDep, deps: DepsDep, response: Response,
    min_position: MinPosition = None,
) -> dict[str, Any]:
    wait_for_position(deps.pool, [classroom], min_position, deps.settings.read_wait_seconds)
    cmd = assignment.AssignCourseToClass(course_id=course_id, **body.model_dump())
    return run(assignment.assign_course_to_class, cmd, actor, deps, response)


@router.post("/courses/{course_id}/lessons/{lesson_id}/completion", description=(
    "Who: students enrolled in the course. Completing a lesson again records nothing."))
def complete(course_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = enrolling.CompleteLesson(course_id=course_id, lesson_id=lesson_id)
    return run(enrolling.complete_lesson, cmd, actor, deps, response)


@router.get("/me/courses", description="Who: any logged-in person. Courses they take (enrolled or assigned) with progress.")
def my_courses(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, min_position: MinPosition = None
) -> dict[str, Any]:
    student_id = require_login(actor)
    wait_for_position(deps.pool, [catalog, enrolment], min_position, deps.settings.read_wait_seconds)
    return enrolment_queries.my_courses(deps.pool, student_id, limit=limit, cursor=cursor)


def _require_owner_or_admin(actor: Actor, deps: Deps, course_id: UUID) -> None:
    owner_id = course_queries.course_owner(deps.pool, course_id)
    if owner_id is None:
        raise NotFound(f"course {course_id} not found")
    if actor.user_id != owner_id and not actor.has_role(Role.ADMIN):
        raise Forbidden("only the course owner and admins see its students")


@router.get("/courses/{course_id}/students", description="Who: the course owner and admins. Every student with progress.")
def course_students(
    course_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
    min_position: MinPosition = None,
) -> dict[str, Any]:
    require_login(actor)
    wait_for_position(deps.pool, [catalog, enrolment], min_position, deps.settings.read_wait_seconds)
    _require_owner_or_admin(actor, deps, course_id)
    return enrolment_queries.course_students(deps.pool, course_id, limit=limit, cursor=cursor)


@router.get("/courses/{course_id}/progress/{student_id}", description=(
    "Who: the student themselves, the course owner and admins. Lessons completed out of the"
    " published revision's lessons, percent, last activity."))
def progress(
    course_id: UUID, student_id: UUID, actor: ActorDep, deps: DepsDep, min_position: MinPosition = None
) -> dict[str, Any]:
    caller = require_login(actor)
    wait_for_position(deps.pool, [catalog, enrolment], min_position, deps.settings.read_wait_seconds)
    if caller != student_id:
        _require_owner_or_admin(actor, deps, course_id)
    row = enrolment_queries.progress(deps.pool, student_id, course_id)
    if row is None:
        raise NotFound(f"student {student_id} has no enrolment in course {course_id}")
    return row
