"""JSON the dashboards draw that no other route gives in one request. Everything else the pages
fetch from the routes that own it (progress and analytics reports, classes, grades, certificates,
quiz reports)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.platform.auth import ActorDep, DepsDep
from api.platform.read_position import read_after
from commands.access.classroom_access import require_teacher
from commands.pipeline import require_login
from projections.analytics import progress
from projections.catalog.catalog import catalog
from projections.classroom.class_lessons import class_lessons
from projections.classroom.class_progress import class_progress
from projections.classroom.classroom import classroom
from projections.dashboards.class_heat_map import heat_map
from projections.dashboards.student_activity import activity_by_day
from projections.dashboards.teaching import scopes_taught
from projections.catalog.enrolment import enrolment
from projections.identity.identity import identity

router = APIRouter(prefix="/api/v1/dashboards", tags=["dashboards"])
Days = Annotated[int, Query(ge=1, le=366, description="how many days (UTC)")]


@router.get("/classes/{class_id}/heat-map", description=(
    "Who: the class's teacher. Current students × the lessons students see now: 1.0 completed, the share of"
    " its videos watched (under 1) for a lesson opened, null for one never opened."))
def class_heat_map(class_id: UUID, actor: ActorDep, deps: DepsDep,
                   _: None = read_after([classroom, class_lessons, class_progress, identity])) -> dict[str, Any]:
    require_teacher(deps, actor, class_id)
    return heat_map(deps.pool, class_id, deps.clock())


@router.get("/me/activity", description=(
    "Who: any logged-in person, about themselves. Per day (UTC) over all their courses and classes: lessons"
    " opened and completed, results handed in, minutes spent; every day of the window (`days` ending on"
    " `until`, default today) is listed."))
def my_activity(actor: ActorDep, deps: DepsDep, days: Days = 30, until: date | None = None,
                _: None = read_after([progress])) -> dict[str, Any]:
    student_id = require_login(actor)
    return {"days": activity_by_day(deps.pool, student_id, until or deps.clock().date(), days)}


@router.get("/me/teaching", description=(
    "Who: any logged-in person, about themselves. The open classes they teach and the published courses they"
    " own, with their current students: classes first, then courses, by title."))
def my_teaching(actor: ActorDep, deps: DepsDep,
                _: None = read_after([classroom, catalog, enrolment])) -> dict[str, Any]:
    return {"items": scopes_taught(deps.pool, require_login(actor))}
