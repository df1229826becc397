"""Forged, stale and misused bearer tokens are refused with 401 problem+json, on a route that needs
a login and on one anyone may call (a bad token is never taken for no token)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from adapters.security.keyring import derived, key_id
from tests.api.conftest import Person

ROUTES = ["/api/v1/users/me", "/api/v1/courses/00000000-0000-4000-8000-000000000000"]  # login needed; anyone


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims_of(person: Person) -> dict[str, Any]:
    return jwt.decode(person.tokens["access_token"], options={"verify_signature": False})


def _signed(app, claims: dict[str, Any], **changes: Any) -> str:
    """A token signed with the platform's real key, with `changes` to its claims."""
    secret = app.state.deps.settings.resolved_secret_key()
    kid = key_id(secret)
    return jwt.encode({**claims, **changes}, derived([secret], b"jwt-signing")[kid], algorithm="HS256",
                      headers={"kid": kid})


def _alg_none(app, person: Person) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims_of(person))}."


def _rs256_own_key(app, person: Person) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(_claims_of(person), key, algorithm="RS256")


def _eddsa_own_key(app, person: Person) -> str:
    return jwt.encode(_claims_of(person), ed25519.Ed25519PrivateKey.generate(), algorithm="EdDSA")


def _hmac_signed(claims: dict[str, Any], header: dict[str, Any], secret: bytes) -> str:
    """Signed by hand: PyJWT itself refuses a public key as an HMAC secret, an attacker does not."""
    signing_input = f"{_b64({**header, 'alg': 'HS256'})}.{_b64(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _hs256_with_public_keys(person: Person, client) -> list[str]:
    """HS/RS confusion: the platform's published signing key (did.json) used as the HMAC secret."""
    method = client.get("/api/v1/.well-known/did.json").json()["verificationMethod"][0]
    header = jwt.get_unverified_header(person.tokens["access_token"])
    return [_hmac_signed(_claims_of(person), header, secret)
            for secret in (method["publicKeyMultibase"].encode(), method["id"].encode(),
                           json.dumps(method).encode())]


def _wrong_key(app, person: Person) -> str:
    kid = jwt.get_unverified_header(person.tokens["access_token"])["kid"]
    return jwt.encode(_claims_of(person), b"a guessed secret, 32 bytes long!", algorithm="HS256", headers={"kid": kid})


def _unknown_kid(app, person: Person) -> str:
    return jwt.encode(_claims_of(person), b"a guessed secret, 32 bytes long!", algorithm="HS256",
                      headers={"kid": "000000000000"})


def _expired(app, person: Person) -> str:
    now = int(time.time())
    return _signed(app, _claims_of(person), iat=now - 3600, exp=now - 60)


def _not_yet_valid(app, person: Person) -> str:
    now = int(time.time())
    return _signed(app, _claims_of(person), nbf=now + 3600, exp=now + 7200)


def _issued_in_the_future(app, person: Person) -> str:
    now = int(time.time())
    return _signed(app, _claims_of(person), iat=now + 3600, exp=now + 7200)


def _tampered_roles(app, person: Person) -> str:
    header, _, signature = person.tokens["access_token"].split(".")
    return f"{header}.{_b64({**_claims_of(person), 'roles': ['admin']})}.{signature}"


def _tampered_subject(app, person: Person, other: Person) -> str:
    header, _, signature = person.tokens["access_token"].split(".")
    return f"{header}.{_b64({**_claims_of(person), 'sub': other.user_id})}.{signature}"


def _other_issuer(app, person: Person) -> str:
    return _signed(app, _claims_of(person), iss="someone-else")


def _without_expiry(app, person: Person) -> str:
    claims = _claims_of(person)
    del claims["exp"]
    return _signed(app, claims)


def _refresh_token(app, person: Person) -> str:
    return person.tokens["refresh_token"]


ATTACKS: dict[str, Callable[..., str]] = {
    "alg none": _alg_none, "RS256 with the attacker's key": _rs256_own_key,
    "EdDSA with the attacker's key": _eddsa_own_key, "wrong key": _wrong_key, "unknown key id": _unknown_kid,
    "expired": _expired, "not yet valid": _not_yet_valid, "issued in the future": _issued_in_the_future,
    "tampered roles": _tampered_roles, "other issuer": _other_issuer, "no expiry": _without_expiry,
    "refresh token as access token": _refresh_token,
}


def _refused(client, token: str) -> None:
    for route in ROUTES:
        r = client.get(route, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, (route, r.status_code, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json()["status"] == 401


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_forged_or_misused_token_is_refused(attack, app, client, make_person):
    person = make_person()
    assert client.get("/api/v1/users/me", headers=person.headers).status_code == 200  # the real one works
    _refused(client, ATTACKS[attack](app, person))


def test_hs256_signed_with_the_published_public_key_is_refused(client, make_person):
    for token in _hs256_with_public_keys(make_person(), client):
        _refused(client, token)


def test_token_with_another_persons_subject_is_refused(app, client, make_person):
    person, other = make_person(), make_person()
    _refused(client, _tampered_subject(app, person, other))


def test_token_of_a_deactivated_person_is_refused(client, make_person):
    person = make_person()
    r = client.post(f"/api/v1/users/{person.user_id}/deactivation", json={"reason": "leaving"}, headers=person.headers)
    assert r.status_code == 200, r.text
    _refused(client, person.tokens["access_token"])


def test_token_of_an_erased_person_is_refused(client, make_person):
    person = make_person()
    r = client.post(f"/api/v1/users/{person.user_id}/erasure", headers=person.headers)
    assert r.status_code == 200, r.text
    _refused(client, person.tokens["access_token"])


def test_token_of_a_logged_out_session_is_refused(client, make_person):
    person = make_person()
    assert client.delete("/api/v1/sessions/current", headers=person.headers).status_code == 200
    _refused(client, person.tokens["access_token"])
