"""A student's progress through one class lesson: how far they watched, and completion.

Progress only moves forward: a report behind what is already known (a second device, a replay
from the start) changes nothing; impossible values are rejected.
"""

from __future__ import annotations

import math
from uuid import UUID, uuid5

from domain.errors import InvalidInput
from domain.event_conventions import Root


def progress_id(student_id: UUID, lesson_id: UUID) -> UUID:
    return uuid5(student_id, f"class-lesson-progress:{lesson_id}")


def check_video_report(position_seconds: float, duration_seconds: float, watched_share: float) -> None:
    numbers = {"position_seconds": position_seconds, "duration_seconds": duration_seconds,
               "watched_share": watched_share}
    bad = {k: "must be a finite number" for k, v in numbers.items() if not math.isfinite(v)}
    if not bad:
        if duration_seconds <= 0:
            bad["duration_seconds"] = "must be positive"
        if not 0 <= position_seconds <= duration_seconds:
            bad["position_seconds"] = "must be between 0 and duration_seconds"
        if not 0 <= watched_share <= 1:
            bad["watched_share"] = "must be between 0 and 1"
    if bad:
        raise InvalidInput("the progress report has impossible values", fields=bad)


class LessonProgress(Root):
    class Started(Root.Created):
        personal_subject = "student_id"  # the aggregate is this person's: all its events are about them
        student_id: UUID
        class_id: UUID
        lesson_id: UUID

        def apply(self, p: LessonProgress) -> None:
            p.student_id, p.class_id, p.lesson_id = self.student_id, self.class_id, self.lesson_id
            p.completed, p.videos = False, {}

    class VideoWatched(Root.Event):
        media_id: UUID
        position_seconds: float
        duration_seconds: float
        watched_share: float

        def apply(self, p: LessonProgress) -> None:
            p.videos[self.media_id] = (self.position_seconds, self.watched_share)

    class Completed(Root.Event):
        def apply(self, p: LessonProgress) -> None:
            p.completed = True

    @classmethod
    def start(cls, student_id: UUID, class_id: UUID, lesson_id: UUID) -> LessonProgress:
        return cls._create(cls.Started, id=progress_id(student_id, lesson_id), student_id=student_id,
                           class_id=class_id, lesson_id=lesson_id)

    def watch(self, media_id: UUID, position_seconds: float, duration_seconds: float, watched_share: float) -> bool:
        """Record a player's report; False when it adds nothing to what is known."""
        check_video_report(position_seconds, duration_seconds, watched_share)
        furthest, share = self.videos.get(media_id, (0.0, 0.0))
        if position_seconds <= furthest and watched_share <= share and media_id in self.videos:
            return False
        self.trigger_event(
            self.VideoWatched, media_id=media_id, position_seconds=max(position_seconds, furthest),
            duration_seconds=duration_seconds, watched_share=max(watched_share, share),
        )
        return True

    def complete(self) -> bool:
        """Mark complete; False when it already was."""
        if self.completed:
            return False
        self.trigger_event(self.Completed)
        return True
