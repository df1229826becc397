"""Category follows: a person follows a catalog category to hear of new courses in it and in
its sub-categories.

One small aggregate per person and category: following never contends with anything else, and
two follows of the same category at the same moment collide on version 1 (one is saved).
"""

from __future__ import annotations

from uuid import UUID, uuid5

from domain.errors import NotFound
from domain.event_conventions import Root


def follow_id(user_id: UUID, category_id: UUID) -> UUID:
    return uuid5(user_id, f"category-follow:{category_id}")


class CategoryFollow(Root):
    class Created(Root.Created):
        personal_subject = "user_id"  # the aggregate is this person's: all its events are about them
        user_id: UUID
        category_id: UUID

        def apply(self, f: CategoryFollow) -> None:
            f.user_id, f.category_id, f.following = self.user_id, self.category_id, False

    class Followed(Root.Event):
        user_id: UUID
        category_id: UUID

        def apply(self, f: CategoryFollow) -> None:
            f.following = True

    class Unfollowed(Root.Event):
        user_id: UUID
        category_id: UUID

        def apply(self, f: CategoryFollow) -> None:
            f.following = False

    @classmethod
    def start(cls, user_id: UUID, category_id: UUID) -> CategoryFollow:
        return cls._create(cls.Created, id=follow_id(user_id, category_id), user_id=user_id, category_id=category_id)

    def follow(self) -> bool:
        """False when already following (nothing recorded)."""
        if self.following:
            return False
        self.trigger_event(self.Followed, user_id=self.user_id, category_id=self.category_id)
        return True

    def unfollow(self) -> None:
        if not self.following:
            raise NotFound(f"you do not follow category {self.category_id}")
        self.trigger_event(self.Unfollowed, user_id=self.user_id, category_id=self.category_id)
