"""Enrolment: a student joins a published course (prerequisites met), leaves it, and
completes its lessons."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from adapters.event_store import ConcurrentChange
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.catalog import Course, lesson_ids_of
from domain.enrolment import Enrolment, enrolment_id
from domain.errors import Conflict, NotFound, RuleBroken
from domain.identity import Role


class EnrolInCourse(BaseModel):
    course_id: UUID


class CompleteLesson(BaseModel):
    course_id: UUID
    lesson_id: UUID


def published_course(deps: Deps, course_id: UUID) -> Course:
    """A course people can join; one that was never published does not exist for them."""
    course = find(deps, Course, course_id)
    if course is None or course.published is None:
        raise NotFound(f"course {course_id} not found")
    return course


def missing_prerequisites(deps: Deps, student_id: UUID, course: Course) -> list[UUID]:
    """Prerequisites the student has not completed (all lessons of it, see Enrolment)."""
    missing = []
    for prerequisite_id in course.published["prerequisites"]:
        enrolment = find(deps, Enrolment, enrolment_id(student_id, prerequisite_id))
        if enrolment is None or enrolment.completed_at is None:
            missing.append(prerequisite_id)
    return missing


def describe_courses(deps: Deps, course_ids: list[UUID]) -> str:
    names = []
    for course_id in course_ids:
        course = find(deps, Course, course_id)
        names.append(f"'{course.latest['title']}' ({course_id})" if course else str(course_id))
    return ", ".join(names)


def enrol(cmd: EnrolInCourse, actor: Actor, deps: Deps) -> Done:
    student_id = require_role(actor, [Role.STUDENT])
    course = published_course(deps, cmd.course_id)
    course.require_open_for_enrolment()
    enrolment = find(deps, Enrolment, enrolment_id(student_id, course.id))
    if enrolment is not None and enrolment.active:
        raise RuleBroken("already enrolled in this course")
    missing = missing_prerequisites(deps, student_id, course)
    if missing:
        raise RuleBroken(
            f"complete the prerequisites first: {describe_courses(deps, missing)}",
            fields={"prerequisites": ", ".join(str(m) for m in missing)},
        )
    if enrolment is None:
        enrolment = Enrolment.enrol(student_id, course.id)
    else:
        enrolment.rejoin()
    try:
        position = deps.store.record(enrolment)
    except ConcurrentChange:
        raise Conflict("already enrolled in this course (another request enrolled at the same time)") from None
    return Done(position, {"enrolment_id": enrolment.id})


def leave(cmd: EnrolInCourse, actor: Actor, deps: Deps) -> Done:
    student_id = require_login(actor)
    enrolment = find(deps, Enrolment, enrolment_id(student_id, cmd.course_id))
    if enrolment is None:
        raise RuleBroken("not enrolled in this course")
    enrolment.leave()
    return Done(deps.store.record(enrolment))


def complete_lesson(cmd: CompleteLesson, actor: Actor, deps: Deps) -> Done:
    """Completing a lesson again changes nothing and records nothing."""
    student_id = require_login(actor)
    course = published_course(deps, cmd.course_id)
    enrolment = find(deps, Enrolment, enrolment_id(student_id, course.id))
    if enrolment is None:
        raise RuleBroken("enrol in the course before completing its lessons")
    if not enrolment.complete_lesson(cmd.lesson_id, lesson_ids_of(course.published["modules"])):
        return Done(0, {"newly_completed": False, "course_completed": enrolment.completed_at is not None})
    position = deps.store.record(enrolment)
    return Done(position, {"newly_completed": True, "course_completed": enrolment.completed_at is not None})
