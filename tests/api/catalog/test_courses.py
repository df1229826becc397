"""Creating and editing courses: who may, what is valid, and who sees drafts."""

from __future__ import annotations

import uuid

import pytest

from domain.identity import Role
from tests import media_samples
from tests.api.catalog.conftest import course_body, event_count


@pytest.mark.parametrize("role", [Role.CREATOR, Role.MODERATOR, Role.ADMIN])
def test_authors_create_a_draft_they_own(client, make_person, kit, role):
    author = make_person(role)
    course = kit.create(author, title="Knitting for Engineers", tags=["Crafts", "crafts", "knitting"])
    r = kit.detail(course["course_id"], author, course["position"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "draft" and body["owner_id"] == author.user_id
    assert body["published"] is None
    assert body["draft"]["title"] == "Knitting for Engineers"
    assert body["draft"]["tags"] == ["crafts", "knitting"]  # normalised, de-duplicated
    assert body["draft"]["revision"] == 1
    assert [lesson["lesson_id"] for lesson in body["draft"]["modules"][0]["lessons"]] == course["lesson_ids"]


@pytest.mark.parametrize("role", [None, Role.TEACHER, Role.AUDITOR])
def test_others_cannot_create_courses(client, make_person, role, infra):
    person = make_person(*([role] if role else []))
    before = event_count(infra, None, "Course.Created")
    assert client.post("/api/v1/courses", json=course_body(), headers=person.headers).status_code == 403
    assert client.post("/api/v1/courses", json=course_body()).status_code == 401
    assert event_count(infra, None, "Course.Created") == before


@pytest.mark.parametrize("change, field", [
    ({"title": "   "}, "body.title"),
    ({"level": "expert"}, "body.level"),
    ({"language": "english!"}, "body.language"),
    ({"tags": ["ok", "no/slash"]}, "body.tags"),
    ({"estimated_minutes": 0}, "body.estimated_minutes"),
    ({"category_ids": [str(uuid.uuid4())]}, "category_ids"),
    ({"prerequisites": [str(uuid.uuid4())]}, "prerequisites"),
    ({"modules": [{"title": "M", "lessons": [{"lesson_id": "7f1c4c3e-7d1a-4a36-9a5b-1b8e0b7c2a10", "title": "A"},
                                              {"lesson_id": "7f1c4c3e-7d1a-4a36-9a5b-1b8e0b7c2a10", "title": "B"}]}]},
     "modules.0.lessons.1.lesson_id"),
    ({"modules": [{"title": "M", "lessons": [{"title": "A", "media_id": "../../etc/passwd"}]}]},
     "body.modules.0.lessons.0.media_id"),
])
def test_bad_course_input_is_rejected_with_the_field_and_records_nothing(client, kit, infra, change, field):
    author = kit.author
    before = event_count(infra, None, "Course.Created")
    r = client.post("/api/v1/courses", json=course_body(**change), headers=author.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json()["errors"]]
    assert event_count(infra, None, "Course.Created") == before


def test_language_codes_are_canonicalised(kit):
    course = kit.create(language="PT-br")
    assert kit.detail(course["course_id"], kit.author, course["position"]).json()["draft"]["language"] == "pt-BR"


def test_drafts_are_visible_only_to_owner_moderators_and_admins(client, make_person, kit):
    course = kit.create()
    url = course["course_id"]
    for who in (None, make_person(), make_person(Role.CREATOR), make_person(Role.TEACHER)):
        assert kit.detail(url, who, course["position"]).status_code == 404
    for who in (kit.author, kit.moderator, make_person(Role.ADMIN)):
        assert kit.detail(url, who, course["position"]).status_code == 200
    unknown = kit.detail(str(uuid.uuid4()), kit.moderator)
    assert unknown.status_code == 404


def test_only_the_owner_edits(client, make_person, kit, infra):
    course = kit.create()
    url = f"/api/v1/courses/{course['course_id']}"
    for who in (make_person(Role.CREATOR), kit.moderator, make_person(Role.ADMIN)):
        assert client.put(url, json=course_body("Hijacked"), headers=who.headers).status_code == 403
        assert client.put(url + "/syllabus", json={"modules": []}, headers=who.headers).status_code == 403
    assert client.put(url, json=course_body("Anonymous")).status_code == 401
    assert event_count(infra, course["course_id"]) == 1
    r = client.put(url, json=course_body("Renamed", summary="New summary"), headers=kit.author.headers)
    assert r.status_code == 200, r.text
    draft = kit.detail(course["course_id"], kit.author, r.json()["position"]).json()["draft"]
    assert (draft["title"], draft["summary"]) == ("Renamed", "New summary")
    assert [lesson["lesson_id"] for lesson in draft["modules"][0]["lessons"]] == course["lesson_ids"]


def test_syllabus_edit_keeps_given_ids_and_numbers_new_lessons(client, kit):
    course = kit.create(lessons=1)
    kept = course["lesson_ids"][0]
    r = client.post("/api/v1/media", content=media_samples.pdf("deep"), headers=kit.author.headers)
    sheet = r.json()["media_id"]
    modules = [{"title": "Basics", "lessons": [{"lesson_id": kept, "title": "Kept"},
                                               {"title": "New", "estimated_minutes": 5}]},
               {"title": "Advanced", "lessons": [{"title": "Deep", "media_id": sheet}]}]
    r = client.put(f"/api/v1/courses/{course['course_id']}/syllabus", json={"modules": modules}, headers=kit.author.headers)
    assert r.status_code == 200, r.text
    draft = kit.detail(course["course_id"], kit.author, r.json()["position"]).json()["draft"]
    lessons = [lesson for m in draft["modules"] for lesson in m["lessons"]]
    assert [m["title"] for m in draft["modules"]] == ["Basics", "Advanced"]
    assert lessons[0]["lesson_id"] == kept and lessons[0]["title"] == "Kept"
    assert len({lesson["lesson_id"] for lesson in lessons}) == 3
    assert lessons[2]["media_id"] == sheet


def test_editing_an_unknown_course_is_404(client, kit):
    r = client.put(f"/api/v1/courses/{uuid.uuid4()}", json=course_body(), headers=kit.author.headers)
    assert r.status_code == 404


def test_prerequisites_must_be_published_and_acyclic(client, kit):
    base = kit.published(title="Base course")
    draft = kit.create(title="Unpublished")
    r = client.post("/api/v1/courses", json=course_body(prerequisites=[draft["course_id"]]), headers=kit.author.headers)
    assert r.status_code == 422 and draft["course_id"] in r.json()["errors"][0]["message"]
    follow = kit.published(title="Follow-up", prerequisites=[base["course_id"]])
    # base requiring follow-up would make a circle: base -> follow-up -> base
    r = client.put(f"/api/v1/courses/{base['course_id']}", json=course_body(prerequisites=[follow["course_id"]]),
                   headers=kit.author.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "prerequisites"
    r = client.put(f"/api/v1/courses/{base['course_id']}", json=course_body(prerequisites=[base["course_id"]]),
                   headers=kit.author.headers)
    assert r.status_code == 422


def test_a_course_change_too_big_for_one_event_is_refused(client, kit, infra):
    course = kit.create()
    huge = [{"title": "Long", "lessons": [{"title": f"L{i}", "content": "x" * 100_000} for i in range(3)]}]
    r = client.put(f"/api/v1/courses/{course['course_id']}/syllabus", json={"modules": huge}, headers=kit.author.headers)
    assert r.status_code == 422 and "KB" in r.json()["detail"]
    assert r.json()["errors"] == [{"field": "modules", "message": "too long"}]
    assert event_count(infra, course["course_id"]) == 1
