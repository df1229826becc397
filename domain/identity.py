"""Identity context: people and their roles. Its other aggregates have modules of their own
(domain/sessions.py, domain/email_claims.py, domain/creator_applications.py)."""

from __future__ import annotations

import hmac
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.email_claims import normalize_email
from domain.errors import RuleBroken, Unauthenticated
from domain.event_conventions import Root
from domain.sessions import token_digest


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
