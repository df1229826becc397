"""Defining a skill's prerequisites and the lessons that teach it (teachers and admins). A
definition that would close a loop of prerequisites is refused: no student could ever be ready
for any skill on it. The loop check reads the skill map the learner worker keeps."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from commands.assessment.question_parts import Skill as SkillName
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_role
from domain.errors import InvalidInput
from domain.identity import Role
from domain.skills import Skill, skill_id
from projections.learner import skill_queries

MAX_PREREQUISITES, MAX_LESSONS = 20, 50


class DefineSkill(BaseModel):
    name: SkillName
    prerequisites: Annotated[list[SkillName], Field(max_length=MAX_PREREQUISITES)] = []
    lesson_ids: Annotated[list[UUID], Field(max_length=MAX_LESSONS)] = []


def _refuse_loops(deps: Deps, name: str, prerequisites: list[str]) -> None:
    graph = {**skill_queries.prerequisite_graph(deps.pool), name: prerequisites}
    seen, stack = set(), list(prerequisites)
    while stack:
        skill = stack.pop()
        if skill == name:
            raise InvalidInput(f"{name} would become a prerequisite of itself through {', '.join(prerequisites)}",
                               fields={"prerequisites": "closes a loop"})
        if skill not in seen:
            seen.add(skill)
            stack.extend(graph.get(skill, []))


def define_skill(cmd: DefineSkill, actor: Actor, deps: Deps) -> Done:
    require_role(actor, [Role.TEACHER, Role.ADMIN])
    name = cmd.name.lower()
    skill = find(deps, Skill, skill_id(name))
    if skill is None:
        skill = Skill.define(name, cmd.prerequisites, cmd.lesson_ids)
    else:
        skill.redefine(cmd.prerequisites, cmd.lesson_ids)
    _refuse_loops(deps, name, skill.prerequisites)
    return Done(deps.store.record(skill), {"name": name, "prerequisites": skill.prerequisites,
                                           "lesson_ids": skill.lesson_ids})
