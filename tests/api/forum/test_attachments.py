"""Files attached to posts: typed from their bytes, within a per-person quota, and readable by
exactly those who may read the post."""

from __future__ import annotations

from domain.identity import Role
from projections.classroom.media import media
from projections.engine.tracking import wait_for_position
from tests import media_samples
from tests.api.forum.conftest import ClassForum, ForumApi


def _upload(api: ForumApi, who, data: bytes, filename: str = "pic.png"):
    return api.client.post("/api/v1/forum/attachments", params={"filename": filename}, content=data,
                           headers={**who.headers, "Content-Type": "application/octet-stream"})


def _download(api: ForumApi, who, media_id: str) -> int:
    return api.client.get(f"/api/v1/media/{media_id}/content", headers=who.headers).status_code


def test_a_posts_readers_open_its_attachment_and_nobody_else(api: ForumApi, cls: ClassForum, people):
    outsider = people("outsider")
    r = _upload(api, cls.alice, media_samples.png(seed=41))
    assert r.status_code in (200, 201), r.text
    media_id = r.json()["media_id"]
    assert r.json()["content_type"] == "image/png"
    assert _download(api, cls.bob, media_id) == 404  # not attached yet: the uploader's only
    assert _download(api, cls.alice, media_id) == 200
    started = api.thread(cls.teacher, cls.forum_id)
    r = api.post(cls.alice, f"/forum/threads/{started['thread_id']}/posts",
                 body=f"my drawing ![drawing](/api/v1/media/{media_id}/content)")
    assert r.status_code == 201, r.text
    post_id = r.json()["post_id"]
    api.position = r.json()["position"]
    html = api.show(cls.bob, started["thread_id"])["posts"]["items"][1]["body_html"]
    assert f'src="/api/v1/media/{media_id}/content"' in html
    assert _download(api, cls.bob, media_id) == 200
    assert _download(api, outsider, media_id) == 404
    api.post(cls.teacher, f"/forum/posts/{post_id}/moderation", action="hide", reason="not for here")
    assert _download(api, cls.bob, media_id) == 404
    assert _download(api, cls.teacher, media_id) == 200


def test_a_post_may_link_only_files_its_author_may_open(api: ForumApi, cls: ClassForum, make_person):
    other = make_person(Role.TEACHER)
    r = _upload(api, other, media_samples.png(seed=42))
    assert r.status_code in (200, 201)
    head = api.head()
    r = api.post(cls.alice, f"/forums/{cls.forum_id}/threads", title="t",
                 body=f"![x](/api/v1/media/{r.json()['media_id']}/content)")
    assert r.status_code == 422 and "body" in r.text
    assert api.head() == head


def test_attachments_are_typed_from_bytes_and_held_to_a_quota(api: ForumApi, cls: ClassForum, app, monkeypatch,
                                                             make_person):
    uploader = make_person()
    r = _upload(api, uploader, media_samples.elf(), filename="harmless.png")
    assert r.status_code == 422, r.text
    first = media_samples.png(seed=43)
    monkeypatch.setattr(app.state.deps.settings, "forum_attachment_quota_bytes", len(first) + 10)
    r = _upload(api, uploader, first)
    assert r.status_code == 201
    wait_for_position(app.state.deps.pool, [media], r.json()["position"], 10)  # the quota reads the media model
    assert _upload(api, uploader, first).status_code == 200  # the same bytes again cost nothing
    big = media_samples.png(width=8, height=8, seed=44)
    r = _upload(api, uploader, big)
    assert r.status_code == 413 and "quota" in r.text
    assert api.client.post("/api/v1/forum/attachments", content=first).status_code == 401


def test_an_erased_authors_attachments_are_no_longer_served_and_their_bytes_go(api: ForumApi, cls: ClassForum,
                                                                              client, app, make_person):
    erin, other = make_person(), make_person()  # erin is erased at the end
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=erin.user_id).status_code == 201
    only_hers, also_others = media_samples.png(seed=71), media_samples.png(seed=72)
    mine, shared = (_upload(api, erin, data).json() for data in (only_hers, also_others))
    theirs = _upload(api, other, also_others).json()  # the same bytes: one blob, two uploads
    started = api.thread(cls.teacher, cls.forum_id)
    api.reply(erin, started["thread_id"], f"![a](/api/v1/media/{mine['media_id']}/content)"
                                          f" ![b](/api/v1/media/{shared['media_id']}/content)")
    assert _download(api, cls.bob, mine["media_id"]) == 200 and _download(api, cls.bob, shared["media_id"]) == 200
    r = client.post(f"/api/v1/users/{erin.user_id}/erasure", headers=erin.headers)
    assert r.status_code == 200, r.text
    for media_id in (mine["media_id"], shared["media_id"]):
        assert _download(api, cls.bob, media_id) == 404
        assert _download(api, cls.teacher, media_id) == 404  # not even to the forum's moderators
    blobs = app.state.deps.blobs
    assert blobs.stored_size(mine["sha256"]) is None  # her bytes are gone
    assert blobs.stored_size(theirs["sha256"]) == len(also_others)
    assert _download(api, other, theirs["media_id"]) == 200  # the other uploader's file stays theirs
