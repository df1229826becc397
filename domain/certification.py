"""Certification context: a course's completion rules and the certificates they lead to.

A certificate's id is derived from (student, course), so the issuing worker may run twice,
or two workers may race, and still only one certificate is ever saved per student and course.
Revoking keeps the certificate (verification then shows it as revoked, with the reason).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root


def completion_rules_id(course_id: UUID) -> UUID:
    return uuid5(course_id, "completion-rules")


def certificate_id(student_id: UUID, course_id: UUID) -> UUID:
    return uuid5(course_id, f"certificate:{student_id}")


RULES_FIELDS = ("require_all_lessons", "required_lesson_ids", "required_quiz_ids", "pass_mark", "show_grade")


def _check(rules: dict[str, Any], course_lessons: set[UUID], course_quizzes: set[UUID]) -> dict[str, Any]:
    """The rules in normal form (ids sorted, no repeats), or InvalidInput naming the field."""
    pass_mark = rules["pass_mark"]
    if pass_mark is not None and not 0 <= pass_mark <= 100:
        raise InvalidInput("the pass mark is a percentage", fields={"pass_mark": "between 0 and 100"})
    lessons, quizzes = sorted(set(rules["required_lesson_ids"])), sorted(set(rules["required_quiz_ids"]))
    unknown = [str(i) for i in lessons if i not in course_lessons]
    if unknown:
        raise InvalidInput("required lessons must be lessons of this course",
                           fields={"required_lesson_ids": "not in the course: " + ", ".join(unknown)})
    unknown = [str(i) for i in quizzes if i not in course_quizzes]
    if unknown:
        raise InvalidInput("required quizzes must be quizzes of this course",
                           fields={"required_quiz_ids": "not a quiz of the course: " + ", ".join(unknown)})
    if not (rules["require_all_lessons"] or lessons or quizzes or pass_mark is not None):
        raise InvalidInput("a course needs at least one completion rule",
                           fields={"require_all_lessons": "or name required lessons or quizzes, or set a pass_mark"})
    return {**rules, "required_lesson_ids": lessons, "required_quiz_ids": quizzes}


def unmet(rules: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    """The rules a student does not meet yet (empty: certify). facts: completed_course (every
    lesson, Enrolment.CourseCompleted), lessons_done and course_lessons (the published revision's:
    a required lesson the course no longer has is not required), passed_quiz_ids (passed at
    the quiz version's pass mark, in the student's released view) and grade (percent or None)."""
    missing = []
    if rules["require_all_lessons"] and not facts["completed_course"]:
        missing.append("require_all_lessons")
    if not set(rules["required_lesson_ids"]) & facts["course_lessons"] <= facts["lessons_done"]:
        missing.append("required_lesson_ids")
    if not set(rules["required_quiz_ids"]) <= facts["passed_quiz_ids"]:
        missing.append("required_quiz_ids")
    grade = facts["grade"]
    if rules["pass_mark"] is not None and (grade is None or grade < rules["pass_mark"]):
        missing.append("pass_mark")
    return missing


class CompletionRules(Root):
    """What a student must do in a course to be certified: all lessons, some lessons, some
    quizzes passed, a pass mark on the course grade, in any combination. Without rules a course
    certifies everyone who completed all its lessons."""

    class Defined(Root.Created):
        course_id: UUID
        require_all_lessons: bool
        required_lesson_ids: list[UUID]
        required_quiz_ids: list[UUID]
        pass_mark: float | None  # percent; None: no grade needed
        show_grade: bool  # whether the certificate shows the grade
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["required_lesson_ids"], state["required_quiz_ids"] = [], []

        def apply(self, r: CompletionRules) -> None:
            r.course_id = self.course_id
            r.rules = {f: getattr(self, f) for f in RULES_FIELDS}

    class Changed(Root.Event):
        require_all_lessons: bool
        required_lesson_ids: list[UUID]
        required_quiz_ids: list[UUID]
        pass_mark: float | None
        show_grade: bool
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["required_lesson_ids"], state["required_quiz_ids"] = [], []

        def apply(self, r: CompletionRules) -> None:
            r.rules = {f: getattr(self, f) for f in RULES_FIELDS}

    @classmethod
    def define(cls, course_id: UUID, rules: dict[str, Any], course_lessons: set[UUID],
               course_quizzes: set[UUID]) -> CompletionRules:
        """rules: RULES_FIELDS; checked against the course's lessons and quizzes."""
        return cls._create(cls.Defined, id=completion_rules_id(course_id), course_id=course_id,
                           **_check(rules, course_lessons, course_quizzes))

    def change(self, rules: dict[str, Any], course_lessons: set[UUID], course_quizzes: set[UUID]) -> bool:
        """False when nothing changes (nothing recorded)."""
        rules = _check(rules, course_lessons, course_quizzes)
        if rules == self.rules:
            return False
        self.trigger_event(self.Changed, **rules)
        return True


class Certificate(Root):
    class Issued(Root.Created):
        personal_subject = "student_id"  # the aggregate is this person's: all its events are about them
        student_id: UUID
        course_id: UUID
        course_title: str
        grade: float | None  # percent, None when the course does not show grades
        code: str  # the public verification code
        issued_at: datetime

        def apply(self, c: Certificate) -> None:
            c.student_id, c.course_id, c.code, c.grade = self.student_id, self.course_id, self.code, self.grade
            c.issued_at, c.revoked_at, c.revoked_reason = self.issued_at, None, None

    class Revoked(Root.Event):
        student_id: UUID  # the holder, told of it by the notifier
        reason: str
        revoked_at: datetime
        personal_fields = ("reason",)  # written about the holder: erased with them
        personal_subject = "student_id"

        def apply(self, c: Certificate) -> None:
            c.revoked_at, c.revoked_reason = self.revoked_at, self.reason

    @classmethod
    def issue(cls, student_id: UUID, course_id: UUID, course_title: str, grade: float | None, code: str,
              now: datetime) -> Certificate:
        return cls._create(cls.Issued, id=certificate_id(student_id, course_id), student_id=student_id,
                           course_id=course_id, course_title=course_title, grade=grade, code=code, issued_at=now)

    def revoke(self, reason: str, now: datetime) -> None:
        if self.revoked_at is not None:
            raise RuleBroken("this certificate was already revoked")
        if not reason.strip():
            raise InvalidInput("say why the certificate is revoked", fields={"reason": "must not be blank"})
        self.trigger_event(self.Revoked, student_id=self.student_id, reason=reason.strip(), revoked_at=now)
