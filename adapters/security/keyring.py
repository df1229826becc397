"""Keys that carry ids: the current one signs, wraps and seals; earlier ones still verify, unwrap
and open until they are retired (removed from SKILLHUB_PREVIOUS_SECRET_KEYS)."""

from __future__ import annotations

import hashlib
import hmac


def key_id(secret: str) -> str:
    """A short public name for a secret: it says which key was used, never the key."""
    return hashlib.sha256(b"skillhub-key-id:" + secret.encode()).hexdigest()[:12]


def derived(secrets: list[str], purpose: bytes) -> dict[str, bytes]:
    """Per secret id, the 32-byte key derived for one purpose; in keyring order (current first)."""
    return {key_id(s): hmac.new(s.encode(), purpose, hashlib.sha256).digest() for s in secrets}
