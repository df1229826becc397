"""Course recommendations for a student, and what they were shown, for auditors."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.ai.responses import Recommendations, Served
from api.platform.auth import ActorDep, DepsDep
from api.platform.common_responses import Page
from api.platform.read_position import read_after
from commands.pipeline import require_login, require_self_or_role
from domain.identity import Role
from projections.recommendations import queries, served
from projections.recommendations.signals import recommendations

router = APIRouter(prefix="/api/v1", tags=["personalization"])
Limit = Annotated[int, Query(ge=1, le=50)]


@router.get("/me/recommendations", response_model=Recommendations, dependencies=[read_after([recommendations])], description=(
    "Who: any logged-in person, for themselves. Courses to take next, each with the reason it is shown;"
    " the answer names the model version and the log position it was computed at, and is kept for auditors."))
def my_recommendations(actor: ActorDep, deps: DepsDep, limit: Limit = 10) -> dict[str, Any]:
    student_id = require_login(actor)
    answer = queries.recommend(deps.pool, student_id, limit)
    served.record(deps.pool, student_id, answer)
    return answer


@router.get("/users/{user_id}/recommendations/served", response_model=Page[Served], description=(
    "Who: the person themselves, auditors and admins. Every list of recommendations the person was shown,"
    " newest first, with its model version, log position and reasons."))
def served_recommendations(user_id: UUID, actor: ActorDep, deps: DepsDep, limit: Limit = 20,
                           cursor: str | None = None) -> dict[str, Any]:
    require_self_or_role(actor, user_id, [Role.AUDITOR, Role.ADMIN])
    return served.history(deps.pool, user_id, limit, cursor)
