"""Class lessons, by the class's teacher: create, edit, order, publish, schedule, unpublish."""

from __future__ import annotations

from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, Field

from commands.access import media_access
from commands.access.classroom_access import require_teacher
from commands.loading import find
from commands.pipeline import Actor, Deps, Done
from domain.class_lessons import MAX_MEDIA_PER_LESSON, ClassLesson
from domain.classroom import SchoolClass
from domain.errors import InvalidInput, NotFound

TITLE = {"min_length": 1, "max_length": 200}
BODY = {"max_length": 100_000, "description": "Markdown"}
MEDIA_IDS = {"max_length": MAX_MEDIA_PER_LESSON, "description": "ids of uploaded media to attach"}


class LessonContent(BaseModel):
    title: str = Field(**TITLE)
    body: str = Field(default="", **BODY)
    media_ids: list[UUID] = Field(default_factory=list, **MEDIA_IDS)


class CreateLesson(LessonContent):
    class_id: UUID


class LessonChanges(BaseModel):
    """Only the fields given change."""

    title: str | None = Field(default=None, **TITLE)
    body: str | None = Field(default=None, **BODY)
    media_ids: list[UUID] | None = Field(default=None, **MEDIA_IDS)


class LessonRef(BaseModel):
    class_id: UUID
    lesson_id: UUID


class EditLesson(LessonChanges, LessonRef):
    pass


class Publication(BaseModel):
    publish_at: AwareDatetime | None = Field(default=None, description="a future time to schedule; leave out to publish now")


class PublishLesson(Publication, LessonRef):
    pass


class LessonOrder(BaseModel):
    lesson_ids: list[UUID] = Field(max_length=1000, description="every lesson of the class, in the new order")


class ReorderLessons(LessonOrder):
    class_id: UUID


def _check_media(deps: Deps, actor: Actor, media_ids: list[UUID]) -> None:
    """Only files the teacher may read themselves can be attached: attaching is no way to get at others'."""
    for media_id in media_ids:
        try:
            media_access.readable_media(deps, actor, media_id)
        except NotFound:
            raise InvalidInput(f"media {media_id} not found", fields={"media_ids": f"unknown media {media_id}"}) from None


def _editable(deps: Deps, actor: Actor, class_id: UUID, lesson_id: UUID) -> tuple[SchoolClass, ClassLesson]:
    school_class = require_teacher(deps, actor, class_id)
    school_class.require_open()
    lesson = find(deps, ClassLesson, lesson_id)
    if lesson is None or lesson.class_id != class_id:
        raise NotFound(f"lesson {lesson_id} not found")
    return school_class, lesson


def create_lesson(cmd: CreateLesson, actor: Actor, deps: Deps) -> Done:
    school_class = require_teacher(deps, actor, cmd.class_id)
    _check_media(deps, actor, cmd.media_ids)
    lesson = ClassLesson.create(uuid4(), school_class.id, school_class.teacher_id, cmd.title, cmd.body, cmd.media_ids)
    school_class.add_lesson(lesson.id)
    return Done(deps.store.record(school_class, lesson), {"lesson_id": lesson.id})


def edit_lesson(cmd: EditLesson, actor: Actor, deps: Deps) -> Done:
    _, lesson = _editable(deps, actor, cmd.class_id, cmd.lesson_id)
    if cmd.media_ids is not None:
        _check_media(deps, actor, [m for m in cmd.media_ids if m not in lesson.media_ids])
    lesson.edit(
        cmd.title if cmd.title is not None else lesson.title,
        cmd.body if cmd.body is not None else lesson.body,
        cmd.media_ids if cmd.media_ids is not None else lesson.media_ids,
    )
    return Done(deps.store.record(lesson))


def publish_lesson(cmd: PublishLesson, actor: Actor, deps: Deps) -> Done:
    _, lesson = _editable(deps, actor, cmd.class_id, cmd.lesson_id)
    lesson.publish(deps.clock(), cmd.publish_at)
    return Done(deps.store.record(lesson), {"publish_at": lesson.publish_at})


def unpublish_lesson(cmd: LessonRef, actor: Actor, deps: Deps) -> Done:
    _, lesson = _editable(deps, actor, cmd.class_id, cmd.lesson_id)
    lesson.unpublish()
    return Done(deps.store.record(lesson))


def reorder_lessons(cmd: ReorderLessons, actor: Actor, deps: Deps) -> Done:
    school_class = require_teacher(deps, actor, cmd.class_id)
    school_class.reorder(cmd.lesson_ids)
    return Done(deps.store.record(school_class))
