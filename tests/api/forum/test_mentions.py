"""@name mentions: found in the post's Markdown (never in code), resolved to people who can read
the forum, shown as links, and told once; an erased person is neither mentioned nor linked."""

from __future__ import annotations

import re
import uuid

from tests.api.forum.conftest import ClassForum, ForumApi


def _name(first: str) -> str:
    return f"{first} {uuid.uuid4().hex[:8]}"  # unique in the run: handles must not collide by accident


def _mention_links(html: str) -> list[tuple[str, str]]:
    """(person id, link text) of each link to a person in a post's HTML."""
    return re.findall(r'<a href="/people/([0-9a-f-]{36})"[^>]*>([^<]*)</a>', html)


def _post(api: ForumApi, who, thread_id: str, post_id: str) -> dict:
    return next(p for p in api.show(who, thread_id)["posts"]["items"] if p["post_id"] == post_id)


def test_names_mention_readers_of_the_forum_outside_code_and_link_them(api: ForumApi, cls: ClassForum,
                                                                      make_person):
    bea, carol, outsider = make_person(), make_person(), make_person()
    for person in (bea, carol):
        assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=person.user_id).status_code == 201
    bea_h, carol_h, outsider_h = (api.rename(p, _name(n)) for p, n in ((bea, "Bea"), (carol, "Carol"),
                                                                       (outsider, "Otto")))
    body = (f"Thanks @{bea_h.upper()}! Ask @{outsider_h} or @nobody_{uuid.uuid4().hex[:6]}; mail x@{carol_h}.org"
            f" or see `@{carol_h}`.\n\n```\n@{carol_h}\n```\n\n[@{carol_h}](https://example.com) and @{bea_h} again.")
    started = api.thread(cls.teacher, cls.forum_id, body=body)  # staff: a link never holds it
    assert started["mentioned_ids"] == [bea.user_id]
    assert sorted(u["reason"] for u in started["unresolved_mentions"]) == ["unknown", "unknown"]
    assert outsider_h in {u["name"] for u in started["unresolved_mentions"]}  # not a reader: not even named
    post = _post(api, bea, started["thread_id"], started["post_id"])
    assert post["mentioned_ids"] == [bea.user_id]
    assert _mention_links(post["body_html"]) == [(bea.user_id, f"@{bea_h.upper()}"), (bea.user_id, f"@{bea_h}")]
    assert f"<code>@{carol_h}</code>" in post["body_html"]
    assert api.inbox(bea) == ["forum_post"]
    assert api.inbox(carol) == [] and api.inbox(outsider) == []


def test_a_shared_name_mentions_nobody_and_oneself_is_never_told(api: ForumApi, cls: ClassForum, make_person):
    twin1, twin2, writer = make_person(), make_person(), make_person()
    for person in (twin1, twin2, writer):
        assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=person.user_id).status_code == 201
    same = _name("Sam")
    handle = api.rename(twin1, same)
    api.rename(twin2, same)
    me = api.rename(writer, _name("Wanda"))
    started = api.thread(writer, cls.forum_id, body=f"@{handle} and me, @{me}")
    assert started["mentioned_ids"] == [writer.user_id]
    assert started["unresolved_mentions"] == [{"name": handle, "reason": "ambiguous"}]
    assert api.inbox(twin1) == [] and api.inbox(twin2) == [] and api.inbox(writer) == []


def test_an_edit_tells_only_the_newly_mentioned(api: ForumApi, cls: ClassForum, make_person):
    bea, carol = make_person(), make_person()
    for person in (bea, carol):
        assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=person.user_id).status_code == 201
    bea_h, carol_h = api.rename(bea, _name("Bea")), api.rename(carol, _name("Carol"))
    started = api.thread(cls.teacher, cls.forum_id, body=f"@{bea_h} please look")
    assert api.inbox(bea) == ["forum_post"]
    r = api.patch(cls.teacher, f"/forum/posts/{started['post_id']}", body=f"@{bea_h} and @{carol_h} please look")
    assert r.status_code == 200 and r.json()["mentioned_ids"] == [bea.user_id, carol.user_id], r.text
    assert api.inbox(bea) == ["forum_post"]  # not told twice
    assert api.inbox(carol) == ["forum_post"]
    api.patch(cls.teacher, f"/forum/posts/{started['post_id']}", body="nobody")
    api.patch(cls.teacher, f"/forum/posts/{started['post_id']}", body=f"@{carol_h} again")
    assert api.inbox(carol) == ["forum_post"]  # mentioned before: not told again
    post = _post(api, cls.teacher, started["thread_id"], started["post_id"])
    assert _mention_links(post["body_html"]) == [(carol.user_id, f"@{carol_h}")]


def test_an_erased_person_is_not_mentioned_and_loses_the_links(api: ForumApi, cls: ClassForum, client, make_person):
    dora = make_person()
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=dora.user_id).status_code == 201
    dora_h = api.rename(dora, _name("Dora"))
    started = api.thread(cls.alice, cls.forum_id, body=f"Hello @{dora_h}")
    api.patch(cls.alice, f"/forum/posts/{started['post_id']}", body=f"Hello @{dora_h}!")
    assert started["mentioned_ids"] == [dora.user_id]
    r = client.post(f"/api/v1/users/{dora.user_id}/erasure", headers=dora.headers)
    assert r.status_code == 200, r.text
    api.position = r.json()["position"]
    post = _post(api, cls.bob, started["thread_id"], started["post_id"])
    assert _mention_links(post["body_html"]) == [] and f"@{dora_h}!" in post["body_html"]  # the writer's words stay
    history = api.get(cls.alice, f"/forum/posts/{started['post_id']}/history").json()["revisions"]
    assert _mention_links(history[0]["body_html"]) == [] and f"@{dora_h}" in history[0]["body_html"]
    later = api.thread(cls.alice, cls.forum_id, body=f"Where is @{dora_h}?")
    assert later["mentioned_ids"] == [] and later["unresolved_mentions"] == [{"name": dora_h, "reason": "unknown"}]


def test_too_many_names_are_refused_and_change_nothing(api: ForumApi, cls: ClassForum):
    head = api.head()
    body = " ".join(f"@name{i}" for i in range(21))
    r = api.post(cls.alice, f"/forums/{cls.forum_id}/threads", title="t", body=body)
    assert r.status_code == 422 and "body" in r.text, r.text
    assert api.head() == head
