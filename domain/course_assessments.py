"""Assessments of a course marked outside SkillHub's quizzes (tutor-marked assignments, exams
taken on paper, computer-marked tests of another system) and each student's recorded result.

A result is recorded once per student and assessment: the id is derived from the pair, so two
recordings at once collide in the store and only one is saved. Scores are percentages; a
submission without a score yet (the OULAD history has 173 of them) is recorded with None.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid5

from domain.errors import InvalidInput
from domain.event_conventions import Root

# A result passes from this percentage (the Open University's pass mark); a course's completion
# rules may name another one, which certificates use.
PASS_MARK = 40.0


class AssessmentKind(StrEnum):
    TUTOR_MARKED = "tutor_marked"
    COMPUTER_MARKED = "computer_marked"
    EXAM = "exam"


def assessment_id(course_id: UUID, key: str) -> UUID:
    return uuid5(course_id, f"course-assessment:{key}")


def result_id(assessment_id: UUID, student_id: UUID) -> UUID:
    return uuid5(assessment_id, f"result:{student_id}")


class CourseAssessment(Root):
    class Defined(Root.Created):
        course_id: UUID
        title: str
        kind: str
        due_at: datetime | None
        weight: float  # share of the course grade in percent; 0 for practice work

        def apply(self, a: CourseAssessment) -> None:
            a.course_id, a.title, a.kind, a.due_at, a.weight = self.course_id, self.title, self.kind, self.due_at, self.weight

    @classmethod
    def define(cls, course_id: UUID, key: str, title: str, kind: AssessmentKind, due_at: datetime | None,
               weight: float) -> CourseAssessment:
        if not 0 <= weight <= 100:
            raise InvalidInput("a weight is a percentage", fields={"weight": "between 0 and 100"})
        return cls._create(cls.Defined, id=assessment_id(course_id, key), course_id=course_id, title=title,
                           kind=kind.value, due_at=due_at, weight=weight)


class AssessmentResult(Root):
    class Recorded(Root.Created):
        personal_subject = "student_id"  # the aggregate is this person's: all its events are about them
        assessment_id: UUID
        course_id: UUID
        student_id: UUID
        score: float | None  # percent; None: submitted, not marked
        submitted_at: datetime
        banked: bool  # carried over from an earlier presentation of the course

        def apply(self, r: AssessmentResult) -> None:
            r.assessment_id, r.student_id, r.score = self.assessment_id, self.student_id, self.score

    @classmethod
    def record(cls, assessment: CourseAssessment, student_id: UUID, score: float | None, submitted_at: datetime,
               banked: bool) -> AssessmentResult:
        if score is not None and not 0 <= score <= 100:
            raise InvalidInput("a score is a percentage", fields={"score": "between 0 and 100"})
        return cls._create(cls.Recorded, id=result_id(assessment.id, student_id), assessment_id=assessment.id,
                           course_id=assessment.course_id, student_id=student_id, score=score,
                           submitted_at=submitted_at, banked=banked)
