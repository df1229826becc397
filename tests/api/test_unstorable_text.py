"""Text PostgreSQL cannot store (a NUL character, an unpaired surrogate) is refused in every
context's writes with a 422 naming the field, and nothing is recorded, so the read models keep
running: a valid write right after is readable at its position. Search texts, filters, path
parameters and cursors holding NUL are a 422 too, never a 500. Commands called without the
API (the command line, demo data) are refused by the events' own guard."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import Response

from commands.identity.accounts import RegisterUser, register_user
from commands.pipeline import SYSTEM, execute
from domain.errors import InvalidInput
from domain.identity import Role
from domain.storable_text import text_problem
from projections.engine.tracking import log_head
from tests.api.catalog.conftest import course_body
from tests.api.certification.conftest import CertKit
from tests.api.conftest import PASSWORD, Person, unique_email
from tests.media_samples import pdf

API = "/api/v1"
NUL, SURROGATE = "x\x00y", "\ud800"
# Not ASCII and outside the BMP: JSON sends 𝄞 as the pair \ud834\udd1e, which is valid text.
VALID = "naïve café 𝄞"


class Env:
    """The test client and the people a case needs."""

    def __init__(self, client: Any, make_person: Any, app: Any) -> None:
        self.client, self.make_person, self.app = client, make_person, app

    def send(self, method: str, path: str, body: Any, who: Person | None = None) -> Response:
        # json.dumps escapes NUL and a lone surrogate (\u0000, \ud800) as a client may send them.
        headers = {**(who.headers if who else {}), "Content-Type": "application/json"}
        return self.client.request(method, f"{API}{path}", content=json.dumps(body), headers=headers)

    def read(self, path: str, who: Person | None, position: int, **params: Any) -> Any:
        r = self.client.get(f"{API}{path}", headers=who.headers if who else {},
                            params={"min_position": position, **params})
        assert r.status_code == 200, r.text
        return r.json()

    def created(self, r: Response, status: int = 201) -> dict[str, Any]:
        assert r.status_code == status, r.text
        return r.json()


@dataclass
class Write:
    field: str                          # what the 422 names
    send: Callable[[str], Response]     # the write, with the text in that field
    read: Callable[[Response], Any]     # the text as the read model holds it, at the write's position
    in_url: bool = False                # a URL carries UTF-8 bytes: a lone surrogate cannot be put in one


def _found(items: list[dict[str, Any]], key: str, value: Any) -> dict[str, Any]:
    return next(item for item in items if item[key] == value)


def register(env: Env) -> Write:
    admin = env.make_person(Role.ADMIN)
    return Write(
        "body.display_name",
        lambda text: env.send("POST", "/users", {"email": unique_email(), "password": PASSWORD, "display_name": text}),
        lambda r: env.read(f"/users/{r.json()['user_id']}", admin, r.json()["position"])["display_name"],
    )


def profile_bio(env: Env) -> Write:
    me = env.make_person()
    return Write(
        "body.bio",
        lambda text: env.send("PATCH", f"/users/{me.user_id}", {"display_name": "Bio Person", "bio": text}, me),
        lambda r: env.read(f"/users/{me.user_id}", me, r.json()["position"])["bio"],
    )


def creator_application(env: Env) -> Write:
    me, moderator = env.make_person(), env.make_person(Role.MODERATOR)

    def read(r: Response) -> str:
        found, cursor = [], None  # oldest first: page until this person's application
        while not found:
            page = env.read("/creator-applications", moderator, r.json()["position"], limit=200,
                            **({"cursor": cursor} if cursor else {}))
            found, cursor = [a for a in page["items"] if a["user_id"] == me.user_id], page["next_cursor"]
            assert found or cursor, "the application is not listed"
        return found[0]["motivation"]

    return Write("body.motivation", lambda text: env.send("POST", "/creator-applications", {"motivation": text}, me),
                 read)


def course_text(field: str) -> Callable[[Env], Write]:
    def make(env: Env) -> Write:
        author = env.make_person(Role.CREATOR)
        return Write(
            f"body.{field}",
            lambda text: env.send("POST", "/courses", course_body(**{field: text}), author),
            lambda r: env.read(f"/courses/{r.json()['course_id']}", author, r.json()["position"])["draft"][field],
        )

    return make


def category_name(env: Env) -> Write:
    moderator = env.make_person(Role.MODERATOR)

    def read(r: Response) -> str:
        return _found(env.read("/categories", None, r.json()["position"]), "category_id", r.json()["category_id"])["name"]

    return Write("body.name", lambda text: env.send("POST", "/categories", {"name": text}, moderator), read)


def class_name(env: Env) -> Write:
    teacher = env.make_person(Role.TEACHER)
    return Write(
        "body.name",
        lambda text: env.send("POST", "/classes", {"name": text}, teacher),
        lambda r: env.read(f"/classes/{r.json()['class_id']}", teacher, r.json()["position"])["name"],
    )


def lesson_body(env: Env) -> Write:
    teacher = env.make_person(Role.TEACHER)
    class_id = env.created(env.send("POST", "/classes", {"name": "Lessons"}, teacher))["class_id"]
    lessons = f"/classes/{class_id}/lessons"
    return Write(
        "body.body",
        lambda text: env.send("POST", lessons, {"title": "Lesson", "body": text}, teacher),
        lambda r: env.read(f"{lessons}/{r.json()['lesson_id']}", teacher, r.json()["position"])["body"],
    )


def media_file_name(env: Env) -> Write:
    teacher = env.make_person(Role.TEACHER)

    def send(text: str) -> Response:
        return env.client.post(f"{API}/media", params={"filename": text}, content=pdf(uuid.uuid4().hex),
                               headers={**teacher.headers, "Content-Type": "application/octet-stream"})

    def read(r: Response) -> str:
        return _found(env.read("/media", teacher, r.json()["position"], limit=200)["items"],
                      "media_id", r.json()["media_id"])["filename"]

    return Write("query.filename", send, read, in_url=True)


def push_endpoint(env: Env) -> Write:
    me = env.make_person()
    keys = {"p256dh": "BD" + "A" * 85, "auth": "A" * 22}  # 65 bytes starting 0x04, 16 bytes

    def read(r: Response) -> str:
        subscriptions = env.read("/notifications/push-subscriptions", me, r.json()["position"])
        return _found(subscriptions, "subscription_id", r.json()["subscription_id"])["endpoint"]

    return Write(
        "body.endpoint",
        lambda text: env.send("POST", "/notifications/push-subscriptions",
                              {"endpoint": f"https://push.example.com/{text}", "keys": keys}, me),
        lambda r: read(r).removeprefix("https://push.example.com/"),
    )


def override_reason(env: Env) -> Write:
    ck = CertKit(env.client, env.make_person, {}, env.app)
    course, student = ck.published(), env.make_person()
    path = f"/gradebooks/{course['course_id']}/students/{student.user_id}"
    return Write(
        "body.reason",
        lambda text: env.send("PUT", f"{path}/override", {"grade": 80, "reason": text}, ck.author),
        lambda r: env.read(path, ck.author, r.json()["position"])["override_reason"],
    )


def revocation_reason(env: Env) -> Write:
    ck, student = CertKit(env.client, env.make_person, {}, env.app), env.make_person()
    course = ck.completed(student)
    _, position = ck.issue()
    certificate = f"/certificates/{ck.certificate_of(student, course, position)['certificate_id']}"
    return Write(
        "body.reason",
        lambda text: env.send("POST", f"{certificate}/revocation", {"reason": text}, ck.author),
        lambda r: env.read(certificate, student, r.json()["position"])["revoked_reason"],
    )


def bank_title(env: Env) -> Write:
    teacher = env.make_person(Role.TEACHER)
    return Write(
        "body.title",
        lambda text: env.send("POST", "/question-banks", {"title": text}, teacher),
        lambda r: env.read(f"/question-banks/{r.json()['bank_id']}", teacher, r.json()["position"])["title"],
    )


# One text field of each context's main write; community, live and personalization take no writes.
WRITES: dict[str, Callable[[Env], Write]] = {
    "identity: display name": register, "identity: profile bio": profile_bio,
    "identity: creator application": creator_application,
    "catalog: course title": course_text("title"), "catalog: course description": course_text("description"),
    "catalog: category name": category_name, "classroom: class name": class_name,
    "classroom: lesson body": lesson_body, "classroom: media file name": media_file_name,
    "notification: push endpoint": push_endpoint, "certification: gradebook override reason": override_reason,
    "certification: revocation reason": revocation_reason, "assessment: question bank title": bank_title,
}


@pytest.mark.parametrize("context_field", list(WRITES))
def test_unstorable_text_is_a_422_that_records_nothing_and_the_read_models_keep_running(
    client, make_person, app, context_field,
):
    write = WRITES[context_field](Env(client, make_person, app))
    pool = app.state.deps.pool
    for bad in (NUL, *(() if write.in_url else (SURROGATE, f"ok {SURROGATE} ok"))):
        head = log_head(pool)
        r = write.send(bad)
        assert r.status_code == 422, (bad, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["errors"] == [{"field": write.field, "message": text_problem(bad)}]
        assert log_head(pool) == head, "a refused write recorded something"
    text = f"{VALID} {uuid.uuid4().hex[:8]}"
    r = write.send(text)
    assert r.status_code in (200, 201), r.text
    assert write.read(r) == text


def test_a_key_holding_unstorable_text_is_named_escaped(client, make_person, app):
    """A surrogate echoed in the problem could not even be encoded (a 500): the key is shown escaped."""
    me = make_person()
    head = log_head(app.state.deps.pool)
    r = Env(client, make_person, app).send("PUT", "/notifications/preferences",
                                           {"channels": {f"role{SURROGATE}": {"email": False}}}, me)
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "body.channels.role\\ud800", "message": text_problem(SURROGATE)}]
    assert log_head(app.state.deps.pool) == head


@pytest.mark.parametrize("path, params, field", [
    ("/courses", {"q": NUL}, "query.q"), ("/courses", {"tag": NUL}, "query.tag"),
    ("/courses", {"language": NUL}, "query.language"), ("/courses", {"sort": NUL}, "query.sort"),
    ("/courses", {"cursor": NUL}, "query.cursor"), ("/courses", {"tag": ["fine", NUL]}, "query.tag"),
    ("/users", {"q": NUL}, "query.q"), ("/users", {"cursor": f"abc{NUL}"}, "query.cursor"),
    ("/audit/events", {"event_type": NUL}, "query.event_type"),
    ("/creator-applications", {"cursor": NUL}, "query.cursor"),
    ("/certificates/verify/%00", {}, "path.code"), ("/courses/a%00b", {}, "path.course_id"),
])
def test_nul_in_a_search_filter_path_or_cursor_is_a_422_not_a_500(client, make_person, path, params, field):
    admin = make_person(Role.ADMIN)
    r = client.get(f"{API}{path}", params=params, headers=admin.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": field, "message": text_problem(NUL)}]


def test_a_command_run_without_the_api_cannot_record_unstorable_text(app):
    """As the command line or the demo loader would: the event's own guard refuses it."""
    deps = app.state.deps
    head = log_head(deps.pool)
    cmd = RegisterUser(email=unique_email(), password=PASSWORD, display_name=f"Ada{NUL}")
    with pytest.raises(InvalidInput) as refused:
        execute(register_user, cmd, SYSTEM, deps)
    assert refused.value.fields == {"display_name": text_problem(NUL)}
    assert log_head(deps.pool) == head
