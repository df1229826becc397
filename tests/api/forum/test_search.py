"""Forum search: ranked over titles and bodies, filtered, paged with cursors, and never finding
a thread its reader cannot open (other classes, courses one is not in, hidden or waiting posts)."""

from __future__ import annotations

from domain.identity import Role
from tests.api.catalog.conftest import CatalogKit
from tests.api.forum.conftest import ClassForum, ForumApi, class_of


def test_titles_rank_above_bodies_and_pages_follow_the_cursor(api: ForumApi, cls: ClassForum):
    in_title = api.thread(cls.alice, cls.forum_id, title="Photosynthesis basics", body="plants and light")
    in_body = api.thread(cls.bob, cls.forum_id, title="Biology homework", body="what is photosynthesis?")
    reply = api.reply(cls.teacher, in_body["thread_id"], "Photosynthesis turns light into sugar.")
    hits = api.search(cls.alice, "photosynthesis")
    assert hits[0]["post_id"] == in_title["post_id"] and hits[0]["title"] == "Photosynthesis basics"
    assert {h["post_id"] for h in hits} == {in_title["post_id"], in_body["post_id"], reply}
    assert hits[0]["rank"] >= hits[1]["rank"] >= hits[2]["rank"]
    first = api.get(cls.alice, "/forum/search", q="photosynthesis", limit=2).json()
    rest = api.get(cls.alice, "/forum/search", q="photosynthesis", limit=2, cursor=first["next_cursor"]).json()
    assert [h["post_id"] for h in first["items"] + rest["items"]] == [h["post_id"] for h in hits]
    assert rest["next_cursor"] is None
    assert api.search(cls.alice, "photosynthesis -sugar", forum_id=cls.forum_id).__len__() == 2
    assert api.get(cls.alice, "/forum/search", q="x", cursor="bm9wZQ==").status_code == 422
    assert api.get(cls.alice, "/forum/search", q="").status_code == 422
    assert api.client.get("/api/v1/forum/search", params={"q": "x"}).status_code == 401


def test_filters_by_forum_category_tag_author_and_answered(api: ForumApi, cls: ClassForum):
    category = api.post(cls.teacher, f"/forums/{cls.forum_id}/categories", name="Labs").json()["category_id"]
    other_forum = api.forum(cls.teacher, "class", cls.class_id)
    q1 = api.thread(cls.alice, cls.forum_id, kind="question", title="Titration lab", body="titration help",
                    category_id=category, tags=["chemistry"])
    q2 = api.thread(cls.bob, other_forum, kind="question", title="Titration again", body="more titration")
    answer = api.reply(cls.bob, q1["thread_id"], "titration answer")
    api.put(cls.alice, f"/forum/threads/{q1['thread_id']}/accepted-answer/{answer}")

    def found(**params):
        return {h["post_id"] for h in api.search(cls.alice, "titration", **params)}

    assert found() == {q1["post_id"], q2["post_id"], answer}
    assert found(forum_id=other_forum) == {q2["post_id"]}
    assert found(category_id=category) == {q1["post_id"], answer}
    assert found(tag="Chemistry") == {q1["post_id"], answer}
    assert found(author_id=cls.bob.user_id) == {q2["post_id"], answer}
    assert found(answered=True) == {q1["post_id"], answer}
    assert found(answered=False) == {q2["post_id"]}


def test_nobody_finds_what_they_cannot_open(api: ForumApi, cls: ClassForum, kit: CatalogKit, people, make_person):
    other_teacher, outsider = people("teacher2", Role.TEACHER), people("outsider")
    other_class = class_of(api, other_teacher, [outsider])
    other_forum = api.forum(other_teacher, "class", other_class)
    api.thread(outsider, other_forum, title="Quokka facts", body="quokka")
    owner, enrolled = make_person(Role.CREATOR), make_person()
    course = kit.published(owner)
    course_forum = api.forum(owner, "course", course["course_id"])
    api.post(enrolled, f"/courses/{course['course_id']}/enrolment")
    api.thread(enrolled, course_forum, title="Quokka course", body="quokka")
    mine = api.thread(cls.alice, cls.forum_id, title="Quokka class", body="quokka")
    hidden = api.thread(cls.bob, cls.forum_id, title="Quokka rude", body="quokka insult")
    hidden_reply = api.reply(cls.bob, mine["thread_id"], "quokka rude reply")
    for post_id in (hidden["post_id"], hidden_reply):
        r = api.post(cls.teacher, f"/forum/posts/{post_id}/moderation", action="hide", reason="rude")
        assert r.status_code == 200, r.text
    newcomer = make_person()
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=newcomer.user_id).status_code == 201
    waiting = api.thread(newcomer, cls.forum_id, title="Quokka deals", body="quokka see https://spam.example")
    assert waiting["pending"] is True

    def titles(who):
        return sorted(h["title"] for h in api.search(who, "quokka"))

    assert titles(cls.alice) == ["Quokka class"]
    assert titles(cls.teacher) == ["Quokka class"]  # moderators use the queue for hidden and waiting posts
    assert titles(outsider) == ["Quokka facts"]
    assert titles(enrolled) == ["Quokka course"]
    assert titles(owner) == ["Quokka course"]
    assert titles(newcomer) == ["Quokka class"]
    # Searching another forum by id finds nothing either.
    assert api.search(cls.alice, "quokka", forum_id=other_forum) == []
    assert api.search(cls.alice, "quokka", forum_id=course_forum) == []
