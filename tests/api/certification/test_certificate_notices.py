"""The holder is told when a certificate is issued to them and when it is revoked."""

from __future__ import annotations

API = "/api/v1"


def _titles(client, person, position):
    r = client.get(f"{API}/notifications", headers=person.headers, params={"min_position": position})
    assert r.status_code == 200, r.text
    return [item["title"] for item in r.json()["items"]]


def test_holder_is_told_of_issue_and_revocation(ck, make_person, client):
    student = make_person()  # an inbox of their own
    course = ck.completed(student)
    _, position = ck.issue()
    assert "Your certificate for Intro to Testing" in _titles(client, student, position)
    cert = ck.certificate_of(student, course, position)
    r = client.post(f"{API}/certificates/{cert['certificate_id']}/revocation", json={"reason": "a mistake"},
                    headers=ck.author.headers)
    assert r.status_code == 200, r.text
    assert "A certificate of yours was revoked" in _titles(client, student, r.json()["position"])


def test_student_is_told_of_a_grade_override(ck, make_person, client):
    student = make_person()
    course = ck.published()
    r = client.put(f"{API}/gradebooks/{course['course_id']}/students/{student.user_id}/override",
                   json={"grade": 88, "reason": "project work"}, headers=ck.author.headers)
    assert r.status_code == 200, r.text
    assert "Your final grade was set to 88.0%" in _titles(client, student, r.json()["position"])
