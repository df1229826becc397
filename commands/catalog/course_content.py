"""What a creator writes about a course: details and syllabus, validated and normalised."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID, uuid4

import orjson
from pydantic import BaseModel, Field, StringConstraints, field_validator

from domain.catalog import Level
from domain.errors import InvalidInput

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Markdown = Annotated[str, Field(max_length=100_000)]
# language[-script][-region][-variant...]: enough of BCP 47 for course languages.
_BCP47 = re.compile(r"^([a-z]{2,3})(-[a-z]{4})?(-(?:[a-z]{2}|\d{3}))?((?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*)$")
_TAG = re.compile(r"^[a-z0-9][a-z0-9 +#._-]{0,39}$")
# One change of a course is one event. Saves larger than a Unix socket's buffers (~416 KB) can
# hang in the event store's pipelined insert (docs/catalog.md, Limits): stay well below.
MAX_EVENT_BYTES = 256 * 1024


def canonical_language(code: str) -> str:
    """'EN-gb' -> 'en-GB', 'zh-hant-tw' -> 'zh-Hant-TW'; ValueError when not a language tag."""
    match = _BCP47.match(code.strip().lower())
    if not match:
        raise ValueError("not a BCP 47 language tag such as 'en' or 'pt-BR'")
    lang, script, region, variants = match.groups()
    return lang + (script or "").title() + (region or "").upper() + (variants or "")


class LessonInput(BaseModel):
    lesson_id: UUID | None = Field(default=None, description="keep the id of an existing lesson; omit for a new one")
    title: Title
    content: Markdown = Field(default="", description="Markdown")
    media_id: UUID | None = Field(default=None, description="an uploaded file the author may read (GET /media/{id})")
    estimated_minutes: int = Field(default=0, ge=0, le=10_000)


class ModuleInput(BaseModel):
    module_id: UUID | None = None
    title: Title
    lessons: list[LessonInput] = Field(default_factory=list, max_length=200)


class CourseDetails(BaseModel):
    title: Title
    summary: str = Field(default="", max_length=1000)
    description: Markdown = Field(default="", description="Markdown")
    level: Level
    language: str = Field(max_length=35, description="BCP 47 code, e.g. en, pt-BR")
    category_ids: list[UUID] = Field(default_factory=list, max_length=20)
    tags: list[str] = Field(default_factory=list, max_length=30)
    prerequisites: list[UUID] = Field(default_factory=list, max_length=20, description="course ids")
    estimated_minutes: int | None = Field(default=None, ge=1, le=1_000_000)

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        return canonical_language(v)

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        tags = [" ".join(t.lower().split()) for t in v]
        bad = [t for t in tags if not _TAG.match(t)]
        if bad:
            raise ValueError(f"tags are 1-40 letters, digits, spaces or + # . _ -; not {bad[0]!r}")
        return list(dict.fromkeys(tags))

    @field_validator("category_ids", "prerequisites")
    @classmethod
    def _unique(cls, v: list[UUID]) -> list[UUID]:
        return list(dict.fromkeys(v))

    def details(self) -> dict[str, Any]:
        return self.model_dump(include=set(CourseDetails.model_fields), mode="python") | {"level": self.level.value}


def require_fits(**parts: Any) -> None:
    size = len(orjson.dumps(parts, default=str))
    if size > MAX_EVENT_BYTES:
        raise InvalidInput(
            f"the course text is {size // 1024} KB; one change may carry at most {MAX_EVENT_BYTES // 1024} KB",
            fields={name: "too long" for name in parts},
        )


def syllabus(modules: list[ModuleInput]) -> list[dict[str, Any]]:
    """The modules as stored in events: every module and lesson gets an id, ids are unique."""
    seen: set[UUID] = set()
    result = []
    for m, module in enumerate(modules):
        module_id = module.module_id or uuid4()
        lessons = []
        for n, lesson in enumerate(module.lessons):
            lesson_id = lesson.lesson_id or uuid4()
            if lesson_id in seen:
                raise InvalidInput("a lesson id appears twice",
                                   fields={f"modules.{m}.lessons.{n}.lesson_id": "duplicate id"})
            seen.add(lesson_id)
            lessons.append({**lesson.model_dump(), "lesson_id": lesson_id})
        if module_id in seen:
            raise InvalidInput("a module id appears twice", fields={f"modules.{m}.module_id": "duplicate id"})
        seen.add(module_id)
        result.append({"module_id": module_id, "title": module.title, "lessons": lessons})
    return result
