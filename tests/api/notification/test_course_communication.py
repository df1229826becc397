"""Announcements posted by teachers (to a course or class) and admins (to everyone), told by
each person's preferences; and the notice of a new revision of a course one is enrolled in."""

from __future__ import annotations

import uuid

from domain.identity import Role
from tests.api.catalog.conftest import course_body, event_count
from tests.api.notification.helpers import notices, running, text_of, titles

API = "/api/v1"


def _ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.text
    return r.json()


def _class(client, teacher, *students) -> tuple[str, str]:
    name = f"Physics {uuid.uuid4().hex[:6]}"
    opened = _ok(client.post(f"{API}/classes", headers=teacher.headers, json={"name": name}), 201)
    for student in students:
        _ok(client.post(f"{API}/classes/join", headers=student.headers, json={"code": opened["join_code"]}))
    return opened["class_id"], name


def _post(client, person, **body):
    return client.post(f"{API}/announcements", headers=person.headers, json=body)


def test_a_teacher_announces_to_their_class_by_inbox_and_email(client, make_person, make_notifier, smtp):
    teacher, ada, bo, outsider = make_person(Role.TEACHER), make_person(), make_person(), make_person()
    class_id, name = _class(client, teacher, ada, bo)
    with running(make_notifier(smtp.mailer())):
        r = _ok(_post(client, teacher, audience="class", scope_id=class_id, title="Lab moved",
                      body="Thursday's lab is in room 4 <b>B</b>."), 201)
        [told] = notices(client, ada, r["position"], "announcement")
        [mail] = smtp.wait_for(bo.email)
    assert told["title"] == f"[{name}] Lab moved"
    assert told["body"] == f"Lab moved ({name}): Thursday's lab is in room 4 <b>B</b>."
    assert "room 4 <b>B</b>" in text_of(mail)
    assert "room 4 &lt;b&gt;B&lt;/b&gt;" in mail.get_body(preferencelist=("html",)).get_content()  # escaped
    assert titles(client, bo, r["position"], "announcement") == [f"[{name}] Lab moved"]
    assert titles(client, outsider, r["position"], "announcement") == []
    assert titles(client, teacher, r["position"], "announcement") == []  # their own post


def test_who_may_announce_where_and_bad_input_records_nothing(client, make_person, infra):
    teacher, other_teacher, student = make_person(Role.TEACHER), make_person(Role.TEACHER), make_person()
    class_id, _ = _class(client, teacher, student)
    before = event_count(infra, type_suffix="Bulletin.Posted")
    body = {"title": "Hello", "body": "Text"}
    assert _post(client, student, audience="class", scope_id=class_id, **body).status_code == 403
    assert _post(client, other_teacher, audience="class", scope_id=class_id, **body).status_code == 404
    assert _post(client, teacher, audience="class", scope_id=str(uuid.uuid4()), **body).status_code == 404
    assert _post(client, teacher, audience="course", scope_id=str(uuid.uuid4()), **body).status_code == 404
    assert _post(client, teacher, audience="everyone", **body).status_code == 403  # admins only
    assert client.post(f"{API}/announcements", json={"audience": "everyone", **body}).status_code == 401
    for bad in ({"audience": "class", "scope_id": class_id, "title": " ", "body": "x"},
                {"audience": "class", "scope_id": class_id, "title": "t", "body": ""},
                {"audience": "class", "title": "t", "body": "x"},
                {"audience": "galaxy", "scope_id": class_id, "title": "t", "body": "x"},
                {"audience": "class", "scope_id": class_id, "title": "t" * 201, "body": "x"}):
        r = _post(client, teacher, **bad)
        assert r.status_code in (400, 422), (bad, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert event_count(infra, type_suffix="Bulletin.Posted") == before


def test_course_owners_announce_to_enrolled_students_and_admins_to_everyone(client, make_person, catalog):
    title = f"Rust {uuid.uuid4().hex[:6]}"
    course = catalog.published(title=title)
    enrolled, quiet, stranger = make_person(), make_person(), make_person()
    for s in (enrolled, quiet):
        _ok(client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=s.headers), 201)
    # A person who turned the inbox off for announcements gets none there.
    _ok(client.put(f"{API}/notifications/preferences", headers=quiet.headers,
                   json={"channels": {"announcement": {"inbox": False}}}))
    assert _post(client, make_person(Role.CREATOR), audience="course", scope_id=course["course_id"],
                 title="x", body="y").status_code == 403  # not the owner
    r = _ok(_post(client, course["author"], audience="course", scope_id=course["course_id"],
                  title="Module 2 is out", body="Enjoy."), 201)
    assert titles(client, enrolled, r["position"], "announcement") == [f"[{title}] Module 2 is out"]
    assert titles(client, quiet, r["position"], "announcement") == []
    assert titles(client, stranger, r["position"], "announcement") == []

    admin = make_person(Role.ADMIN)
    r = _ok(_post(client, admin, audience="everyone", title="Maintenance", body="Down at 2am."), 201)
    for person in (enrolled, stranger, course["author"]):
        assert titles(client, person, r["position"], "announcement")[0] == "[SkillHub] Maintenance"  # newest first


def test_erasing_the_author_blanks_their_announcement(client, make_person):
    teacher, ada, admin = make_person(Role.TEACHER), make_person(), make_person(Role.ADMIN)
    class_id, _ = _class(client, teacher, ada)
    _ok(_post(client, teacher, audience="class", scope_id=class_id, title="Secret plan", body="Private words"), 201)
    r = _ok(client.post(f"{API}/users/{teacher.user_id}/erasure", headers=admin.headers))
    [told] = notices(client, ada, r["position"], "announcement")
    assert "Secret plan" not in told["title"] and "Private words" not in told["body"]
    assert "[erased]" in told["title"]


def test_a_new_revision_is_told_to_enrolled_students_not_to_followers_again(client, make_person, catalog):
    title = f"Go {uuid.uuid4().hex[:6]}"
    course = catalog.published(title=title)
    student, left = make_person(), make_person()
    for s in (student, left):
        _ok(client.post(f"{API}/courses/{course['course_id']}/enrolment", headers=s.headers), 201)
    _ok(client.delete(f"{API}/courses/{course['course_id']}/enrolment", headers=left.headers))
    _ok(client.put(f"{API}/courses/{course['course_id']}", headers=course["author"].headers,
                   json={k: v for k, v in course_body(title=title + " v2").items() if k != "modules"}))
    position = catalog.publish(course)
    [told] = notices(client, student, position, "course_updated")
    assert told["title"] == f"New revision of {title} v2"
    assert "published revision 2" in told["body"]
    assert titles(client, left, position, "course_updated") == []
    assert titles(client, course["author"], position, "course_updated") == []
