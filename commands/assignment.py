"""Assignment: a teacher or an admin gives a course to students, or to a whole class
(teachers only to their own classes), with an optional due date."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field

from commands.enrolment import describe_courses, missing_prerequisites, published_course
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_role
from domain.catalog import Course
from domain.enrolment import Enrolment, enrolment_id
from domain.errors import Forbidden, InvalidInput, NotFound, RuleBroken
from domain.identity import Role, User

ASSIGNERS = (Role.TEACHER, Role.ADMIN)
MAX_STUDENTS = 500  # per request naming students


class AssignCourse(BaseModel):
    course_id: UUID
    student_ids: list[UUID] = Field(min_length=1, max_length=MAX_STUDENTS)
    due_at: AwareDatetime | None = None


class AssignCourseToClass(BaseModel):
    course_id: UUID
    class_id: UUID
    due_at: AwareDatetime | None = None


def _open_course(deps: Deps, course_id: UUID, due_at: datetime | None) -> Course:
    if due_at is not None and due_at <= deps.clock():
        raise InvalidInput("the due date has passed", fields={"due_at": "must be in the future"})
    course = published_course(deps, course_id)
    course.require_open_for_enrolment()
    return course


def _assign(
    deps: Deps, course: Course, student_ids: list[UUID], by: UUID, class_id: UUID | None, due_at: datetime | None
) -> Done:
    """Every student is checked before anything is saved, and all enrolments are saved in one
    transaction: one missing prerequisite or one lost race stops the whole assignment."""
    blocked = []
    for student_id in student_ids:
        missing = missing_prerequisites(deps, student_id, course)
        if missing:
            blocked.append(f"student {student_id} lacks {describe_courses(deps, missing)}")
    if blocked:
        raise RuleBroken("prerequisites not met: " + "; ".join(blocked), fields={"prerequisites": "; ".join(blocked)})
    enrolments = []
    for student_id in student_ids:
        enrolment = find(deps, Enrolment, enrolment_id(student_id, course.id))
        if enrolment is None:
            enrolment = Enrolment.assign_new(student_id, course.id, by, class_id, due_at)
        else:
            enrolment.assign(by, class_id, due_at)
        enrolments.append(enrolment)
    position = deps.store.record(*enrolments)
    return Done(position, {"assigned": [e.student_id for e in enrolments]})


def assign_course(cmd: AssignCourse, actor: Actor, deps: Deps) -> Done:
    by = require_role(actor, ASSIGNERS)
    course = _open_course(deps, cmd.course_id, cmd.due_at)
    student_ids = list(dict.fromkeys(cmd.student_ids))
    not_students = []
    for student_id in student_ids:
        user = find(deps, User, student_id)
        if user is None or not user.is_active or Role.STUDENT.value not in user.roles:
            not_students.append(str(student_id))
    if not_students:
        raise InvalidInput("only active students can be assigned a course",
                           fields={"student_ids": "not an active student: " + ", ".join(not_students)})
    return _assign(deps, course, student_ids, by, None, cmd.due_at)


def assign_course_to_class(cmd: AssignCourseToClass, actor: Actor, deps: Deps) -> Done:
    from projections.classroom_queries import class_student_ids, class_teacher_id

    by = require_role(actor, ASSIGNERS)
    teacher_id = class_teacher_id(deps.pool, cmd.class_id)
    if teacher_id is None:
        raise NotFound(f"class {cmd.class_id} not found")
    if teacher_id != by and not actor.has_role(Role.ADMIN):
        raise Forbidden("teachers assign courses to their own classes only")
    course = _open_course(deps, cmd.course_id, cmd.due_at)
    student_ids = class_student_ids(deps.pool, cmd.class_id)
    if not student_ids:
        raise RuleBroken("the class has no students to assign")
    return _assign(deps, course, student_ids, by, cmd.class_id, cmd.due_at)
