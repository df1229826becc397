"""Previews of SkillHub links in posts show only what the reader may open."""

from __future__ import annotations

from domain.identity import Role
from tests.api.catalog.conftest import CatalogKit
from tests.api.forum.conftest import ClassForum, ForumApi, class_of


def _class_lesson(api: ForumApi, teacher, class_id: str, title: str, publish: bool = True) -> str:
    r = api.post(teacher, f"/classes/{class_id}/lessons", title=title, body="text")
    assert r.status_code == 201, r.text
    lesson_id = r.json()["lesson_id"]
    if publish:
        assert api.post(teacher, f"/classes/{class_id}/lessons/{lesson_id}/publication").status_code == 200
    return lesson_id


def test_previews_show_only_what_the_reader_may_open(api: ForumApi, cls: ClassForum, kit: CatalogKit, make_person,
                                                    people):
    course = kit.published(make_person(Role.CREATOR), title="Organic Chemistry")
    draft = kit.create(title="Secret draft")
    lesson_id = course["lesson_ids"][0]
    assert api.post(cls.bob, f"/courses/{course['course_id']}/enrolment").status_code in (200, 201)
    visible = _class_lesson(api, cls.teacher, cls.class_id, "Fractions")
    unpublished = _class_lesson(api, cls.teacher, cls.class_id, "Next week's test", publish=False)
    other_teacher = people("teacher2", Role.TEACHER)
    elsewhere = _class_lesson(api, other_teacher, class_of(api, other_teacher, []), "Other class")
    body = "\n".join([
        f"[course](/courses/{course['course_id']})",
        f"[lesson](https://skillhub.example/api/v1/courses/{course['course_id']}/lessons/{lesson_id})",
        f"[draft](/courses/{draft['course_id']})",
        f"[ours](/classes/{cls.class_id}/lessons/{visible})",
        f"[soon](/classes/{cls.class_id}/lessons/{unpublished})",
        f"[theirs](/classes/00000000-0000-0000-0000-000000000000/lessons/{elsewhere})",
    ])
    started = api.thread(cls.teacher, cls.forum_id, body=body)

    def previews(who):
        return api.show(who, started["thread_id"])["posts"]["items"][0]["link_previews"]

    enrolled, not_enrolled, teacher = previews(cls.bob), previews(cls.alice), previews(cls.teacher)
    assert [p["kind"] for p in not_enrolled] == ["course", "course", "class_lesson"]
    assert not_enrolled[0]["title"] == "Organic Chemistry" and "lesson" not in not_enrolled[1]
    assert enrolled[1]["lesson"]["title"] == "Lesson 1"
    assert [p.get("title") for p in not_enrolled if p["kind"] == "class_lesson"] == ["Fractions"]
    assert sorted(p["title"] for p in teacher if p["kind"] == "class_lesson") == ["Fractions", "Next week's test"]
    assert all("Secret draft" not in str(p) and "Other class" not in str(p) for p in enrolled + teacher)
    assert started["pending"] is False
