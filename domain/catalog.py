"""Catalog context: a course, its revisions and their review.

A course has at most two revisions at a time: the published one (public) and a working draft.
A new course starts as draft revision 1. Editing a published course starts the next revision
as a copy of the published one; the public keeps seeing the published revision until a
moderator approves the new one, which then replaces it.
"""

from __future__ import annotations

import copy
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import RuleBroken
from domain.event_conventions import Root


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class CourseStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


# Course content is written by creators for the public: not personal data.
DETAIL_FIELDS = (
    "title", "summary", "description", "level", "language",
    "category_ids", "tags", "prerequisites", "estimated_minutes",
)


def lesson_ids_of(modules: list[dict[str, Any]]) -> list[UUID]:
    return [lesson["lesson_id"] for module in modules for lesson in module["lessons"]]


def media_ids_of(revision: dict[str, Any] | None) -> set[UUID]:
    """The uploaded files a revision's lessons show."""
    if revision is None:
        return set()
    return {lesson["media_id"] for module in revision["modules"] for lesson in module["lessons"]
            if lesson.get("media_id") is not None}


def drop_unchecked_media(state: dict[str, Any]) -> None:
    """Upcaster of syllabus events from version 1, whose lesson media_id was any short string,
    never checked. From version 2 it is the id of an uploaded file the author could read when
    saving; an unchecked reference could name anyone's file, so it is not carried over."""
    for module in state["modules"]:
        for lesson in module["lessons"]:
            lesson["media_id"] = None


class Course(Root):
    class Created(Root.Created):
        owner_id: UUID
        title: str
        summary: str
        description: str
        level: str
        language: str
        category_ids: list[UUID]
        tags: list[str]
        prerequisites: list[UUID]
        estimated_minutes: int | None
        modules: list[dict[str, Any]]
        class_version = 2  # v2: lesson media_id is a checked media id (drop_unchecked_media)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            drop_unchecked_media(state)

        def apply(self, c: Course) -> None:
            c.owner_id, c.published, c.archived = self.owner_id, None, False
            c.draft = {"revision": 1, "modules": self.modules, **{f: getattr(self, f) for f in DETAIL_FIELDS}}
            c.review, c.review_reason = "draft", None

    class RevisionStarted(Root.Event):
        revision: int

        def apply(self, c: Course) -> None:
            c.draft = {**copy.deepcopy(c.published), "revision": self.revision}
            c.review, c.review_reason = "draft", None

    class DetailsEdited(Root.Event):
        title: str
        summary: str
        description: str
        level: str
        language: str
        category_ids: list[UUID]
        tags: list[str]
        prerequisites: list[UUID]
        estimated_minutes: int | None

        def apply(self, c: Course) -> None:
            c.draft.update({f: getattr(self, f) for f in DETAIL_FIELDS})

    class SyllabusEdited(Root.Event):
        modules: list[dict[str, Any]]
        class_version = 2  # as Created

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            drop_unchecked_media(state)

        def apply(self, c: Course) -> None:
            c.draft["modules"] = self.modules

    class SubmittedForReview(Root.Event):
        revision: int

        def apply(self, c: Course) -> None:
            c.review, c.review_reason = "in_review", None

    class SentBack(Root.Event):
        revision: int
        reason: str

        def apply(self, c: Course) -> None:
            c.review, c.review_reason = "draft", self.reason

    class Published(Root.Event):
        """A moderator approved the revision; it replaces the public one."""

        revision: int
        lesson_ids: list[UUID]

        def apply(self, c: Course) -> None:
            c.published, c.draft, c.review = c.draft, None, None

    class Archived(Root.Event):
        def apply(self, c: Course) -> None:
            # A revision waiting for review goes back to draft: nothing more gets published.
            c.archived = True
            c.review = "draft" if c.review == "in_review" else c.review

    @classmethod
    def create(cls, course_id: UUID, owner_id: UUID, details: dict[str, Any], modules: list[dict[str, Any]]) -> Course:
        return cls._create(cls.Created, id=course_id, owner_id=owner_id, modules=modules, **details)

    @property
    def status(self) -> CourseStatus:
        if self.archived:
            return CourseStatus.ARCHIVED
        if self.published is not None:
            return CourseStatus.PUBLISHED
        return CourseStatus.IN_REVIEW if self.review == "in_review" else CourseStatus.DRAFT

    @property
    def latest(self) -> dict[str, Any]:
        """The newest content: the working draft if there is one, else the published revision."""
        return self.draft if self.draft is not None else self.published

    def _editable_draft(self) -> None:
        if self.archived:
            raise RuleBroken("an archived course cannot be edited")
        if self.review == "in_review":
            raise RuleBroken("the revision is in review; wait for the moderator's decision")
        if self.draft is None:
            self.trigger_event(self.RevisionStarted, revision=self.published["revision"] + 1)

    def edit_details(self, details: dict[str, Any]) -> None:
        self._editable_draft()
        self.trigger_event(self.DetailsEdited, **details)

    def edit_syllabus(self, modules: list[dict[str, Any]]) -> None:
        self._editable_draft()
        self.trigger_event(self.SyllabusEdited, modules=modules)

    def submit_for_review(self) -> None:
        if self.archived:
            raise RuleBroken("an archived course cannot be submitted")
        if self.draft is None:
            raise RuleBroken("nothing to review: edit the course to start a new revision")
        if self.review == "in_review":
            raise RuleBroken("the revision is already in review")
        if not lesson_ids_of(self.draft["modules"]):
            raise RuleBroken("a course needs at least one lesson before review")
        self.trigger_event(self.SubmittedForReview, revision=self.draft["revision"])

    def _require_reviewable(self, moderator_id: UUID) -> None:
        if self.review != "in_review":
            raise RuleBroken("no revision of this course is waiting for review")
        if moderator_id == self.owner_id:
            raise RuleBroken("nobody reviews their own course")

    def approve(self, moderator_id: UUID) -> None:
        self._require_reviewable(moderator_id)
        self.trigger_event(
            self.Published, revision=self.draft["revision"], lesson_ids=lesson_ids_of(self.draft["modules"])
        )

    def send_back(self, moderator_id: UUID, reason: str) -> None:
        self._require_reviewable(moderator_id)
        self.trigger_event(self.SentBack, revision=self.draft["revision"], reason=reason)

    def archive(self) -> None:
        if self.archived:
            raise RuleBroken("the course is already archived")
        if self.published is None:
            raise RuleBroken("only a published course can be archived")
        self.trigger_event(self.Archived)

    def require_open_for_enrolment(self) -> None:
        if self.archived:
            raise RuleBroken("the course is archived and takes no new students")
