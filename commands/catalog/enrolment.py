"""Enrolment: a student joins a published course (prerequisites met), leaves it, completes its
lessons and reports how far they watched their videos."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from adapters.events.event_store import ConcurrentChange
from commands.classroom.class_progress import VideoReport
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.catalog import Course, lesson_ids_of
from domain.classroom import SchoolClass
from domain.enrolment import Enrolment, enrolment_id
from domain.errors import Conflict, InvalidInput, NotFound, RuleBroken
from domain.identity import Role
from domain.media import PLAYABLE, Media


class EnrolInCourse(BaseModel):
    course_id: UUID


class CompleteLesson(BaseModel):
    course_id: UUID
    lesson_id: UUID


class ReportCourseVideo(VideoReport, CompleteLesson):
    pass


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


def classes_still_in(deps: Deps, enrolment: Enrolment) -> set[UUID]:
    """The classes the course was assigned through that the student is still in (their rosters
    as they are now, not as a read model last saw them)."""
    still_in = set()
    for class_id in {a.class_id for a in enrolment.assignments.values() if a.class_id is not None}:
        school_class = find(deps, SchoolClass, class_id)
        if school_class is not None and enrolment.student_id in school_class.students:
            still_in.add(class_id)
    return still_in


def leave(cmd: EnrolInCourse, actor: Actor, deps: Deps) -> Done:
    """Assigned courses bind while their class still has the student (or for good, an admin's)."""
    student_id = require_login(actor)
    enrolment = find(deps, Enrolment, enrolment_id(student_id, cmd.course_id))
    if enrolment is None:
        raise RuleBroken("not enrolled in this course")
    enrolment.leave(classes_still_in(deps, enrolment))
    return Done(deps.store.record(enrolment))


def _learning(deps: Deps, actor: Actor, course_id: UUID, doing: str) -> tuple[Course, Enrolment]:
    student_id = require_login(actor)
    course = published_course(deps, course_id)
    enrolment = find(deps, Enrolment, enrolment_id(student_id, course.id))
    if enrolment is None:
        raise RuleBroken(f"enrol in the course before {doing}")
    return course, enrolment


def complete_lesson(cmd: CompleteLesson, actor: Actor, deps: Deps) -> Done:
    """Completing a lesson again changes nothing and records nothing."""
    course, enrolment = _learning(deps, actor, cmd.course_id, "completing its lessons")
    if not enrolment.complete_lesson(cmd.lesson_id, lesson_ids_of(course.published["modules"])):
        return Done(0, {"newly_completed": False, "course_completed": enrolment.completed_at is not None})
    position = deps.store.record(enrolment)
    return Done(position, {"newly_completed": True, "course_completed": enrolment.completed_at is not None})


def report_video_progress(cmd: ReportCourseVideo, actor: Actor, deps: Deps) -> Done:
    """As for class lessons: a report behind what is known records nothing, and the answer
    carries the furthest values known."""
    course, enrolment = _learning(deps, actor, cmd.course_id, "watching its lessons")
    lessons = [lesson for module in course.published["modules"] for lesson in module["lessons"]]
    lesson = next((lesson for lesson in lessons if lesson["lesson_id"] == cmd.lesson_id), None)
    media = find(deps, Media, cmd.media_id) if lesson and lesson.get("media_id") == cmd.media_id else None
    if lesson is not None and (media is None or media.kind not in PLAYABLE):
        raise InvalidInput("media_id is not a video or audio of this lesson",
                           fields={"media_id": "not a playable file of this lesson"})
    recorded = enrolment.watch(cmd.lesson_id, lesson_ids_of(course.published["modules"]), cmd.media_id,
                               cmd.position_seconds, cmd.duration_seconds, cmd.watched_share)
    position = deps.store.record(enrolment) if recorded else 0
    furthest, share = enrolment.videos[(cmd.lesson_id, cmd.media_id)]
    return Done(position, {"recorded": recorded, "position_seconds": furthest, "watched_share": share})
