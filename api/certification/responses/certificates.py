"""What the certificate routes answer. The issuer's public documents follow W3C and 1EdTech
formats (DID core, Open Badges 3.0): their main terms are declared, further terms pass through."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.platform.common_responses import Measure, Recorded


class RulesSet(Recorded):
    course_id: UUID
    changed: bool = Field(description="false when the rules were already these (nothing recorded)")


class CompletionRules(BaseModel):
    course_id: UUID
    require_all_lessons: bool
    required_lesson_ids: list[UUID]
    required_quiz_ids: list[UUID]
    pass_mark: Measure | None
    show_grade: bool
    changed_at: datetime | None = Field(description="null: the defaults, never set")


class Certificate(BaseModel):
    certificate_id: UUID
    code: str = Field(description="the verification code")
    student_id: UUID
    course_id: UUID
    course_title: str
    grade: Measure | None
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None


class Certificates(BaseModel):
    items: list[Certificate]


class Revoked(Recorded):
    certificate_id: UUID
    revoked: bool


class CertificateStatus(BaseModel):
    code: str
    valid: bool
    course_title: str
    issued_at: datetime
    grade: Measure | None
    revoked_at: datetime | None
    revoked_reason: str | None
    student_name: str


class Jwk(BaseModel):
    kty: str
    crv: str
    x: str
    kid: str
    alg: str
    use: str


class IssuerKey(BaseModel):
    id: str
    controller: str = Field(description="the issuer's did:web")
    type: str
    publicKeyMultibase: str  # noqa: N815 (the Multikey term)
    jwk: Jwk
    cryptosuite: str


class Linked(BaseModel):
    """A JSON-LD document: its declared terms, and any further ones as they are."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class RevokedCredential(BaseModel):
    id: str


class RevocationList(Linked):
    id: str
    issuer: str
    revokedCredentials: list[RevokedCredential]  # noqa: N815


class VerificationMethod(Linked):
    id: str
    type: str
    controller: str
    publicKeyMultibase: str  # noqa: N815


class DidDocument(Linked):
    context: list[str] = Field(alias="@context")
    id: str
    verificationMethod: list[VerificationMethod]  # noqa: N815
    assertionMethod: list[str]  # noqa: N815
    authentication: list[str]


class OpenBadgeCredential(Linked):
    context: list[str] = Field(alias="@context")
    id: str
    type: list[str]
    issuer: dict[str, Any]
    validFrom: str  # noqa: N815
    name: str
    credentialSubject: dict[str, Any]  # noqa: N815
    credentialStatus: dict[str, Any]  # noqa: N815
    proof: dict[str, Any] = Field(description="DataIntegrityProof, eddsa-jcs-2022")


class Check(BaseModel):
    check: str
    holds: bool
    reason: str | None


class CredentialVerification(BaseModel):
    valid: bool
    credential_id: str | None
    checks: list[Check]
    failures: list[str]
