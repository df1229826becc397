"""Logins: a session with its family of rotating refresh tokens, and failed logins."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from uuid import UUID

from domain.errors import Unauthenticated
from domain.event_conventions import Root, moved_from


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Session(Root):
    """A login and its family of rotating refresh tokens."""

    class Started(Root.Created):
        user_id: UUID
        refresh_hash: str
        expires_at: datetime
        address: str
        user_agent: str
        personal_fields = ("address", "user_agent")
        personal_subject = "user_id"
        secret_fields = ("refresh_hash",)

        def apply(self, s: Session) -> None:
            s.user_id, s.refresh_hash, s.expires_at = self.user_id, self.refresh_hash, self.expires_at
            s.used_hashes, s.revoked = set(), False

    class Rotated(Root.Event):
        refresh_hash: str
        expires_at: datetime
        secret_fields = ("refresh_hash",)

        def apply(self, s: Session) -> None:
            s.used_hashes.add(s.refresh_hash)
            s.refresh_hash, s.expires_at = self.refresh_hash, self.expires_at

    class Revoked(Root.Event):
        reason: str

        def apply(self, s: Session) -> None:
            s.revoked = True

    @classmethod
    def start(
        cls, session_id: UUID, user_id: UUID, refresh_token: str, expires_at: datetime,
        address: str, user_agent: str,
    ) -> Session:
        return cls._create(
            cls.Started, id=session_id, user_id=user_id, refresh_hash=token_digest(refresh_token),
            expires_at=expires_at, address=address, user_agent=user_agent,
        )

    def rotate(self, presented: str, new_token: str, expires_at: datetime, now: datetime) -> bool:
        """Rotate on the current token. A used token means it leaked: revoke the family.

        Returns False when reuse was detected (the revocation is pending to be saved).
        """
        if self.revoked:
            raise Unauthenticated("session has been revoked")
        digest = token_digest(presented)
        if digest in self.used_hashes:
            self.trigger_event(self.Revoked, reason="refresh token reused")
            return False
        if not hmac.compare_digest(digest, self.refresh_hash):
            raise Unauthenticated("refresh token is invalid")
        if now >= self.expires_at:
            raise Unauthenticated("refresh token has expired")
        self.trigger_event(self.Rotated, refresh_hash=token_digest(new_token), expires_at=expires_at)
        return True

    def revoke(self, reason: str) -> None:
        if not self.revoked:
            self.trigger_event(self.Revoked, reason=reason)


moved_from("domain.identity", Session)


class FailedLogin(Root):
    """A failed login to an existing account, for security audits. The login throttle
    bounds how many an account and an address can produce within its window."""

    class Recorded(Root.Created):
        user_id: UUID
        reason: str  # "wrong password" or "account is deactivated"
        address: str
        user_agent: str
        personal_fields = ("address", "user_agent")
        personal_subject = "user_id"

        def apply(self, failure: FailedLogin) -> None:
            failure.user_id = self.user_id

    @classmethod
    def record(cls, failure_id: UUID, user_id: UUID, reason: str, address: str, user_agent: str) -> FailedLogin:
        return cls._create(
            cls.Recorded, id=failure_id, user_id=user_id, reason=reason, address=address, user_agent=user_agent
        )
