"""Certificates end to end: issued once when a course is completed, downloaded as a PDF,
verified publicly by code, revoked with a reason; who may do what."""

from __future__ import annotations

import io
from uuid import UUID

import pytest
import zxingcpp
from pypdf import PdfReader

from domain.certification import certificate_id
from domain.identity import Role
from tests.api.catalog.conftest import event_count

API = "/api/v1"


def test_completing_a_course_issues_one_certificate(ck, student, infra):
    course = ck.completed(student)
    _, position = ck.issue()
    cert = ck.certificate_of(student, course, position)
    assert cert is not None and cert["course_title"] == "Intro to Testing" and cert["grade"] is None
    assert cert["certificate_id"] == str(certificate_id(UUID(student.user_id), UUID(course["course_id"])))
    # A second round, and a round racing on the same student, record nothing new.
    ck.issue()
    assert event_count(infra, cert["certificate_id"], "Certificate.Issued") == 1


def test_half_done_course_issues_nothing(ck, student):
    course = ck.completed(student, lessons=1)
    _, position = ck.issue()
    assert ck.certificate_of(student, course, position) is None


def test_pdf_download_and_public_verification(ck, student, client, infra):
    course = ck.completed(student)
    _, position = ck.issue()
    cert = ck.certificate_of(student, course, position)
    r = client.get(f"{API}/certificates/{cert['certificate_id']}/pdf", headers=student.headers)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 2000  # the QR image makes it sizeable
    for text in ("Test Person", "Intro to Testing", cert["code"], f"/certificates/verify/{cert['code']}/page"):
        assert text.encode() in r.content, text
    # The QR code, read back by an independent decoder (ZXing), points to the verification page.
    [image] = PdfReader(io.BytesIO(r.content)).pages[0].images
    [qr] = zxingcpp.read_barcodes(image.image)
    assert qr.format == zxingcpp.BarcodeFormat.QRCode
    assert qr.text == f"{infra.settings.public_url.rstrip('/')}/api/v1/certificates/verify/{cert['code']}/page"
    r = client.get(f"{API}/certificates/verify/{cert['code']}")  # no login
    assert r.status_code == 200, r.text
    assert r.json()["valid"] is True and r.json()["student_name"] == "Test Person"
    r = client.get(f"{API}/certificates/verify/{cert['code']}/page")
    assert r.status_code == 200 and "Valid" in r.text and "Intro to Testing" in r.text
    assert client.get(f"{API}/certificates/verify/NOSUCHCODE").status_code == 404
    assert client.get(f"{API}/certificates/verify/NOSUCHCODE/page").status_code == 404


@pytest.mark.parametrize("viewer,allowed", [("holder", True), ("owner", True), ("admin", True),
                                            ("other_student", False), ("teacher", False), ("anonymous", False)])
def test_who_downloads_a_certificate(ck, student, make_person, client, viewer, allowed):
    course = ck.completed(student)
    _, position = ck.issue()
    cert = ck.certificate_of(student, course, position)
    headers = {"holder": lambda: student.headers, "owner": lambda: ck.author.headers,
               "admin": lambda: make_person(Role.ADMIN).headers, "other_student": lambda: make_person().headers,
               "teacher": lambda: make_person(Role.TEACHER).headers, "anonymous": lambda: {}}[viewer]()
    for suffix in ("", "/pdf", "/credential"):
        r = client.get(f"{API}/certificates/{cert['certificate_id']}{suffix}", headers=headers)
        expected = 200 if allowed else (401 if viewer == "anonymous" else 404)
        assert r.status_code == expected, (suffix, r.text)


def test_revocation_with_a_reason(ck, student, make_person, client, infra):
    course = ck.completed(student)
    _, position = ck.issue()
    cert = ck.certificate_of(student, course, position)
    url = f"{API}/certificates/{cert['certificate_id']}/revocation"
    assert client.post(url, json={"reason": "mine"}, headers=student.headers).status_code == 403
    assert client.post(url, json={"reason": "x"}, headers=make_person(Role.CREATOR).headers).status_code == 403
    assert client.post(url, json={"reason": "x"}).status_code == 401
    for bad in ({}, {"reason": ""}, {"reason": "   "}):
        assert client.post(url, json=bad, headers=ck.author.headers).status_code in (400, 422)
    assert event_count(infra, cert["certificate_id"], "Certificate.Revoked") == 0
    r = client.post(url, json={"reason": "plagiarised final project"}, headers=ck.author.headers)
    assert r.status_code == 200, r.text
    assert client.post(url, json={"reason": "again"}, headers=make_person(Role.ADMIN).headers).status_code == 409
    ck.issue()  # revoked is not "missing": nothing is issued again
    assert event_count(infra, cert["certificate_id"], "Certificate.Issued") == 1
    r = client.get(f"{API}/certificates/{cert['certificate_id']}", headers=student.headers,
                   params={"min_position": r.json()["position"]})
    assert r.json()["revoked_reason"] == "plagiarised final project"
    body = client.get(f"{API}/certificates/verify/{cert['code']}").json()
    assert body["valid"] is False and body["revoked_reason"] == "plagiarised final project"
    assert "Revoked" in client.get(f"{API}/certificates/verify/{cert['code']}/page").text


def test_unknown_certificate_is_404(client, student):
    r = client.get(f"{API}/certificates/00000000-0000-0000-0000-000000000001", headers=student.headers)
    assert r.status_code == 404
    r = client.post(f"{API}/certificates/00000000-0000-0000-0000-000000000001/revocation",
                    json={"reason": "x"}, headers=student.headers)
    assert r.status_code == 404
