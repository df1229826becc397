"""Questions and answers: up-votes, accepted answers, endorsements, sorting and unread tracking."""

from __future__ import annotations

from tests.api.forum.conftest import ClassForum, ForumApi


def test_up_votes_count_once_per_person_and_never_for_ones_own_post(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id)
    answer = api.reply(cls.bob, started["thread_id"])
    head = api.head()
    assert api.put(cls.bob, f"/forum/posts/{answer}/vote").status_code == 409  # his own
    assert api.delete(cls.alice, f"/forum/posts/{answer}/vote").status_code == 409  # never voted
    assert api.head() == head
    assert api.put(cls.alice, f"/forum/posts/{answer}/vote").status_code == 200
    assert api.put(cls.alice, f"/forum/posts/{answer}/vote").status_code == 409
    assert api.put(cls.teacher, f"/forum/posts/{answer}/vote").status_code == 200
    assert api.put(cls.teacher, f"/forum/posts/{started['post_id']}/vote").status_code == 200
    posts = {p["post_id"]: p for p in api.show(cls.alice, started["thread_id"])["posts"]["items"]}
    assert posts[answer]["votes"] == 2 and posts[answer]["voted"] is True
    assert api.delete(cls.alice, f"/forum/posts/{answer}/vote").status_code == 200
    view = api.show(cls.alice, started["thread_id"])
    posts = {p["post_id"]: p for p in view["posts"]["items"]}
    assert posts[answer]["votes"] == 1 and posts[answer]["voted"] is False and view["votes"] == 1
    assert api.put(cls.alice, f"/forum/posts/{answer}/vote").status_code == 200  # again after withdrawing


def test_the_asker_or_the_teacher_accepts_and_only_the_teacher_endorses(api: ForumApi, cls: ClassForum):
    question = api.thread(cls.alice, cls.forum_id, kind="question")
    first, second = api.reply(cls.bob, question["thread_id"], "one"), api.reply(cls.teacher, question["thread_id"], "two")
    tid = question["thread_id"]
    head = api.head()
    assert api.put(cls.bob, f"/forum/threads/{tid}/accepted-answer/{first}").status_code == 403
    assert api.put(cls.alice, f"/forum/threads/{tid}/accepted-answer/{question['post_id']}").status_code == 409
    assert api.put(cls.bob, f"/forum/posts/{first}/endorsement").status_code == 403
    assert api.head() == head
    assert api.put(cls.alice, f"/forum/threads/{tid}/accepted-answer/{first}").status_code == 200
    assert api.show(cls.bob, tid)["accepted_post_id"] == first
    assert api.put(cls.teacher, f"/forum/threads/{tid}/accepted-answer/{second}").status_code == 200
    assert api.show(cls.bob, tid)["accepted_post_id"] == second
    assert api.put(cls.teacher, f"/forum/posts/{first}/endorsement").status_code == 200
    assert api.put(cls.teacher, f"/forum/posts/{first}/endorsement").status_code == 409
    posts = {p["post_id"]: p for p in api.show(cls.bob, tid)["posts"]["items"]}
    assert posts[first]["endorsed"] is True and posts[second]["endorsed"] is False
    other = api.thread(cls.alice, cls.forum_id, title="elsewhere")
    assert api.put(cls.alice, f"/forum/threads/{other['thread_id']}/accepted-answer/{first}").status_code == 422
    in_other = api.reply(cls.bob, other["thread_id"], "a thought")
    r = api.put(cls.alice, f"/forum/threads/{other['thread_id']}/accepted-answer/{in_other}")
    assert r.status_code == 409  # a discussion has no accepted answer
    assert api.delete(cls.alice, f"/forum/threads/{tid}/accepted-answer").status_code == 200
    assert api.show(cls.bob, tid)["accepted_post_id"] is None


def test_threads_sort_by_newest_active_votes_and_unanswered(api: ForumApi, cls: ClassForum):
    old = api.thread(cls.alice, cls.forum_id, kind="question", title="old")
    answered = api.thread(cls.alice, cls.forum_id, kind="question", title="answered")
    talk = api.thread(cls.alice, cls.forum_id, kind="discussion", title="talk")
    api.reply(cls.bob, old["thread_id"], "bump")
    reply = api.reply(cls.bob, answered["thread_id"], "answer")
    api.put(cls.alice, f"/forum/threads/{answered['thread_id']}/accepted-answer/{reply}")
    api.put(cls.bob, f"/forum/posts/{talk['post_id']}/vote")

    def order(**params):
        return [t["title"] for t in api.get(cls.bob, f"/forums/{cls.forum_id}/threads", **params).json()["items"]]

    assert order(sort="newest") == ["talk", "answered", "old"]
    assert order(sort="active") == ["answered", "old", "talk"]
    assert order(sort="votes")[0] == "talk"
    assert order(sort="unanswered") == ["old"]
    first = api.get(cls.bob, f"/forums/{cls.forum_id}/threads", sort="newest", limit=2).json()
    rest = api.get(cls.bob, f"/forums/{cls.forum_id}/threads", sort="newest", limit=2, cursor=first["next_cursor"])
    assert [t["title"] for t in rest.json()["items"]] == ["old"]
    r = api.get(cls.bob, f"/forums/{cls.forum_id}/threads", sort="active", cursor=first["next_cursor"])
    assert r.status_code == 422  # a cursor of another order
    assert api.post(cls.teacher, f"/forum/threads/{old['thread_id']}/moderation", action="pin",
                    reason="read this first").status_code == 200
    assert order(sort="newest") == ["old", "talk", "answered"]


def test_unread_tracking_is_per_person(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id)

    def unread(who):
        return [t["unread"] for t in api.get(who, f"/forums/{cls.forum_id}/threads").json()["items"]]

    assert unread(cls.bob) == [True]
    assert api.post(cls.bob, f"/forum/threads/{started['thread_id']}/read").status_code == 200
    assert unread(cls.bob) == [False] and unread(cls.teacher) == [True]
    reply = api.reply(cls.teacher, started["thread_id"], "news")
    assert unread(cls.bob) == [True]
    posts = api.show(cls.bob, started["thread_id"])["posts"]["items"]
    assert [(p["post_id"], p["unread"]) for p in posts] == [(started["post_id"], False), (reply, True)]
