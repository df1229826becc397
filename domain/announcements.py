"""Timed notices, recorded once when their moment comes: a scheduled class lesson became
visible, a quiz opens soon, the results of a quiz that shows them after its close are out.

The announcement scheduler (workers/notification/announcements.py) records them as the system; the
notification rules fire on these events, so the recipients are whoever belongs to the class or
course at that moment, and a rebuild decides the same. The id is derived from the subject, the
kind and the moment: two schedulers announcing the same thing collide on version 1 and only
one announcement is saved.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID, uuid5

from domain.event_conventions import Root


class AnnouncementKind(StrEnum):
    LESSON_PUBLISHED = "lesson_published"  # moment: the lesson's publish_at
    QUIZ_OPENING = "quiz_opening"  # moment: the quiz's opens_at (told some time before)
    QUIZ_RESULTS = "quiz_results"  # moment: the quiz's closes_at


def announcement_id(kind: AnnouncementKind, subject_id: UUID, moment: datetime) -> UUID:
    return uuid5(subject_id, f"announcement:{kind.value}:{moment.astimezone(UTC).isoformat()}")


class Announcement(Root):
    class LessonPublished(Root.Created):
        lesson_id: UUID
        class_id: UUID
        publish_at: datetime

        def apply(self, a: Announcement) -> None:
            a.kind = AnnouncementKind.LESSON_PUBLISHED

    class QuizOpening(Root.Created):
        quiz_id: UUID
        opens_at: datetime

        def apply(self, a: Announcement) -> None:
            a.kind = AnnouncementKind.QUIZ_OPENING

    class QuizResultsReleased(Root.Created):
        quiz_id: UUID
        closed_at: datetime

        def apply(self, a: Announcement) -> None:
            a.kind = AnnouncementKind.QUIZ_RESULTS

    @classmethod
    def lesson_published(cls, lesson_id: UUID, class_id: UUID, publish_at: datetime) -> Announcement:
        return cls._create(cls.LessonPublished, id=announcement_id(AnnouncementKind.LESSON_PUBLISHED, lesson_id,
                                                                   publish_at),
                           lesson_id=lesson_id, class_id=class_id, publish_at=publish_at)

    @classmethod
    def quiz_opening(cls, quiz_id: UUID, opens_at: datetime) -> Announcement:
        return cls._create(cls.QuizOpening, id=announcement_id(AnnouncementKind.QUIZ_OPENING, quiz_id, opens_at),
                           quiz_id=quiz_id, opens_at=opens_at)

    @classmethod
    def quiz_results(cls, quiz_id: UUID, closed_at: datetime) -> Announcement:
        return cls._create(cls.QuizResultsReleased,
                           id=announcement_id(AnnouncementKind.QUIZ_RESULTS, quiz_id, closed_at),
                           quiz_id=quiz_id, closed_at=closed_at)
