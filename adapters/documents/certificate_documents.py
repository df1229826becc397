"""What a certificate looks like outside: a PDF with a QR code, a public verification page,
and an Open Badges 3.0 credential. Pure rendering: the caller passes the certificate's row."""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime
from typing import Any

import qrcode
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from adapters.security.credentials import Issuer


def verify_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/api/v1/certificates/verify/{code}/page"


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def pdf(cert: dict[str, Any], student_name: str, public_url: str) -> bytes:
    url = verify_url(public_url, cert["code"])
    buffer = io.BytesIO()
    # Uncompressed page text (a few hundred bytes): plain tools, and our tests, can read it.
    page = canvas.Canvas(buffer, pagesize=landscape(A4), pageCompression=0)
    page.setTitle(f"Certificate {cert['code']}")
    width, height = landscape(A4)
    page.setFont("Helvetica-Bold", 32)
    page.drawCentredString(width / 2, height - 120, "Certificate of Completion")
    page.setFont("Helvetica", 16)
    page.drawCentredString(width / 2, height - 180, "This certifies that")
    page.setFont("Helvetica-Bold", 26)
    page.drawCentredString(width / 2, height - 220, student_name)
    page.setFont("Helvetica", 16)
    page.drawCentredString(width / 2, height - 260, "has completed the course")
    page.setFont("Helvetica-Bold", 20)
    page.drawCentredString(width / 2, height - 295, cert["course_title"])
    page.setFont("Helvetica", 13)
    lines = [f"Date: {_date(cert['issued_at'])}"]
    if cert["grade"] is not None:
        lines.append(f"Grade: {cert['grade']:.1f}%")
    lines += [f"Verification code: {cert['code']}", url]
    for i, line in enumerate(lines):
        page.drawString(60, 140 - 20 * i, line)
    image = qrcode.make(url, box_size=6, border=2).get_image()
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    page.drawImage(ImageReader(png), width - 200, 50, 140, 140)
    page.showPage()
    page.save()
    return buffer.getvalue()


def status_of(cert: dict[str, Any]) -> dict[str, Any]:
    """The public facts: validity, course, date; no student id (only the name on the page)."""
    return {
        "code": cert["code"], "valid": cert["revoked_at"] is None, "course_title": cert["course_title"],
        "issued_at": cert["issued_at"], "grade": cert["grade"], "revoked_at": cert["revoked_at"],
        "revoked_reason": cert["revoked_reason"],
    }


def page(cert: dict[str, Any], student_name: str) -> str:
    status = "Valid" if cert["revoked_at"] is None else f"Revoked on {_date(cert['revoked_at'])}"
    reason = "" if cert["revoked_at"] is None else f"<p>Reason: {html.escape(cert['revoked_reason'] or '')}</p>"
    grade = "" if cert["grade"] is None else f"<p>Grade: {cert['grade']:.1f}%</p>"
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Certificate verification</title></head>"
        f"<body><h1>Certificate {html.escape(cert['code'])}</h1><p class=status><strong>{status}</strong></p>"
        f"<p>{html.escape(student_name)} completed <em>{html.escape(cert['course_title'])}</em>"
        f" on {_date(cert['issued_at'])}.</p>{grade}{reason}</body></html>"
    )


def revocation_list_url(public_url: str) -> str:
    return f"{public_url.rstrip('/')}/api/v1/certificates/revocations"


def credential_id(certificate_id: Any) -> str:
    return f"urn:uuid:{certificate_id}"


def open_badge(cert: dict[str, Any], student_name: str, issuer: Issuer, public_url: str) -> dict[str, Any]:
    """OB 3.0 terms only: the holder is named by an IdentityObject in `identifier` (the
    AchievementSubject has no `name`), and the status is a 1EdTech Revocation List entry."""
    base = public_url.rstrip("/")
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "id": f"urn:uuid:{cert['student_id']}",
        "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": student_name}],
        "achievement": {
            "id": f"{base}/api/v1/courses/{cert['course_id']}#achievement",
            "type": ["Achievement"], "achievementType": "CertificateOfCompletion", "name": cert["course_title"],
            "description": f"Completed the course {cert['course_title']}",
            "criteria": {"narrative": "Met the course's completion rules (required lessons and quizzes, pass mark)."},
        },
    }
    if cert["grade"] is not None:
        subject["result"] = [{"type": ["Result"], "value": f"{cert['grade']:.1f}%"}]
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                     "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],  # defines 1EdTechRevocationList
        "id": credential_id(cert["certificate_id"]),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "SkillHub", "url": base},
        "validFrom": cert["issued_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": f"{cert['course_title']} certificate",
        "credentialSubject": subject,
        "credentialStatus": {"id": revocation_list_url(public_url), "type": "1EdTechRevocationList"},
    }
    return issuer.sign(credential, created=credential["validFrom"])


def revocation_list(certificate_ids: list[Any], issuer: Issuer, public_url: str) -> dict[str, Any]:
    """The 1EdTech Revocation List our credentials point to. Ids only: the reasons are personal
    data of the holders (the verification page shows one to whoever has its code)."""
    return {"id": revocation_list_url(public_url), "issuer": issuer.did,
            "revokedCredentials": [{"id": credential_id(i)} for i in certificate_ids]}
