"""A lesson of one class: Markdown text and attached media, a draft until published.

Publishing may be scheduled: a lesson published with a future publish_at becomes visible to
students at that moment, decided whenever someone reads it (no timer).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root

MAX_MEDIA_PER_LESSON = 20


def check_media_ids(media_ids: list[UUID]) -> None:
    if len(media_ids) != len(set(media_ids)):
        raise InvalidInput("a media file is attached twice", fields={"media_ids": "duplicate ids"})
    if len(media_ids) > MAX_MEDIA_PER_LESSON:
        raise InvalidInput(f"at most {MAX_MEDIA_PER_LESSON} media per lesson", fields={"media_ids": "too many"})


class ClassLesson(Root):
    class Created(Root.Created):
        class_id: UUID
        teacher_id: UUID
        title: str
        body: str
        media_ids: list[UUID]
        personal_fields = ("title", "body")
        personal_subject = "teacher_id"

        def apply(self, lesson: ClassLesson) -> None:
            lesson.class_id, lesson.teacher_id = self.class_id, self.teacher_id
            lesson.title, lesson.body = self.title, self.body
            lesson.media_ids, lesson.publish_at = list(self.media_ids), None

    class Edited(Root.Event):
        teacher_id: UUID
        title: str
        body: str
        media_ids: list[UUID]
        personal_fields = ("title", "body")
        personal_subject = "teacher_id"

        def apply(self, lesson: ClassLesson) -> None:
            lesson.title, lesson.body, lesson.media_ids = self.title, self.body, list(self.media_ids)

    class Published(Root.Event):
        publish_at: datetime

        def apply(self, lesson: ClassLesson) -> None:
            lesson.publish_at = self.publish_at

    class Unpublished(Root.Event):
        def apply(self, lesson: ClassLesson) -> None:
            lesson.publish_at = None

    @classmethod
    def create(
        cls, lesson_id: UUID, class_id: UUID, teacher_id: UUID, title: str, body: str, media_ids: list[UUID]
    ) -> ClassLesson:
        check_media_ids(media_ids)
        return cls._create(cls.Created, id=lesson_id, class_id=class_id, teacher_id=teacher_id,
                           title=title, body=body, media_ids=media_ids)

    def edit(self, title: str, body: str, media_ids: list[UUID]) -> None:
        check_media_ids(media_ids)
        self.trigger_event(self.Edited, teacher_id=self.teacher_id, title=title, body=body, media_ids=media_ids)

    def visible_at(self, now: datetime) -> bool:
        """Whether students see it: published, and its publish time has come."""
        return self.publish_at is not None and self.publish_at <= now

    def publish(self, now: datetime, publish_at: datetime | None) -> None:
        """Publish now, or schedule (or reschedule, while still pending) for a future moment."""
        if self.visible_at(now):
            raise RuleBroken("the lesson is already published; unpublish it first to schedule it")
        if publish_at is not None and publish_at <= now:
            raise InvalidInput("publish_at must be in the future; leave it out to publish now",
                               fields={"publish_at": "in the past"})
        self.trigger_event(self.Published, publish_at=publish_at or now)

    def unpublish(self) -> None:
        if self.publish_at is None:
            raise RuleBroken("the lesson is not published")
        self.trigger_event(self.Unpublished)
