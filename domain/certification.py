"""Certification context: a course's completion rules and the certificates they lead to.

A certificate's id is derived from (student, course), so the issuing worker may run twice,
or two workers may race, and still only one certificate is ever saved per student and course.
Revoking keeps the certificate (verification then shows it as revoked, with the reason).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root


def completion_rules_id(course_id: UUID) -> UUID:
    return uuid5(course_id, "completion-rules")


def certificate_id(student_id: UUID, course_id: UUID) -> UUID:
    return uuid5(course_id, f"certificate:{student_id}")


def _check_pass_mark(pass_mark: float | None) -> None:
    if pass_mark is not None and not 0 <= pass_mark <= 100:
        raise InvalidInput("the pass mark is a percentage", fields={"pass_mark": "between 0 and 100"})


class CompletionRules(Root):
    """What a student must do in a course to be certified. Without rules a course certifies
    everyone who completed all its lessons; the grade is the mean of their best quiz scores."""

    class Defined(Root.Created):
        course_id: UUID
        require_all_lessons: bool
        pass_mark: float | None  # percent; None: no grade needed
        show_grade: bool  # whether the certificate shows the grade

        def apply(self, r: CompletionRules) -> None:
            r.course_id = self.course_id
            r.require_all_lessons, r.pass_mark, r.show_grade = self.require_all_lessons, self.pass_mark, self.show_grade

    class Changed(Root.Event):
        require_all_lessons: bool
        pass_mark: float | None
        show_grade: bool

        def apply(self, r: CompletionRules) -> None:
            r.require_all_lessons, r.pass_mark, r.show_grade = self.require_all_lessons, self.pass_mark, self.show_grade

    @classmethod
    def define(cls, course_id: UUID, require_all_lessons: bool, pass_mark: float | None, show_grade: bool) -> CompletionRules:
        _check_pass_mark(pass_mark)
        if not require_all_lessons and pass_mark is None:
            raise InvalidInput("a course needs at least one completion rule",
                               fields={"require_all_lessons": "or set a pass_mark"})
        return cls._create(cls.Defined, id=completion_rules_id(course_id), course_id=course_id,
                           require_all_lessons=require_all_lessons, pass_mark=pass_mark, show_grade=show_grade)

    def change(self, require_all_lessons: bool, pass_mark: float | None, show_grade: bool) -> bool:
        """False when nothing changes (nothing recorded)."""
        _check_pass_mark(pass_mark)
        if not require_all_lessons and pass_mark is None:
            raise InvalidInput("a course needs at least one completion rule",
                               fields={"require_all_lessons": "or set a pass_mark"})
        if (require_all_lessons, pass_mark, show_grade) == (self.require_all_lessons, self.pass_mark, self.show_grade):
            return False
        self.trigger_event(self.Changed, require_all_lessons=require_all_lessons, pass_mark=pass_mark,
                           show_grade=show_grade)
        return True


class Certificate(Root):
    class Issued(Root.Created):
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
