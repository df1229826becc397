"""The skill map: a skill's prerequisites and the lessons that teach it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from api.platform.auth import ActorDep, DepsDep, run
from commands.assessment.question_parts import Skill as SkillName
from commands.learner.skills import MAX_LESSONS, MAX_PREREQUISITES, DefineSkill, define_skill
from commands.pipeline import require_login
from domain.errors import NotFound
from projections.learner import skill_queries

router = APIRouter(prefix="/api/v1/skills", tags=["personalization"])
Name = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^\s*\S.*$")]


class SkillBody(BaseModel):
    prerequisites: Annotated[list[SkillName], Field(max_length=MAX_PREREQUISITES)] = []
    lesson_ids: Annotated[list[UUID], Field(max_length=MAX_LESSONS)] = []


@router.put("/{name}", description=(
    "Who: teachers and admins. Sets the skills to master before this one and the lessons that teach"
    " it (names without regard to case). A loop of prerequisites is a 422; the same definition again is a 409."))
def define(name: Name, body: SkillBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = DefineSkill(name=name, prerequisites=body.prerequisites, lesson_ids=body.lesson_ids)
    return run(define_skill, cmd, actor, deps, response)


@router.get("/{name}", description="Who: anyone logged in. The skill's prerequisites and lessons, as the learner worker applied them.")
def read(name: Name, actor: ActorDep, deps: DepsDep) -> dict[str, Any]:
    require_login(actor)
    found = skill_queries.skill(deps.pool, name.strip().lower())
    if found is None:
        raise NotFound(f"skill {name} not found")
    return found
