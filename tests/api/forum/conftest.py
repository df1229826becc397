"""Forum test helpers: a class forum with its teacher and two students, and thin helpers over
the forum API (each asserts what it needs and returns the JSON or the response)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import Response

from domain.identity import Role
from projections.engine.tracking import log_head
from tests.api.catalog.conftest import CatalogKit
from tests.api.conftest import Person


class ForumApi:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.position = 0

    def _keep(self, r: Response) -> Response:
        if r.status_code < 300 and "position" in r.json():
            self.position = max(self.position, r.json()["position"])
        return r

    def post(self, who: Person, path: str, **json: Any) -> Response:
        return self._keep(self.client.post(f"/api/v1{path}", headers=who.headers, json=json))

    def put(self, who: Person, path: str) -> Response:
        return self._keep(self.client.put(f"/api/v1{path}", headers=who.headers))

    def patch(self, who: Person, path: str, **json: Any) -> Response:
        return self._keep(self.client.patch(f"/api/v1{path}", headers=who.headers, json=json))

    def delete(self, who: Person, path: str, **params: Any) -> Response:
        return self._keep(self.client.delete(f"/api/v1{path}", headers=who.headers, params=params))

    def get(self, who: Person, path: str, **params: Any) -> Response:
        return self.client.get(f"/api/v1{path}", headers=who.headers, params={"min_position": self.position, **params})

    def forum(self, who: Person, scope: str, scope_id: str | None, **fields: Any) -> str:
        r = self.post(who, "/forums", scope=scope, scope_id=scope_id, **{"title": f"{scope} forum", **fields})
        assert r.status_code == 201, r.text
        return r.json()["forum_id"]

    def thread(self, who: Person, forum_id: str, title: str = "How do I solve x + 1 = 2?",
               body: str = "I tried *everything*.", **fields: Any) -> dict[str, Any]:
        r = self.post(who, f"/forums/{forum_id}/threads", title=title, body=body, **fields)
        assert r.status_code == 201, r.text
        return r.json()

    def reply(self, who: Person, thread_id: str, body: str = "Subtract one from both sides.", **fields: Any) -> str:
        r = self.post(who, f"/forum/threads/{thread_id}/posts", body=body, **fields)
        assert r.status_code == 201, r.text
        return r.json()["post_id"]

    def show(self, who: Person, thread_id: str, **params: Any) -> dict[str, Any]:
        r = self.get(who, f"/forum/threads/{thread_id}", **params)
        assert r.status_code == 200, r.text
        return r.json()

    def search(self, who: Person, q: str, **params: Any) -> list[dict[str, Any]]:
        r = self.get(who, "/forum/search", q=q, **params)
        assert r.status_code == 200, r.text
        return r.json()["items"]

    def rename(self, who: Person, display_name: str) -> str:
        """Give the person a display name, wait until the identity read model shows it (mentions
        are resolved from it), and return their handle."""
        r = self.patch(who, f"/users/{who.user_id}", display_name=display_name)
        assert r.status_code == 200, r.text
        r = self.client.get(f"/api/v1/users/{who.user_id}", headers=who.headers,
                            params={"min_position": r.json()["position"]})
        assert r.status_code == 200 and r.json()["display_name"] == display_name, r.text
        return "_".join(display_name.split()).lower()

    def inbox(self, who: Person) -> list[str]:
        """The types of the forum notifications in the person's inbox."""
        r = self.get(who, "/notifications", limit=200)
        assert r.status_code == 200, r.text
        return sorted(m["type"] for m in r.json()["items"] if m["type"].startswith("forum_"))

    def head(self) -> int:
        return log_head(self.client.app.state.deps.pool)


@dataclass
class ClassForum:
    teacher: Person
    alice: Person
    bob: Person
    class_id: str
    forum_id: str


@pytest.fixture
def api(client) -> ForumApi:
    return ForumApi(client)


def class_of(api: ForumApi, teacher: Person, students: list[Person]) -> str:
    r = api.post(teacher, "/classes", name="Algebra 1")
    assert r.status_code == 201, r.text
    class_id = r.json()["class_id"]
    for s in students:
        assert api.post(teacher, f"/classes/{class_id}/students", user_id=s.user_id).status_code == 201
    return class_id


# Access tokens live 15 minutes: shared people older than this are made anew.
REUSE_SECONDS = 600


@pytest.fixture(scope="session")
def shared_people() -> dict[str, tuple[Person, float]]:
    return {}


@pytest.fixture
def people(make_person, shared_people) -> Callable[[str, Role | None], Person]:
    """people(name, role): a person shared by the tests of a run (registering is the slow part
    of a test). Tests that need a new account (its first posts, its erasure) make their own."""

    def get(name: str, role: Role | None = None) -> Person:
        person, made = shared_people.get(name, (None, 0.0))
        if person is None or time.monotonic() - made > REUSE_SECONDS:
            person, made = make_person(*([role] if role else [])), time.monotonic()
            shared_people[name] = (person, made)
        return person

    return get


@pytest.fixture(autouse=True)
def generous_rate_limit(app, monkeypatch) -> None:
    """Shared people post a lot in a run; the rate limit has a test of its own."""
    monkeypatch.setattr(app.state.deps.settings, "forum_posts_per_window", 10_000)


@pytest.fixture
def cls(api: ForumApi, people) -> ClassForum:
    """A new class forum that allows anonymous posts, with a teacher and two students."""
    teacher, alice, bob = people("teacher", Role.TEACHER), people("alice"), people("bob")
    class_id = class_of(api, teacher, [alice, bob])
    forum_id = api.forum(teacher, "class", class_id, allow_anonymous=True)
    return ClassForum(teacher, alice, bob, class_id, forum_id)


@pytest.fixture
def kit(client, make_person, shared_people) -> CatalogKit:
    """The catalog's helpers, to publish courses whose forums the tests open."""
    return CatalogKit(client, make_person, shared_people)
