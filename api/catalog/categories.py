"""Category endpoints: the tree is public, moderators and admins change it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel

from api.catalog.responses.categories import Category, CategoryCreated
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.common_responses import Recorded
from api.platform.read_position import read_after
from commands.catalog import categories
from projections.catalog import course_queries
from projections.catalog.catalog import catalog

router = APIRouter(prefix="/api/v1/categories", tags=["catalog"])


class Rename(BaseModel):
    name: categories.Name


class Move(BaseModel):
    parent_id: UUID | None


@router.get("", response_model=list[Category], description="Who: anyone. The tree, flat, parents first, with each category's published courses.")
def list_categories(deps: DepsDep, _: None = read_after([catalog])) -> list[dict[str, Any]]:
    return course_queries.categories(deps.pool)


@router.post("", response_model=CategoryCreated, status_code=201, description="Who: moderators and admins. Names are unique among siblings.")
def create(body: categories.CreateCategory, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(categories.create_category, body, actor, deps, response)


@router.patch("/{category_id}", response_model=Recorded, description="Who: moderators and admins. Renames.")
def rename(category_id: UUID, body: Rename, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = categories.RenameCategory(category_id=category_id, name=body.name)
    return run(categories.rename_category, cmd, actor, deps, response)


@router.post("/{category_id}/move", response_model=Recorded, description=(
    "Who: moderators and admins. `parent_id: null` makes it a top category; never under itself"
    " or its own sub-categories."))
def move(category_id: UUID, body: Move, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = categories.MoveCategory(category_id=category_id, parent_id=body.parent_id)
    return run(categories.move_category, cmd, actor, deps, response)


@router.delete("/{category_id}", response_model=Recorded, description=(
    "Who: moderators and admins. Only a category without sub-categories and courses."))
def delete(category_id: UUID, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    return run(categories.delete_category, categories.DeleteCategory(category_id=category_id), actor, deps, response)
