"""Classes: who may open them, join codes, invitations, removal, archiving, rosters."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from commands.classroom import classroom
from commands.pipeline import Actor, execute
from domain.classroom import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from domain.identity import Role
from projections.classroom.queries import class_student_ids, class_teacher_id


def roster_ids(api, setup, position: int) -> list[str]:
    r = api.get(setup.teacher, f"/classes/{setup.class_id}/roster", position)
    assert r.status_code == 200, r.text
    return [s["student_id"] for s in r.json()["items"]]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ADMIN])
def test_teachers_and_admins_open_classes_with_an_unambiguous_code(api, make_person, role):
    teacher = make_person(role)
    opened = api.open_class(teacher, name="Biology", term="Spring 2026")
    code = opened["join_code"]
    assert len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set(code) & set("0O1IL")
    r = api.get(teacher, f"/classes/{opened['class_id']}", opened["position"])
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Biology" and r.json()["join_code"] == code and r.json()["role"] == "teacher"


@pytest.mark.parametrize("role", [None, Role.CREATOR, Role.MODERATOR, Role.AUDITOR])
def test_others_cannot_open_a_class(api, client, make_person, role):
    person = make_person(*([role] if role else []))
    r = client.post("/api/v1/classes", headers=person.headers, json={"name": "Nope"})
    assert r.status_code == 403, r.text
    r = api.get(person, "/me/classes", api.head())
    assert r.json()["items"] == []


def test_opening_needs_a_login_and_valid_fields(api, client, make_person):
    assert client.post("/api/v1/classes", json={"name": "X"}).status_code == 401
    teacher = make_person(Role.TEACHER)
    for body in ({"name": ""}, {"name": "x" * 201}, {}, {"name": "ok", "term": "t" * 101}):
        r = client.post("/api/v1/classes", headers=teacher.headers, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    assert api.get(teacher, "/me/classes", api.head()).json()["items"] == []


def test_student_joins_with_code_in_any_case_and_sees_the_class(api, setup, make_person):
    other = make_person()
    r = api.join(other, setup.code.lower()[:4] + "-" + setup.code.lower()[4:])
    assert r.status_code == 200, r.text
    assert set(roster_ids(api, setup, r.json()["position"])) == {setup.student.user_id, other.user_id}
    mine = api.get(other, "/me/classes", r.json()["position"]).json()["items"]
    assert [(c["class_id"], c["role"], c["join_code"]) for c in mine] == [(setup.class_id, "student", None)]
    details = api.get(other, f"/classes/{setup.class_id}").json()
    assert details["role"] == "student" and "join_code" not in details and details["student_count"] == 2


def test_wrong_code_is_a_clear_error_and_changes_nothing(api, setup, make_person):
    other = make_person()
    for code in ("WRONGCDE", "", "x" * 41):
        r = api.join(other, code)
        assert r.status_code == 422, r.text
    r = api.join(other, "WRONGCDE")
    assert r.json()["errors"] == [{"field": "code", "message": "unknown or replaced code"}]
    assert roster_ids(api, setup, api.head()) == [setup.student.user_id]


def test_joining_twice_is_409(api, setup):
    r = api.join(setup.student, setup.code)
    assert r.status_code == 409 and "already a student" in r.json()["detail"]


def test_teacher_cannot_join_own_class(api, setup):
    assert api.join(setup.teacher, setup.code).status_code == 409


def test_regenerated_code_replaces_the_old_one_at_once(api, client, setup, make_person):
    r = client.post(f"/api/v1/classes/{setup.class_id}/join-code", headers=setup.teacher.headers)
    assert r.status_code == 200, r.text
    new_code = r.json()["join_code"]
    assert new_code != setup.code
    late = make_person()
    assert api.join(late, setup.code).status_code == 422
    assert api.join(late, new_code).status_code == 200
    assert api.get(setup.teacher, f"/classes/{setup.class_id}").json()["join_code"] == new_code


def test_only_the_teacher_regenerates_the_code(client, setup, make_person):
    other_teacher = make_person(Role.TEACHER)
    r = client.post(f"/api/v1/classes/{setup.class_id}/join-code", headers=setup.student.headers)
    assert r.status_code == 403
    r = client.post(f"/api/v1/classes/{setup.class_id}/join-code", headers=other_teacher.headers)
    assert r.status_code == 404


def test_archived_class_takes_no_joins_and_no_invitations(api, client, setup, make_person):
    r = client.post(f"/api/v1/classes/{setup.class_id}/archive", headers=setup.teacher.headers)
    assert r.status_code == 200, r.text
    late = make_person()
    r = api.join(late, setup.code)
    assert r.status_code == 409 and "archived" in r.json()["detail"]
    r = client.post(f"/api/v1/classes/{setup.class_id}/students", headers=setup.teacher.headers,
                    json={"user_id": late.user_id})
    assert r.status_code == 409
    assert client.post(f"/api/v1/classes/{setup.class_id}/archive", headers=setup.teacher.headers).status_code == 409
    details = api.get(setup.student, f"/classes/{setup.class_id}").json()
    assert details["archived_at"] is not None


def test_teacher_invites_by_user_id_or_email(api, client, setup, make_person):
    by_id, by_email = make_person(), make_person()
    url = f"/api/v1/classes/{setup.class_id}/students"
    r1 = client.post(url, headers=setup.teacher.headers, json={"user_id": by_id.user_id})
    r2 = client.post(url, headers=setup.teacher.headers, json={"email": by_email.email.upper()})
    assert r1.status_code == 201 and r2.status_code == 201, (r1.text, r2.text)
    assert r2.json()["student_id"] == by_email.user_id
    ids = roster_ids(api, setup, r2.json()["position"])
    assert set(ids) == {setup.student.user_id, by_id.user_id, by_email.user_id}
    roster = api.get(setup.teacher, f"/classes/{setup.class_id}/roster").json()["items"]
    assert {s["via"] for s in roster} == {"code", "invitation"}
    assert by_email.email in {s["email"] for s in roster}


def test_invitation_errors_change_nothing(api, client, setup, make_person):
    url = f"/api/v1/classes/{setup.class_id}/students"
    someone = make_person()
    cases = [
        (setup.teacher, {}, 422),
        (setup.teacher, {"user_id": someone.user_id, "email": someone.email}, 422),
        (setup.teacher, {"email": "nobody-here@school.example.com"}, 404),
        (setup.teacher, {"user_id": str(uuid.uuid4())}, 404),
        (setup.teacher, {"user_id": setup.student.user_id}, 409),
        (setup.teacher, {"user_id": setup.teacher.user_id}, 409),
        (setup.student, {"user_id": someone.user_id}, 403),
        (make_person(Role.TEACHER), {"user_id": someone.user_id}, 404),
    ]
    for who, body, status in cases:
        r = client.post(url, headers=who.headers, json=body)
        assert r.status_code == status, (body, r.text)
    assert roster_ids(api, setup, api.head()) == [setup.student.user_id]


def test_removed_student_leaves_the_roster_and_cannot_rejoin_by_code(api, client, setup):
    url = f"/api/v1/classes/{setup.class_id}/students/{setup.student.user_id}"
    assert client.delete(url, headers=setup.student.headers).status_code == 403
    r = client.delete(url, headers=setup.teacher.headers)
    assert r.status_code == 200, r.text
    assert roster_ids(api, setup, r.json()["position"]) == []
    assert api.get(setup.student, f"/classes/{setup.class_id}").status_code == 404  # at once, no min_position
    assert api.get(setup.student, "/me/classes", r.json()["position"]).json()["items"] == []
    r = api.join(setup.student, setup.code)
    assert r.status_code == 409 and "invite" in r.json()["detail"]
    assert client.delete(url, headers=setup.teacher.headers).status_code == 409
    r = client.post(f"/api/v1/classes/{setup.class_id}/students", headers=setup.teacher.headers,
                    json={"user_id": setup.student.user_id})
    assert r.status_code == 201
    assert roster_ids(api, setup, r.json()["position"]) == [setup.student.user_id]


def test_roster_and_details_matrix(api, setup, make_person):
    outsider, other_teacher, admin = make_person(), make_person(Role.TEACHER), make_person(Role.ADMIN)
    path = f"/classes/{setup.class_id}"
    assert api.get(setup.student, path + "/roster").status_code == 403
    for person in (outsider, other_teacher, admin):
        assert api.get(person, path + "/roster").status_code == 404
        assert api.get(person, path).status_code == 404
    assert api.get(setup.teacher, f"/classes/{uuid.uuid4()}").status_code == 404
    assert api.client.get(f"/api/v1{path}/roster").status_code == 401


def test_teacher_lists_classes_taught(api, setup):
    mine = api.get(setup.teacher, "/me/classes", setup.position).json()["items"]
    assert [(c["class_id"], c["role"], c["join_code"]) for c in mine] == [(setup.class_id, "teacher", setup.code)]


def test_query_functions_for_the_catalog(api, client, app, setup, make_person):
    pool = app.state.deps.pool
    invited = make_person()
    r = client.post(f"/api/v1/classes/{setup.class_id}/students", headers=setup.teacher.headers,
                    json={"user_id": invited.user_id})
    r = client.delete(f"/api/v1/classes/{setup.class_id}/students/{setup.student.user_id}", headers=setup.teacher.headers)
    roster_ids(api, setup, r.json()["position"])  # waits for the read model
    assert [str(s) for s in class_student_ids(pool, uuid.UUID(setup.class_id))] == [invited.user_id]
    assert str(class_teacher_id(pool, uuid.UUID(setup.class_id))) == setup.teacher.user_id
    assert class_teacher_id(pool, uuid.uuid4()) is None
    assert class_student_ids(pool, uuid.uuid4()) == []


def test_a_whole_class_joining_at_once_all_get_in(app, api, setup):
    """Joins race on the class's version; lost races are retried rather than answered with 409."""
    students = [Actor(user_id=uuid.uuid4(), roles=frozenset({"student"})) for _ in range(8)]
    start = threading.Barrier(len(students))

    def join(actor: Actor) -> int:
        start.wait()
        return execute(classroom.join_class, classroom.JoinClass(code=setup.code), actor, app.state.deps).position

    with ThreadPoolExecutor(len(students)) as pool:
        positions = list(pool.map(join, students))
    assert set(roster_ids(api, setup, max(positions))) == {setup.student.user_id, *(str(s.user_id) for s in students)}
