"""Enrolment: one student in one course, whether they enrolled or a teacher assigned it,
and the course lessons they completed.

The aggregate id is derived from (student, course), so two enrolments of the same student in
the same course at the same moment collide in the event store and only one is saved.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from domain.errors import NotFound, RuleBroken
from domain.event_conventions import Root


def enrolment_id(student_id: UUID, course_id: UUID) -> UUID:
    return uuid5(course_id, f"enrolment:{student_id}")


class Enrolment(Root):
    class Enrolled(Root.Created):
        student_id: UUID
        course_id: UUID
        assigned_by: UUID | None  # None: the student enrolled themselves
        class_id: UUID | None
        due_at: datetime | None

        def apply(self, e: Enrolment) -> None:
            e.student_id, e.course_id, e.active = self.student_id, self.course_id, True
            e.assigned_by, e.due_at = self.assigned_by, self.due_at
            e.completed_lessons, e.completed_at = set(), None

    class Rejoined(Root.Event):
        def apply(self, e: Enrolment) -> None:
            e.active = True

    class Assigned(Root.Event):
        assigned_by: UUID
        class_id: UUID | None
        due_at: datetime | None

        def apply(self, e: Enrolment) -> None:
            e.active, e.assigned_by, e.due_at = True, self.assigned_by, self.due_at

    class Left(Root.Event):
        def apply(self, e: Enrolment) -> None:
            e.active = False

    class LessonCompleted(Root.Event):
        lesson_id: UUID

        def apply(self, e: Enrolment) -> None:
            e.completed_lessons.add(self.lesson_id)

    class CourseCompleted(Root.Event):
        """Every lesson of the published revision was completed; it counts as met for good."""

        def apply(self, e: Enrolment) -> None:
            e.completed_at = self.timestamp

    @classmethod
    def enrol(cls, student_id: UUID, course_id: UUID) -> Enrolment:
        return cls._create(
            cls.Enrolled, id=enrolment_id(student_id, course_id), student_id=student_id,
            course_id=course_id, assigned_by=None, class_id=None, due_at=None,
        )

    @classmethod
    def assign_new(
        cls, student_id: UUID, course_id: UUID, by: UUID, class_id: UUID | None, due_at: datetime | None
    ) -> Enrolment:
        return cls._create(
            cls.Enrolled, id=enrolment_id(student_id, course_id), student_id=student_id,
            course_id=course_id, assigned_by=by, class_id=class_id, due_at=due_at,
        )

    def rejoin(self) -> None:
        if self.active:
            raise RuleBroken("already enrolled in this course")
        self.trigger_event(self.Rejoined)

    def assign(self, by: UUID, class_id: UUID | None, due_at: datetime | None) -> None:
        """Assigning again updates the due date; a self-enrolment becomes an assignment."""
        self.trigger_event(self.Assigned, assigned_by=by, class_id=class_id, due_at=due_at)

    def leave(self) -> None:
        if not self.active:
            raise RuleBroken("not enrolled in this course")
        if self.assigned_by is not None:
            raise RuleBroken("this course was assigned by a teacher and cannot be left")
        self.trigger_event(self.Left)

    def complete_lesson(self, lesson_id: UUID, course_lessons: list[UUID]) -> bool:
        """False when it was already completed (nothing recorded)."""
        if not self.active:
            raise RuleBroken("enrol in the course before completing its lessons")
        if lesson_id not in course_lessons:
            raise NotFound(f"lesson {lesson_id} is not in the published course")
        if lesson_id in self.completed_lessons:
            return False
        self.trigger_event(self.LessonCompleted, lesson_id=lesson_id)
        if self.completed_at is None and self.completed_lessons.issuperset(course_lessons):
            self.trigger_event(self.CourseCompleted)
        return True
