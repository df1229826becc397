"""Previews of SkillHub links in posts, made per reader: a link to a course shows its title and
summary while it is published (the catalog shows those to everyone); a link to one of its
lessons names the lesson only to those who may open the course's lessons; a link to a class
lesson names it only to those who may open it. Anything else shows nothing, so a preview never
tells what the reader could not open themselves."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from commands.access.classroom_access import readable_lesson
from commands.access.course_access import reads_published_lessons
from commands.loading import find
from commands.pipeline import Actor, Deps
from domain.catalog import Course
from domain.errors import NotFound

_ID = r"([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})"
# In a post's sanitised HTML: href="[https://host][/api/v1]/courses/{id}[/lessons/{id}]" (or classes).
_LINK = re.compile(rf'href="(?:https?://[^/"]+)?(?:/api/v1)?/(courses|classes)/{_ID}(?:/lessons/{_ID})?')
MAX_PREVIEWS = 5  # per post


def _course(deps: Deps, actor: Actor, course_id: UUID, lesson_id: UUID | None) -> dict[str, Any] | None:
    course = find(deps, Course, course_id)
    if course is None or course.published is None or course.archived:
        return None
    preview: dict[str, Any] = {"kind": "course", "course_id": course_id, "title": course.published.get("title"),
                               "summary": course.published.get("summary")}
    if lesson_id is not None and reads_published_lessons(deps, actor, course):
        for module in course.published["modules"]:
            for lesson in module["lessons"]:
                if str(lesson["lesson_id"]) == str(lesson_id):
                    preview["lesson"] = {"lesson_id": lesson_id, "title": lesson.get("title")}
    return preview


def _class_lesson(deps: Deps, actor: Actor, class_id: UUID, lesson_id: UUID | None) -> dict[str, Any] | None:
    if lesson_id is None:
        return None
    try:
        lesson, _ = readable_lesson(deps, actor, class_id, lesson_id)
    except NotFound:
        return None
    return {"kind": "class_lesson", "class_id": class_id, "lesson_id": lesson_id, "title": lesson.title}


def link_previews(deps: Deps, actor: Actor, body_html: str | None) -> list[dict[str, Any]]:
    previews: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str | None]] = set()
    for kind, scope_id, lesson_id in _LINK.findall(body_html or ""):
        key = (kind, scope_id.lower(), lesson_id.lower() or None)
        if key in seen or len(previews) == MAX_PREVIEWS:
            continue
        seen.add(key)
        make = _course if kind == "courses" else _class_lesson
        if (preview := make(deps, actor, UUID(scope_id), UUID(lesson_id) if lesson_id else None)) is not None:
            previews.append(preview)
    return previews
