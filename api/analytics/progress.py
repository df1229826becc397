"""A student's progress: per course or class, and their overview with what is due."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api.analytics.responses import Overview, ScopeProgress
from api.platform.auth import ActorDep, DepsDep
from api.platform.read_position import read_after
from commands.analytics.access import require_progress_reader
from domain.errors import NotFound
from projections.analytics import progress
from projections.analytics import progress_queries as queries
from projections.classroom.class_lessons import class_lessons
from projections.classroom.classroom import classroom

router = APIRouter(prefix="/api/v1/progress", tags=["analytics"])
READ_MODELS = [progress, classroom, class_lessons]


@router.get("/students/{student_id}", description="Who: the student themselves and admins. Every course and class"
            " of the student with progress, time spent, streak and milestones; what is due next and overdue.")
def overview(student_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after(READ_MODELS)) -> Overview:
    require_progress_reader(deps, actor, student_id)
    return Overview.model_validate(queries.overview(deps.pool, student_id, deps.clock()))


@router.get("/students/{student_id}/scopes/{scope_id}", description="Who: the student themselves, admins, and for a"
            " course its owner. One course or class: lessons completed of total, quizzes passed, percent complete,"
            " time spent, last activity, streak, milestones. 404 when the student is not in it.")
def scope_progress(student_id: UUID, scope_id: UUID, actor: ActorDep, deps: DepsDep,
                   _: None = read_after(READ_MODELS)) -> ScopeProgress:
    require_progress_reader(deps, actor, student_id, scope_id)
    rows = queries.scopes_of(deps.pool, student_id, deps.clock(), scope_id)
    if not rows:
        raise NotFound(f"student {student_id} has no progress in {scope_id}")
    return ScopeProgress.model_validate(rows[0])
