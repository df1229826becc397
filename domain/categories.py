"""Catalog categories: one tree, kept in a single aggregate.

One aggregate for the whole tree means two moderators moving categories at the same time
cannot build a cycle between them: the second save loses the optimistic-concurrency race.
Moderators change categories rarely, so the single stream stays short.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import InvalidInput, NotFound, RuleBroken
from domain.event_conventions import Root

TREE_ID = uuid5(NAMESPACE_URL, "skillhub:category-tree")


class CategoryTree(Root):
    class Planted(Root.Created):
        def apply(self, t: CategoryTree) -> None:
            t.nodes = {}  # category_id -> {"name": str, "parent_id": UUID | None}

    class CategoryCreated(Root.Event):
        category_id: UUID
        name: str
        parent_id: UUID | None

        def apply(self, t: CategoryTree) -> None:
            t.nodes[self.category_id] = {"name": self.name, "parent_id": self.parent_id}

    class CategoryRenamed(Root.Event):
        category_id: UUID
        name: str

        def apply(self, t: CategoryTree) -> None:
            t.nodes[self.category_id]["name"] = self.name

    class CategoryMoved(Root.Event):
        category_id: UUID
        parent_id: UUID | None

        def apply(self, t: CategoryTree) -> None:
            t.nodes[self.category_id]["parent_id"] = self.parent_id

    class CategoryDeleted(Root.Event):
        category_id: UUID

        def apply(self, t: CategoryTree) -> None:
            del t.nodes[self.category_id]

    @classmethod
    def plant(cls) -> CategoryTree:
        return cls._create(cls.Planted, id=TREE_ID)

    def children_of(self, category_id: UUID | None) -> list[UUID]:
        return [cid for cid, node in self.nodes.items() if node["parent_id"] == category_id]

    def require(self, category_id: UUID) -> dict:
        if category_id not in self.nodes:
            raise NotFound(f"category {category_id} not found")
        return self.nodes[category_id]

    def _require_parent(self, parent_id: UUID | None) -> None:
        if parent_id is not None and parent_id not in self.nodes:
            raise InvalidInput("parent category does not exist", fields={"parent_id": f"no category {parent_id}"})

    def _require_unique_name(self, name: str, parent_id: UUID | None, except_id: UUID | None = None) -> None:
        for cid in self.children_of(parent_id):
            if cid != except_id and self.nodes[cid]["name"].casefold() == name.casefold():
                raise RuleBroken(f"a sibling category is already named {name!r}", fields={"name": "already used here"})

    def create(self, category_id: UUID, name: str, parent_id: UUID | None) -> None:
        self._require_parent(parent_id)
        self._require_unique_name(name, parent_id)
        self.trigger_event(self.CategoryCreated, category_id=category_id, name=name, parent_id=parent_id)

    def rename(self, category_id: UUID, name: str) -> None:
        node = self.require(category_id)
        self._require_unique_name(name, node["parent_id"], except_id=category_id)
        self.trigger_event(self.CategoryRenamed, category_id=category_id, name=name)

    def move(self, category_id: UUID, parent_id: UUID | None) -> None:
        node = self.require(category_id)
        self._require_parent(parent_id)
        ancestor = parent_id
        while ancestor is not None:
            if ancestor == category_id:
                raise RuleBroken("a category cannot move under itself or one of its sub-categories")
            ancestor = self.nodes[ancestor]["parent_id"]
        self._require_unique_name(node["name"], parent_id, except_id=category_id)
        self.trigger_event(self.CategoryMoved, category_id=category_id, parent_id=parent_id)

    def delete(self, category_id: UUID) -> None:
        self.require(category_id)
        if self.children_of(category_id):
            raise RuleBroken("the category still has sub-categories")
        self.trigger_event(self.CategoryDeleted, category_id=category_id)
