"""Mastery and next steps of one student, and why a suggestion was shown (for auditors)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from api.platform.auth import ActorDep, DepsDep
from commands.pipeline import require_self_or_role
from domain.errors import NotFound
from domain.identity import Role
from projections.learner import mastery_queries, next_steps as planning_steps
from projections.learner.planning import MASTERED, MIN_ANSWERS

router = APIRouter(prefix="/api/v1/learners", tags=["personalization"])
READERS = [Role.ADMIN, Role.AUDITOR]


@router.get("/{student_id}/mastery", description=(
    "Who: the student, admins and auditors (others: 403). Per skill: the chance of answering the"
    " next question on it right, its 95% interval, the answers behind it, and the model version and"
    " log position it came from."))
def mastery(student_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    require_self_or_role(actor, student_id, READERS)
    model = mastery_queries.model_position(deps.pool)
    skills = [{**row, "mastered": row["probability"] >= MASTERED and row["answers"] >= MIN_ANSWERS}
              for row in mastery_queries.mastery(deps.pool, student_id)]
    return {"student_id": student_id, "model_version": model["model_version"], "position": model["position"],
            "skills": skills}


@router.get("/{student_id}/next-steps", description=(
    "Who: the student, admins and auditors (others: 403). Continue where you left off first, then"
    " spaced reviews of mastered skills, then lessons or practice at the student's level on the"
    " weakest skills they are ready for; each with its reason. Every suggestion shown is recorded."))
def next_steps(student_id: UUID, actor: ActorDep, deps: DepsDep,
               limit: Annotated[int, Query(ge=1, le=20)] = 5) -> dict[str, Any]:
    require_self_or_role(actor, student_id, READERS)
    return planning_steps.next_steps(deps.pool, student_id, deps.clock(), limit=limit)


@router.get("/{student_id}/suggestions/{suggestion_id}", description=(
    "Who: the student, admins and auditors. Why a suggestion was shown: its reason, the estimate"
    " behind it, the model version and log position, and the answers (with their log positions)"
    " that estimate had learned from."))
def why(student_id: UUID, suggestion_id: UUID, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    require_self_or_role(actor, student_id, READERS)
    found = planning_steps.why(deps.pool, student_id, suggestion_id)
    if found is None:
        raise NotFound(f"suggestion {suggestion_id} not found")
    return found
