"""Moderation: reports and the queue, hiding and restoring, locking and moving threads,
suspensions, the audit trail, the posting rate limit and approval of new accounts' link posts."""

from __future__ import annotations

import uuid

from domain.identity import Role
from tests.api.forum.conftest import ClassForum, ForumApi, class_of


def _queue(api: ForumApi, who) -> list[tuple[str, str]]:
    r = api.get(who, "/forum/moderation/queue")
    assert r.status_code == 200, r.text
    return [(i["kind"], i["post_id"]) for i in r.json()["items"]]


def test_reports_reach_the_forums_moderators_only(api: ForumApi, cls: ClassForum, people):
    other_teacher, moderator = people("teacher2", Role.TEACHER), people("moderator", Role.MODERATOR)
    class_of(api, other_teacher, [])
    started = api.thread(cls.alice, cls.forum_id)
    rude = api.reply(cls.bob, started["thread_id"], "rude words")
    r = api.post(cls.alice, f"/forum/posts/{rude}/reports", reason="insulting")
    assert r.status_code == 201
    report_id = r.json()["report_id"]
    assert api.post(cls.alice, f"/forum/posts/{rude}/reports", reason="again").status_code == 409
    assert api.post(cls.alice, f"/forum/posts/{rude}/reports", reason="").status_code == 422
    assert ("report", rude) in _queue(api, cls.teacher)
    for who in (other_teacher, moderator, cls.alice):
        assert ("report", rude) not in _queue(api, who)
    head = api.head()
    assert api.post(cls.alice, f"/forum/reports/{report_id}/dismissal", reason="mine").status_code == 403
    assert api.post(other_teacher, f"/forum/reports/{report_id}/dismissal", reason="x").status_code == 404
    assert api.post(cls.bob, f"/forum/posts/{rude}/moderation", action="hide", reason="x").status_code == 403
    assert api.post(cls.teacher, f"/forum/posts/{rude}/moderation", action="burn", reason="x").status_code == 422
    assert api.head() == head
    assert api.post(cls.teacher, f"/forum/posts/{rude}/moderation", action="hide", reason="insults").status_code == 200
    assert ("report", rude) not in _queue(api, cls.teacher)  # hiding deals with its reports
    posts = {p["post_id"]: p for p in api.show(cls.alice, started["thread_id"])["posts"]["items"]}
    assert posts[rude]["status"] == "hidden" and posts[rude]["body_html"] is None
    assert api.get(cls.alice, f"/forum/posts/{rude}/history").status_code == 404
    teacher_view = {p["post_id"]: p for p in api.show(cls.teacher, started["thread_id"])["posts"]["items"]}
    assert teacher_view[rude]["body_html"] == "<p>rude words</p>"
    assert api.post(cls.teacher, f"/forum/posts/{rude}/moderation", action="restore", reason="on appeal").status_code == 200
    assert api.show(cls.alice, started["thread_id"])["posts"]["items"][1]["body_html"] == "<p>rude words</p>"


def test_a_hidden_opening_post_hides_the_thread(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.bob, cls.forum_id, title="Off topic")
    api.post(cls.teacher, f"/forum/posts/{started['post_id']}/moderation", action="hide", reason="off topic")
    assert api.get(cls.alice, f"/forum/threads/{started['thread_id']}").status_code == 404
    assert api.get(cls.alice, f"/forums/{cls.forum_id}/threads").json()["items"] == []
    listed = api.get(cls.teacher, f"/forums/{cls.forum_id}/threads").json()["items"]
    assert [(t["thread_id"], t["status"]) for t in listed] == [(started["thread_id"], "hidden")]


def test_locking_pinning_and_moving_threads(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id)
    tid = started["thread_id"]
    assert api.post(cls.alice, f"/forum/threads/{tid}/moderation", action="lock", reason="x").status_code == 403
    assert api.post(cls.teacher, f"/forum/threads/{tid}/moderation", action="lock", reason="solved").status_code == 200
    assert api.post(cls.teacher, f"/forum/threads/{tid}/moderation", action="lock", reason="again").status_code == 409
    assert api.post(cls.bob, f"/forum/threads/{tid}/posts", body="late").status_code == 409
    assert api.show(cls.bob, tid)["locked"] is True
    api.post(cls.teacher, f"/forum/threads/{tid}/moderation", action="unlock", reason="more to say")
    api.reply(cls.bob, tid, "not late")
    target = api.forum(cls.teacher, "class", cls.class_id, title="Archive")
    assert api.post(cls.teacher, f"/forum/threads/{tid}/moderation", action="move", reason="x").status_code == 422
    r = api.post(cls.teacher, f"/forum/threads/{tid}/moderation", action="move", reason="belongs there", forum_id=target)
    assert r.status_code == 200, r.text
    assert api.show(cls.bob, tid)["forum_id"] == target
    assert [t["thread_id"] for t in api.get(cls.bob, f"/forums/{target}/threads").json()["items"]] == [tid]
    assert api.get(cls.bob, f"/forums/{cls.forum_id}/threads").json()["items"] == []
    assert {h["forum_id"] for h in api.search(cls.bob, "solve")} >= {target}


def test_a_suspended_person_cannot_post_until_lifted(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id)
    head = api.head()
    assert api.post(cls.alice, f"/forums/{cls.forum_id}/suspensions", user_id=cls.bob.user_id, hours=24,
                    reason="x").status_code == 403
    assert api.post(cls.teacher, f"/forums/{cls.forum_id}/suspensions", user_id=cls.bob.user_id, hours=0,
                    reason="x").status_code == 422
    assert api.head() == head
    r = api.post(cls.teacher, f"/forums/{cls.forum_id}/suspensions", user_id=cls.bob.user_id, hours=24,
                 reason="spamming")
    assert r.status_code == 201, r.text
    r = api.post(cls.bob, f"/forum/threads/{started['thread_id']}/posts", body="hi")
    assert r.status_code == 403 and "suspended" in r.json()["detail"]
    assert api.post(cls.bob, f"/forums/{cls.forum_id}/threads", title="t", body="b").status_code == 403
    suspended = api.get(cls.teacher, f"/forums/{cls.forum_id}/suspensions").json()["items"]
    assert [(s["user_id"], s["reason"]) for s in suspended] == [(cls.bob.user_id, "spamming")]
    assert api.get(cls.bob, f"/forums/{cls.forum_id}/suspensions").status_code == 403
    assert api.delete(cls.teacher, f"/forums/{cls.forum_id}/suspensions/{cls.bob.user_id}", reason="served").status_code == 200
    api.reply(cls.bob, started["thread_id"], "back")


def test_every_moderation_action_is_an_audited_event_with_moderator_and_reason(api: ForumApi, cls: ClassForum, people):
    auditor = people("auditor", Role.AUDITOR)
    started = api.thread(cls.alice, cls.forum_id)
    reply = api.reply(cls.bob, started["thread_id"], "oops")
    api.post(cls.teacher, f"/forum/posts/{reply}/moderation", action="hide", reason="off-topic remark")
    api.post(cls.teacher, f"/forum/threads/{started['thread_id']}/moderation", action="pin", reason="useful")
    events = []
    for aggregate_id in (reply, started["thread_id"]):
        r = api.get(auditor, "/audit/events", aggregate_id=aggregate_id)
        assert r.status_code == 200, r.text
        events += r.json()["items"]
    by_type = {e["type"].rsplit(".", 2)[-2] + "." + e["type"].rsplit(".", 1)[-1]: e for e in events}
    hidden, pinned = by_type["Post.Hidden"], by_type["Thread.Pinned"]
    assert hidden["actor_id"] == cls.teacher.user_id and hidden["data"]["reason"] == "off-topic remark"
    assert pinned["actor_id"] == cls.teacher.user_id and pinned["data"]["reason"] == "useful"
    assert api.get(cls.alice, "/audit/events", aggregate_id=reply).status_code == 403


def test_posting_is_rate_limited_per_person(api: ForumApi, cls: ClassForum, app, monkeypatch, make_person):
    eager = make_person()  # no posts counted yet
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=eager.user_id).status_code == 201
    monkeypatch.setattr(app.state.deps.settings, "forum_posts_per_window", 3)
    started = api.thread(eager, cls.forum_id)
    api.reply(eager, started["thread_id"])
    api.reply(eager, started["thread_id"])
    head = api.head()
    r = api.post(eager, f"/forum/threads/{started['thread_id']}/posts", body="one too many")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert api.head() == head
    other = make_person()  # others still post
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=other.user_id).status_code == 201
    api.reply(other, started["thread_id"])


def test_a_new_accounts_first_posts_with_links_wait_for_approval(api: ForumApi, cls: ClassForum, make_person):
    newcomer = make_person()
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=newcomer.user_id).status_code == 201
    started = api.thread(cls.alice, cls.forum_id)
    r = api.post(newcomer, f"/forum/threads/{started['thread_id']}/posts", body="cheap [pills](https://spam.example)")
    assert r.status_code == 201 and r.json()["pending"] is True
    waiting = r.json()["post_id"]
    plain = api.reply(newcomer, started["thread_id"], "no links here")
    assert [p["post_id"] for p in api.show(cls.bob, started["thread_id"])["posts"]["items"]][1:] == [plain]
    assert waiting in [p["post_id"] for p in api.show(newcomer, started["thread_id"])["posts"]["items"]]
    assert ("pending", waiting) in _queue(api, cls.teacher)
    assert api.put(cls.bob, f"/forum/posts/{waiting}/vote").status_code == 404
    assert api.post(cls.teacher, f"/forum/posts/{waiting}/moderation", action="approve", reason="fine").status_code == 200
    assert waiting in [p["post_id"] for p in api.show(cls.bob, started["thread_id"])["posts"]["items"]]
    assert ("pending", waiting) not in _queue(api, cls.teacher)
    assert api.reply(cls.teacher, started["thread_id"], "see https://docs.example")  # staff never wait


def test_a_held_post_tells_people_once_approved_and_a_rejected_one_never(api: ForumApi, cls: ClassForum,
                                                                          make_person):
    asker, follower, mentioned, newcomer = make_person(), make_person(), make_person(), make_person()
    for person in (asker, follower, mentioned, newcomer):
        assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=person.user_id).status_code == 201
    handle = api.rename(mentioned, f"Mentioned {uuid.uuid4().hex[:8]}")
    started = api.thread(asker, cls.forum_id)
    assert api.post(follower, "/forum/follows", kind="thread", target_id=started["thread_id"]).status_code == 201
    held = []
    for words in ("see https://example.com/a", "buy at https://spam.example"):
        r = api.post(newcomer, f"/forum/threads/{started['thread_id']}/posts", body=f"@{handle} {words}")
        assert r.status_code == 201 and r.json()["pending"] is True and r.json()["mentioned_ids"] == [mentioned.user_id]
        held.append(r.json()["post_id"])
    for person in (asker, follower, mentioned):
        assert api.inbox(person) == []  # nothing before approval
    assert api.post(cls.teacher, f"/forum/posts/{held[1]}/moderation", action="hide", reason="spam").status_code == 200
    assert api.post(cls.teacher, f"/forum/posts/{held[0]}/moderation", action="approve", reason="ok").status_code == 200
    for person in (asker, follower, mentioned):
        assert api.inbox(person) == ["forum_post"]  # the approved post, once; the rejected one never
    assert api.inbox(newcomer) == []  # never told of their own post
