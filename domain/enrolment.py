"""Enrolment: one student in one course, whether they enrolled or teachers assigned it, the
course lessons they completed and how far they watched their videos.

The enrolment id is derived from (student, course), so two enrolments of the same student in
the same course at the same moment collide in the event store and only one is saved.

An enrolment may hold several assignments, one per source: a class (its teacher assigned the
course through it) or an admin (who may assign anyone). Assigning again from the same source
moves its due date; another teacher's assignment is kept beside it, never overwriting it. A
class's assignment binds the student while they are in that class; an admin's binds for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid5

from domain.errors import NotFound, RuleBroken
from domain.event_conventions import Root
from domain.video_progress import furthest_after


def enrolment_id(student_id: UUID, course_id: UUID) -> UUID:
    return uuid5(course_id, f"enrolment:{student_id}")


def source_of(assigned_by: UUID, class_id: UUID | None) -> UUID:
    """Where an assignment comes from: the class it was made through, else the assigning admin."""
    return class_id or assigned_by


@dataclass(frozen=True)
class Assignment:
    assigned_by: UUID
    class_id: UUID | None
    due_at: datetime | None


class Enrolment(Root):
    class Enrolled(Root.Created):
        personal_subject = "student_id"  # the aggregate is this person's: all its events are about them
        student_id: UUID
        course_id: UUID
        assigned_by: UUID | None  # None: the student enrolled themselves
        class_id: UUID | None
        due_at: datetime | None

        def apply(self, e: Enrolment) -> None:
            e.student_id, e.course_id, e.active = self.student_id, self.course_id, True
            e.assignments = {}
            if self.assigned_by is not None:
                e.assignments[source_of(self.assigned_by, self.class_id)] = Assignment(
                    self.assigned_by, self.class_id, self.due_at)
            e.completed_lessons, e.completed_at, e.videos, e.milestones = set(), None, {}, set()

    class Rejoined(Root.Event):
        def apply(self, e: Enrolment) -> None:
            e.active = True

    class Assigned(Root.Event):
        assigned_by: UUID
        class_id: UUID | None
        due_at: datetime | None

        def apply(self, e: Enrolment) -> None:
            e.active = True
            e.assignments[source_of(self.assigned_by, self.class_id)] = Assignment(
                self.assigned_by, self.class_id, self.due_at)

    class Left(Root.Event):
        def apply(self, e: Enrolment) -> None:
            e.active, e.assignments = False, {}

    class LessonCompleted(Root.Event):
        lesson_id: UUID

        def apply(self, e: Enrolment) -> None:
            e.completed_lessons.add(self.lesson_id)

    class CourseCompleted(Root.Event):
        """Every lesson of the published revision was completed; it counts as met for good."""

        def apply(self, e: Enrolment) -> None:
            e.completed_at = self.timestamp

    class MilestoneReached(Root.Event):
        """A step worth telling the student about: "first_lesson" or "halfway" (half the lessons
        of the published revision). Completing the course is CourseCompleted; a certificate is
        Certificate.Issued."""

        milestone: str

        def apply(self, e: Enrolment) -> None:
            e.milestones.add(self.milestone)

    class VideoWatched(Root.Event):
        """The furthest point and watched share so far of a video or audio of a course lesson."""

        lesson_id: UUID
        media_id: UUID
        position_seconds: float
        duration_seconds: float
        watched_share: float

        def apply(self, e: Enrolment) -> None:
            e.videos[(self.lesson_id, self.media_id)] = (self.position_seconds, self.watched_share)

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

    def assign(self, by: UUID, class_id: UUID | None, due_at: datetime | None) -> bool:
        """A self-enrolment becomes an assignment; the same source again moves its due date.
        False when nothing changes (nothing recorded)."""
        if self.active and self.assignments.get(source_of(by, class_id)) == Assignment(by, class_id, due_at):
            return False
        self.trigger_event(self.Assigned, assigned_by=by, class_id=class_id, due_at=due_at)
        return True

    def binding_assignments(self, classes_still_in: set[UUID]) -> list[Assignment]:
        """Assignments that keep the student in the course: an admin's, or a class's while the
        student is still in that class."""
        return [a for a in self.assignments.values() if a.class_id is None or a.class_id in classes_still_in]

    def leave(self, classes_still_in: set[UUID]) -> None:
        if not self.active:
            raise RuleBroken("not enrolled in this course")
        if self.binding_assignments(classes_still_in):
            raise RuleBroken("this course was assigned to you (by an admin, or through a class you are in)"
                             " and cannot be left")
        self.trigger_event(self.Left)

    def _require_lesson(self, lesson_id: UUID, course_lessons: list[UUID], doing: str) -> None:
        if not self.active:
            raise RuleBroken(f"enrol in the course before {doing}")
        if lesson_id not in course_lessons:
            raise NotFound(f"lesson {lesson_id} is not in the published course")

    def complete_lesson(self, lesson_id: UUID, course_lessons: list[UUID]) -> bool:
        """False when it was already completed (nothing recorded)."""
        self._require_lesson(lesson_id, course_lessons, "completing its lessons")
        if lesson_id in self.completed_lessons:
            return False
        self.trigger_event(self.LessonCompleted, lesson_id=lesson_id)
        self._record_milestones(course_lessons)
        if self.completed_at is None and self.completed_lessons.issuperset(course_lessons):
            self.trigger_event(self.CourseCompleted)
        return True

    def _record_milestones(self, course_lessons: list[UUID]) -> None:
        """Each milestone once, in the order reached (a one-lesson course reaches both at once)."""
        done = len(self.completed_lessons.intersection(course_lessons))
        if "first_lesson" not in self.milestones:
            self.trigger_event(self.MilestoneReached, milestone="first_lesson")
        if "halfway" not in self.milestones and 2 * done >= len(course_lessons):
            self.trigger_event(self.MilestoneReached, milestone="halfway")

    def watch(
        self, lesson_id: UUID, course_lessons: list[UUID], media_id: UUID,
        position_seconds: float, duration_seconds: float, watched_share: float,
    ) -> bool:
        """Record a player's report; False when it adds nothing to what is known."""
        self._require_lesson(lesson_id, course_lessons, "watching its lessons")
        after = furthest_after(self.videos.get((lesson_id, media_id)), position_seconds, duration_seconds, watched_share)
        if after is None:
            return False
        self.trigger_event(self.VideoWatched, lesson_id=lesson_id, media_id=media_id, position_seconds=after[0],
                           duration_seconds=duration_seconds, watched_share=after[1])
        return True

