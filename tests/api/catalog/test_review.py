"""The review workflow: draft -> in review -> published -> archived, and revisions."""

from __future__ import annotations

import pytest

from domain.identity import Role
from tests.api.catalog.conftest import course_body, event_count


def _submit(client, course, who=None):
    return client.post(f"/api/v1/courses/{course['course_id']}/submission", headers=(who or course["author"]).headers)


def _decide(client, course, who, approve=True, reason=""):
    return client.post(f"/api/v1/courses/{course['course_id']}/review",
                       json={"approve": approve, "reason": reason}, headers=who.headers)


def test_submit_send_back_resubmit_and_publish(client, make_person, kit):
    course = kit.create(title="Workflow course")
    cid = course["course_id"]
    assert _submit(client, course, kit.moderator).status_code == 403  # not the owner
    r = _submit(client, course)
    assert r.status_code == 200 and r.json()["revision"] == 1
    assert _submit(client, course).status_code == 409  # already in review
    detail = kit.detail(cid, kit.author, r.json()["position"]).json()
    assert detail["status"] == "in_review"
    queue = client.get("/api/v1/course-reviews", headers=kit.moderator.headers,
                       params={"min_position": r.json()["position"], "limit": 100}).json()
    assert cid in [c["course_id"] for c in queue["items"]]
    assert client.get("/api/v1/course-reviews", headers=kit.author.headers).status_code == 403
    # While in review the owner cannot change it.
    assert client.put(f"/api/v1/courses/{cid}", json=course_body(), headers=kit.author.headers).status_code == 409

    for who in (kit.author, make_person(), make_person(Role.CREATOR), make_person(Role.TEACHER)):
        assert _decide(client, course, who).status_code == 403
    assert _decide(client, course, kit.moderator, approve=False).status_code == 422  # reason required
    r = _decide(client, course, kit.moderator, approve=False, reason="Lesson 2 is empty")
    assert r.status_code == 200
    detail = kit.detail(cid, kit.author, r.json()["position"]).json()
    assert (detail["status"], detail["review_reason"]) == ("draft", "Lesson 2 is empty")
    assert _decide(client, course, kit.moderator).status_code == 409  # nothing in review now

    assert _submit(client, course).status_code == 200
    r = _decide(client, course, make_person(Role.ADMIN))
    assert r.status_code == 200
    public = kit.detail(cid, None, r.json()["position"]).json()
    assert public["status"] == "published" and public["draft"] is None and public["review_reason"] is None
    assert public["published"]["revision"] == 1 and public["published"]["title"] == "Workflow course"
    # The public syllabus has no lesson texts; enrolled students read them lesson by lesson.
    assert "content" not in public["published"]["modules"][0]["lessons"][0]
    assert public["estimated_minutes"] == 20 and public["lesson_count"] == 2


def test_nobody_reviews_their_own_course(client, make_person):
    moderator = make_person(Role.MODERATOR)
    r = client.post("/api/v1/courses", json=course_body(), headers=moderator.headers)
    course = {"course_id": r.json()["course_id"], "author": moderator}
    assert _submit(client, course).status_code == 200
    assert _decide(client, course, moderator).status_code == 409


def test_a_course_without_lessons_cannot_be_submitted(client, kit, infra):
    course = kit.create(modules=[])
    r = _submit(client, course)
    assert r.status_code == 409 and "lesson" in r.json()["detail"]
    assert event_count(infra, course["course_id"], "SubmittedForReview") == 0


def test_editing_a_published_course_makes_a_revision_while_the_old_one_stays_public(client, kit):
    course = kit.published(title="Revised course")
    cid = course["course_id"]
    r = client.put(f"/api/v1/courses/{cid}", json=course_body("Revised course, 2nd edition"), headers=kit.author.headers)
    assert r.status_code == 200 and r.json()["revision"] == 2
    public = kit.detail(cid, None, r.json()["position"]).json()
    assert public["published"]["title"] == "Revised course" and public["draft"] is None
    owner_view = kit.detail(cid, kit.author, r.json()["position"]).json()
    assert owner_view["status"] == "published"
    assert owner_view["revision_status"] == "draft" and owner_view["draft"]["revision"] == 2
    assert owner_view["draft"]["title"] == "Revised course, 2nd edition"
    # The new revision starts from the published one: the syllabus carried over.
    assert [lesson["lesson_id"] for lesson in owner_view["draft"]["modules"][0]["lessons"]] == course["lesson_ids"]
    found = kit.search(r.json()["position"], q="edition").json()["items"]
    assert cid not in [c["course_id"] for c in found]  # the draft is not searchable

    assert _submit(client, course).status_code == 200
    r = _decide(client, course, kit.moderator)
    public = kit.detail(cid, None, r.json()["position"]).json()
    assert public["published"]["revision"] == 2 and public["published"]["title"] == "Revised course, 2nd edition"
    found = kit.search(r.json()["position"], q="edition").json()["items"]
    assert cid in [c["course_id"] for c in found]
    assert _submit(client, course).status_code == 409  # nothing new to review


@pytest.mark.parametrize("archiver", ["author", "moderator", "admin"])
def test_archiving_hides_from_the_catalog_but_keeps_the_page(client, make_person, kit, archiver):
    course = kit.published(title="Soon archived", tags=["archive-test"])
    who = {"author": kit.author, "moderator": kit.moderator, "admin": None}[archiver] or make_person(Role.ADMIN)
    url = f"/api/v1/courses/{course['course_id']}/archive"
    assert client.post(url, headers=make_person(Role.CREATOR).headers).status_code == 403
    assert client.post(url, headers=make_person(Role.TEACHER).headers).status_code == 403
    r = client.post(url, headers=who.headers)
    assert r.status_code == 200
    assert client.post(url, headers=who.headers).status_code == 409
    assert kit.detail(course["course_id"], None, r.json()["position"]).json()["status"] == "archived"
    listed = kit.search(r.json()["position"], tag="archive-test").json()["items"]
    assert course["course_id"] not in [c["course_id"] for c in listed]
    edit = client.put(f"/api/v1/courses/{course['course_id']}", json=course_body(), headers=kit.author.headers)
    assert edit.status_code == 409


def test_a_draft_cannot_be_archived(client, kit):
    course = kit.create()
    assert client.post(f"/api/v1/courses/{course['course_id']}/archive", headers=kit.author.headers).status_code == 409


def test_authors_list_their_own_courses_with_drafts(client, make_person, kit):
    author = make_person(Role.CREATOR)
    first, second = kit.create(author, title="Mine A"), kit.create(author, title="Mine B")
    r = client.get("/api/v1/me/authored-courses", headers=author.headers, params={"min_position": second["position"]})
    assert [c["title"] for c in r.json()["items"]] == ["Mine A", "Mine B"]
    assert {c["course_id"] for c in r.json()["items"]} == {first["course_id"], second["course_id"]}
    assert client.get("/api/v1/me/authored-courses").status_code == 401


def test_archiving_withdraws_a_revision_in_review(client, kit):
    course = kit.published(title="Withdrawn revision")
    cid = course["course_id"]
    client.put(f"/api/v1/courses/{cid}", json=course_body("Never published"), headers=kit.author.headers)
    assert _submit(client, course).status_code == 200
    r = client.post(f"/api/v1/courses/{cid}/archive", headers=kit.moderator.headers)
    assert r.status_code == 200
    queue = client.get("/api/v1/course-reviews", headers=kit.moderator.headers,
                       params={"min_position": r.json()["position"], "limit": 100}).json()["items"]
    assert cid not in [c["course_id"] for c in queue]
    assert _decide(client, course, kit.moderator).status_code == 409
    detail = kit.detail(cid, kit.author, r.json()["position"]).json()
    assert (detail["status"], detail["revision_status"]) == ("archived", "draft")
    assert detail["published"]["title"] == "Withdrawn revision"
