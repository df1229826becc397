"""Enrolment endpoints: enrol, leave, assign, complete lessons, video progress, and progress."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, Field

from api.catalog.responses.enrolment import (
    Assigned,
    CourseProgress,
    Enrolled,
    LessonCompleted,
    StudentProgress,
)
from api.classroom.responses import VideoRecorded
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Page, Recorded
from api.platform.read_position import read_after
from commands.catalog import assignment
from commands.catalog import enrolment as enrolling
from commands.classroom.class_progress import VideoReport
from commands.pipeline import Actor, Deps, require_login
from domain.errors import Forbidden, NotFound
from domain.identity import Role
from projections.catalog import course_queries, enrolment_queries
from projections.catalog.catalog import catalog
from projections.catalog.enrolment import enrolment
from projections.classroom.classroom import classroom

router = APIRouter(prefix="/api/v1", tags=["enrolment"])
Limit = Annotated[int, Query(ge=1, le=100)]
# Students of a teacher's class come from the roster read model.
READ_MODELS = [catalog, enrolment, classroom]


class StudentsAssignment(BaseModel):
    student_ids: list[UUID] = Field(min_length=1, max_length=assignment.MAX_STUDENTS)
    due_at: AwareDatetime | None = None


class ClassAssignment(BaseModel):
    class_id: UUID
    due_at: AwareDatetime | None = None


@router.post("/courses/{course_id}/enrolment", response_model=Enrolled, status_code=201, description=(
    "Who: students, in a published course whose prerequisites they completed (409 names the missing ones)."))
def enrol(course_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(enrolling.enrol, enrolling.EnrolInCourse(course_id=course_id), actor, deps, response)


@router.delete("/courses/{course_id}/enrolment", response_model=Recorded, description=(
    "Who: the enrolled student. An assigned course can be left once its class has removed the"
    " student (an admin's assignment binds for good)."))
def leave(course_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(enrolling.leave, enrolling.EnrolInCourse(course_id=course_id), actor, deps, response)


@router.post("/courses/{course_id}/assignments", response_model=Assigned, description=(
    "Who: teachers, to students of their own classes (403 otherwise), and admins, to any active"
    " student. All or none. Each assignment keeps its source (the class, or the admin): assigning"
    " again from the same source moves its due date, another teacher's stays beside it. Pass"
    " `min_position` from a student's recent joining or invitation."))
def assign(
    course_id: UUID, body: StudentsAssignment, actor: ActorDep, deps: DepsDep, response: Response,
    _: None = read_after([classroom]),
) -> dict[str, Any]:
    # A teacher's classes are looked up in the roster read model: wait for a recent invitation.
    cmd = assignment.AssignCourse(course_id=course_id, **body.model_dump())
    return run(assignment.assign_course, cmd, actor, deps, response)


@router.post("/courses/{course_id}/class-assignments", response_model=Assigned, description=(
    "Who: the teacher of the class and admins. Every current student gets the course now, and"
    " students who join the class later get it too (a moment after joining)."))
def assign_class(course_id: UUID, body: ClassAssignment, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = assignment.AssignCourseToClass(course_id=course_id, **body.model_dump())
    return run(assignment.assign_course_to_class, cmd, actor, deps, response)


@router.post("/courses/{course_id}/lessons/{lesson_id}/completion", response_model=LessonCompleted, description=(
    "Who: students enrolled in the course. Completing a lesson again records nothing."))
def complete(course_id: UUID, lesson_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = enrolling.CompleteLesson(course_id=course_id, lesson_id=lesson_id)
    return run(enrolling.complete_lesson, cmd, actor, deps, response)


@router.post("/courses/{course_id}/lessons/{lesson_id}/video-progress", response_model=VideoRecorded, description=(
    "Who: students enrolled in the course, for the video or audio of a lesson of the published"
    " revision. Values only move forward: a report behind the known furthest point changes nothing"
    " (recorded: false); impossible values get 422."))
def report_video(
    course_id: UUID, lesson_id: UUID, body: VideoReport, actor: ActorDep, deps: DepsDep, response: Response,
) -> dict[str, Any]:
    cmd = enrolling.ReportCourseVideo(course_id=course_id, lesson_id=lesson_id, **body.model_dump())
    return run(enrolling.report_video_progress, cmd, actor, deps, response)


@router.get("/me/courses", response_model=Page[CourseProgress], description="Who: any logged-in person. Courses they take (enrolled or assigned) with progress.")
def my_courses(
    actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None, _: None = read_after(READ_MODELS)
) -> dict[str, Any]:
    student_id = require_login(actor)
    return enrolment_queries.my_courses(deps.pool, student_id, limit=limit, cursor=cursor)


def _visible_students(actor: Actor, deps: Deps, course_id: UUID) -> list[UUID] | None:
    """None for the course owner and admins (every student); for a teacher, the students their
    classes brought to the course; Forbidden for anyone else."""
    owner_id = course_queries.course_owner(deps.pool, course_id)
    if owner_id is None:
        raise NotFound(f"course {course_id} not found")
    if actor.user_id == owner_id or actor.has_role(Role.ADMIN):
        return None
    if actor.has_role(Role.TEACHER) and actor.user_id is not None:
        if students := enrolment_queries.students_from_teacher_classes(deps.pool, course_id, actor.user_id):
            return students
    raise Forbidden("only the course owner, admins and the teachers of assigned classes see its students")


@router.get("/courses/{course_id}/students", response_model=Page[CourseProgress], description=(
    "Who: the course owner and admins (every student), and teachers whose classes were assigned the"
    " course (the students of their classes who got it through them). Progress of each."))
def course_students(
    course_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 50, cursor: str | None = None,
    _: None = read_after(READ_MODELS),
) -> dict[str, Any]:
    require_login(actor)
    teacher_id = None if _visible_students(actor, deps, course_id) is None else actor.user_id
    return enrolment_queries.course_students(deps.pool, course_id, limit=limit, cursor=cursor, teacher_id=teacher_id)


@router.get("/courses/{course_id}/progress/{student_id}", response_model=StudentProgress, description=(
    "Who: the student themselves, the course owner, admins, and the teacher of a class through which"
    " the student got the course. Lessons completed out of the published revision's lessons, percent,"
    " last activity, and how far each video or audio was watched."))
def progress(
    course_id: UUID, student_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after(READ_MODELS)
) -> dict[str, Any]:
    caller = require_login(actor)
    if caller != student_id:
        visible = _visible_students(actor, deps, course_id)
        if visible is not None and student_id not in visible:
            raise Forbidden("teachers see the progress of the students their classes brought to the course")
    row = enrolment_queries.progress(deps.pool, student_id, course_id)
    if row is None:
        raise NotFound(f"student {student_id} has no enrolment in course {course_id}")
    return row
