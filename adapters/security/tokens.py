"""JWT access tokens (HS256, short-lived) signed with a key derived from the platform secret."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import jwt

from domain.errors import Unauthenticated

ISSUER = "skillhub"


@dataclass(frozen=True)
class AccessClaims:
    user_id: UUID
    session_id: UUID
    roles: list[str]


class TokenIssuer:
    def __init__(self, secret_key: str, ttl_seconds: int) -> None:
        self._key = hmac.new(secret_key.encode(), b"jwt-signing", hashlib.sha256).digest()
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
        return jwt.encode(payload, self._key, algorithm="HS256")

    def verify(self, token: str) -> AccessClaims:
        try:
            payload = jwt.decode(
                token, self._key, algorithms=["HS256"], issuer=ISSUER,
                options={"require": ["exp", "sub", "sid", "iss"]},
            )
            return AccessClaims(UUID(payload["sub"]), UUID(payload["sid"]), list(payload.get("roles", [])))
        except (jwt.PyJWTError, ValueError) as e:
            raise Unauthenticated(f"access token rejected: {e}") from e
