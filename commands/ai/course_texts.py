"""The texts the AI tools work on, and who may run them: a course's owner (its creator) and
admins, on the newest revision (the working draft if there is one). A student of the course gets
403; anyone else 404, as if the course did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import sql

from adapters.events.event_store import EVENTS_TABLE
from commands.loading import find, load
from commands.pipeline import Actor, Deps, require_login
from domain.catalog import Course
from domain.enrolment import Enrolment, enrolment_id
from domain.errors import Forbidden, NotFound
from domain.identity import Role

_LAST_POSITION = sql.SQL("SELECT max(notification_id) AS position FROM public.{} WHERE originator_id = %s").format(
    sql.Identifier(EVENTS_TABLE))


@dataclass(frozen=True)
class CourseText:
    course: Course
    lesson: dict[str, Any] | None  # None: the course as a whole
    markdown: str
    language: str
    position: int  # the log position of the course's last change: the text analysed is as of it


def require_course_author(deps: Deps, actor: Actor, course_id: UUID) -> Course:
    user_id = require_login(actor)
    course = load(deps, Course, course_id, "course")
    if course.owner_id == user_id or actor.has_role(Role.ADMIN):
        return course
    enrolment = find(deps, Enrolment, enrolment_id(user_id, course_id))
    if enrolment is not None and enrolment.active:
        raise Forbidden("only the course's author analyses its texts and drafts its questions")
    raise NotFound(f"course {course_id} not found")


def lessons_of(course: Course) -> list[dict[str, Any]]:
    return [lesson for module in course.latest["modules"] for lesson in module["lessons"]]


def course_text(deps: Deps, actor: Actor, course_id: UUID, lesson_id: UUID | None) -> CourseText:
    course = require_course_author(deps, actor, course_id)
    revision = course.latest
    if lesson_id is None:
        lesson, parts = None, [revision["title"], revision["summary"], revision["description"]]
        parts += [f"{lesson['title']}\n\n{lesson['content']}" for lesson in lessons_of(course)]
        markdown = "\n\n".join(p for p in parts if p)
    else:
        lesson = next((lesson for lesson in lessons_of(course) if lesson["lesson_id"] == lesson_id), None)
        if lesson is None:
            raise NotFound(f"lesson {lesson_id} is not in course {course_id}")
        markdown = f"{lesson['title']}\n\n{lesson['content']}"
    with deps.pool.connection() as conn:
        position = conn.execute(_LAST_POSITION, (course_id,)).fetchone()["position"] or 0
    return CourseText(course, lesson, markdown, revision["language"], position)
