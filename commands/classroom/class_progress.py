"""Learning activity in a class: students complete lessons and their players report progress."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from commands.access.classroom_access import ClassRole, readable_lesson
from commands.classroom.class_lessons import LessonRef
from commands.loading import find
from commands.number_ranges import MediaSeconds, Share
from commands.pipeline import Actor, Deps, Done, require_login
from domain.class_lessons import ClassLesson
from domain.class_progress import LessonProgress, progress_id
from domain.errors import Forbidden, InvalidInput
from domain.media import PLAYABLE, Media


class CompleteLesson(LessonRef):
    pass


class VideoReport(BaseModel):
    media_id: UUID
    position_seconds: MediaSeconds = Field(description="the furthest point reached, in seconds")
    duration_seconds: MediaSeconds
    watched_share: Share = Field(description="share of the whole actually watched, 0 to 1")


class ReportVideoProgress(VideoReport, LessonRef):
    pass


def _progress(deps: Deps, actor: Actor, class_id: UUID, lesson_id: UUID) -> tuple[ClassLesson, LessonProgress]:
    """Only students who may open the lesson now record progress on it."""
    lesson, role = readable_lesson(deps, actor, class_id, lesson_id)
    if role != ClassRole.STUDENT:
        raise Forbidden("only students of the class record progress")
    student_id = require_login(actor)
    progress = find(deps, LessonProgress, progress_id(student_id, lesson_id))
    return lesson, progress or LessonProgress.start(student_id, class_id, lesson_id)


def complete_lesson(cmd: CompleteLesson, actor: Actor, deps: Deps) -> Done:
    """Completing twice is a no-op (position 0, recorded false)."""
    _, progress = _progress(deps, actor, cmd.class_id, cmd.lesson_id)
    recorded = progress.complete()
    return Done(deps.store.record(progress) if recorded else 0, {"recorded": recorded})


def report_video_progress(cmd: ReportVideoProgress, actor: Actor, deps: Deps) -> Done:
    """A report behind what is known is a no-op; the answer carries the furthest values known."""
    lesson, progress = _progress(deps, actor, cmd.class_id, cmd.lesson_id)
    media = find(deps, Media, cmd.media_id) if cmd.media_id in lesson.media_ids else None
    if media is None or media.kind not in PLAYABLE:
        raise InvalidInput("media_id is not a video or audio of this lesson",
                           fields={"media_id": "not a playable file of this lesson"})
    recorded = progress.watch(cmd.media_id, cmd.position_seconds, cmd.duration_seconds, cmd.watched_share)
    position = deps.store.record(progress) if recorded else 0
    furthest, share = progress.videos[cmd.media_id]
    return Done(position, {"recorded": recorded, "position_seconds": furthest, "watched_share": share})
