"""Gradebook commands: a course's or class's grading policy, and a teacher's override of a
student's final grade (with the reason). Staff of a scope: the course owner or the class
teacher, and admins; outsiders get 404 for a scope they cannot see."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from commands.loading import find
from commands.number_ranges import GradePoints, Percent, Weight
from commands.pipeline import Actor, Deps, Done, require_login
from domain.catalog import Course
from domain.classroom import SchoolClass
from domain.errors import NotFound
from domain.gradebook import GradeOverride, GradingPolicy, override_id, policy_id
from domain.identity import Role


class Category(BaseModel):
    weight: Weight = 1.0
    drop_lowest: int = Field(default=0, ge=0, le=100)


class LatePenalty(BaseModel):
    percent_per_day: Percent = 0.0
    max_percent: Percent = 0.0


class Letter(BaseModel):
    letter: str = Field(min_length=1, max_length=4)
    min: Percent


class Policy(BaseModel):
    aggregation: Literal["weighted_mean", "mean", "sum"] = "weighted_mean"
    categories: dict[Literal["quizzes", "live_exams", "essays", "participation"], Category] = Field(min_length=1)
    late_penalty: LatePenalty = LatePenalty()
    pass_mark: Percent = 50.0
    letters: list[Letter] = Field(min_length=1, max_length=20)


class SetPolicy(BaseModel):
    scope_id: UUID
    policy: Policy


class OverrideGrade(BaseModel):
    scope_id: UUID
    student_id: UUID
    grade: GradePoints | None = Field(description="in `unit`; null clears the override")
    unit: Literal["percent", "points"] | None = Field(
        default=None, description="default: the unit of the final grade (points under a sum policy, else percent)")
    reason: str = Field(min_length=1, max_length=1000)


def scope_staff(deps: Deps, actor: Actor, scope_id: UUID) -> str:
    """'course' or 'class' when the actor is staff of the scope; 404 otherwise."""
    user_id = require_login(actor)
    course = find(deps, Course, scope_id)
    if course is not None and (course.owner_id == user_id or actor.has_role(Role.ADMIN)):
        return "course"
    school_class = find(deps, SchoolClass, scope_id) if course is None else None
    if school_class is not None and (school_class.teacher_id == user_id or actor.has_role(Role.ADMIN)):
        return "class"
    raise NotFound(f"no course or class {scope_id} you teach")


def policy_dict(policy: Policy) -> dict[str, Any]:
    return policy.model_dump(mode="json")


def set_policy(cmd: SetPolicy, actor: Actor, deps: Deps) -> Done:
    scope = scope_staff(deps, actor, cmd.scope_id)
    existing = find(deps, GradingPolicy, policy_id(cmd.scope_id))
    if existing is None:
        existing = GradingPolicy.set(scope, cmd.scope_id, policy_dict(cmd.policy))
    elif not existing.change(policy_dict(cmd.policy)):
        return Done(0, {"scope_id": cmd.scope_id, "changed": False})
    return Done(deps.store.record(existing), {"scope_id": cmd.scope_id, "changed": True})


def final_grade_unit(deps: Deps, scope_id: UUID) -> str:
    policy = find(deps, GradingPolicy, policy_id(scope_id))
    return "points" if policy is not None and policy.policy["aggregation"] == "sum" else "percent"


def override_grade(cmd: OverrideGrade, actor: Actor, deps: Deps) -> Done:
    scope_staff(deps, actor, cmd.scope_id)
    unit = cmd.unit or final_grade_unit(deps, cmd.scope_id)
    override = find(deps, GradeOverride, override_id(cmd.scope_id, cmd.student_id)) \
        or GradeOverride.start(cmd.scope_id, cmd.student_id)
    override.override(cmd.grade, unit, cmd.reason)
    return Done(deps.store.record(override), {"scope_id": cmd.scope_id, "student_id": cmd.student_id, "unit": unit})
