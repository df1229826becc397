"""Courses: creators, moderators and admins write them; only the owner edits."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel, Field

from commands.access.media_access import require_attachable
from commands.catalog.course_content import (
    CourseDetails,
    ModuleInput,
    require_fits,
    syllabus,
)
from commands.loading import find, load
from commands.pipeline import Actor, Deps, Done, require_login, require_role
from domain.catalog import Course, CourseStatus, media_ids_of
from domain.categories import TREE_ID, CategoryTree
from domain.errors import Forbidden, InvalidInput
from domain.identity import Role

AUTHORS = (Role.CREATOR, Role.MODERATOR, Role.ADMIN)


class CreateCourse(CourseDetails):
    modules: list[ModuleInput] = Field(default_factory=list, max_length=100)


class EditCourseDetails(CourseDetails):
    course_id: UUID


class EditSyllabus(BaseModel):
    course_id: UUID
    modules: list[ModuleInput] = Field(max_length=100)


def owned_course(actor: Actor, deps: Deps, course_id: UUID) -> Course:
    user_id = require_login(actor)
    course = load(deps, Course, course_id, "course")
    if course.owner_id != user_id:
        raise Forbidden("only the owner of the course edits it")
    return course


def _check_categories(deps: Deps, category_ids: list[UUID]) -> None:
    if not category_ids:
        return
    tree = find(deps, CategoryTree, TREE_ID)
    unknown = [str(c) for c in category_ids if tree is None or c not in tree.nodes]
    if unknown:
        raise InvalidInput("unknown categories", fields={"category_ids": "no category " + ", ".join(unknown)})


def _requires(deps: Deps, start: list[UUID], target: UUID) -> bool:
    """Whether `target` is among the prerequisites reachable from `start`, in any revision."""
    seen: set[UUID] = set()
    todo = list(start)
    while todo:
        course_id = todo.pop()
        if course_id == target:
            return True
        if course_id in seen:
            continue
        seen.add(course_id)
        course = find(deps, Course, course_id)
        for revision in (course.published, course.draft) if course else ():
            todo += revision["prerequisites"] if revision else []
    return False


def _check_prerequisites(deps: Deps, prerequisites: list[UUID], course_id: UUID | None) -> None:
    # Only published courses: a student must be able to enrol in a prerequisite to complete it.
    bad = []
    for pid in prerequisites:
        course = find(deps, Course, pid) if pid != course_id else None
        if course is None or course.status != CourseStatus.PUBLISHED:
            bad.append(str(pid))
    if bad:
        raise InvalidInput(
            "prerequisites must be other published courses",
            fields={"prerequisites": "not a published course: " + ", ".join(bad)},
        )
    if course_id is not None and _requires(deps, prerequisites, course_id):
        raise InvalidInput(
            "these prerequisites would make the course require itself",
            fields={"prerequisites": "forms a cycle"},
        )


def _check_media(deps: Deps, actor: Actor, modules: list[dict[str, Any]], course: Course | None) -> None:
    """New files must be readable by the author; files already in the course stay."""
    kept = media_ids_of(course.draft) | media_ids_of(course.published) if course else set()
    for m, module in enumerate(modules):
        for n, lesson in enumerate(module["lessons"]):
            if lesson["media_id"] is not None and lesson["media_id"] not in kept:
                require_attachable(deps, actor, lesson["media_id"], f"modules.{m}.lessons.{n}.media_id")


def create_course(cmd: CreateCourse, actor: Actor, deps: Deps) -> Done:
    owner_id = require_role(actor, AUTHORS)
    _check_categories(deps, cmd.category_ids)
    _check_prerequisites(deps, cmd.prerequisites, None)
    details, modules = cmd.details(), syllabus(cmd.modules)
    _check_media(deps, actor, modules, None)
    require_fits(details=details, modules=modules)
    course = Course.create(uuid4(), owner_id, details, modules)
    return Done(deps.store.record(course), {"course_id": course.id})


def edit_details(cmd: EditCourseDetails, actor: Actor, deps: Deps) -> Done:
    course = owned_course(actor, deps, cmd.course_id)
    _check_categories(deps, cmd.category_ids)
    _check_prerequisites(deps, cmd.prerequisites, course.id)
    require_fits(details=cmd.details())
    course.edit_details(cmd.details())
    return Done(deps.store.record(course), {"revision": course.draft["revision"]})


def edit_syllabus(cmd: EditSyllabus, actor: Actor, deps: Deps) -> Done:
    course = owned_course(actor, deps, cmd.course_id)
    modules = syllabus(cmd.modules)
    _check_media(deps, actor, modules, course)
    require_fits(modules=modules)
    course.edit_syllabus(modules)
    return Done(deps.store.record(course), {"revision": course.draft["revision"]})
