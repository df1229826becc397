"""Personalization context: a skill's place in the learning path, the skills to master before
it (prerequisites) and the lessons that teach it. Skills are the free-text tags of questions,
matched without regard to case; one aggregate per skill name, so two first definitions of the
same skill at once collide on version 1 (one is saved)."""

from __future__ import annotations

from uuid import UUID, uuid5

from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Root

_NAMESPACE = UUID("6f1d3c2e-5b7a-4c1e-9a0b-3d2e1f4c5b6a")


def skill_id(name: str) -> UUID:
    return uuid5(_NAMESPACE, f"skill:{name.strip().lower()}")


class Skill(Root):
    class Defined(Root.Created):
        name: str
        prerequisites: list[str]
        lesson_ids: list[UUID]

        def apply(self, s: Skill) -> None:
            s.name, s.prerequisites, s.lesson_ids = self.name, self.prerequisites, self.lesson_ids

    class Redefined(Root.Event):
        name: str
        prerequisites: list[str]
        lesson_ids: list[UUID]

        def apply(self, s: Skill) -> None:
            s.prerequisites, s.lesson_ids = self.prerequisites, self.lesson_ids

    @staticmethod
    def _checked(name: str, prerequisites: list[str]) -> list[str]:
        wanted = list(dict.fromkeys(p.strip().lower() for p in prerequisites))
        if name in wanted:
            raise InvalidInput("a skill cannot be its own prerequisite", fields={"prerequisites": "names the skill itself"})
        return wanted

    @classmethod
    def define(cls, name: str, prerequisites: list[str], lesson_ids: list[UUID]) -> Skill:
        name = name.strip().lower()
        return cls._create(cls.Defined, id=skill_id(name), name=name,
                           prerequisites=cls._checked(name, prerequisites), lesson_ids=list(dict.fromkeys(lesson_ids)))

    def redefine(self, prerequisites: list[str], lesson_ids: list[UUID]) -> None:
        wanted, lessons = self._checked(self.name, prerequisites), list(dict.fromkeys(lesson_ids))
        if wanted == self.prerequisites and lessons == self.lesson_ids:
            raise RuleBroken("nothing changed")
        self.trigger_event(self.Redefined, name=self.name, prerequisites=wanted, lesson_ids=lessons)
