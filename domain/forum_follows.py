"""Community context, following: a person follows a thread, a forum, or a tag within a forum,
to hear of new posts there (projections/notification_forum.py).

One small aggregate per person and thing followed: following never contends with posting, and
two follows of the same thing at the same moment collide on version 1 (one is saved).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid5

from domain.errors import RuleBroken
from domain.event_conventions import Root


class FollowKind(StrEnum):
    THREAD = "thread"
    FORUM = "forum"
    TAG = "tag"  # a tag within a forum: target_id is the forum


def forum_follow_id(user_id: UUID, kind: FollowKind, target_id: UUID, tag: str) -> UUID:
    return uuid5(user_id, f"forum-follow:{kind.value}:{target_id}:{tag}")


class ForumFollow(Root):
    class Created(Root.Created):
        user_id: UUID
        kind: str
        target_id: UUID
        tag: str
        personal_subject = "user_id"

        def apply(self, f: ForumFollow) -> None:
            f.user_id, f.kind, f.target_id, f.tag, f.following = self.user_id, self.kind, self.target_id, self.tag, False

    class Followed(Root.Event):
        user_id: UUID
        kind: str
        target_id: UUID
        tag: str

        def apply(self, f: ForumFollow) -> None:
            f.following = True

    class Unfollowed(Root.Event):
        user_id: UUID
        kind: str
        target_id: UUID
        tag: str

        def apply(self, f: ForumFollow) -> None:
            f.following = False

    @classmethod
    def start(cls, user_id: UUID, kind: FollowKind, target_id: UUID, tag: str) -> ForumFollow:
        return cls._create(cls.Created, id=forum_follow_id(user_id, kind, target_id, tag), user_id=user_id,
                           kind=kind.value, target_id=target_id, tag=tag)

    def _what(self) -> dict[str, object]:
        return {"user_id": self.user_id, "kind": self.kind, "target_id": self.target_id, "tag": self.tag}

    def follow(self) -> None:
        if self.following:
            raise RuleBroken("you already follow this")
        self.trigger_event(self.Followed, **self._what())

    def unfollow(self) -> None:
        if not self.following:
            raise RuleBroken("you do not follow this")
        self.trigger_event(self.Unfollowed, **self._what())
