"""Who reads and who moderates each kind of forum: course forums (enrolled people and the
course's staff), class forums (members only) and platform forums; guessed ids are 404s, and
refused requests record nothing."""

from __future__ import annotations

import uuid

from domain.identity import Role
from tests.api.catalog.conftest import CatalogKit
from tests.api.forum.conftest import ClassForum, ForumApi, class_of


def test_a_class_forum_is_for_its_members_only(api: ForumApi, cls: ClassForum, people, make_person):
    moderator, outsider = people("moderator", Role.MODERATOR), people("outsider")
    started = api.thread(cls.alice, cls.forum_id)
    for who in (outsider, moderator):
        assert api.get(who, f"/forum/threads/{started['thread_id']}").status_code == 404
        assert api.get(who, f"/forums/{cls.forum_id}/threads").status_code == 404
        assert api.post(who, f"/forums/{cls.forum_id}/threads", title="t", body="b").status_code == 404
        assert api.post(who, f"/forum/threads/{started['thread_id']}/posts", body="b").status_code == 404
        assert api.put(who, f"/forum/posts/{started['post_id']}/vote").status_code == 404
        assert cls.forum_id not in [f["forum_id"] for f in api.get(who, "/forums").json()["items"]]
    assert api.show(cls.bob, started["thread_id"])["moderator"] is False
    assert api.show(cls.teacher, started["thread_id"])["moderator"] is True
    # A removed student loses the forum with the next request.
    carol = make_person()
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=carol.user_id).status_code == 201
    assert api.get(carol, f"/forum/threads/{started['thread_id']}").status_code == 200
    assert api.delete(cls.teacher, f"/classes/{cls.class_id}/students/{carol.user_id}").status_code == 200
    assert api.get(carol, f"/forum/threads/{started['thread_id']}").status_code == 404


def test_only_the_teacher_opens_a_class_forum_and_adds_categories(api: ForumApi, cls: ClassForum):
    head = api.head()
    r = api.post(cls.alice, "/forums", scope="class", scope_id=cls.class_id, title="mine")
    assert r.status_code == 403
    assert api.post(cls.alice, f"/forums/{cls.forum_id}/categories", name="Homework").status_code == 403
    assert api.head() == head
    r = api.post(cls.teacher, f"/forums/{cls.forum_id}/categories", name="Homework")
    assert r.status_code == 201
    category_id = r.json()["category_id"]
    forums = api.get(cls.alice, "/forums", scope="class", scope_id=cls.class_id).json()["items"]
    assert [f["categories"] for f in forums if f["forum_id"] == cls.forum_id] == [
        [{"category_id": category_id, "name": "Homework"}]]
    started = api.thread(cls.alice, cls.forum_id, category_id=category_id, tags=["Linear  Algebra", "homework"])
    view = api.show(cls.bob, started["thread_id"])
    assert view["category_id"] == category_id and view["tags"] == ["linear algebra", "homework"]
    listed = api.get(cls.bob, f"/forums/{cls.forum_id}/threads", tag="LINEAR algebra").json()["items"]
    assert [t["thread_id"] for t in listed] == [started["thread_id"]]


def test_a_course_forum_is_for_enrolled_people_and_the_courses_staff(api: ForumApi, kit: CatalogKit, people, make_person):
    owner = make_person(Role.CREATOR)
    course = kit.published(owner)
    student, outsider, moderator = make_person(), people("outsider"), people("moderator", Role.MODERATOR)
    assert api.post(student, "/forums", scope="course", scope_id=course["course_id"], title="x").status_code == 404
    forum_id = api.forum(owner, "course", course["course_id"])
    assert api.post(student, f"/courses/{course['course_id']}/enrolment").status_code in (200, 201)
    started = api.thread(student, forum_id, kind="question")
    for who, moderates in ((student, False), (owner, True), (moderator, True)):
        assert api.show(who, started["thread_id"])["moderator"] is moderates
    assert api.get(outsider, f"/forum/threads/{started['thread_id']}").status_code == 404
    assert api.search(outsider, "solve") == []
    # Leaving the course closes its forum.
    assert api.delete(student, f"/courses/{course['course_id']}/enrolment").status_code == 200
    assert api.get(student, f"/forum/threads/{started['thread_id']}").status_code == 404
    assert api.post(student, f"/forum/threads/{started['thread_id']}/posts", body="b").status_code == 404


def test_platform_forums_are_opened_by_moderators_and_read_by_everyone(api: ForumApi, people):
    teacher, moderator, student = people("teacher", Role.TEACHER), people("moderator", Role.MODERATOR), people("bob")
    assert api.post(teacher, "/forums", scope="platform", title="General").status_code == 403
    forum_id = api.forum(moderator, "platform", None)
    started = api.thread(student, forum_id)
    assert api.show(teacher, started["thread_id"])["moderator"] is False
    assert api.show(moderator, started["thread_id"])["moderator"] is True
    assert api.client.get(f"/api/v1/forum/threads/{started['thread_id']}").status_code == 401


def test_guessed_ids_and_bad_input_are_refused_and_record_nothing(api: ForumApi, cls: ClassForum, people):
    other_teacher = people("teacher2", Role.TEACHER)
    other_class = class_of(api, other_teacher, [])
    head = api.head()
    guessed = str(uuid.uuid4())
    assert api.post(cls.alice, f"/forums/{guessed}/threads", title="t", body="b").status_code == 404
    assert api.post(cls.alice, f"/forum/threads/{guessed}/posts", body="b").status_code == 404
    assert api.patch(cls.alice, f"/forum/posts/{guessed}", body="b").status_code == 404
    assert api.put(cls.alice, f"/forum/posts/{guessed}/vote").status_code == 404
    assert api.post(cls.alice, f"/forum/posts/{guessed}/reports", reason="spam").status_code == 404
    assert api.post(cls.alice, "/forums", scope="class", scope_id=other_class, title="x").status_code == 404
    assert api.post(cls.teacher, "/forums", scope="class", title="x").status_code == 422
    assert api.post(cls.teacher, "/forums", scope="platform", scope_id=cls.class_id, title="x").status_code == 422
    assert api.post(cls.teacher, "/forums", scope="school", scope_id=cls.class_id, title="x").status_code == 422
    bad_threads = [
        {"title": "", "body": "b"}, {"title": "t", "body": ""}, {"title": "t", "body": "x" * 20_001},
        {"title": "t", "body": "b", "kind": "poll"}, {"title": "t", "body": "b", "tags": ["a"] * 6},
        {"title": "t", "body": "b", "tags": [""]}, {"title": "t", "body": "b", "category_id": guessed},
        {"title": "t", "body": "b\u0000"},
    ]
    for body in bad_threads:
        r = api.post(cls.alice, f"/forums/{cls.forum_id}/threads", **body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert api.get(cls.alice, f"/forums/{cls.forum_id}/threads", sort="loudest").status_code == 422
    assert api.get(cls.alice, f"/forums/{cls.forum_id}/threads", cursor="bm9wZQ==").status_code == 422
    assert api.head() == head
