"""Community context, forums and threads: where people discuss a course, a class or anything.

A forum belongs to a scope (a course, a class, or the platform) that decides who reads it
(commands/forum/access.py). Its categories and its posting suspensions are part of it. A thread
is started together with its opening post (domain/forum_posts.py); the thread holds what is
about the discussion as a whole: title, kind, tags, lock, pin, the accepted answer.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root


class Scope(StrEnum):
    COURSE = "course"
    CLASS = "class"
    PLATFORM = "platform"


class ThreadKind(StrEnum):
    QUESTION = "question"
    DISCUSSION = "discussion"


class Forum(Root):
    class Created(Root.Created):
        scope: str
        scope_id: UUID | None
        title: str
        description: str
        allow_anonymous: bool
        language: str

        def apply(self, f: Forum) -> None:
            f.scope, f.scope_id, f.allow_anonymous = Scope(self.scope), self.scope_id, self.allow_anonymous
            f.category_ids, f.suspended_until = set(), {}

    class CategoryAdded(Root.Event):
        category_id: UUID
        name: str

        def apply(self, f: Forum) -> None:
            f.category_ids.add(self.category_id)

    class PersonSuspended(Root.Event):
        user_id: UUID
        until: datetime
        reason: str

        def apply(self, f: Forum) -> None:
            f.suspended_until[self.user_id] = self.until

    class SuspensionLifted(Root.Event):
        user_id: UUID
        reason: str

        def apply(self, f: Forum) -> None:
            f.suspended_until.pop(self.user_id, None)

    @classmethod
    def create(cls, forum_id: UUID, scope: Scope, scope_id: UUID | None, title: str, description: str,
               allow_anonymous: bool, language: str) -> Forum:
        return cls._create(cls.Created, id=forum_id, scope=scope.value, scope_id=scope_id, title=title,
                           description=description, allow_anonymous=allow_anonymous, language=language)

    def add_category(self, category_id: UUID, name: str) -> None:
        self.trigger_event(self.CategoryAdded, category_id=category_id, name=name)

    def require_category(self, category_id: UUID | None) -> None:
        if category_id is not None and category_id not in self.category_ids:
            raise InvalidInput("no such category in this forum", fields={"category_id": "not a category of the forum"})

    def suspend(self, user_id: UUID, until: datetime, reason: str) -> None:
        self.trigger_event(self.PersonSuspended, user_id=user_id, until=until, reason=reason)

    def lift_suspension(self, user_id: UUID, reason: str) -> None:
        if user_id not in self.suspended_until:
            raise RuleBroken("this person is not suspended in this forum")
        self.trigger_event(self.SuspensionLifted, user_id=user_id, reason=reason)

    def suspension_of(self, user_id: UUID, now: datetime) -> datetime | None:
        until = self.suspended_until.get(user_id)
        return until if until is not None and until > now else None


class Thread(Root):
    class Started(Root.Created):
        forum_id: UUID
        author_id: UUID
        kind: str
        title: str
        category_id: UUID | None
        tags: list[str]
        opening_post_id: UUID
        personal_fields = ("title",)
        personal_subject = "author_id"

        def apply(self, t: Thread) -> None:
            t.forum_id, t.author_id, t.kind = self.forum_id, self.author_id, ThreadKind(self.kind)
            t.opening_post_id, t.locked, t.pinned, t.accepted_post_id = self.opening_post_id, False, False, None

    class Locked(Root.Event):
        reason: str

        def apply(self, t: Thread) -> None:
            t.locked = True

    class Unlocked(Root.Event):
        reason: str

        def apply(self, t: Thread) -> None:
            t.locked = False

    class Pinned(Root.Event):
        reason: str

        def apply(self, t: Thread) -> None:
            t.pinned = True

    class Unpinned(Root.Event):
        reason: str

        def apply(self, t: Thread) -> None:
            t.pinned = False

    class Moved(Root.Event):
        from_forum_id: UUID
        forum_id: UUID
        category_id: UUID | None
        reason: str

        def apply(self, t: Thread) -> None:
            t.forum_id = self.forum_id

    class AnswerAccepted(Root.Event):
        post_id: UUID

        def apply(self, t: Thread) -> None:
            t.accepted_post_id = self.post_id

    class AnswerUnaccepted(Root.Event):
        post_id: UUID

        def apply(self, t: Thread) -> None:
            t.accepted_post_id = None

    @classmethod
    def start(cls, thread_id: UUID, forum_id: UUID, author_id: UUID, kind: ThreadKind, title: str,
              category_id: UUID | None, tags: list[str], opening_post_id: UUID) -> Thread:
        return cls._create(cls.Started, id=thread_id, forum_id=forum_id, author_id=author_id, kind=kind.value,
                           title=title, category_id=category_id, tags=tags, opening_post_id=opening_post_id)

    def require_open(self) -> None:
        if self.locked:
            raise RuleBroken("the thread is locked")

    def set_locked(self, locked: bool, reason: str) -> None:
        if locked == self.locked:
            raise RuleBroken("the thread is already " + ("locked" if locked else "unlocked"))
        self.trigger_event(self.Locked if locked else self.Unlocked, reason=reason)

    def set_pinned(self, pinned: bool, reason: str) -> None:
        if pinned == self.pinned:
            raise RuleBroken("the thread is already " + ("pinned" if pinned else "unpinned"))
        self.trigger_event(self.Pinned if pinned else self.Unpinned, reason=reason)

    def move(self, forum_id: UUID, category_id: UUID | None, reason: str) -> None:
        self.trigger_event(self.Moved, from_forum_id=self.forum_id, forum_id=forum_id, category_id=category_id,
                           reason=reason)

    def accept(self, post_id: UUID) -> None:
        if self.kind != ThreadKind.QUESTION:
            raise RuleBroken("only a question has an accepted answer")
        if post_id == self.opening_post_id:
            raise RuleBroken("the question itself is not an answer")
        if self.accepted_post_id == post_id:
            raise RuleBroken("this answer is already accepted")
        self.trigger_event(self.AnswerAccepted, post_id=post_id)

    def unaccept(self) -> None:
        if self.accepted_post_id is None:
            raise RuleBroken("no answer is accepted")
        self.trigger_event(self.AnswerUnaccepted, post_id=self.accepted_post_id)
