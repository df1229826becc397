"""Rotating SKILLHUB_SECRET_KEY and the certificate signing key: nobody is logged out at once,
personal data stays readable without re-encrypting the log, earlier certificates still verify,
and a retired key opens nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import jwt
import pytest

from adapters.events.personal_data import KeyStore, RetiredKey
from adapters.infrastructure import open_infrastructure
from adapters.security.credentials import Issuer, retire_signing_key
from adapters.security.keyring import derived
from adapters.security.tokens import AccessClaims, TokenIssuer
from api.platform.idempotency import IdempotencyStore
from commands.identity.accounts import RegisterUser, register_user
from commands.loading import user_by_email
from commands.pipeline import SYSTEM, deps_for, execute
from domain.errors import Unauthenticated
from tests.conftest import settings_for

OLD, NEW = "the-old-secret-0123456789abcdef", "the-new-secret-0123456789abcdef"


def test_tokens_of_the_previous_secret_verify_until_it_is_retired():
    claims, now = AccessClaims(uuid4(), uuid4(), ["student"]), datetime.now(UTC)
    old_token = TokenIssuer([OLD], 900).issue(claims, now)
    assert TokenIssuer([NEW, OLD], 900).verify(old_token) == claims  # nobody logged out by the rotation
    new_token = TokenIssuer([NEW, OLD], 900).issue(claims, now)
    assert jwt.get_unverified_header(new_token)["kid"] != jwt.get_unverified_header(old_token)["kid"]
    with pytest.raises(Unauthenticated, match="retired"):
        TokenIssuer([NEW], 900).verify(old_token)
    # A token from before key ids (no kid) is checked against the current secret.
    legacy = jwt.encode({"iss": "skillhub", "sub": str(claims.user_id), "sid": str(claims.session_id),
                         "roles": ["student"], "exp": int(now.timestamp()) + 60}, derived([OLD], b"jwt-signing")
                        .popitem()[1], algorithm="HS256")
    assert TokenIssuer([OLD], 900).verify(legacy) == claims
    with pytest.raises(Unauthenticated):
        TokenIssuer([NEW], 900).verify(legacy)


def test_sealed_idempotent_responses_open_with_any_configured_secret(fresh_infra):
    sealed = IdempotencyStore(fresh_infra.pool, 1, [OLD])._seal("scope", "key", b"first answer")
    assert IdempotencyStore(fresh_infra.pool, 1, [NEW, OLD])._open("scope", "key", sealed) == b"first answer"
    assert IdempotencyStore(fresh_infra.pool, 1, [NEW])._open("scope", "key", sealed) is None


def test_rotating_the_secret_rewraps_personal_keys_without_touching_the_log(make_database, tmp_path):
    url = make_database()
    before = open_infrastructure(settings_for(tmp_path / "a", secret_key=OLD), url)
    try:
        deps = deps_for(before)
        email = f"rotate-{uuid4().hex[:6]}@keys.example.com"
        registered = execute(register_user, RegisterUser(email=email, password="a long enough password",
                                                         display_name="Rotated Person"), SYSTEM, deps)
        user_id = registered.data["user_id"]
        with before.pool.connection() as conn:
            log_before = conn.execute("SELECT md5(string_agg(state::text, '' ORDER BY notification_id)) AS h"
                                      " FROM skillhub_events").fetchone()["h"]
            conn.execute("UPDATE personal_data_keys SET kek_id = NULL")  # as rows from before key ids look
    finally:
        before.close()

    # The operator sets the new secret, keeps the old one as previous, and the identifier key.
    rotated = settings_for(tmp_path / "b", secret_key=NEW, previous_secret_keys=OLD, identifier_key=OLD)
    after = open_infrastructure(rotated, url)
    try:
        deps = deps_for(after)
        assert user_by_email(deps, email).display_name == "Rotated Person"  # claims found, data readable
        assert after.keys.rewrap() >= 1
        assert set(after.keys.wrapped_by()) == {after.keys.current_id}
        with after.pool.connection() as conn:
            log_after = conn.execute("SELECT md5(string_agg(state::text, '' ORDER BY notification_id)) AS h"
                                     " FROM skillhub_events").fetchone()["h"]
        assert log_after == log_before  # not one stored event changed
    finally:
        after.close()

    retired = open_infrastructure(settings_for(tmp_path / "c", secret_key=NEW, identifier_key=OLD), url)
    try:
        assert deps_for(retired).store.load(user_id).email == email  # the old secret is no longer needed
    finally:
        retired.close()
    with pytest.raises(RetiredKey, match="SKILLHUB_PREVIOUS_SECRET_KEYS"):
        other = open_infrastructure(settings_for(tmp_path / "d", secret_key="a-third-secret-0123456789"), url)
        try:
            KeyStore(other.pool, ["a-third-secret-0123456789"]).key_for_reading(user_id)
        finally:
            other.close()


def test_certificates_signed_before_a_signing_key_rotation_still_verify(tmp_path):
    old = Issuer(None, tmp_path, "https://school.example.com")
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                  "issuer": old.did, "credentialSubject": {"name": "Ada"}}
    signed = old.sign(credential, "2026-12-01T00:00:00Z")
    retired = retire_signing_key(tmp_path)
    new = Issuer(None, tmp_path, "https://school.example.com")
    assert new.multikey != retired
    assert new.proof_problem(signed) is None  # still verifies
    assert new.proof_problem({**signed, "credentialSubject": {"name": "Eve"}}).startswith("the signature does not match")
    assert new.proof_problem(new.sign(credential, "2026-12-06T00:00:00Z")) is None
    doc = new.did_document()
    assert [m["publicKeyMultibase"] for m in doc["verificationMethod"]] == [new.multikey, retired]
    assert doc["authentication"] == [new.key_id]  # only the current key signs
