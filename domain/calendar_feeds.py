"""A person's calendar feed (notification context): an iCalendar URL holding a secret, so that
calendar apps, which cannot log in, can read the person's due dates and quiz windows.

The log holds only the SHA-256 of the secret (a secret field: never shown to auditors, in
exports or on Kafka); the secret itself is shown once, to its owner, when it is issued.
Issuing again replaces the secret (the old URL stops working); revoking leaves none.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import UUID, uuid5

from domain.errors import NotFound
from domain.event_conventions import Root


def feed_id(person_id: UUID) -> UUID:
    return uuid5(person_id, "calendar-feed")


def new_secret() -> str:
    return secrets.token_urlsafe(32)  # 256 bits: a plain hash of it is safe to keep


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, digest: str | None) -> bool:
    return digest is not None and hmac.compare_digest(secret_digest(secret), digest)


class CalendarFeed(Root):
    class Opened(Root.Created):
        personal_subject = "person_id"  # the aggregate is this person's: all its events are about them
        person_id: UUID

        def apply(self, f: CalendarFeed) -> None:
            f.person_id, f.secret_hash = self.person_id, None

    class SecretIssued(Root.Event):
        secret_hash: str
        secret_fields = ("secret_hash",)

        def apply(self, f: CalendarFeed) -> None:
            f.secret_hash = self.secret_hash

    class Revoked(Root.Event):
        def apply(self, f: CalendarFeed) -> None:
            f.secret_hash = None

    @classmethod
    def open(cls, person_id: UUID) -> CalendarFeed:
        return cls._create(cls.Opened, id=feed_id(person_id), person_id=person_id)

    def issue(self) -> str:
        """A new secret, replacing any earlier one; returned once, never stored."""
        secret = new_secret()
        self.trigger_event(self.SecretIssued, secret_hash=secret_digest(secret))
        return secret

    def revoke(self) -> None:
        if self.secret_hash is None:
            raise NotFound("there is no calendar feed to revoke")
        self.trigger_event(self.Revoked)
