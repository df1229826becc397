"""Content analysis of a course's texts, and the topics its author accepts (domain/ai/topics.py).
The analysis itself records nothing: it is a suggestion; accepting (possibly edited) is the event."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints, field_validator

from commands.ai.course_texts import course_text
from commands.ai.text_analysis import TAG_SHAPE, analyse
from commands.loading import find
from commands.pipeline import Actor, Deps, Done
from domain.ai.topics import ContentTopics, topics_id

Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Concept = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class AnalyseText(BaseModel):
    course_id: UUID
    lesson_id: UUID | None = None


class TopicsInput(BaseModel):
    """What the author keeps of the suggestions, edited as they like."""

    skills: list[Skill] = Field(default_factory=list, max_length=20,
                                description="as questions name them (question `skills`): they link lesson and questions")
    tags: list[str] = Field(default_factory=list, max_length=30)
    key_concepts: list[Concept] = Field(default_factory=list, max_length=30)

    @field_validator("skills", "key_concepts")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        tags = [" ".join(t.lower().split()) for t in v]
        bad = [t for t in tags if not TAG_SHAPE.match(t)]
        if bad:
            raise ValueError(f"tags are 1-40 letters, digits, spaces or + # . _ -; not {bad[0]!r}")
        return list(dict.fromkeys(tags))


class AcceptTopics(TopicsInput):
    course_id: UUID
    lesson_id: UUID | None = None


def analyse_text(cmd: AnalyseText, actor: Actor, deps: Deps) -> dict[str, Any]:
    text = course_text(deps, actor, cmd.course_id, cmd.lesson_id)
    found = analyse(text.markdown, text.language)
    return {**dataclasses.asdict(found), "course_id": cmd.course_id, "lesson_id": cmd.lesson_id,
            "source_position": text.position}


def accept_topics(cmd: AcceptTopics, actor: Actor, deps: Deps) -> Done:
    """Records what the author kept, with the analysis of the same text beside it for the record."""
    text = course_text(deps, actor, cmd.course_id, cmd.lesson_id)
    suggested = analyse(text.markdown, text.language)
    topics = find(deps, ContentTopics, topics_id(cmd.course_id, cmd.lesson_id)) or ContentTopics.start(
        cmd.course_id, cmd.lesson_id)
    topics.accept(cmd.skills, cmd.tags, cmd.key_concepts,
                  {"skills": suggested.suggested_skills, "tags": suggested.suggested_tags,
                   "key_concepts": [c["phrase"] for c in suggested.key_concepts]},
                  suggested.analyser_version, text.position)
    return Done(deps.store.record(topics), {"topics_id": topics.id})
