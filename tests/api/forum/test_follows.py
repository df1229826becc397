"""Following threads, forums and tags: replies, mentions and accepted answers become
notifications for people who can read the post, never about one's own post."""

from __future__ import annotations

import uuid

from tests.api.forum.conftest import ClassForum, ForumApi


def _inbox(api: ForumApi, who) -> list[str]:
    """The types of the forum notifications in the person's inbox."""
    r = api.get(who, "/notifications", limit=200)
    assert r.status_code == 200, r.text
    return sorted(m["type"] for m in r.json()["items"] if m["type"].startswith("forum_"))


def test_replies_mentions_and_accepted_answers_notify_the_right_people(api: ForumApi, cls: ClassForum, make_person):
    asker, answerer, follower, bystander = make_person(), make_person(), make_person(), make_person()
    for person in (asker, answerer, follower, bystander):
        assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=person.user_id).status_code == 201
    assert api.post(follower, "/forum/follows", kind="tag", target_id=cls.forum_id, tag="Algebra").status_code == 201
    assert api.post(follower, "/forum/follows", kind="tag", target_id=cls.forum_id, tag="algebra").status_code == 409
    question = api.thread(asker, cls.forum_id, kind="question", tags=["algebra"])
    tid = question["thread_id"]
    handle = api.rename(bystander, f"Bystander {uuid.uuid4().hex[:8]}")
    answer = api.reply(answerer, tid, f"x = 1, as @{handle} said")
    api.reply(asker, tid, "my own follow-up")  # the asker is not told of their own post
    api.put(asker, f"/forum/threads/{tid}/accepted-answer/{answer}")
    assert _inbox(api, asker) == ["forum_post"]  # the answer to their question
    assert _inbox(api, bystander) == ["forum_post"]  # mentioned
    assert _inbox(api, answerer) == ["forum_answer_accepted"]  # the follow-up replied to the question, not to them
    assert _inbox(api, follower) == ["forum_post"] * 3  # the new thread, the answer, the follow-up
    messages = api.get(bystander, "/notifications").json()["items"]
    assert "x = 1" not in str(messages) and "class forum" in messages[0]["title"]  # the forum, never the words


def test_nobody_hears_of_posts_they_cannot_read(api: ForumApi, cls: ClassForum, make_person, people):
    outsider = make_person()
    started = api.thread(cls.alice, cls.forum_id)
    head = api.head()
    assert api.post(outsider, "/forum/follows", kind="forum", target_id=cls.forum_id).status_code == 404
    assert api.post(outsider, "/forum/follows", kind="thread", target_id=started["thread_id"]).status_code == 404
    assert api.post(outsider, "/forum/follows", kind="thread", target_id=str(uuid.uuid4())).status_code == 404
    assert api.post(cls.bob, "/forum/follows", kind="forum", target_id=cls.forum_id, tag="x").status_code == 422
    assert api.post(cls.bob, "/forum/follows", kind="tag", target_id=cls.forum_id).status_code == 422
    assert api.head() == head
    # A follower removed from the class hears nothing more.
    leaver = make_person()
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=leaver.user_id).status_code == 201
    assert api.post(leaver, "/forum/follows", kind="thread", target_id=started["thread_id"]).status_code == 201
    api.reply(cls.bob, started["thread_id"], "first")
    assert _inbox(api, leaver) == ["forum_post"]
    assert api.delete(cls.teacher, f"/classes/{cls.class_id}/students/{leaver.user_id}").status_code == 200
    api.reply(cls.bob, started["thread_id"], "second")
    assert _inbox(api, leaver) == ["forum_post"]
    assert api.post(leaver, "/forum/follows/removal", kind="thread", target_id=started["thread_id"]).status_code == 404
