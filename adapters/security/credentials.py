"""The platform's Ed25519 issuer key and Open Badges 3.0 credentials signed with it.

Proof format: a W3C Data Integrity proof, cryptosuite `eddsa-jcs-2022`: the credential without
its proof and the proof options (the proof without proofValue, with the credential's @context)
are each canonicalised with JCS (RFC 8785), hashed with SHA-256, and the two hashes
(options first) are signed; proofValue is the signature in multibase base58btc ('z...').
Our credentials hold only strings, booleans and integers, for which JCS is sorted keys, no
whitespace and UTF-8 — exactly what `canonical` produces.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub


def base58btc(data: bytes) -> str:
    n, out = int.from_bytes(data, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = _ALPHABET[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def from_base58btc(text: str) -> bytes:
    """The bytes of a base58btc string; ValueError for a character outside the alphabet."""
    n = 0
    for char in text:
        digit = _ALPHABET.find(char)
        if digit < 0:
            raise ValueError(f"{char!r} is not a base58btc character")
        n = n * 58 + digit
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def canonical(value: Any) -> bytes:
    if isinstance(value, float):
        raise TypeError("credentials hold no floats (JCS number formatting)")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@cache
def _load_key(pem: str | None, data_dir: Path) -> Ed25519PrivateKey:
    if pem is None:
        path = data_dir / "certificate_signing_key.pem"
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            raw = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            path.write_bytes(raw)
            path.chmod(0o600)
        pem = path.read_text()
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the certificate signing key must be an Ed25519 key")
    return key


RETIRED_KEYS = "retired_certificate_signing_keys"  # folder in the data dir: public keys that still verify


def _multikey(public: Ed25519PublicKey) -> str:
    return "z" + base58btc(_ED25519_PUB_PREFIX + public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _public_from_multikey(multikey: str) -> Ed25519PublicKey:
    raw = from_base58btc(multikey[1:])
    if not multikey.startswith("z") or not raw.startswith(_ED25519_PUB_PREFIX):
        raise ValueError(f"{multikey} is not an Ed25519 multikey")
    return Ed25519PublicKey.from_public_bytes(raw[len(_ED25519_PUB_PREFIX):])


def retire_signing_key(data_dir: Path) -> str:
    """Rotation: the key file in the data dir is replaced by a new one; the old public key is kept
    in RETIRED_KEYS so certificates signed with it still verify. Returns the retired multikey."""
    path = data_dir / "certificate_signing_key.pem"
    old = serialization.load_pem_private_key(path.read_bytes(), password=None)
    multikey = _multikey(old.public_key())
    (data_dir / RETIRED_KEYS).mkdir(exist_ok=True)
    (data_dir / RETIRED_KEYS / multikey).write_text(multikey)
    path.unlink()
    _load_key.cache_clear()
    return multikey


class Issuer:
    """Signs credentials as `did` (a did:web of the platform's public URL); verifies proofs made
    with its current key or any earlier one (rotation keeps their public halves)."""

    def __init__(self, pem: str | None, data_dir: Path, public_url: str, previous: str = "") -> None:
        self._key = _load_key(pem, data_dir)
        host = public_url.split("://", 1)[-1].rstrip("/").replace(":", "%3A").replace("/", ":")
        self.did = f"did:web:{host}"
        self.public_bytes = self._key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.multikey = "z" + base58btc(_ED25519_PUB_PREFIX + self.public_bytes)
        self.key_id = f"{self.did}#{self.multikey}"
        retired = [p.read_text().strip() for p in sorted((data_dir / RETIRED_KEYS).glob("z*"))] \
            if (data_dir / RETIRED_KEYS).is_dir() else []
        retired += [m.strip() for m in previous.split(",") if m.strip()]
        self._verifiers = {self.key_id: self._key.public_key(),
                           **{f"{self.did}#{m}": _public_from_multikey(m) for m in retired if m != self.multikey}}

    def jwk(self) -> dict[str, str]:
        x = base64.urlsafe_b64encode(self.public_bytes).rstrip(b"=").decode()
        return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": self.key_id, "alg": "EdDSA", "use": "sig"}

    def did_document(self) -> dict[str, Any]:
        methods = [{"id": kid, "type": "Multikey", "controller": self.did, "publicKeyMultibase": kid.split("#", 1)[1]}
                   for kid in self._verifiers]
        return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": self.did, "verificationMethod": methods,
                "assertionMethod": list(self._verifiers), "authentication": [self.key_id]}

    def sign(self, credential: dict[str, Any], created: str) -> dict[str, Any]:
        options = {"@context": credential["@context"], "type": "DataIntegrityProof",
                   "cryptosuite": "eddsa-jcs-2022", "created": created,
                   "verificationMethod": self.key_id, "proofPurpose": "assertionMethod"}
        proof = {**options, "proofValue": "z" + base58btc(self._key.sign(_signed_bytes(options, credential)))}
        return {**credential, "proof": proof}

    def proof_problem(self, signed: dict[str, Any]) -> str | None:
        """Why the credential's eddsa-jcs-2022 proof does not hold under this issuer's key, or None."""
        proof = signed.get("proof")
        if not isinstance(proof, dict):
            return "the credential has no proof"
        if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
            return "the proof is not a DataIntegrityProof with the eddsa-jcs-2022 cryptosuite"
        if proof.get("proofPurpose") != "assertionMethod":
            return "the proof's purpose is not assertionMethod"
        verifier = self._verifiers.get(proof.get("verificationMethod"))
        if verifier is None:
            return "the proof was not made with this platform's signing key"
        value = proof.get("proofValue")
        if not isinstance(value, str) or not value.startswith("z"):
            return "the proof value is not multibase base58btc"
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        credential = {k: v for k, v in signed.items() if k != "proof"}
        try:
            verifier.verify(from_base58btc(value[1:]), _signed_bytes(options, credential))
        except (ValueError, TypeError):
            return "the proof or the credential cannot be read (not base58btc, or a number JCS would write differently)"
        except InvalidSignature:
            return "the signature does not match the credential: it was changed after signing"
        return None


def _signed_bytes(options: dict[str, Any], credential: dict[str, Any]) -> bytes:
    return hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(credential)).digest()
