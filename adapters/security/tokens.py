"""JWT access tokens (HS256, short-lived) signed with a key derived from the platform secret.
The token's `kid` header names the secret; tokens of an earlier secret still verify while it is
in the keyring (adapters/security/keyring.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import jwt

from adapters.security.keyring import derived
from domain.errors import Unauthenticated

ISSUER = "skillhub"


@dataclass(frozen=True)
class AccessClaims:
    user_id: UUID
    session_id: UUID
    roles: list[str]


class TokenIssuer:
    def __init__(self, secret_keys: str | list[str], ttl_seconds: int) -> None:
        self._keys = derived([secret_keys] if isinstance(secret_keys, str) else secret_keys, b"jwt-signing")
        self._kid = next(iter(self._keys))
        self.ttl = timedelta(seconds=ttl_seconds)

    def issue(self, claims: AccessClaims, now: datetime) -> str:
        payload = {
            "iss": ISSUER,
            "sub": str(claims.user_id),
            "sid": str(claims.session_id),
            "roles": sorted(claims.roles),
            "iat": int(now.timestamp()),
            "exp": int((now + self.ttl).timestamp()),
            "jti": uuid4().hex,
        }
        return jwt.encode(payload, self._keys[self._kid], algorithm="HS256", headers={"kid": self._kid})

    def verify(self, token: str) -> AccessClaims:
        try:
            kid = jwt.get_unverified_header(token).get("kid", self._kid)  # tokens from before ids: the current key
            if kid not in self._keys:
                raise jwt.InvalidKeyError("signed with a retired or unknown key")
            payload = jwt.decode(
                token, self._keys[kid], algorithms=["HS256"], issuer=ISSUER,
                options={"require": ["exp", "sub", "sid", "iss"]},
            )
            return AccessClaims(UUID(payload["sub"]), UUID(payload["sid"]), list(payload.get("roles", [])))
        except (jwt.PyJWTError, ValueError) as e:
            raise Unauthenticated(f"access token rejected: {e}") from e
