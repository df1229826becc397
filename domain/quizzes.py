"""Assessment context: quizzes for a class or a course, their versions, and when students may
see their scores and feedback.

A quiz has working settings (the draft) and published versions. Publishing freezes the
settings together with a copy of every question it may show (fixed items and, per random
draw, the pool of candidates) as version N; later edits go to the draft until the next
publication. Attempts keep the version they started on. The only change ever made to a
published version is correcting an answer key, which re-grades its attempts and keeps every
id an answer may refer to.

Settings and snapshots are plain JSON (times as ISO-8601 strings), validated by
commands/assessment/quiz_settings.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root
from domain.question_views import shape


class Audience(StrEnum):
    CLASS = "class"
    COURSE = "course"


class FeedbackMode(StrEnum):
    IMMEDIATE = "immediate"  # after each answer (which then cannot change)
    AFTER_SUBMISSION = "after_submission"
    AFTER_CLOSE = "after_close"


def moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def require_open(settings: dict[str, Any], now: datetime) -> None:
    opens, closes = moment(settings.get("opens_at")), moment(settings.get("closes_at"))
    if opens and now < opens:
        raise RuleBroken(f"the quiz opens at {opens.isoformat()}")
    if closes and now >= closes:
        raise RuleBroken("the quiz is closed")


def deadline_for(settings: dict[str, Any], started_at: datetime) -> datetime | None:
    """The earlier of the time limit and the close time."""
    limits = [moment(settings.get("closes_at"))]
    if settings.get("time_limit_seconds"):
        limits.append(started_at + timedelta(seconds=settings["time_limit_seconds"]))
    found = [t for t in limits if t is not None]
    return min(found) if found else None


def latest_close(closes: Iterable[str | datetime | None]) -> datetime | None:
    """The last of some close times (ISO strings or datetimes); None if none is set."""
    found = [moment(c) if isinstance(c, str) else c for c in closes]
    return max((c for c in found if c is not None), default=None)


def attempts_left(attempts_allowed: int | None, attempts_made: int) -> int | None:
    """How many more attempts a student may start (by the latest version's settings); None is unlimited."""
    return None if attempts_allowed is None else max(0, attempts_allowed - attempts_made)


def _closed(settings: dict[str, Any], now: datetime, quiz_closes_at: str | datetime | None) -> bool:
    closes = latest_close([settings.get("closes_at"), quiz_closes_at])
    return closes is not None and now >= closes


def feedback_released(settings: dict[str, Any], submitted: bool, now: datetime, *,
                      quiz_closes_at: str | datetime | None = None) -> bool:
    """Whether a student sees their score and the feedback of a whole attempt. (In immediate mode
    each answered question shows its own grade and feedback before that.) After the close means
    after the quiz's latest close across its versions, `quiz_closes_at` (Quiz.closes_at, or
    projections.assessment.quizzes_queries.release_facts), so students of an earlier version with an earlier
    close wait for classmates still answering a later one; without it, the version's own close."""
    if not submitted:
        return False
    if settings["feedback_mode"] == FeedbackMode.AFTER_CLOSE:
        return _closed(settings, now, quiz_closes_at)
    return True


def keys_released(settings: dict[str, Any], now: datetime, *, submitted: bool, attempts_left: int | None,
                  other_open: bool, quiz_closes_at: str | datetime | None = None) -> bool:
    """Whether a student sees the answer keys of an attempt (in immediate mode: of the questions
    answered). Grades and feedback follow feedback_released; keys also wait until they cannot
    help in another attempt: the quiz has closed (its latest close), or the student has no
    attempts left (`attempts_left` 0; None is unlimited) and no other attempt open."""
    immediate = settings["feedback_mode"] == FeedbackMode.IMMEDIATE
    if _closed(settings, now, quiz_closes_at):
        return submitted or immediate
    if attempts_left != 0 or other_open:
        return False
    return feedback_released(settings, True, now, quiz_closes_at=quiz_closes_at) if submitted else immediate


class Quiz(Root):
    class Created(Root.Created):
        audience: str
        audience_id: UUID
        settings: dict[str, Any]

        def apply(self, quiz: Quiz) -> None:
            quiz.audience, quiz.audience_id, quiz.settings = self.audience, self.audience_id, self.settings
            quiz.versions = {}

    class Edited(Root.Event):
        settings: dict[str, Any]

        def apply(self, quiz: Quiz) -> None:
            quiz.settings = self.settings

    class Published(Root.Event):
        quiz_version: int
        snapshot: dict[str, Any]

        def apply(self, quiz: Quiz) -> None:
            quiz.versions[self.quiz_version] = self.snapshot

    class KeyCorrected(Root.Event):
        quiz_version: int
        question_id: str
        question: dict[str, Any]

        def apply(self, quiz: Quiz) -> None:
            old = quiz.versions[self.quiz_version]
            quiz.versions[self.quiz_version] = {**old, "questions": {**old["questions"], self.question_id: self.question}}

    @classmethod
    def create(cls, quiz_id: UUID, audience: Audience, audience_id: UUID, settings: dict[str, Any]) -> Quiz:
        return cls._create(cls.Created, id=quiz_id, audience=audience.value, audience_id=audience_id, settings=settings)

    @property
    def latest_version(self) -> int:
        return max(self.versions, default=0)

    @property
    def closes_at(self) -> datetime | None:
        """The latest close across the published versions: after it nobody answers any version."""
        return latest_close(v["settings"].get("closes_at") for v in self.versions.values())

    def attempts_left(self, attempts_made: int) -> int | None:
        return attempts_left(self.published()["settings"]["attempts_allowed"], attempts_made)

    def published(self, version: int | None = None) -> dict[str, Any]:
        number = version or self.latest_version
        if number not in self.versions:
            raise RuleBroken("the quiz is not published" if not self.versions else f"the quiz has no version {number}")
        return self.versions[number]

    def edit(self, settings: dict[str, Any]) -> None:
        if settings == self.settings:
            raise RuleBroken("nothing changed")
        self.trigger_event(self.Edited, settings=settings)

    def publish(self, snapshot: dict[str, Any]) -> int:
        if not snapshot["items"] and not snapshot["draws"]:
            raise RuleBroken("a quiz needs at least one question before it is published")
        if self.versions and snapshot == self.versions[self.latest_version]:
            raise RuleBroken(f"nothing changed since version {self.latest_version}")
        self.trigger_event(self.Published, quiz_version=self.latest_version + 1, snapshot=snapshot)
        return self.latest_version

    def correct_key(self, version: int, question_id: str, question: dict[str, Any]) -> bool:
        """False when the version already has this question (re-grading may still be finishing)."""
        old = self.published(version)["questions"].get(question_id)
        if old is None:
            raise InvalidInput(f"version {version} has no question {question_id}", fields={"question_id": "not in this version"})
        if question["type"] != old["type"]:
            raise InvalidInput("a correction keeps the question's type", fields={"question.type": f"must stay {old['type']}"})
        if shape(question) != shape(old):
            raise InvalidInput("a correction keeps every option, stem, choice, item and blank id (answers refer to them)",
                               fields={"question": "ids changed"})
        if old["type"] == "essay":
            raise RuleBroken("essays have no answer key; a person grades them")
        if question == old:
            return False
        self.trigger_event(self.KeyCorrected, quiz_version=version, question_id=question_id, question=question)
        return True
