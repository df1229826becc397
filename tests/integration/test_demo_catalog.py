"""The demo catalog: categories and published courses (Open University modules when the
dataset is there), loaded once; loading again adds nothing."""

from __future__ import annotations

import pytest

from commands.pipeline import deps_for
from domain.identity import Role
from projections.catalog.catalog import catalog
from projections.catalog.course_queries import categories
from projections.catalog.queries import CourseFilter, search_courses
from projections.engine.engine import apply_batch
from workers.demo import catalog as demo_catalog
from workers.demo.loader import DEMO_PASSWORD, create_person


def _catch_up(deps) -> None:
    while (batch := apply_batch(deps.pool, deps.store, catalog, 500))[1] < batch[2]:
        pass


def _people(infra) -> None:
    for email, role in ((demo_catalog.CREATOR, Role.CREATOR), (demo_catalog.MODERATOR, Role.MODERATOR),
                        (demo_catalog.STUDENT, None)):
        create_person(infra, email, DEMO_PASSWORD, email.split("@")[0], [role] if role else [])


def test_demo_catalog_is_loaded_once_with_the_open_university_modules(fresh_infra):
    if not (demo_catalog.OULAD / "courses.csv").exists():
        pytest.skip(f"dataset missing: {demo_catalog.OULAD}")
    _people(fresh_infra)
    deps = deps_for(fresh_infra)
    assert demo_catalog.load_demo_catalog(deps) == 9  # 2 hand-written + 7 OU modules (AAA..GGG)
    assert demo_catalog.load_demo_catalog(deps) == 0
    _catch_up(deps)
    tree = {c["name"]: c for c in categories(deps.pool)}
    assert (tree["STEM"]["course_count"], tree["Social Sciences"]["course_count"]) == (4, 3)
    ou = search_courses(deps.pool, CourseFilter(category_id=tree["Open University"]["category_id"]),
                        sort="title", limit=20, cursor=None)["items"]
    assert [c["title"] for c in ou][:2] == ["Open University module AAA", "Open University module BBB"]
    assert all(c["lesson_count"] > 0 and c["language"] == "en-GB" for c in ou) and len(ou) == 7


def test_demo_catalog_without_the_dataset_still_has_courses(fresh_infra, monkeypatch, tmp_path):
    monkeypatch.setattr(demo_catalog, "OULAD", tmp_path / "missing")
    _people(fresh_infra)
    deps = deps_for(fresh_infra)
    assert demo_catalog.load_demo_catalog(deps) == 2
    _catch_up(deps)
    found = search_courses(deps.pool, CourseFilter(text="fractions"), sort=None, limit=20, cursor=None)["items"]
    assert {c["title"] for c in found} == {"Fractions, step by step", "Fractions in everyday life"}


def test_an_interrupted_load_is_completed_item_by_item(fresh_infra, monkeypatch, tmp_path):
    """A load that stopped after the categories and a draft course: the next load publishes that
    course (not a second copy), adds the rest, and shows the video in the first lesson."""
    from commands.catalog import courses
    from commands.pipeline import execute
    from domain.catalog import Course, CourseStatus
    from domain.enrolment import Enrolment, enrolment_id

    monkeypatch.setattr(demo_catalog, "OULAD", tmp_path / "missing")
    _people(fresh_infra)
    deps = deps_for(fresh_infra)
    real_publish = demo_catalog._publish

    def stop_after_creating(deps, author, moderator, course, existing):
        execute(courses.create_course, course, author, deps)
        raise RuntimeError("the machine went down")

    monkeypatch.setattr(demo_catalog, "_publish", stop_after_creating)
    with pytest.raises(RuntimeError):
        demo_catalog.load_demo_catalog(deps)
    monkeypatch.setattr(demo_catalog, "_publish", real_publish)
    assert demo_catalog.load_demo_catalog(deps) == 2
    assert demo_catalog.load_demo_catalog(deps) == 0
    _catch_up(deps)
    assert len(categories(deps.pool)) == 4
    found = search_courses(deps.pool, CourseFilter(text="fractions"), sort="title", limit=20, cursor=None)["items"]
    assert [c["title"] for c in found] == ["Fractions in everyday life", "Fractions, step by step"]
    basics = deps.store.load(found[1]["course_id"])
    assert isinstance(basics, Course) and basics.status == CourseStatus.PUBLISHED
    first = basics.published["modules"][0]["lessons"][0]
    assert first["media_id"] is not None and deps.store.load(first["media_id"]).kind.value == "video"
    alice = demo_catalog._actor(deps, demo_catalog.STUDENT)
    assert deps.store.load(enrolment_id(alice.user_id, basics.id)).active
    assert isinstance(deps.store.load(enrolment_id(alice.user_id, basics.id)), Enrolment)
