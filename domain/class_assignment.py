"""A course assigned to a whole class (catalog context: it is about who takes a course). The
class's students at that moment get it at once; students who join the class later get it from
the class-courses worker (workers/classroom/class_courses.py), which follows the log."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from domain.event_conventions import Root


def class_assignment_id(class_id: UUID, course_id: UUID) -> UUID:
    return uuid5(course_id, f"class-assignment:{class_id}")


class ClassAssignment(Root):
    """One course for one class; assigning again moves the due date (the last assigner's)."""

    class Made(Root.Created):
        class_id: UUID
        course_id: UUID
        assigned_by: UUID
        due_at: datetime | None

        def apply(self, a: ClassAssignment) -> None:
            a.class_id, a.course_id, a.assigned_by, a.due_at = self.class_id, self.course_id, self.assigned_by, self.due_at

    class Changed(Root.Event):
        assigned_by: UUID
        due_at: datetime | None

        def apply(self, a: ClassAssignment) -> None:
            a.assigned_by, a.due_at = self.assigned_by, self.due_at

    @classmethod
    def make(cls, class_id: UUID, course_id: UUID, by: UUID, due_at: datetime | None) -> ClassAssignment:
        return cls._create(cls.Made, id=class_assignment_id(class_id, course_id), class_id=class_id,
                           course_id=course_id, assigned_by=by, due_at=due_at)

    def change(self, by: UUID, due_at: datetime | None) -> None:
        if (by, due_at) != (self.assigned_by, self.due_at):
            self.trigger_event(self.Changed, assigned_by=by, due_at=due_at)
