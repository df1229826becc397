"""Certification context: grading policies per course or class, and teachers' overrides of a
student's final grade (in percent, or in points for a "sum" policy). Scores themselves come
from the assessment context's attempt events.

A policy's id is derived from its course or class, an override's from (scope, student), so
two first saves at once collide in the store and one gets a 409.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from domain.errors import InvalidInput
from domain.event_conventions import Root
from domain.grade_calc import validate_policy


OVERRIDE_UNITS = ("percent", "points")


def policy_id(scope_id: UUID) -> UUID:
    return uuid5(scope_id, "grading-policy")


def override_id(scope_id: UUID, student_id: UUID) -> UUID:
    return uuid5(scope_id, f"grade-override:{student_id}")


class GradingPolicy(Root):
    class Set(Root.Created):
        scope: str  # "course" or "class"
        scope_id: UUID
        policy: dict[str, Any]

        def apply(self, p: GradingPolicy) -> None:
            p.scope, p.scope_id, p.policy = self.scope, self.scope_id, self.policy

    class Changed(Root.Event):
        scope_id: UUID
        policy: dict[str, Any]

        def apply(self, p: GradingPolicy) -> None:
            p.policy = self.policy

    @classmethod
    def set(cls, scope: str, scope_id: UUID, policy: dict[str, Any]) -> GradingPolicy:
        return cls._create(cls.Set, id=policy_id(scope_id), scope=scope, scope_id=scope_id,
                           policy=validate_policy(policy))

    def change(self, policy: dict[str, Any]) -> bool:
        policy = validate_policy(policy)
        if policy == self.policy:
            return False
        self.trigger_event(self.Changed, scope_id=self.scope_id, policy=policy)
        return True


class GradeOverride(Root):
    """A teacher's final grade for one student, with the reason; cleared, the computed grade counts again."""

    class Started(Root.Created):
        personal_subject = "student_id"  # the aggregate is this person's: all its events are about them
        scope_id: UUID
        student_id: UUID

        def apply(self, o: GradeOverride) -> None:
            o.scope_id, o.student_id, o.grade = self.scope_id, self.student_id, None

    class Overridden(Root.Event):
        scope_id: UUID
        student_id: UUID
        grade: float | None  # None: the override was cleared
        unit: str  # "percent" or "points" (the unit of a "sum" policy's final grade)
        reason: str
        personal_fields = ("reason",)  # written about the student: erased with them
        personal_subject = "student_id"
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["unit"] = "percent"  # version 1 overrides were percentages

        def apply(self, o: GradeOverride) -> None:
            o.grade = self.grade

    @classmethod
    def start(cls, scope_id: UUID, student_id: UUID) -> GradeOverride:
        return cls._create(cls.Started, id=override_id(scope_id, student_id), scope_id=scope_id, student_id=student_id)

    def override(self, grade: float | None, unit: str, reason: str) -> None:
        if unit not in OVERRIDE_UNITS:
            raise InvalidInput("unknown unit", fields={"unit": " or ".join(OVERRIDE_UNITS)})
        if grade is not None and unit == "percent" and not 0 <= grade <= 100:
            raise InvalidInput("a percentage is between 0 and 100", fields={"grade": "between 0 and 100"})
        if grade is not None and grade < 0:
            raise InvalidInput("a grade is not negative", fields={"grade": "at least 0"})
        if not reason.strip():
            raise InvalidInput("say why the grade is overridden", fields={"reason": "must not be blank"})
        self.trigger_event(self.Overridden, scope_id=self.scope_id, student_id=self.student_id, grade=grade,
                           unit=unit, reason=reason.strip())
