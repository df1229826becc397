"""The demo loads a class of the demo teacher with lessons, a picture, a video, a sound and the
demo students; loading again adds nothing, and a load that lost a file gets it back."""

from __future__ import annotations

import filetype

from commands.loading import user_by_email
from commands.pipeline import deps_for
from projections.classroom.class_lessons import class_lessons
from projections.classroom.class_lessons_queries import lesson, lessons_of_class
from projections.classroom.classroom import classroom
from projections.classroom.media import media
from projections.classroom.queries import class_student_ids, classes_of
from workers.demo.classroom import (
    CLASS_NAME,
    STUDENTS,
    TEACHER,
    load_demo_class,
    pie_png,
)
from workers.demo.loader import load_demo
from workers.demo.steps import catch_up


def _lessons(deps, class_id):
    catch_up(deps, class_lessons, media)
    return lessons_of_class(deps.pool, class_id, deps.clock(), only_visible=False)


def test_demo_class_is_loaded_once(fresh_infra):
    load_demo(fresh_infra)
    deps = deps_for(fresh_infra)
    assert load_demo_class(deps) is False  # everything is there: nothing recorded
    teacher = user_by_email(deps, TEACHER)
    [demo_class] = classes_of(deps.pool, teacher.id, limit=10, cursor=None)["items"]
    assert demo_class["name"] == CLASS_NAME
    students = {user_by_email(deps, e).id for e in STUDENTS}
    assert set(class_student_ids(deps.pool, demo_class["class_id"])) == students
    lessons = _lessons(deps, demo_class["class_id"])
    assert [l["status"] for l in lessons] == ["published", "published", "scheduled"]
    assert [l["media_count"] for l in lessons] == [2, 1, 0]
    kinds = [m["kind"] for m in lesson(deps.pool, lessons[0]["lesson_id"], deps.clock())["media"]]
    assert kinds == ["image", "video"]
    assert lesson(deps.pool, lessons[1]["lesson_id"], deps.clock())["media"][0]["kind"] == "audio"
    assert filetype.guess(pie_png()).mime == "image/png"


def test_a_lesson_that_lost_its_video_gets_it_back(fresh_infra):
    from commands.classroom import class_lessons as commands
    from commands.pipeline import Actor, execute

    load_demo(fresh_infra)
    deps = deps_for(fresh_infra)
    user = user_by_email(deps, TEACHER)
    teacher = Actor(user_id=user.id, roles=frozenset(user.roles))
    catch_up(deps, classroom)
    [demo_class] = classes_of(deps.pool, user.id, limit=10, cursor=None)["items"]
    first = _lessons(deps, demo_class["class_id"])[0]["lesson_id"]
    execute(commands.edit_lesson, commands.EditLesson(class_id=demo_class["class_id"], lesson_id=first, media_ids=[]),
            teacher, deps)
    assert load_demo_class(deps) is True
    assert _lessons(deps, demo_class["class_id"])[0]["media_count"] == 2
