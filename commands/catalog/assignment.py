"""Assignment: a teacher gives a course to students of their own classes, or to a whole class
(their own), with an optional due date; admins to anyone and any class. Each assignment is kept
with its source (the class, or the admin), so a second teacher's never overwrites the first's
(domain/enrolment.py). Students who join a class later get its courses through assign_joiner,
called by the class-courses worker."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field

from commands.catalog.enrolment import (
    describe_courses,
    missing_prerequisites,
    published_course,
)
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_role
from domain.catalog import Course
from domain.class_assignment import ClassAssignment, class_assignment_id
from domain.classroom import SchoolClass
from domain.enrolment import Enrolment, enrolment_id
from domain.errors import Forbidden, InvalidInput, NotFound, RuleBroken
from domain.identity import Role, User
from projections.catalog import enrolment_queries

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


class AssignJoiner(BaseModel):
    class_id: UUID
    course_id: UUID
    student_id: UUID


def _open_course(deps: Deps, course_id: UUID, due_at: datetime | None) -> Course:
    if due_at is not None and due_at <= deps.clock():
        raise InvalidInput("the due date has passed", fields={"due_at": "must be in the future"})
    course = published_course(deps, course_id)
    course.require_open_for_enrolment()
    return course


def _require_prerequisites(deps: Deps, course: Course, student_ids: list[UUID]) -> None:
    blocked = []
    for student_id in student_ids:
        missing = missing_prerequisites(deps, student_id, course)
        if missing:
            blocked.append(f"student {student_id} lacks {describe_courses(deps, missing)}")
    if blocked:
        raise RuleBroken("prerequisites not met: " + "; ".join(blocked), fields={"prerequisites": "; ".join(blocked)})


def _assigned(
    deps: Deps, course_id: UUID, student_id: UUID, by: UUID, class_id: UUID | None, due_at: datetime | None
) -> Enrolment | None:
    """The student's enrolment with this assignment, or None when they already hold it as is."""
    enrolment = find(deps, Enrolment, enrolment_id(student_id, course_id))
    if enrolment is None:
        return Enrolment.assign_new(student_id, course_id, by, class_id, due_at)
    return enrolment if enrolment.assign(by, class_id, due_at) else None


def _taught_classes(deps: Deps, teacher_id: UUID, student_ids: list[UUID]) -> dict[UUID, UUID]:
    """For each student, a class of this teacher they are in now; Forbidden for any other student.
    The read model names the candidate classes, the classes themselves confirm."""
    candidates = enrolment_queries.teacher_classes_of(deps.pool, teacher_id, student_ids)
    classes: dict[UUID, SchoolClass | None] = {}
    found: dict[UUID, UUID] = {}
    for student_id in student_ids:
        for class_id in candidates.get(student_id, []):
            school_class = classes.setdefault(class_id, find(deps, SchoolClass, class_id))
            if school_class and school_class.teacher_id == teacher_id and student_id in school_class.students:
                found[student_id] = class_id
                break
    others = [str(s) for s in student_ids if s not in found]
    if others:
        raise Forbidden("teachers assign courses only to students of their own classes",
                        fields={"student_ids": "not in any of your classes: " + ", ".join(others)})
    return found


def assign_course(cmd: AssignCourse, actor: Actor, deps: Deps) -> Done:
    """All or nobody: every student is checked first, and the enrolments are one save."""
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
    # A teacher assigns through the class they teach the student in; an admin as themselves.
    sources = dict.fromkeys(student_ids) if actor.has_role(Role.ADMIN) else _taught_classes(deps, by, student_ids)
    _require_prerequisites(deps, course, student_ids)
    changed = [e for s in student_ids if (e := _assigned(deps, course.id, s, by, sources[s], cmd.due_at))]
    return Done(deps.store.record(*changed) if changed else 0, {"assigned": student_ids})


def assign_course_to_class(cmd: AssignCourseToClass, actor: Actor, deps: Deps) -> Done:
    """The class's students now get it in the same save; students who join later get it from
    the class-courses worker. An empty class is fine."""
    by = require_role(actor, ASSIGNERS)
    school_class = find(deps, SchoolClass, cmd.class_id)
    if school_class is None:
        raise NotFound(f"class {cmd.class_id} not found")
    if school_class.teacher_id != by and not actor.has_role(Role.ADMIN):
        raise Forbidden("teachers assign courses to their own classes only")
    course = _open_course(deps, cmd.course_id, cmd.due_at)
    student_ids = sorted(school_class.students)
    _require_prerequisites(deps, course, student_ids)
    assignment = find(deps, ClassAssignment, class_assignment_id(school_class.id, course.id))
    if assignment is None:
        assignment = ClassAssignment.make(school_class.id, course.id, by, cmd.due_at)
    else:
        assignment.change(by, cmd.due_at)
    changed = [e for s in student_ids if (e := _assigned(deps, course.id, s, by, school_class.id, cmd.due_at))]
    return Done(deps.store.record(assignment, *changed), {"assigned": student_ids})


def assign_joiner(cmd: AssignJoiner, actor: Actor, deps: Deps) -> Done:
    """A student in a class gets the courses assigned to the class (its due date, even if passed).
    Checked on the aggregates: the read model that named them may lag."""
    require_role(actor, [Role.ADMIN])  # the worker acts as the system
    assignment = find(deps, ClassAssignment, class_assignment_id(cmd.class_id, cmd.course_id))
    school_class = find(deps, SchoolClass, cmd.class_id)
    if assignment is None or school_class is None or cmd.student_id not in school_class.students:
        raise NotFound(f"student {cmd.student_id} is not in a class assigned course {cmd.course_id}")
    course = published_course(deps, cmd.course_id)
    course.require_open_for_enrolment()
    _require_prerequisites(deps, course, [cmd.student_id])
    enrolment = _assigned(deps, course.id, cmd.student_id, assignment.assigned_by, cmd.class_id, assignment.due_at)
    return Done(deps.store.record(enrolment) if enrolment else 0, {"assigned": enrolment is not None})
