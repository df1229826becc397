"""The skill map as the learner worker builds it from the log: a skill's prerequisites and the
lessons that teach it. Lessons come from two kinds of events, one map: a skill's definition
(`Skill.Defined`/`Redefined`, its `lesson_ids`) and the skills a course's author accepted for a
lesson (`ContentTopics.Accepted`, docs/ai_tools.md). A lesson's accepted skills replace its
earlier ones; names are matched as question skills are (trimmed, lower case)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.ai.topics import ContentTopics
from domain.skills import Skill

EVENTS = (Skill.Defined, Skill.Redefined, ContentTopics.Created, ContentTopics.Accepted)


def skill_name(name: str) -> str:
    return name.strip().lower()


@dataclass
class SkillMapState:
    defined: dict[str, tuple[list[str], list[UUID]]] = field(default_factory=dict)  # prerequisites, lessons
    topics_lesson: dict[UUID, UUID] = field(default_factory=dict)  # a lesson's ContentTopics id -> the lesson
    lesson_skills: dict[UUID, tuple[str, ...]] = field(default_factory=dict)  # accepted skills per lesson
    accepted: dict[str, list[UUID]] = field(default_factory=dict)  # skill -> lessons, in order of acceptance

    def apply(self, event: Any) -> list[str]:
        """The skills whose row the event changed."""
        if isinstance(event, (Skill.Defined, Skill.Redefined)):
            self.defined[event.name] = (event.prerequisites, event.lesson_ids)
            return [event.name]
        if isinstance(event, ContentTopics.Created) and event.lesson_id is not None:
            self.topics_lesson[event.originator_id] = event.lesson_id
        elif isinstance(event, ContentTopics.Accepted) and event.originator_id in self.topics_lesson:
            return self._accept(self.topics_lesson[event.originator_id], event.skills)
        return []

    def _accept(self, lesson_id: UUID, skills: list[str]) -> list[str]:
        before = self.lesson_skills.get(lesson_id, ())
        now = tuple(dict.fromkeys(skill_name(s) for s in skills if s.strip()))
        self.lesson_skills[lesson_id] = now
        for skill in before:
            self.accepted[skill].remove(lesson_id)
        for skill in now:
            self.accepted.setdefault(skill, []).append(lesson_id)
        return list(dict.fromkeys(before + now))

    def row(self, name: str) -> tuple[list[str], list[UUID]]:
        """Prerequisites, and the lessons: those of the definition first, then accepted ones."""
        prerequisites, lessons = self.defined.get(name, ([], []))
        return prerequisites, list(dict.fromkeys([*lessons, *self.accepted.get(name, [])]))
