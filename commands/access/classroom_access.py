"""Who may see what of a class, decided from the aggregates themselves (the current state, not
a read model that may lag), so a student removed from a class loses access with the very next
request.

Outsiders get 404, never 403, for a class, lesson or media they may not see: a guessed id
must not tell whether it exists. Only people who already see the class get 403 (a student
calling a teacher-only action).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from commands.loading import find
from commands.pipeline import Actor, Deps, require_login, require_role
from domain.class_lessons import ClassLesson
from domain.classroom import SchoolClass
from domain.errors import Forbidden, NotFound
from domain.identity import Role
from projections.classroom import class_lessons_queries


class ClassRole(StrEnum):
    TEACHER = "teacher"
    STUDENT = "student"


def class_role(deps: Deps, actor: Actor, class_id: UUID) -> tuple[SchoolClass, ClassRole]:
    user_id = require_login(actor)
    school_class = find(deps, SchoolClass, class_id)
    if school_class is not None:
        if user_id == school_class.teacher_id:
            return school_class, ClassRole.TEACHER
        if user_id in school_class.students:
            return school_class, ClassRole.STUDENT
    raise NotFound(f"class {class_id} not found")


def require_teacher(deps: Deps, actor: Actor, class_id: UUID) -> SchoolClass:
    school_class, role = class_role(deps, actor, class_id)
    if role != ClassRole.TEACHER:
        raise Forbidden("only the teacher of the class may do this")
    require_role(actor, [Role.TEACHER, Role.ADMIN])  # a teacher who lost the role manages nothing
    return school_class


def readable_lesson(deps: Deps, actor: Actor, class_id: UUID, lesson_id: UUID) -> tuple[ClassLesson, ClassRole]:
    """The lesson, if the caller may open it: the teacher always, students once it is visible."""
    _, role = class_role(deps, actor, class_id)
    lesson = find(deps, ClassLesson, lesson_id)
    if lesson is None or lesson.class_id != class_id or (
        role == ClassRole.STUDENT and not lesson.visible_at(deps.clock())
    ):
        raise NotFound(f"lesson {lesson_id} not found")
    return lesson, role


def may_read_media(deps: Deps, actor: Actor, media_id: UUID) -> bool:
    """Whether the caller may open a class lesson that has this media attached right now."""
    for row in class_lessons_queries.lessons_with_media(deps.pool, media_id):
        try:
            lesson, _ = readable_lesson(deps, actor, row["class_id"], row["lesson_id"])
        except NotFound:
            continue
        if media_id in lesson.media_ids:  # the read model may still list a detached file
            return True
    return False
