"""Verifying an Open Badges 3.0 credential someone shows us: is it one this platform issued, as
issued, to the person it names, and not revoked? Each check says why it fails."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.documents.certificate_documents import credential_id
from adapters.security.credentials import Issuer


def _uuid_of(urn: Any) -> UUID | None:
    if not isinstance(urn, str) or not urn.startswith("urn:uuid:"):
        return None
    try:
        return UUID(urn.removeprefix("urn:uuid:"))
    except ValueError:
        return None


def _time(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def verify_credential(signed: dict[str, Any], issuer: Issuer, certificate_of: Callable[[UUID], dict[str, Any] | None],
                      now: datetime) -> dict[str, Any]:
    checks: dict[str, str | None] = {}  # check -> why it fails, None when it holds
    types = signed.get("type")
    checks["format"] = None if isinstance(types, list) and "OpenBadgeCredential" in types else \
        "not an OpenBadgeCredential (its type must list OpenBadgeCredential)"
    checks["signature"] = issuer.proof_problem(signed)
    named_issuer = signed.get("issuer")
    issuer_id = named_issuer.get("id") if isinstance(named_issuer, dict) else named_issuer
    checks["issuer"] = None if issuer_id == issuer.did else f"issued by {issuer_id!r}, not by this platform ({issuer.did})"
    valid_from, valid_until = _time(signed.get("validFrom")), signed.get("validUntil")
    if valid_from is None:
        checks["validity"] = "validFrom is missing or not a date-time with a time zone"
    elif valid_from > now:
        checks["validity"] = f"not valid before {signed['validFrom']}"
    elif valid_until is not None and ((until := _time(valid_until)) is None or until <= now):
        checks["validity"] = f"expired at {valid_until}" if until else "validUntil is not a date-time with a time zone"
    else:
        checks["validity"] = None

    certificate_id = _uuid_of(signed.get("id"))
    certificate = certificate_of(certificate_id) if certificate_id else None
    subject = signed.get("credentialSubject") if isinstance(signed.get("credentialSubject"), dict) else {}
    if certificate is None:
        checks["subject"] = "no certificate of this platform has this credential's id"
        checks["revocation"] = "unknown: no such certificate"
    else:
        achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
        if _uuid_of(subject.get("id")) != certificate["student_id"]:
            checks["subject"] = "the credential names someone other than the certificate's holder"
        elif not str(achievement.get("id", "")).endswith(f"/courses/{certificate['course_id']}#achievement"):
            checks["subject"] = "the achievement is not the course the certificate was issued for"
        else:
            checks["subject"] = None
        revoked = certificate["revoked_at"]
        checks["revocation"] = f"revoked on {revoked.date().isoformat()}" if revoked else None
    failures = [f"{name}: {why}" for name, why in checks.items() if why]
    return {
        "valid": not failures, "credential_id": credential_id(certificate_id) if certificate_id else None,
        "checks": [{"check": name, "holds": why is None, "reason": why} for name, why in checks.items()],
        "failures": failures,
    }
