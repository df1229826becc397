"""Following categories, and the notice of a new course published in (or below) one."""

from __future__ import annotations

import uuid

from domain.identity import Role
from tests.api.catalog.conftest import course_body, event_count
from tests.api.notification.helpers import running, text_of, titles

FOLLOWED = "/api/v1/me/followed-categories"


def _category(client, moderator, name: str, parent_id: str | None = None) -> str:
    r = client.post("/api/v1/categories", json={"name": name, "parent_id": parent_id}, headers=moderator.headers)
    assert r.status_code == 201, r.text
    return r.json()["category_id"]


def _follow(client, person, category_id: str) -> int:
    r = client.put(f"{FOLLOWED}/{category_id}", headers=person.headers)
    assert r.status_code == 200, r.text
    return r.json()["position"]


def test_following_and_unfollowing_a_category(client, make_person, catalog, infra):
    name = f"Languages {uuid.uuid4().hex[:6]}"
    languages = _category(client, catalog.moderator, name)
    spanish = _category(client, catalog.moderator, "Spanish", languages)
    ana = make_person()
    r = client.put(f"{FOLLOWED}/{languages}", headers=ana.headers)
    assert r.status_code == 200 and r.json()["following"] and r.json()["position"] > 0
    again = client.put(f"{FOLLOWED}/{languages}", headers=ana.headers)
    assert again.status_code == 200 and again.json()["position"] == 0  # nothing new recorded
    listed = client.get(FOLLOWED, headers=ana.headers, params={"min_position": r.json()["position"]})
    assert listed.json() == [{"category_id": languages, "name": name, "parent_id": None}]

    # Refused requests record nothing.
    before = event_count(infra, None, "CategoryFollow.%")
    missing = client.put(f"{FOLLOWED}/{uuid.uuid4()}", headers=ana.headers)
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert client.put(f"{FOLLOWED}/not-a-uuid", headers=ana.headers).status_code == 422
    assert client.put(f"{FOLLOWED}/{spanish}").status_code == 401
    assert client.get(FOLLOWED).status_code == 401
    assert client.delete(f"{FOLLOWED}/{spanish}", headers=ana.headers).status_code == 404  # not followed
    assert event_count(infra, None, "CategoryFollow.%") == before

    r = client.delete(f"{FOLLOWED}/{languages}", headers=ana.headers)
    assert r.status_code == 200 and not r.json()["following"]
    assert client.get(FOLLOWED, headers=ana.headers, params={"min_position": r.json()["position"]}).json() == []
    assert client.delete(f"{FOLLOWED}/{languages}", headers=ana.headers).status_code == 404
    # Following again after unfollowing works.
    assert _follow(client, ana, languages) > 0


def test_followers_hear_of_a_course_first_published_in_or_below_their_category(
    client, make_person, catalog, make_notifier, smtp,
):
    music = _category(client, catalog.moderator, f"Music {uuid.uuid4().hex[:6]}")
    salsa = _category(client, catalog.moderator, "Salsa", music)
    jazz = _category(client, catalog.moderator, "Jazz", music)
    author = make_person(Role.CREATOR)
    above, exact, elsewhere, bystander = make_person(), make_person(), make_person(), make_person()
    for person, category in [(above, music), (exact, salsa), (elsewhere, jazz), (author, music)]:
        _follow(client, person, category)

    title = f"Salsa for beginners {uuid.uuid4().hex[:6]}"
    course = catalog.create(author, title=title, category_ids=[salsa])
    with running(make_notifier(smtp.mailer())):
        position = catalog.publish(course)
        for person in (above, exact):
            assert titles(client, person, position, "course_published") == [f"New course: {title}"]
            [mail] = smtp.wait_for(person.email)
            assert mail["Subject"] == f"New course: {title}" and "Salsa, a category you follow" in text_of(mail)
    for person in (elsewhere, bystander, author):  # the owner is not told of their own course
        assert titles(client, person, position, "course_published") == []

    # A later revision being published is not a new course.
    details = {k: v for k, v in course_body(title=title + " (2nd edition)").items() if k != "modules"}
    r = client.put(f"/api/v1/courses/{course['course_id']}", json={**details, "category_ids": [salsa]},
                   headers=author.headers)
    assert r.status_code == 200, r.text
    position = catalog.publish(course)
    assert titles(client, exact, position, "course_published") == [f"New course: {title}"]
