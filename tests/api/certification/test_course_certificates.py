"""A course's certificates, listed for the people who may revoke them (admins, moderators, the
course's owner, a teacher for the holders they assigned the course to), filtered by status and
paged with a cursor; verification by code waits for a recent revocation."""

from __future__ import annotations

import pytest

from domain.identity import Role
from projections.reading.pagination import encode_cursor
from tests.api.catalog.conftest import class_with

API = "/api/v1"


def _assigned_by_teacher(ck, client, teacher, holder, course) -> None:
    _, position = class_with(client, teacher, [holder])
    # The assignment checks the class roster read model: min_position makes it wait for the invitation.
    r = client.post(f"{API}/courses/{course['course_id']}/assignments", headers=teacher.headers,
                    json={"student_ids": [holder.user_id]}, params={"min_position": position})
    assert r.status_code == 200, r.text
    ck.completed(holder, course, enrol=False)


def _listed(client, course, who, position: int, **params) -> tuple[int, dict]:
    r = client.get(f"{API}/courses/{course['course_id']}/certificates", headers=who.headers if who else {},
                   params={"min_position": position, **params})
    return r.status_code, r.json()


def test_who_lists_a_courses_certificates(ck, client, make_person, student):
    course = ck.published()
    teacher, assigned = make_person(Role.TEACHER), make_person()
    _assigned_by_teacher(ck, client, teacher, assigned, course)
    ck.completed(student, course)  # enrolled by themselves
    _, position = ck.issue()
    both = sorted([assigned.user_id, student.user_id])
    viewers = {"owner": (ck.author, both), "admin": (make_person(Role.ADMIN), both),
               "moderator": (ck.moderator, both), "assigning_teacher": (teacher, [assigned.user_id]),
               "other_teacher": (make_person(Role.TEACHER), [])}
    for name, (who, holders) in viewers.items():
        status, body = _listed(client, course, who, position)
        assert status == 200, (name, body)
        assert sorted(i["holder_id"] for i in body["items"]) == holders, name
    status, body = _listed(client, course, ck.author, position)
    [item] = [i for i in body["items"] if i["holder_id"] == student.user_id]
    cert = ck.certificate_of(student, course, position)
    assert item == {"certificate_id": cert["certificate_id"], "holder_id": student.user_id,
                    "holder_name": "Test Person", "issued_at": cert["issued_at"], "revoked_at": None,
                    "code": cert["code"]}
    for name, who, expected in (("holder", student, 403), ("creator", make_person(Role.CREATOR), 403),
                                ("anonymous", None, 401)):
        assert _listed(client, course, who, position)[0] == expected, name
    r = client.get(f"{API}/courses/00000000-0000-0000-0000-000000000001/certificates", headers=ck.author.headers)
    assert r.status_code == 404


def test_status_filter_pages_and_bad_input(ck, client, make_person, student, infra):
    course = ck.published()
    holders = [student, make_person(), make_person()]
    for holder in holders:
        ck.completed(holder, course)
    _, position = ck.issue()
    status, body = _listed(client, course, ck.author, position, limit=1)
    seen, pages = [i["certificate_id"] for i in body["items"]], 1
    while body["next_cursor"]:
        status, body = _listed(client, course, ck.author, position, limit=1, cursor=body["next_cursor"])
        assert status == 200, body
        seen += [i["certificate_id"] for i in body["items"]]
        pages += 1
    status, everything = _listed(client, course, ck.author, position)
    assert pages == 3 and seen == [i["certificate_id"] for i in everything["items"]]  # newest first, each once
    assert [i["issued_at"] for i in everything["items"]] == sorted((i["issued_at"] for i in everything["items"]),
                                                                   reverse=True)
    revoked = everything["items"][1]
    r = client.post(f"{API}/certificates/{revoked['certificate_id']}/revocation", json={"reason": "withdrawn"},
                    headers=ck.author.headers)
    assert r.status_code == 200, r.text
    position = r.json()["position"]
    # Read-your-writes on the public verification too.
    verified = client.get(f"{API}/certificates/verify/{revoked['code']}", params={"min_position": position})
    assert verified.status_code == 200 and verified.json()["valid"] is False
    page = client.get(f"{API}/certificates/verify/{revoked['code']}/page", params={"min_position": position})
    assert page.status_code == 200 and "Revoked" in page.text
    status, body = _listed(client, course, ck.author, position, status="revoked")
    assert [i["certificate_id"] for i in body["items"]] == [revoked["certificate_id"]]
    assert body["items"][0]["revoked_at"] is not None
    status, body = _listed(client, course, ck.author, position, status="valid")
    assert sorted(i["certificate_id"] for i in body["items"]) == sorted(
        i["certificate_id"] for i in everything["items"] if i != revoked)
    # A hand-made cursor, and a well-formed one whose values are of other kinds, are refused.
    for params, field in (({"status": "expired"}, "status"), ({"limit": 0}, "limit"), ({"limit": 101}, "limit"),
                          ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"), ({"cursor": encode_cursor(3, "x")}, "cursor")):
        status, body = _listed(client, course, ck.author, position, **params)
        assert status == 422 and field in str(body), (params, body)


@pytest.mark.parametrize("position_param", ["-1", "x"])
def test_verification_refuses_a_bad_min_position(client, position_param):
    r = client.get(f"{API}/certificates/verify/NOSUCHCODE", params={"min_position": position_param})
    assert r.status_code == 422
