"""Identity context: people, their roles, login sessions, e-mail uniqueness, creator applications."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from enum import StrEnum
from uuid import UUID, NAMESPACE_URL, uuid5

from domain.errors import RuleBroken, Unauthenticated
from domain.event_conventions import Root


class Role(StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    CREATOR = "creator"
    MODERATOR = "moderator"
    ADMIN = "admin"
    AUDITOR = "auditor"


class Status(StrEnum):
    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    ERASED = "erased"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_claim_id(email: str, secret_key: str) -> UUID:
    """A keyed hash, so the log never holds the address itself, even as an id."""
    digest = hmac.new(secret_key.encode(), normalize_email(email).encode(), hashlib.sha256)
    return uuid5(NAMESPACE_URL, "skillhub:email:" + digest.hexdigest())


def creator_application_id(user_id: UUID) -> UUID:
    return uuid5(user_id, "creator-application")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class User(Root):
    class Registered(Root.Created):
        email: str
        display_name: str
        password_hash: str
        roles: list[str]
        personal_fields = ("email", "display_name", "password_hash")
        secret_fields = ("password_hash",)

        def apply(self, user: User) -> None:
            user.email, user.display_name = self.email, self.display_name
            user.password_hash, user.roles = self.password_hash, set(self.roles)
            user.bio, user.status, user.reset = "", Status.ACTIVE, None
            user.sessions_valid_after, user.kept_session_id = None, None

    class ProfileUpdated(Root.Event):
        display_name: str
        bio: str
        personal_fields = ("display_name", "bio")

        def apply(self, user: User) -> None:
            user.display_name, user.bio = self.display_name, self.bio

    class PasswordChanged(Root.Event):
        password_hash: str
        kept_session_id: UUID | None
        personal_fields = ("password_hash",)
        secret_fields = ("password_hash",)

        def apply(self, user: User) -> None:
            user.password_hash = self.password_hash
            user.sessions_valid_after, user.kept_session_id = self.timestamp, self.kept_session_id

    class PasswordResetRequested(Root.Event):
        token_hash: str
        token: str  # sealed for the notifier, which delivers it
        expires_at: datetime
        personal_fields = ("token",)
        secret_fields = ("token", "token_hash")

        def apply(self, user: User) -> None:
            user.reset = (self.token_hash, self.expires_at)

    class PasswordReset(Root.Event):
        password_hash: str
        personal_fields = ("password_hash",)
        secret_fields = ("password_hash",)

        def apply(self, user: User) -> None:
            user.password_hash, user.reset = self.password_hash, None
            user.sessions_valid_after, user.kept_session_id = self.timestamp, None

    class RoleGranted(Root.Event):
        role: str

        def apply(self, user: User) -> None:
            user.roles.add(self.role)

    class RoleRevoked(Root.Event):
        role: str

        def apply(self, user: User) -> None:
            user.roles.discard(self.role)

    class Deactivated(Root.Event):
        reason: str

        def apply(self, user: User) -> None:
            user.status = Status.DEACTIVATED

    class Erased(Root.Event):
        def apply(self, user: User) -> None:
            user.status = Status.ERASED
            user.reset = None

    @classmethod
    def register(cls, user_id: UUID, email: str, display_name: str, password_hash: str) -> User:
        return cls._create(
            cls.Registered,
            id=user_id,
            email=normalize_email(email),
            display_name=display_name,
            password_hash=password_hash,
            roles=[Role.STUDENT.value],
        )

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    def _require_active(self) -> None:
        if not self.is_active:
            raise RuleBroken(f"account is {self.status.value}")

    def update_profile(self, display_name: str, bio: str) -> None:
        self._require_active()
        self.trigger_event(self.ProfileUpdated, display_name=display_name, bio=bio)

    def change_password(self, password_hash: str, kept_session_id: UUID | None) -> None:
        """Every other login of the person ends; the one that changed it may stay."""
        self._require_active()
        self.trigger_event(self.PasswordChanged, password_hash=password_hash, kept_session_id=kept_session_id)

    def accepts_session(self, session_id: UUID, started_at: datetime) -> bool:
        if not self.is_active:
            return False
        if self.sessions_valid_after is None or session_id == self.kept_session_id:
            return True
        return started_at >= self.sessions_valid_after

    def request_password_reset(self, token: str, expires_at: datetime) -> None:
        self._require_active()
        self.trigger_event(
            self.PasswordResetRequested,
            token_hash=token_digest(token),
            token=token,
            expires_at=expires_at,
        )

    def reset_password(self, token: str, password_hash: str, now: datetime) -> None:
        """A reset token works once, before it expires, and only the latest one issued."""
        if self.reset is None or not hmac.compare_digest(self.reset[0], token_digest(token)):
            raise Unauthenticated("reset token is invalid or already used")
        if now >= self.reset[1]:
            raise Unauthenticated("reset token has expired")
        self._require_active()
        self.trigger_event(self.PasswordReset, password_hash=password_hash)

    def grant_role(self, role: Role) -> None:
        self._require_active()
        if role.value in self.roles:
            raise RuleBroken(f"already has role {role.value}")
        self.trigger_event(self.RoleGranted, role=role.value)

    def revoke_role(self, role: Role, by: UUID) -> None:
        if role.value not in self.roles:
            raise RuleBroken(f"does not have role {role.value}")
        if role == Role.ADMIN and by == self.id:
            raise RuleBroken("admins cannot revoke their own admin role")
        self.trigger_event(self.RoleRevoked, role=role.value)

    def deactivate(self, reason: str) -> None:
        self._require_active()
        self.trigger_event(self.Deactivated, reason=reason)

    def erase(self) -> None:
        if self.status == Status.ERASED:
            raise RuleBroken("already erased")
        self.trigger_event(self.Erased)


class EmailClaim(Root):
    """One per e-mail address; optimistic concurrency on it makes addresses unique."""

    class Claimed(Root.Created):
        user_id: UUID

        def apply(self, claim: EmailClaim) -> None:
            claim.user_id = self.user_id

    class Reclaimed(Root.Event):
        user_id: UUID

        def apply(self, claim: EmailClaim) -> None:
            claim.user_id = self.user_id

    class Released(Root.Event):
        def apply(self, claim: EmailClaim) -> None:
            claim.user_id = None

    @classmethod
    def claim(cls, claim_id: UUID, user_id: UUID) -> EmailClaim:
        return cls._create(cls.Claimed, id=claim_id, user_id=user_id)

    def reclaim(self, user_id: UUID) -> None:
        if self.user_id is not None:
            raise RuleBroken("e-mail address already registered")
        self.trigger_event(self.Reclaimed, user_id=user_id)

    def release(self) -> None:
        if self.user_id is not None:
            self.trigger_event(self.Released)


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


class CreatorApplication(Root):
    """A person's request to publish courses, decided by a moderator or an admin."""

    class Submitted(Root.Created):
        user_id: UUID
        motivation: str
        personal_fields = ("motivation",)
        personal_subject = "user_id"

        def apply(self, a: CreatorApplication) -> None:
            a.user_id, a.status = self.user_id, "pending"

    class Resubmitted(Root.Event):
        user_id: UUID
        motivation: str
        personal_fields = ("motivation",)
        personal_subject = "user_id"

        def apply(self, a: CreatorApplication) -> None:
            a.status = "pending"

    class Approved(Root.Event):
        def apply(self, a: CreatorApplication) -> None:
            a.status = "approved"

    class Rejected(Root.Event):
        reason: str

        def apply(self, a: CreatorApplication) -> None:
            a.status = "rejected"

    @classmethod
    def submit(cls, user_id: UUID, motivation: str) -> CreatorApplication:
        return cls._create(
            cls.Submitted, id=creator_application_id(user_id), user_id=user_id, motivation=motivation
        )

    def resubmit(self, motivation: str) -> None:
        if self.status != "rejected":
            raise RuleBroken(f"an application is already {self.status}")
        self.trigger_event(self.Resubmitted, user_id=self.user_id, motivation=motivation)

    def _decide(self, decided_by: UUID) -> None:
        if self.status != "pending":
            raise RuleBroken(f"application is {self.status}, not pending")
        if decided_by == self.user_id:
            raise RuleBroken("nobody decides their own application")

    def approve(self, decided_by: UUID) -> None:
        self._decide(decided_by)
        self.trigger_event(self.Approved)

    def reject(self, decided_by: UUID, reason: str) -> None:
        self._decide(decided_by)
        self.trigger_event(self.Rejected, reason=reason)
