"""Threads and replies: the threaded view, quotes, edit history, deletion by the author,
mentions, sanitised Markdown, anonymous posts and the author's erasure."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.api.forum.conftest import ClassForum, ForumApi


def test_a_thread_shows_replies_to_replies_as_a_tree(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id, kind="question")
    first = api.reply(cls.bob, started["thread_id"], "First answer")
    second = api.reply(cls.teacher, started["thread_id"], "Second answer")
    nested = api.reply(cls.alice, started["thread_id"], "A reply to the first", parent_id=first)
    view = api.show(cls.bob, started["thread_id"])
    order = [(p["post_id"], p["depth"]) for p in view["posts"]["items"]]
    assert order == [(started["post_id"], 0), (first, 1), (nested, 2), (second, 1)]
    assert view["reply_count"] == 3 and view["kind"] == "question" and view["title"] == "How do I solve x + 1 = 2?"
    assert view["posts"]["items"][0]["body_html"] == "<p>I tried <em>everything</em>.</p>"
    page = api.show(cls.bob, started["thread_id"], limit=2)["posts"]
    assert [p["post_id"] for p in page["items"]] == [started["post_id"], first]
    rest = api.show(cls.bob, started["thread_id"], limit=2, cursor=page["next_cursor"])["posts"]
    assert [p["post_id"] for p in rest["items"]] == [nested, second]


def test_a_quote_shows_the_quoted_posts_current_words(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id)
    quoted = api.reply(cls.bob, started["thread_id"], "Quote me")
    quoting = api.reply(cls.alice, started["thread_id"], "Indeed", quoted_post_id=quoted)
    posts = {p["post_id"]: p for p in api.show(cls.bob, started["thread_id"])["posts"]["items"]}
    assert posts[quoting]["quote"] == {"post_id": quoted, "body_html": "<p>Quote me</p>"}
    other = api.thread(cls.alice, cls.forum_id, title="Another")
    r = api.post(cls.alice, f"/forum/threads/{other['thread_id']}/posts", body="x", quoted_post_id=quoted)
    assert r.status_code == 422 and "quoted_post_id" in r.text


def test_edits_keep_a_visible_history_and_only_the_author_edits(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id, body="first version")
    post_id = started["post_id"]
    assert api.patch(cls.alice, f"/forum/posts/{post_id}", body="second **version**").status_code == 200
    assert api.patch(cls.alice, f"/forum/posts/{post_id}", body="third version").status_code == 200
    head = api.head()
    assert api.patch(cls.bob, f"/forum/posts/{post_id}", body="vandalised").status_code == 403
    assert api.patch(cls.teacher, f"/forum/posts/{post_id}", body="").status_code == 422
    assert api.head() == head
    post = api.show(cls.bob, started["thread_id"])["posts"]["items"][0]
    assert post["body_html"] == "<p>third version</p>" and post["revisions"] == 2 and post["edited_at"]
    history = api.get(cls.bob, f"/forum/posts/{post_id}/history").json()["revisions"]
    assert [h["body_html"] for h in history] == ["<p>first version</p>", "<p>second <strong>version</strong></p>"]


def test_a_deleted_post_stays_as_deleted_with_its_replies(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id)
    answer = api.reply(cls.bob, started["thread_id"], "my quixotic answer")
    under = api.reply(cls.alice, started["thread_id"], "thanks", parent_id=answer)
    assert api.delete(cls.alice, f"/forum/posts/{answer}").status_code == 403  # not hers
    assert api.delete(cls.bob, f"/forum/posts/{answer}").status_code == 200
    assert api.delete(cls.bob, f"/forum/posts/{answer}").status_code == 409
    assert api.patch(cls.bob, f"/forum/posts/{answer}", body="back").status_code == 409
    posts = {p["post_id"]: p for p in api.show(cls.teacher, started["thread_id"])["posts"]["items"]}
    assert posts[answer]["status"] == "deleted" and posts[answer]["body_html"] == "<p>[deleted]</p>"
    assert posts[under]["body_html"] == "<p>thanks</p>" and posts[under]["parent_id"] == answer
    assert api.get(cls.bob, f"/forum/posts/{answer}/history").json()["revisions"] == []
    assert api.search(cls.teacher, "quixotic", forum_id=cls.forum_id) == []


INJECTIONS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<svg onload="alert(1)"><circle/></svg>',
    '<a href="#" onclick="alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    "[x](vbscript:msgbox(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
]


_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)


class _Tags(HTMLParser):
    """Every tag and attribute the browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@pytest.mark.parametrize("markdown", INJECTIONS)
def test_known_injection_vectors_render_harmless(api: ForumApi, cls: ClassForum, markdown: str):
    started = api.thread(cls.teacher, cls.forum_id, body=f"Look: {markdown}")
    html = api.show(cls.bob, started["thread_id"])["posts"]["items"][0]["body_html"]
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in {"p", "a", "img", "em", "strong", "code"}, html
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", html
            if name in ("href", "src"):
                scheme = _SCHEME.match(value or "")  # no scheme: a relative address
                assert scheme is None or scheme[1].lower() in ("http", "https", "mailto"), html


def test_anonymous_posts_hide_the_author_from_classmates_not_from_the_teacher(api: ForumApi, cls: ClassForum):
    started = api.thread(cls.alice, cls.forum_id, anonymous=True, title="A shy question")
    reply = api.reply(cls.alice, started["thread_id"], "me again", anonymous=True)
    for who, expected_id in ((cls.bob, None), (cls.teacher, cls.alice.user_id), (cls.alice, cls.alice.user_id)):
        view = api.show(who, started["thread_id"])
        assert view["author_id"] == expected_id
        assert [p["author_id"] for p in view["posts"]["items"]] == [expected_id, expected_id]
        listed = api.get(who, f"/forums/{cls.forum_id}/threads").json()["items"]
        assert [t["author_id"] for t in listed] == [expected_id]
    assert api.show(cls.bob, started["thread_id"])["author_name"] == "Anonymous"
    # Searching by author does not reveal the anonymous author to a classmate.
    assert api.search(cls.bob, "shy", author_id=cls.alice.user_id) == []
    assert [h["post_id"] for h in api.search(cls.teacher, "shy", author_id=cls.alice.user_id)] == [started["post_id"]]
    assert reply


def test_anonymous_posting_needs_a_forum_that_allows_it(api: ForumApi, cls: ClassForum):
    strict = api.forum(cls.teacher, "class", cls.class_id)
    r = api.post(cls.alice, f"/forums/{strict}/threads", title="t", body="b", anonymous=True)
    assert r.status_code == 422 and "anonymous" in r.text


def test_the_authors_erasure_removes_their_posts_words(api: ForumApi, cls: ClassForum, client, make_person):
    carol = make_person()  # erased at the end: not a shared person
    assert api.post(cls.teacher, f"/classes/{cls.class_id}/students", user_id=carol.user_id).status_code == 201
    cls.alice = carol
    started = api.thread(cls.alice, cls.forum_id, title="Zanzibar question", body="zanzibar details", anonymous=True)
    answer = api.reply(cls.bob, started["thread_id"], "zanzibar answer")
    api.patch(cls.alice, f"/forum/posts/{started['post_id']}", body="zanzibar edited")
    r = client.post(f"/api/v1/users/{cls.alice.user_id}/erasure", headers=cls.alice.headers)
    assert r.status_code == 200, r.text
    api.position = r.json()["position"]
    view = api.show(cls.teacher, started["thread_id"])
    assert view["title"] == "[erased]"
    posts = {p["post_id"]: p for p in view["posts"]["items"]}
    assert posts[started["post_id"]]["body_html"] == "<p>[erased]</p>"
    assert posts[answer]["body_html"] == "<p>zanzibar answer</p>"
    assert api.get(cls.teacher, f"/forum/posts/{started['post_id']}/history").json()["revisions"][0]["body_html"] \
        == "<p>[erased]</p>"
    assert [h["post_id"] for h in api.search(cls.teacher, "zanzibar")] == [answer]
