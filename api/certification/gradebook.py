"""Gradebook endpoints for a course or a class (the scope): policy and its what-if preview,
grades now or as of a moment, each grade's history, overrides and the CSV export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import polars as pl
from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, Field

from adapters.documents.spreadsheet_csv import write_csv
from api.certification.responses.gradebook import (
    Gradebook,
    GradeHistory,
    Overridden,
    PolicyInForce,
    PolicySet,
    StudentGrades,
    WhatIf,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.media_types import CSV, answers
from api.platform.read_position import read_after
from commands.certification import gradebook as grading
from commands.number_ranges import GradePoints
from commands.pipeline import Actor, Deps, require_login
from domain.errors import NotFound
from domain.grade_calc import validate_policy
from domain.identity import Role
from projections.catalog import course_queries
from projections.certification import gradebook_queries as queries
from projections.certification.gradebook import gradebook
from projections.classroom import queries as classroom_queries

router = APIRouter(prefix="/api/v1/gradebooks", tags=["certification"])
AsOf = Annotated[AwareDatetime | None, Query(description="the grades as they were at this moment")]


class Override(BaseModel):
    grade: GradePoints | None = Field(description="in `unit`; null clears the override")
    unit: Literal["percent", "points"] | None = Field(
        default=None, description="default: the unit of the final grade (points under a sum policy, else percent)")
    reason: str = Field(min_length=1, max_length=1000)


def _is_staff(actor: Actor, deps: Deps, scope_id: UUID) -> bool:
    if actor.has_role(Role.ADMIN):
        return True
    staff = course_queries.course_owner(deps.pool, scope_id) or classroom_queries.class_teacher_id(deps.pool, scope_id)
    return staff is not None and staff == actor.user_id


def _require_staff(actor: Actor, deps: Deps, scope_id: UUID) -> None:
    require_login(actor)
    if not _is_staff(actor, deps, scope_id):
        raise NotFound(f"no course or class {scope_id} you teach")


def _viewer(actor: Actor, deps: Deps, scope_id: UUID, student_id: UUID) -> datetime | None:
    """None for staff (every score); for the student themselves, the moment that decides which
    scores are released to them."""
    if require_login(actor) != student_id or _is_staff(actor, deps, scope_id):
        _require_staff(actor, deps, scope_id)
        return None
    return deps.clock()


@router.get("/{scope_id}/policy", response_model=PolicyInForce, description="Who: anyone logged in. The grading policy in force (a default if none was set).")
def get_policy(scope_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([gradebook])) -> dict[str, Any]:
    require_login(actor)
    return {"scope_id": scope_id, "policy": queries.policy(deps.pool, scope_id)}


@router.put("/{scope_id}/policy", response_model=PolicySet, description="Who: the course owner or class teacher, and admins. Records the new policy.")
def set_policy(scope_id: UUID, body: grading.Policy, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(grading.set_policy, grading.SetPolicy(scope_id=scope_id, policy=body), actor, deps, response)


@router.post("/{scope_id}/policy/what-if", response_model=WhatIf, description=(
    "Who: the course owner or class teacher, and admins. Per student: the final grade now and under this"
    " policy, computed from the recorded history; nothing is saved."))
def what_if(scope_id: UUID, body: grading.Policy, actor: ActorDep, deps: DepsDep, _: None = read_after([gradebook])) -> dict[str, Any]:
    _require_staff(actor, deps, scope_id)
    return {"items": queries.what_if(deps.pool, scope_id, validate_policy(grading.policy_dict(body)))}


@router.get("/{scope_id}", response_model=Gradebook, description=(
    "Who: the course owner or class teacher, and admins. Every student's grades, enrolled students without"
    " scores included."))
def list_grades(scope_id: UUID, actor: ActorDep, deps: DepsDep, as_of: AsOf = None,
                _: None = read_after([gradebook])) -> dict[str, Any]:
    _require_staff(actor, deps, scope_id)
    return {"scope_id": scope_id, "as_of": as_of, "items": queries.gradebook(deps.pool, scope_id, as_of)}


@router.get("/{scope_id}/export.csv", response_model=None, response_class=Response, responses=answers(CSV), description="Who: the course owner or class teacher, and admins. CSV, one row per student.")
def export_csv(scope_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([gradebook])) -> Response:
    _require_staff(actor, deps, scope_id)
    rows = [{"student_id": str(r["student_id"]), "final": r["final"], "letter": r["letter"], "passed": r["passed"],
             "overridden": r["overridden"],
             **{f"{name}_percent": c["percent"] for name, c in r["categories"].items()}}
            for r in queries.gradebook(deps.pool, scope_id)]
    frame = pl.DataFrame(rows, schema={"student_id": pl.Utf8, "final": pl.Float64, "letter": pl.Utf8,
                                       "passed": pl.Boolean, "overridden": pl.Boolean}) if not rows else pl.DataFrame(rows)
    return Response(write_csv(frame), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="gradebook-{scope_id}.csv"'})


@router.get("/{scope_id}/students/{student_id}", response_model=StudentGrades, description=(
    "Who: the student themselves, the course owner or class teacher, and admins. Categories, final grade,"
    " letter and every contributing score, now or as of a moment. The student's own view leaves out a"
    " quiz's score until the quiz releases its feedback (listed in `pending_release` meanwhile)."))
def student_grades(scope_id: UUID, student_id: UUID, actor: ActorDep, deps: DepsDep, as_of: AsOf = None,
                   _: None = read_after([gradebook])) -> dict[str, Any]:
    now = _viewer(actor, deps, scope_id, student_id)
    return queries.student_grades(deps.pool, scope_id, student_id, as_of, now)


@router.get("/{scope_id}/students/{student_id}/history", response_model=GradeHistory, description=(
    "Who: the student themselves, the course owner or class teacher, and admins. Each change of a category"
    " grade, the final grade or the letter, with the event, person and command that caused it (the student's"
    " own view without scores not yet released to them)."))
def grade_history(scope_id: UUID, student_id: UUID, actor: ActorDep, deps: DepsDep,
                  _: None = read_after([gradebook])) -> dict[str, Any]:
    now = _viewer(actor, deps, scope_id, student_id)
    return {"items": queries.history(deps.pool, scope_id, student_id, now)}


@router.put("/{scope_id}/students/{student_id}/override", response_model=Overridden, description=(
    "Who: the course owner or class teacher, and admins. Sets (or with grade null clears) the final grade, with a"
    " reason, in percent or (for a sum policy, the default there) in points."))
def override(scope_id: UUID, student_id: UUID, body: Override, actor: ActorDep, deps: DepsDep,
             response: Response) -> dict[str, Any]:
    cmd = grading.OverrideGrade(scope_id=scope_id, student_id=student_id, **body.model_dump())
    return run(grading.override_grade, cmd, actor, deps, response)
