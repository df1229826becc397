"""The announcement scheduler's command (run as the system, workers/notification/announcements.py): when a
timed notice is due, record its Announcement if what it announces still holds, checked against
the aggregates themselves rather than a read model that may lag."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from pydantic import AwareDatetime, BaseModel

from adapters.events.event_store import ConcurrentChange
from commands.loading import find
from commands.pipeline import Actor, Deps, Done, require_role
from domain.announcements import Announcement, AnnouncementKind, announcement_id
from domain.class_lessons import ClassLesson
from domain.identity import Role
from domain.notification import MAX_EVENT_AGE
from domain.quizzes import FeedbackMode, Quiz, moment


class Announce(BaseModel):
    kind: AnnouncementKind
    subject_id: UUID
    moment: AwareDatetime


def quiz_opening_lead(deps: Deps) -> timedelta:
    return timedelta(seconds=deps.settings.notify_quiz_opening_lead_seconds)


def _lesson(deps: Deps, cmd: Announce, now: datetime) -> Announcement | None:
    """Still scheduled for that moment (not withdrawn or moved), and visible now."""
    lesson = find(deps, ClassLesson, cmd.subject_id)
    if lesson is None or lesson.publish_at != cmd.moment or not lesson.visible_at(now):
        return None
    return Announcement.lesson_published(lesson.id, lesson.class_id, cmd.moment)


def _quiz_opening(deps: Deps, cmd: Announce, now: datetime) -> Announcement | None:
    """The newest version still opens then, the lead time has come, and it has not closed yet."""
    quiz = find(deps, Quiz, cmd.subject_id)
    if quiz is None or not quiz.versions:
        return None
    settings = quiz.published()["settings"]
    closes = moment(settings.get("closes_at"))
    if moment(settings.get("opens_at")) != cmd.moment or now < cmd.moment - quiz_opening_lead(deps):
        return None
    if closes is not None and now >= closes:
        return None
    return Announcement.quiz_opening(quiz.id, cmd.moment)


def _quiz_results(deps: Deps, cmd: Announce, now: datetime) -> Announcement | None:
    """Some version shows results after the close, the quiz's latest close (across its
    versions, as feedback_released has it) is that moment, and it has come."""
    quiz = find(deps, Quiz, cmd.subject_id)
    if quiz is None or quiz.closes_at != cmd.moment or now < cmd.moment:
        return None
    if not any(v["settings"]["feedback_mode"] == FeedbackMode.AFTER_CLOSE for v in quiz.versions.values()):
        return None
    return Announcement.quiz_results(quiz.id, cmd.moment)


_CHECKS = {
    AnnouncementKind.LESSON_PUBLISHED: _lesson,
    AnnouncementKind.QUIZ_OPENING: _quiz_opening,
    AnnouncementKind.QUIZ_RESULTS: _quiz_results,
}


def announce(cmd: Announce, actor: Actor, deps: Deps) -> Done:
    """Records nothing when it no longer holds, is not due yet, is older than notices are worth
    (MAX_EVENT_AGE), or was announced already (by this or another scheduler)."""
    require_role(actor, [Role.ADMIN])
    now = deps.clock()
    made = find(deps, Announcement, announcement_id(cmd.kind, cmd.subject_id, cmd.moment))
    if made is not None or now - cmd.moment > MAX_EVENT_AGE:
        return Done(0, {"announced": False})
    announcement = _CHECKS[cmd.kind](deps, cmd, now)
    if announcement is None:
        return Done(0, {"announced": False})
    try:
        position = deps.store.record(announcement)
    except ConcurrentChange:  # another scheduler was first
        return Done(0, {"announced": False})
    return Done(position, {"announced": True})
