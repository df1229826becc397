"""Community context, posts and what people do to them: votes and reports.

A post's body is its author's words (a personal field, sealed with the author's key: their
erasure removes it from the log's readable history, edits included). A deleted post keeps its
place in the thread, so its replies stay readable. Moderators hide, restore, approve or reject
posts; the reason travels in the event and the moderator is its actor.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import RuleBroken
from domain.event_conventions import Root


class Mentioned(Protocol):
    """The people a post's @names mention, and the handle each was written as."""

    ids: list[UUID]
    names: list[str]


class PostStatus(StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"  # a new account's post with links, waiting for a moderator
    HIDDEN = "hidden"
    DELETED = "deleted"


class Post(Root):
    class Written(Root.Created):
        thread_id: UUID
        forum_id: UUID
        author_id: UUID
        parent_id: UUID | None
        quoted_post_id: UUID | None
        body: str
        anonymous: bool
        mentioned_ids: list[UUID]
        mentioned_names: list[str]  # the @handle in the body of each of mentioned_ids, in order
        media_ids: list[UUID]  # files the body links: the post's readers may open them
        pending: bool
        personal_fields = ("body", "mentioned_names")
        personal_subject = "author_id"
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["mentioned_names"] = []  # v1 posts' mentions were ids the client sent: shown unlinked

        def apply(self, p: Post) -> None:
            p.thread_id, p.author_id, p.endorsed = self.thread_id, self.author_id, False
            p.media_ids = set(self.media_ids)
            p.status = PostStatus.PENDING if self.pending else PostStatus.VISIBLE

    class Edited(Root.Event):
        author_id: UUID
        body: str
        mentioned_ids: list[UUID]
        mentioned_names: list[str]
        media_ids: list[UUID]
        personal_fields = ("body", "mentioned_names")
        personal_subject = "author_id"
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["mentioned_names"] = []

        def apply(self, p: Post) -> None:
            p.media_ids = set(self.media_ids)

    class Deleted(Root.Event):
        def apply(self, p: Post) -> None:
            p.status = PostStatus.DELETED

    class Hidden(Root.Event):
        reason: str

        def apply(self, p: Post) -> None:
            p.status = PostStatus.HIDDEN

    class Restored(Root.Event):
        reason: str

        def apply(self, p: Post) -> None:
            p.status = PostStatus.VISIBLE

    class Approved(Root.Event):
        reason: str

        def apply(self, p: Post) -> None:
            p.status = PostStatus.VISIBLE

    class Endorsed(Root.Event):
        def apply(self, p: Post) -> None:
            p.endorsed = True

    class Unendorsed(Root.Event):
        def apply(self, p: Post) -> None:
            p.endorsed = False

    @classmethod
    def write(cls, post_id: UUID, thread_id: UUID, forum_id: UUID, author_id: UUID, parent_id: UUID | None,
              quoted_post_id: UUID | None, body: str, anonymous: bool, mentions: Mentioned,
              media_ids: list[UUID], pending: bool) -> Post:
        return cls._create(cls.Written, id=post_id, thread_id=thread_id, forum_id=forum_id, author_id=author_id,
                           parent_id=parent_id, quoted_post_id=quoted_post_id, body=body, anonymous=anonymous,
                           mentioned_ids=mentions.ids, mentioned_names=mentions.names, media_ids=media_ids,
                           pending=pending)

    def _require(self, *statuses: PostStatus) -> None:
        if self.status not in statuses:
            raise RuleBroken(f"the post is {self.status.value}")

    def edit(self, body: str, mentions: Mentioned, media_ids: list[UUID]) -> None:
        self._require(PostStatus.VISIBLE, PostStatus.PENDING)
        self.trigger_event(self.Edited, author_id=self.author_id, body=body, mentioned_ids=mentions.ids,
                           mentioned_names=mentions.names, media_ids=media_ids)

    def delete(self) -> None:
        self._require(PostStatus.VISIBLE, PostStatus.PENDING, PostStatus.HIDDEN)
        self.trigger_event(self.Deleted)

    def hide(self, reason: str) -> None:
        self._require(PostStatus.VISIBLE, PostStatus.PENDING)  # rejecting a pending post hides it
        self.trigger_event(self.Hidden, reason=reason)

    def restore(self, reason: str) -> None:
        self._require(PostStatus.HIDDEN)
        self.trigger_event(self.Restored, reason=reason)

    def approve(self, reason: str) -> None:
        self._require(PostStatus.PENDING)
        self.trigger_event(self.Approved, reason=reason)

    def set_endorsed(self, endorsed: bool) -> None:
        self._require(PostStatus.VISIBLE)
        if endorsed == self.endorsed:
            raise RuleBroken("the post is already " + ("endorsed" if endorsed else "not endorsed"))
        self.trigger_event(self.Endorsed if endorsed else self.Unendorsed)


def vote_id(post_id: UUID, voter_id: UUID) -> UUID:
    """One vote per person and post: two racing up-votes collide on version 1."""
    return uuid5(NAMESPACE_URL, f"skillhub:forum-vote:{post_id}:{voter_id}")


class Vote(Root):
    class Cast(Root.Created):
        post_id: UUID
        voter_id: UUID
        personal_subject = "voter_id"

        def apply(self, v: Vote) -> None:
            v.active = True

    class Recast(Root.Event):
        def apply(self, v: Vote) -> None:
            v.active = True

    class Withdrawn(Root.Event):
        def apply(self, v: Vote) -> None:
            v.active = False

    @classmethod
    def cast(cls, post_id: UUID, voter_id: UUID) -> Vote:
        return cls._create(cls.Cast, id=vote_id(post_id, voter_id), post_id=post_id, voter_id=voter_id)

    def recast(self) -> None:
        if self.active:
            raise RuleBroken("you already voted for this post")
        self.trigger_event(self.Recast)

    def withdraw(self) -> None:
        if not self.active:
            raise RuleBroken("you have not voted for this post")
        self.trigger_event(self.Withdrawn)


def report_id(post_id: UUID, reporter_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"skillhub:forum-report:{post_id}:{reporter_id}")


class Report(Root):
    class Filed(Root.Created):
        post_id: UUID
        reporter_id: UUID
        reason: str
        personal_fields = ("reason",)
        personal_subject = "reporter_id"

        def apply(self, r: Report) -> None:
            r.post_id, r.open = self.post_id, True

    class Dismissed(Root.Event):
        reason: str

        def apply(self, r: Report) -> None:
            r.open = False

    @classmethod
    def file(cls, post_id: UUID, reporter_id: UUID, reason: str) -> Report:
        return cls._create(cls.Filed, id=report_id(post_id, reporter_id), post_id=post_id,
                           reporter_id=reporter_id, reason=reason)

    def dismiss(self, reason: str) -> None:
        if not self.open:
            raise RuleBroken("the report is already dealt with")
        self.trigger_event(self.Dismissed, reason=reason)
