"""The category tree: moderators and admins curate it; no cycles; only empty ones go."""

from __future__ import annotations

import uuid

import pytest

from domain.identity import Role
from tests.api.catalog.conftest import course_body, event_count

URL = "/api/v1/categories"


def _create(client, who, name, parent_id=None):
    r = client.post(URL, json={"name": name, "parent_id": parent_id}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()["category_id"], r.json()["position"]


def _tree(client, position):
    r = client.get(URL, params={"min_position": position})
    assert r.status_code == 200
    return {c["category_id"]: c for c in r.json()}


@pytest.mark.parametrize("role", [None, Role.CREATOR, Role.TEACHER])
def test_only_moderators_and_admins_change_categories(client, make_person, kit, role, infra):
    person = make_person(*([role] if role else []))
    cat, _ = _create(client, kit.moderator, f"Guarded {uuid.uuid4().hex[:6]}")
    before = event_count(infra, None, "CategoryTree.Category%")
    assert client.post(URL, json={"name": "Mine"}, headers=person.headers).status_code == 403
    assert client.post(URL, json={"name": "Mine"}).status_code == 401
    assert client.patch(f"{URL}/{cat}", json={"name": "X"}, headers=person.headers).status_code == 403
    assert client.post(f"{URL}/{cat}/move", json={"parent_id": None}, headers=person.headers).status_code == 403
    assert client.delete(f"{URL}/{cat}", headers=person.headers).status_code == 403
    assert event_count(infra, None, "CategoryTree.Category%") == before


def test_create_rename_move_and_delete(client, make_person, kit):
    admin = make_person(Role.ADMIN)
    suffix = uuid.uuid4().hex[:6]
    science, _ = _create(client, kit.moderator, f"Science {suffix}")
    physics, _ = _create(client, admin, "Physics", science)
    optics, pos = _create(client, kit.moderator, "Optics", physics)
    tree = _tree(client, pos)
    assert (tree[optics]["parent_id"], tree[optics]["depth"]) == (physics, 2)

    r = client.patch(f"{URL}/{physics}", json={"name": "  Physics & Astronomy "}, headers=kit.moderator.headers)
    assert r.status_code == 200
    assert _tree(client, r.json()["position"])[physics]["name"] == "Physics & Astronomy"

    r = client.post(f"{URL}/{optics}/move", json={"parent_id": science}, headers=kit.moderator.headers)
    assert r.status_code == 200
    assert _tree(client, r.json()["position"])[optics]["parent_id"] == science
    r = client.post(f"{URL}/{optics}/move", json={"parent_id": None}, headers=kit.moderator.headers)
    assert _tree(client, r.json()["position"])[optics]["depth"] == 0

    r = client.delete(f"{URL}/{optics}", headers=kit.moderator.headers)
    assert r.status_code == 200
    assert optics not in _tree(client, r.json()["position"])
    assert client.delete(f"{URL}/{optics}", headers=kit.moderator.headers).status_code == 404


def test_moves_never_make_cycles(client, kit, infra):
    root, _ = _create(client, kit.moderator, f"Root {uuid.uuid4().hex[:6]}")
    child, _ = _create(client, kit.moderator, "Child", root)
    grandchild, _ = _create(client, kit.moderator, "Grandchild", child)
    before = event_count(infra, None, "CategoryMoved")
    for target in (grandchild, child, root):
        r = client.post(f"{URL}/{root}/move", json={"parent_id": target}, headers=kit.moderator.headers)
        assert r.status_code == 409, r.text
    assert event_count(infra, None, "CategoryMoved") == before


def test_bad_category_input(client, kit):
    assert client.post(URL, json={"name": "  "}, headers=kit.moderator.headers).status_code == 422
    r = client.post(URL, json={"name": "Orphan", "parent_id": str(uuid.uuid4())}, headers=kit.moderator.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "parent_id"
    name = f"Twin {uuid.uuid4().hex[:6]}"
    _create(client, kit.moderator, name)
    r = client.post(URL, json={"name": name.upper()}, headers=kit.moderator.headers)
    assert r.status_code == 409  # sibling names are unique, ignoring case
    assert client.patch(f"{URL}/{uuid.uuid4()}", json={"name": "Ghost"}, headers=kit.moderator.headers).status_code == 404


def test_only_empty_categories_can_be_deleted(client, kit):
    parent, _ = _create(client, kit.moderator, f"Busy {uuid.uuid4().hex[:6]}")
    child, _ = _create(client, kit.moderator, "Has a draft", parent)
    assert client.delete(f"{URL}/{parent}", headers=kit.moderator.headers).status_code == 409  # sub-category
    course = kit.create(category_ids=[child])  # even a draft counts
    r = client.delete(f"{URL}/{child}", headers=kit.moderator.headers)
    assert r.status_code == 409 and "course" in r.json()["detail"]
    r = client.put(f"/api/v1/courses/{course['course_id']}", json=course_body(category_ids=[]), headers=kit.author.headers)
    assert r.status_code == 200
    assert client.delete(f"{URL}/{child}", headers=kit.moderator.headers).status_code == 200
    assert client.delete(f"{URL}/{parent}", headers=kit.moderator.headers).status_code == 200


def test_archived_courses_do_not_hold_a_category_back(client, kit):
    cat, _ = _create(client, kit.moderator, f"Retired {uuid.uuid4().hex[:6]}")
    course = kit.published(category_ids=[cat])
    assert client.delete(f"{URL}/{cat}", headers=kit.moderator.headers).status_code == 409
    client.post(f"/api/v1/courses/{course['course_id']}/archive", headers=kit.author.headers)
    assert client.delete(f"{URL}/{cat}", headers=kit.moderator.headers).status_code == 200


def test_category_filter_includes_sub_categories_and_counts_courses(client, kit):
    top, _ = _create(client, kit.moderator, f"Languages {uuid.uuid4().hex[:6]}")
    sub, _ = _create(client, kit.moderator, "Romance", top)
    other, _ = _create(client, kit.moderator, f"Other {uuid.uuid4().hex[:6]}")
    in_top = kit.published(title="Linguistics", category_ids=[top])
    in_sub = kit.published(title="French", category_ids=[sub, other])
    in_other = kit.published(title="Cooking", category_ids=[other])
    pos = in_other["position"]
    ids = lambda r: {c["course_id"] for c in r.json()["items"]}  # noqa: E731
    assert ids(kit.search(pos, category_id=top)) == {in_top["course_id"], in_sub["course_id"]}
    assert ids(kit.search(pos, category_id=sub)) == {in_sub["course_id"]}
    assert ids(kit.search(pos, category_id=other)) == {in_sub["course_id"], in_other["course_id"]}
    tree = _tree(client, pos)
    assert (tree[top]["course_count"], tree[sub]["course_count"], tree[other]["course_count"]) == (1, 1, 2)
