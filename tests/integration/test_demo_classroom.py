"""The demo loads a class of the demo teacher with lessons, a picture and the demo students,
and loading it again adds nothing."""

from __future__ import annotations

import filetype

from api.app import build_deps
from commands.loading import user_by_email
from projections.class_lessons import class_lessons
from projections.class_lessons_queries import lessons_of_class
from projections.classroom_queries import class_student_ids, classes_of
from projections.engine import apply_batch
from workers.demo import load_demo
from workers.demo_classroom import CLASS_NAME, STUDENTS, TEACHER, pie_png


def test_demo_class_is_loaded_once(fresh_infra):
    load_demo(fresh_infra)
    load_demo(fresh_infra)
    deps = build_deps(fresh_infra)
    teacher = user_by_email(deps, TEACHER)
    [demo_class] = classes_of(deps.pool, teacher.id, limit=10, cursor=None)["items"]
    assert demo_class["name"] == CLASS_NAME
    students = {user_by_email(deps, e).id for e in STUDENTS}
    assert set(class_student_ids(deps.pool, demo_class["class_id"])) == students
    while (batch := apply_batch(deps.pool, deps.store, class_lessons, 500))[1] < batch[2]:
        pass
    lessons = lessons_of_class(deps.pool, demo_class["class_id"], deps.clock(), only_visible=False)
    assert [l["status"] for l in lessons] == ["published", "published", "scheduled"]
    assert lessons[0]["media_count"] == 1
    assert filetype.guess(pie_png()).mime == "image/png"
