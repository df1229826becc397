"""E-mail uniqueness across accounts: one aggregate per address, named by a keyed hash."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import RuleBroken
from domain.event_conventions import Root, moved_from


def normalize_email(email: str) -> str:
    """One form per address: NFKC folds look-alike forms (a full-width "ａ" is "a"), so an address
    cannot register again beside its plain twin; then case and surrounding space."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def email_claim_id(email: str, secret_key: str) -> UUID:
    """A keyed hash, so the log never holds the address itself, even as an id."""
    digest = hmac.new(secret_key.encode(), normalize_email(email).encode(), hashlib.sha256)
    return uuid5(NAMESPACE_URL, "skillhub:email:" + digest.hexdigest())


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
        class_version = 2
        user_id: UUID | None  # who held the address; None in events stored before version 2

        def apply(self, claim: EmailClaim) -> None:
            claim.user_id = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["user_id"] = None

    @classmethod
    def claim(cls, claim_id: UUID, user_id: UUID) -> EmailClaim:
        return cls._create(cls.Claimed, id=claim_id, user_id=user_id)

    def reclaim(self, user_id: UUID) -> None:
        if self.user_id is not None:
            raise RuleBroken("e-mail address already registered")
        self.trigger_event(self.Reclaimed, user_id=user_id)

    def release(self) -> None:
        if self.user_id is not None:
            self.trigger_event(self.Released, user_id=self.user_id)


moved_from("domain.identity", EmailClaim)
