"""Certification endpoints: completion rules, certificates (PDF, Open Badges credential),
revocation, and public verification by code (no login). A course's list of certificates is in
api/catalog/course_certificates.py."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from adapters.documents import certificate_documents as documents
from adapters.security import credential_verification
from adapters.security.credentials import Issuer
from api.certification.responses.certificates import (
    Certificate,
    Certificates,
    CertificateStatus,
    CompletionRules,
    CredentialVerification,
    DidDocument,
    IssuerKey,
    OpenBadgeCredential,
    RevocationList,
    Revoked,
    RulesSet,
)
from api.platform.auth import ActorDep, DepsDep, run
from api.platform.media_types import HTML, PDF, answers
from api.platform.read_position import read_after
from commands.certification import certification as certifying
from commands.number_ranges import Percent
from commands.pipeline import Actor, Deps, require_login
from domain.errors import NotFound
from domain.identity import Role
from projections.catalog import course_queries
from projections.certification import queries
from projections.certification.certification import certification
from projections.identity import queries as identity_queries

router = APIRouter(prefix="/api/v1", tags=["certification"])


class RulesBody(BaseModel):
    require_all_lessons: bool = True
    required_lesson_ids: list[UUID] = Field(default_factory=list, max_length=500)
    required_quiz_ids: list[UUID] = Field(default_factory=list, max_length=100)
    pass_mark: Percent | None = None
    show_grade: bool = False


class Revocation(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


def issuer(deps: Deps) -> Issuer:
    s = deps.settings
    return Issuer(s.certificate_signing_key, s.data_dir, s.public_url, s.previous_certificate_keys)


def _name(deps: Deps, user_id: UUID) -> str:
    profile = identity_queries.user_profile(deps.pool, user_id)
    return profile["display_name"] if profile else "[unknown]"


def _readable(actor: Actor, deps: Deps, certificate_id: UUID) -> dict[str, Any]:
    """The holder, the course's owner and admins; anyone else gets a 404, not a hint."""
    caller = require_login(actor)
    cert = queries.certificate(deps.pool, certificate_id)
    if cert is None:
        raise NotFound(f"certificate {certificate_id} not found")
    if caller != cert["student_id"] and not actor.has_role(Role.ADMIN) \
            and caller != course_queries.course_owner(deps.pool, cert["course_id"]):
        raise NotFound(f"certificate {certificate_id} not found")
    return cert


@router.put("/courses/{course_id}/completion-rules", response_model=RulesSet, description=(
    "Who: the course owner and admins. All lessons or some (ids of the course's lessons), quizzes of the course"
    " to pass at their own pass mark, a pass mark on the course grade; whether certificates show the grade."))
def set_rules(course_id: UUID, body: RulesBody, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = certifying.SetCompletionRules(course_id=course_id, **body.model_dump())
    return run(certifying.set_completion_rules, cmd, actor, deps, response)


@router.get("/courses/{course_id}/completion-rules", response_model=CompletionRules, description="Who: anyone logged in. Defaults when unset.")
def get_rules(course_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([certification])) -> dict[str, Any]:
    require_login(actor)
    return queries.rules_of(deps.pool, course_id) or {"course_id": course_id, **queries.DEFAULT_RULES, "changed_at": None}


@router.get("/me/certificates", response_model=Certificates, description="Who: any logged-in person. Their own certificates, revoked ones too.")
def my_certificates(actor: ActorDep, deps: DepsDep, _: None = read_after([certification])) -> dict[str, Any]:
    caller = require_login(actor)
    return {"items": queries.of_student(deps.pool, caller)}


@router.get("/certificates/issuer-key", response_model=IssuerKey, description=(
    "Who: anyone, no login. The platform's Ed25519 public key as JWK and Multikey, to verify credentials offline."))
def issuer_key(deps: DepsDep) -> dict[str, Any]:
    key = issuer(deps)
    return {"id": key.key_id, "controller": key.did, "type": "Multikey", "publicKeyMultibase": key.multikey,
            "jwk": key.jwk(), "cryptosuite": "eddsa-jcs-2022"}


@router.get("/certificates/revocations", response_model=RevocationList, description=(
    "Who: anyone, no login. The 1EdTech Revocation List (the `credentialStatus` of every credential): the ids"
    " of revoked credentials."))
def revocations(deps: DepsDep, _: None = read_after([certification])) -> dict[str, Any]:
    return documents.revocation_list(queries.revoked_ids(deps.pool), issuer(deps), deps.settings.public_url)


@router.get("/.well-known/did.json", response_model=DidDocument, include_in_schema=True, description=(
    "Who: anyone, no login. The did:web document of the issuer (mounted under /api/v1; "
    "a reverse proxy maps /.well-known/did.json here)."))
def did_document(deps: DepsDep) -> dict[str, Any]:
    return issuer(deps).did_document()


@router.get("/certificates/verify/{code}", response_model=CertificateStatus, description="Who: anyone, no login. Whether a certificate is valid or revoked.")
def verify(code: str, deps: DepsDep, _: None = read_after([certification])) -> dict[str, Any]:
    cert = queries.by_code(deps.pool, code.upper())
    if cert is None:
        raise NotFound("no certificate has this code")
    return {**documents.status_of(cert), "student_name": _name(deps, cert["student_id"])}


@router.post("/certificates/credential-verifications", response_model=CredentialVerification, description=(
    "Who: anyone, no login. Checks an Open Badges 3.0 credential (the JSON a holder shows): its eddsa-jcs-2022"
    " signature under this platform's key, the issuer, its validity dates, that it names the certificate's holder"
    " and course, and that the certificate is not revoked. Answers 200 with `valid` and each check's reason;"
    " nothing is recorded."))
def verify_credential(credential: Annotated[dict[str, Any], Body(description="the credential, as issued")],
                      deps: DepsDep, _: None = read_after([certification])) -> dict[str, Any]:
    return credential_verification.verify_credential(
        credential, issuer(deps), lambda certificate_id: queries.certificate(deps.pool, certificate_id), deps.clock())


@router.get("/certificates/verify/{code}/page", response_model=None, response_class=HTMLResponse,
            responses=answers(HTML, status=404, description="No certificate has this code."), description=(
    "Who: anyone, no login. The verification page the certificate's QR code links to."))
def verify_page(code: str, deps: DepsDep, _: None = read_after([certification])) -> HTMLResponse:
    cert = queries.by_code(deps.pool, code.upper())
    if cert is None:
        return HTMLResponse("<!doctype html><title>Not found</title><h1>No certificate has this code</h1>", 404)
    return HTMLResponse(documents.page(cert, _name(deps, cert["student_id"])))


@router.get("/certificates/{certificate_id}", response_model=Certificate, description="Who: the holder, the course owner and admins.")
def get_certificate(certificate_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([certification])) -> dict[str, Any]:
    return _readable(actor, deps, certificate_id)


@router.get("/certificates/{certificate_id}/pdf", response_model=None, response_class=Response, responses=answers(PDF), description=(
    "Who: the holder, the course owner and admins. The printable certificate with its QR code."))
def certificate_pdf(certificate_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([certification])) -> Response:
    cert = _readable(actor, deps, certificate_id)
    body = documents.pdf(cert, _name(deps, cert["student_id"]), deps.settings.public_url)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="certificate-{cert["code"]}.pdf"'})


@router.get("/certificates/{certificate_id}/credential", response_model=OpenBadgeCredential, description=(
    "Who: the holder, the course owner and admins. Open Badges 3.0 credential with an eddsa-jcs-2022 proof."))
def credential(certificate_id: UUID, actor: ActorDep, deps: DepsDep, _: None = read_after([certification])) -> dict[str, Any]:
    cert = _readable(actor, deps, certificate_id)
    return documents.open_badge(cert, _name(deps, cert["student_id"]), issuer(deps), deps.settings.public_url)


@router.post("/certificates/{certificate_id}/revocation", response_model=Revoked, description=(
    "Who: admins, moderators, the course's owner and a teacher who assigned the course to the holder. Revokes"
    " with a reason; verification then shows it."))
def revoke(certificate_id: UUID, body: Revocation, actor: ActorDep, deps: DepsDep, response: Response) -> dict[str, Any]:
    cmd = certifying.RevokeCertificate(certificate_id=certificate_id, reason=body.reason)
    return run(certifying.revoke_certificate, cmd, actor, deps, response)
