"""The skills, tags and key concepts a course's owner accepted for one of its lessons (or for the
course as a whole), after editing what the content analysis suggested. Accepted skills link the
lesson to the questions that name the same skill (projections/ai_content/), and the learner
worker follows them into its skill map, which is how a weak skill's next step points back at the
lessons that teach it (workers/learner/skill_map.py). Course content, not personal data."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from domain.errors import RuleBroken
from domain.event_conventions import Root


def topics_id(course_id: UUID, lesson_id: UUID | None) -> UUID:
    """One aggregate per lesson, and one for the course text itself (lesson_id None)."""
    return uuid5(course_id, f"topics:{lesson_id or 'course'}")


class ContentTopics(Root):
    class Created(Root.Created):
        course_id: UUID
        lesson_id: UUID | None

        def apply(self, t: ContentTopics) -> None:
            t.course_id, t.lesson_id, t.accepted = self.course_id, self.lesson_id, None

    class Accepted(Root.Event):
        """What the owner kept: `suggested` is what the analysis offered (for the record),
        `analyser_version` and `source_position` say which analysis of which text."""

        skills: list[str]
        tags: list[str]
        key_concepts: list[str]
        suggested: dict[str, Any]
        analyser_version: str
        source_position: int

        def apply(self, t: ContentTopics) -> None:
            t.accepted = {"skills": self.skills, "tags": self.tags, "key_concepts": self.key_concepts}

    @classmethod
    def start(cls, course_id: UUID, lesson_id: UUID | None) -> ContentTopics:
        return cls._create(cls.Created, id=topics_id(course_id, lesson_id), course_id=course_id, lesson_id=lesson_id)

    def accept(self, skills: list[str], tags: list[str], key_concepts: list[str], suggested: dict[str, Any],
               analyser_version: str, source_position: int) -> None:
        if self.accepted == {"skills": skills, "tags": tags, "key_concepts": key_concepts}:
            raise RuleBroken("these skills, tags and concepts are already the accepted ones")
        self.trigger_event(self.Accepted, skills=skills, tags=tags, key_concepts=key_concepts, suggested=suggested,
                           analyser_version=analyser_version, source_position=source_position)
