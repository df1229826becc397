"""Catalog rules, pure Python with the library's in-memory store: revisions survive replay,
the category tree refuses cycles, an enrolment completes once."""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.application import Application

from domain.catalog import Course, CourseStatus
from domain.categories import CategoryTree
from domain.enrolment import Enrolment
from domain.errors import RuleBroken
from domain.event_conventions import Cause, caused_by

DETAILS = {"title": "T", "summary": "", "description": "", "level": "beginner", "language": "en",
           "category_ids": [], "tags": [], "prerequisites": [], "estimated_minutes": None}


@pytest.fixture(autouse=True)
def cause():
    with caused_by(Cause(uuid4(), uuid4())) as c:
        yield c


def published_course(owner=None) -> Course:
    lesson = {"lesson_id": uuid4(), "title": "L", "content": "", "media_id": None, "estimated_minutes": 5}
    course = Course.create(uuid4(), owner or uuid4(), DETAILS, [{"module_id": uuid4(), "title": "M", "lessons": [lesson]}])
    course.submit_for_review()
    course.approve(uuid4())
    return course


def test_a_new_revision_keeps_the_published_one_until_approved_and_replays_the_same():
    course = published_course()
    course.edit_details({**DETAILS, "title": "T2"})
    assert (course.status, course.published["title"], course.draft["title"], course.draft["revision"]) == (
        CourseStatus.PUBLISHED, "T", "T2", 2)
    course.submit_for_review()
    with pytest.raises(RuleBroken):
        course.edit_details(DETAILS)  # in review
    course.approve(uuid4())
    app = Application()
    app.save(course)
    replayed = app.repository.get(course.id)
    assert (replayed.published["title"], replayed.published["revision"], replayed.draft) == ("T2", 2, None)


def test_owners_do_not_review_their_own_course():
    owner = uuid4()
    course = Course.create(uuid4(), owner, DETAILS, [{"module_id": uuid4(), "title": "M", "lessons": [
        {"lesson_id": uuid4(), "title": "L", "content": "", "media_id": None, "estimated_minutes": 0}]}])
    course.submit_for_review()
    with pytest.raises(RuleBroken, match="own course"):
        course.approve(owner)


def test_the_category_tree_refuses_cycles_at_any_depth():
    tree = CategoryTree.plant()
    ids = [uuid4() for _ in range(4)]
    tree.create(ids[0], "a", None)
    for parent, child in zip(ids, ids[1:]):
        tree.create(child, "x", parent)
    for descendant in ids:
        with pytest.raises(RuleBroken, match="under itself"):
            tree.move(ids[0], descendant)
    tree.move(ids[3], None)
    assert tree.nodes[ids[3]]["parent_id"] is None


def test_an_enrolment_completes_once_and_ignores_repeats():
    course = published_course()
    lessons = [m["lessons"][0]["lesson_id"] for m in course.published["modules"]]
    enrolment = Enrolment.enrol(uuid4(), course.id)
    assert enrolment.complete_lesson(lessons[0], lessons) is True
    assert enrolment.complete_lesson(lessons[0], lessons) is False
    events = enrolment.collect_events()
    kinds = [type(e).__name__ for e in events]
    # A one-lesson course reaches both milestones with its lesson, each once, before completion.
    assert kinds == ["Enrolled", "LessonCompleted", "MilestoneReached", "MilestoneReached", "CourseCompleted"]
    assert [e.milestone for e in events if kinds[events.index(e)] == "MilestoneReached"] == ["first_lesson", "halfway"]
