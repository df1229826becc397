"""Open Badges 3.0 credentials: verified here with PyNaCl and our own JCS/base58 code, never
with the signing module, so a bug there cannot hide itself."""

from __future__ import annotations

import base64
import copy
import hashlib
import json

import nacl.exceptions
import nacl.signing
import pytest

API = "/api/v1"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 58 + _B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def jcs(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def verify(credential: dict, public_key: bytes) -> None:
    """eddsa-jcs-2022: sign(SHA-256(JCS(proof options)) || SHA-256(JCS(credential without proof)))."""
    document = {k: v for k, v in credential.items() if k != "proof"}
    options = {k: v for k, v in credential["proof"].items() if k != "proofValue"}
    data = hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(document)).digest()
    proof_value = credential["proof"]["proofValue"]
    assert proof_value.startswith("z")
    nacl.signing.VerifyKey(public_key).verify(data, b58decode(proof_value[1:]))


@pytest.fixture
def signed(ck, student, client):
    course = ck.completed(student)
    _, position = ck.issue()
    cert = ck.certificate_of(student, course, position)
    r = client.get(f"{API}/certificates/{cert['certificate_id']}/credential", headers=student.headers)
    assert r.status_code == 200, r.text
    key = client.get(f"{API}/certificates/issuer-key").json()  # public, no login
    return cert, r.json(), key


def test_credential_shape_and_signature(signed, client):
    cert, credential, key = signed
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://www.w3.org/ns/credentials/v2" in credential["@context"]
    assert credential["issuer"]["id"] == key["controller"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and "name" not in subject  # not an AchievementSubject term
    assert subject["identifier"] == [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                                      "identityHash": "Test Person"}]
    assert subject["achievement"]["name"] == "Intro to Testing" and subject["achievement"]["type"] == ["Achievement"]
    assert "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json" in credential["@context"]
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert credential["proof"]["verificationMethod"] == key["id"]
    # The JWK and the Multikey carry the same 32 bytes.
    raw = base64.urlsafe_b64decode(key["jwk"]["x"] + "==")
    assert b58decode(key["publicKeyMultibase"][1:]) == b"\xed\x01" + raw
    verify(credential, raw)
    did = client.get(f"{API}/.well-known/did.json").json()
    assert did["id"] == key["controller"]
    assert did["verificationMethod"][0]["publicKeyMultibase"] == key["publicKeyMultibase"]


@pytest.mark.parametrize("change", ["name", "grade", "signature", "proof_option"])
def test_any_changed_byte_fails_verification(signed, change):
    _, credential, key = signed
    raw = base64.urlsafe_b64decode(key["jwk"]["x"] + "==")
    forged = copy.deepcopy(credential)
    if change == "name":
        forged["credentialSubject"]["identifier"][0]["identityHash"] = "Test Persoo"
    elif change == "grade":
        forged["credentialSubject"]["result"] = [{"type": ["Result"], "value": "100.0%"}]
    elif change == "signature":
        value = forged["proof"]["proofValue"]
        forged["proof"]["proofValue"] = value[:-1] + ("2" if value[-1] != "2" else "3")
    else:
        forged["proof"]["created"] = "2000-01-01T00:00:00Z"
    with pytest.raises(nacl.exceptions.BadSignatureError):
        verify(forged, raw)


def test_the_key_is_generated_once_and_kept(signed, client, infra):
    _, _, key = signed
    assert (infra.settings.data_dir / "certificate_signing_key.pem").exists()
    assert client.get(f"{API}/certificates/issuer-key").json() == key


def test_credential_status_is_a_revocation_list_that_lists_it_once_revoked(signed, client, ck):
    cert, credential, _ = signed
    status = credential["credentialStatus"]
    assert status["type"] == "1EdTechRevocationList"
    path = status["id"].split("/api/v1", 1)[1]
    before = client.get(f"{API}{path}").json()  # public, no login
    assert before["id"] == status["id"] and before["issuer"] == credential["issuer"]["id"]
    assert {"id": credential["id"]} not in before["revokedCredentials"]
    r = client.post(f"{API}/certificates/{cert['certificate_id']}/revocation", json={"reason": "a private matter"},
                    headers=ck.author.headers)
    assert r.status_code == 200, r.text
    after = client.get(f"{API}{path}", params={"min_position": r.json()["position"]}).json()
    assert {"id": credential["id"]} in after["revokedCredentials"]
    assert "a private matter" not in str(after)  # reasons are the holder's personal data


VERIFY = f"{API}/certificates/credential-verifications"


def _failed(answer: dict) -> dict[str, str]:
    return {c["check"]: c["reason"] for c in answer["checks"] if not c["holds"]}


def test_a_credential_as_issued_verifies(signed, client):
    _, credential, _ = signed
    r = client.post(VERIFY, json=credential)  # anyone, no login
    assert r.status_code == 200, r.text
    assert r.json()["valid"] is True and r.json()["failures"] == []
    assert {c["check"] for c in r.json()["checks"]} == {"format", "signature", "issuer", "validity", "subject", "revocation"}


@pytest.mark.parametrize("change,check,reason", [
    ("grade", "signature", "changed after signing"),
    ("proof_value", "signature", "changed after signing"),
    ("no_proof", "signature", "no proof"),
    ("other_key", "signature", "not made with this platform's signing key"),
    ("not_base58", "signature", "cannot be read"),
    ("issuer", "issuer", "not by this platform"),
    ("subject", "subject", "someone other than the certificate's holder"),
    ("unknown_id", "subject", "no certificate of this platform"),
    ("future", "validity", "not valid before"),
])
def test_a_tampered_credential_fails_naming_the_check_and_the_reason(signed, client, change, check, reason):
    _, credential, _ = signed
    forged = copy.deepcopy(credential)
    if change == "grade":
        forged["credentialSubject"]["result"] = [{"type": ["Result"], "value": "100.0%"}]
    elif change == "proof_value":
        value = forged["proof"]["proofValue"]
        forged["proof"]["proofValue"] = value[:-1] + ("2" if value[-1] != "2" else "3")
    elif change == "no_proof":
        del forged["proof"]
    elif change == "other_key":
        forged["proof"]["verificationMethod"] = "did:web:elsewhere.example#z6Mk"
    elif change == "not_base58":
        forged["proof"]["proofValue"] = "z0OIl"
    elif change == "issuer":
        forged["issuer"]["id"] = "did:web:elsewhere.example"
    elif change == "subject":
        forged["credentialSubject"]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    elif change == "unknown_id":
        forged["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    else:
        forged["validFrom"] = "2999-01-01T00:00:00Z"
    r = client.post(VERIFY, json=forged)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["valid"] is False
    assert reason in _failed(answer)[check], answer
    assert any(f.startswith(f"{check}: ") for f in answer["failures"])


def test_a_revoked_credential_fails_on_revocation_alone(signed, client, ck):
    cert, credential, _ = signed
    r = client.post(f"{API}/certificates/{cert['certificate_id']}/revocation", json={"reason": "copied work"},
                    headers=ck.author.headers)
    answer = client.post(VERIFY, json=credential, params={"min_position": r.json()["position"]}).json()
    assert answer["valid"] is False
    assert set(_failed(answer)) == {"revocation"} and _failed(answer)["revocation"].startswith("revoked on ")


@pytest.mark.parametrize("body", ["[]", '"a string"', "{", "null"])
def test_what_is_not_a_json_object_is_a_clear_error(client, body):
    r = client.post(VERIFY, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422) and r.headers["content-type"] == "application/problem+json"
