"""Classroom rules, pure Python with the library's in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.class_lessons import MAX_MEDIA_PER_LESSON, ClassLesson
from domain.class_progress import LessonProgress
from domain.classroom import SchoolClass, join_code_id, normalize_join_code
from domain.errors import InvalidInput, RuleBroken
from domain.event_conventions import Cause, caused_by

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cause():
    with caused_by(Cause(uuid4(), uuid4())) as c:
        yield c


def new_class() -> SchoolClass:
    school_class = SchoolClass.open(uuid4(), uuid4(), "Algebra", "", "Autumn")
    school_class.issue_join_code(uuid4(), "ABCDEFGH")
    return school_class


def test_join_code_ids_ignore_case_spaces_and_dashes():
    assert normalize_join_code(" abcd-efgh ") == "ABCDEFGH"
    assert join_code_id("abcd efgh", "k") == join_code_id("ABCD-EFGH", "k") != join_code_id("ABCDEFGH", "other")


def test_join_rules():
    school_class = new_class()
    student = uuid4()
    with pytest.raises(InvalidInput):
        school_class.join(student, uuid4())
    school_class.join(student, school_class.join_code_id)
    with pytest.raises(RuleBroken, match="already"):
        school_class.join(student, school_class.join_code_id)
    with pytest.raises(RuleBroken, match="teacher"):
        school_class.join(school_class.teacher_id, school_class.join_code_id)
    school_class.remove(student)
    with pytest.raises(RuleBroken, match="removed"):
        school_class.join(student, school_class.join_code_id)
    school_class.invite(student)
    assert student in school_class.students and student not in school_class.removed


def test_archived_class_refuses_changes_and_survives_a_reload():
    school_class = new_class()
    lesson_id = uuid4()
    school_class.add_lesson(lesson_id)
    school_class.archive()
    for change in (lambda: school_class.invite(uuid4()), lambda: school_class.add_lesson(uuid4()),
                   lambda: school_class.reorder([lesson_id]), lambda: school_class.issue_join_code(uuid4(), "X"),
                   school_class.archive):
        with pytest.raises(RuleBroken, match="archived"):
            change()
    app = Application()
    app.save(school_class)
    assert app.repository.get(school_class.id).archived is True


def test_reorder_needs_every_lesson_once():
    school_class = new_class()
    a, b = uuid4(), uuid4()
    school_class.add_lesson(a)
    school_class.add_lesson(b)
    for bad in ([a], [a, a], [a, b, uuid4()], [a, b, a]):
        with pytest.raises(InvalidInput):
            school_class.reorder(bad)
    school_class.reorder([b, a])
    assert school_class.lesson_ids == [b, a]


def test_publication_and_schedules():
    lesson = ClassLesson.create(uuid4(), uuid4(), uuid4(), "T", "B", [])
    assert not lesson.visible_at(NOW)
    with pytest.raises(InvalidInput):
        lesson.publish(NOW, NOW - timedelta(seconds=1))
    lesson.publish(NOW, NOW + timedelta(days=1))
    assert not lesson.visible_at(NOW) and lesson.visible_at(NOW + timedelta(days=1))
    lesson.publish(NOW, NOW + timedelta(days=2))  # moving a pending schedule
    assert not lesson.visible_at(NOW + timedelta(days=1))
    lesson.unpublish()
    with pytest.raises(RuleBroken):
        lesson.unpublish()
    lesson.publish(NOW, None)
    with pytest.raises(RuleBroken, match="already published"):
        lesson.publish(NOW, NOW + timedelta(days=1))


def test_media_lists_are_checked():
    m = uuid4()
    with pytest.raises(InvalidInput):
        ClassLesson.create(uuid4(), uuid4(), uuid4(), "T", "B", [m, m])
    with pytest.raises(InvalidInput):
        ClassLesson.create(uuid4(), uuid4(), uuid4(), "T", "B", [uuid4() for _ in range(MAX_MEDIA_PER_LESSON + 1)])


def test_video_progress_is_monotonic_and_validated():
    progress = LessonProgress.start(uuid4(), uuid4(), uuid4())
    video = uuid4()
    assert progress.watch(video, 30, 100, 0.3)
    assert not progress.watch(video, 10, 100, 0.1)
    assert progress.watch(video, 20, 100, 0.4)
    assert progress.videos[video] == (30, 0.4)
    for bad in ((float("nan"), 100, 0.1), (10, float("inf"), 0.1), (101, 100, 0.1), (-1, 100, 0.1),
                (1, 100, 1.01), (0, 0, 0)):
        with pytest.raises(InvalidInput):
            progress.watch(video, *bad)
    assert progress.complete() and not progress.complete()
