"""Class lessons: the teacher manages them; students see what is published and due; nobody
else sees anything, and removal from the class takes effect with the very next request."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.identity import Role


def lesson_titles(api, person, class_id, position=0) -> list[str]:
    r = api.get(person, f"/classes/{class_id}/lessons", position)
    assert r.status_code == 200, r.text
    return [l["title"] for l in r.json()]


def test_teacher_creates_edits_and_reads_lessons(api, client, setup):
    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id, publish=False, title="Fractions", body="## Halves")
    r = client.patch(f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}", headers=setup.teacher.headers,
                     json={"body": "## Halves and thirds"})
    assert r.status_code == 200, r.text
    lesson = api.get(setup.teacher, f"/classes/{setup.class_id}/lessons/{lesson_id}", r.json()["position"]).json()
    assert (lesson["title"], lesson["body"], lesson["status"]) == ("Fractions", "## Halves and thirds", "draft")
    assert lesson["media"] == []


def test_students_see_only_published_lessons(api, client, setup):
    published, _ = api.add_lesson(setup.teacher, setup.class_id, title="Shown")
    draft, position = api.add_lesson(setup.teacher, setup.class_id, title="Draft", publish=False)
    assert lesson_titles(api, setup.student, setup.class_id, position) == ["Shown"]
    assert lesson_titles(api, setup.teacher, setup.class_id, position) == ["Shown", "Draft"]
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons/{draft}").status_code == 404
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons/{published}").json()["title"] == "Shown"
    r = client.delete(f"/api/v1/classes/{setup.class_id}/lessons/{published}/publication", headers=setup.teacher.headers)
    assert r.status_code == 200, r.text
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons/{published}").status_code == 404
    assert lesson_titles(api, setup.student, setup.class_id, r.json()["position"]) == []
    r = client.delete(f"/api/v1/classes/{setup.class_id}/lessons/{published}/publication", headers=setup.teacher.headers)
    assert r.status_code == 409


def test_scheduled_lesson_appears_when_its_time_comes(api, client, app, setup, monkeypatch):
    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id, publish=False, title="Later")
    at = datetime.now(UTC) + timedelta(hours=2)
    url = f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}/publication"
    r = client.post(url, headers=setup.teacher.headers, json={"publish_at": at.isoformat()})
    assert r.status_code == 200, r.text
    position = r.json()["position"]
    assert lesson_titles(api, setup.student, setup.class_id, position) == []
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons/{lesson_id}").status_code == 404
    assert api.get(setup.teacher, f"/classes/{setup.class_id}/lessons").json()[0]["status"] == "scheduled"
    # Moving a pending schedule is allowed.
    r = client.post(url, headers=setup.teacher.headers, json={"publish_at": (at + timedelta(hours=1)).isoformat()})
    assert r.status_code == 200, r.text
    later = at + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(app.state.deps, "clock", lambda: later)
    assert lesson_titles(api, setup.student, setup.class_id, r.json()["position"]) == ["Later"]
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons/{lesson_id}").json()["status"] == "published"
    assert client.post(url, headers=setup.teacher.headers).status_code == 409  # already visible


def test_publishing_rejects_a_past_or_naive_time(api, client, setup):
    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id, publish=False)
    url = f"/api/v1/classes/{setup.class_id}/lessons/{lesson_id}/publication"
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    for body in ({"publish_at": past}, {"publish_at": "2030-01-01T10:00:00"}, {"publish_at": "soon"}):
        r = client.post(url, headers=setup.teacher.headers, json=body)
        assert r.status_code == 422, (body, r.text)
    assert api.get(setup.teacher, f"/classes/{setup.class_id}/lessons", api.head()).json()[0]["status"] == "draft"


def test_reorder(api, client, setup):
    a, _ = api.add_lesson(setup.teacher, setup.class_id, title="A")
    b, _ = api.add_lesson(setup.teacher, setup.class_id, title="B")
    c, _ = api.add_lesson(setup.teacher, setup.class_id, title="C")
    url = f"/api/v1/classes/{setup.class_id}/lesson-order"
    r = client.put(url, headers=setup.teacher.headers, json={"lesson_ids": [c, a, b]})
    assert r.status_code == 200, r.text
    assert lesson_titles(api, setup.student, setup.class_id, r.json()["position"]) == ["C", "A", "B"]
    for bad in ([c, a], [c, a, b, b], [c, a, str(uuid.uuid4())], ["nope"]):
        r = client.put(url, headers=setup.teacher.headers, json={"lesson_ids": bad})
        assert r.status_code == 422, (bad, r.text)
    assert client.put(url, headers=setup.student.headers, json={"lesson_ids": [a, b, c]}).status_code == 403
    assert lesson_titles(api, setup.teacher, setup.class_id, api.head()) == ["C", "A", "B"]


def test_lesson_management_is_for_the_teacher_only(api, client, setup, make_person):
    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id)
    other_teacher, admin = make_person(Role.TEACHER), make_person(Role.ADMIN)
    base = f"/api/v1/classes/{setup.class_id}/lessons"
    calls = [
        ("post", base, {"title": "X"}),
        ("patch", f"{base}/{lesson_id}", {"title": "X"}),
        ("post", f"{base}/{lesson_id}/publication", None),
        ("delete", f"{base}/{lesson_id}/publication", None),
    ]
    for who, status in ((setup.student, 403), (other_teacher, 404), (admin, 404)):
        for method, url, body in calls:
            kwargs = {"json": body} if body is not None else {}
            r = client.request(method.upper(), url, headers=who.headers, **kwargs)
            assert r.status_code == status, (who.email, method, url, r.text)
    assert lesson_titles(api, setup.teacher, setup.class_id, api.head()) == ["Lesson"]


def test_outsiders_and_guessed_ids_get_404(api, client, setup, make_person, app):
    mine, _ = api.add_lesson(setup.teacher, setup.class_id)
    other = api.open_class(make_person(Role.TEACHER))
    theirs_teacher = other["class_id"]
    outsider = make_person()
    assert api.get(outsider, f"/classes/{setup.class_id}/lessons").status_code == 404
    assert api.get(outsider, f"/classes/{setup.class_id}/lessons/{mine}").status_code == 404
    # A lesson id of this class asked for under another class the caller teaches: 404.
    assert api.get(setup.teacher, f"/classes/{theirs_teacher}/lessons/{mine}").status_code == 404
    # And under their own class, a lesson id that is not one of its lessons: 404.
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons/{uuid.uuid4()}").status_code == 404
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons/{setup.class_id}").status_code == 404


def test_lesson_input_errors_change_nothing(api, client, setup):
    base = f"/api/v1/classes/{setup.class_id}/lessons"
    bad_bodies = [{}, {"title": ""}, {"title": "x" * 201}, {"title": "ok", "body": "x" * 100_001},
                  {"title": "ok", "media_ids": [str(uuid.uuid4())]}, {"title": "ok", "media_ids": ["nope"]}]
    for body in bad_bodies:
        r = client.post(base, headers=setup.teacher.headers, json=body)
        assert r.status_code == 422, (body, r.text)
    assert lesson_titles(api, setup.teacher, setup.class_id, api.head()) == []


def test_archived_class_allows_no_lesson_changes_but_keeps_reading(api, client, setup):
    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id, title="Kept")
    r = client.post(f"/api/v1/classes/{setup.class_id}/archive", headers=setup.teacher.headers)
    assert r.status_code == 200
    base = f"/api/v1/classes/{setup.class_id}"
    assert client.post(f"{base}/lessons", headers=setup.teacher.headers, json={"title": "New"}).status_code == 409
    assert client.patch(f"{base}/lessons/{lesson_id}", headers=setup.teacher.headers, json={"title": "Y"}).status_code == 409
    assert client.delete(f"{base}/lessons/{lesson_id}/publication", headers=setup.teacher.headers).status_code == 409
    order = {"lesson_ids": [lesson_id]}
    assert client.put(f"{base}/lesson-order", headers=setup.teacher.headers, json=order).status_code == 409
    assert lesson_titles(api, setup.student, setup.class_id, r.json()["position"]) == ["Kept"]


def test_removed_student_loses_access_with_the_next_request(api, client, setup):
    lesson_id, position = api.add_lesson(setup.teacher, setup.class_id)
    path = f"/classes/{setup.class_id}/lessons/{lesson_id}"
    assert api.get(setup.student, path, position).status_code == 200
    r = client.delete(f"/api/v1/classes/{setup.class_id}/students/{setup.student.user_id}", headers=setup.teacher.headers)
    assert r.status_code == 200
    # No min_position: the check reads the class itself, not a read model that may lag.
    assert api.get(setup.student, path).status_code == 404
    assert api.get(setup.student, f"/classes/{setup.class_id}/lessons").status_code == 404


def test_lesson_text_is_personal_data_of_the_teacher_in_the_log(app, api, setup):
    lesson_id, _ = api.add_lesson(setup.teacher, setup.class_id, title="Secret title", body="Secret body")
    with app.state.deps.pool.connection() as conn:
        rows = conn.execute(
            "SELECT state FROM skillhub_events WHERE originator_id = %s", (uuid.UUID(lesson_id),)
        ).fetchall()
    assert rows and all(b"Secret" not in bytes(r["state"]) for r in rows)
