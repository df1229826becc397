"""Categories: moderators and admins grow, rename, move and prune the tree."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, StringConstraints

from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_role
from domain.categories import TREE_ID, CategoryTree
from domain.errors import NotFound, RuleBroken
from domain.identity import Role

CURATORS = (Role.MODERATOR, Role.ADMIN)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class CreateCategory(BaseModel):
    name: Name
    parent_id: UUID | None = None


class RenameCategory(BaseModel):
    category_id: UUID
    name: Name


class MoveCategory(BaseModel):
    category_id: UUID
    parent_id: UUID | None


class DeleteCategory(BaseModel):
    category_id: UUID


def _tree(deps: Deps) -> CategoryTree:
    tree = find(deps, CategoryTree, TREE_ID)
    if tree is None:
        raise NotFound("there are no categories yet")
    return tree


def create_category(cmd: CreateCategory, actor: Actor, deps: Deps) -> Done:
    require_role(actor, CURATORS)
    # The first category plants the tree; two first categories at once: one gets a 409.
    tree = find(deps, CategoryTree, TREE_ID) or CategoryTree.plant()
    category_id = uuid4()
    tree.create(category_id, cmd.name, cmd.parent_id)
    return Done(deps.store.record(tree), {"category_id": category_id})


def rename_category(cmd: RenameCategory, actor: Actor, deps: Deps) -> Done:
    require_role(actor, CURATORS)
    tree = _tree(deps)
    tree.rename(cmd.category_id, cmd.name)
    return Done(deps.store.record(tree))


def move_category(cmd: MoveCategory, actor: Actor, deps: Deps) -> Done:
    require_role(actor, CURATORS)
    tree = _tree(deps)
    tree.move(cmd.category_id, cmd.parent_id)
    return Done(deps.store.record(tree))


def delete_category(cmd: DeleteCategory, actor: Actor, deps: Deps) -> Done:
    from projections.catalog.catalog import catalog
    from projections.catalog.course_queries import courses_in_category
    from projections.engine.tracking import log_head, wait_for_position

    require_role(actor, CURATORS)
    tree = _tree(deps)
    tree.delete(cmd.category_id)
    # Courses name their categories in their own streams: ask the read model, once it has
    # seen everything recorded so far (only a course saved during these milliseconds escapes).
    wait_for_position(deps.pool, [catalog], log_head(deps.pool), deps.settings.read_wait_seconds)
    count = courses_in_category(deps.pool, cmd.category_id)
    if count:
        raise RuleBroken(f"the category still holds {count} course(s)")
    return Done(deps.store.record(tree))
