"""Applications to become a course creator, decided by a moderator or an admin."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid5

from domain.errors import RuleBroken
from domain.event_conventions import Root, moved_from


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def creator_application_id(user_id: UUID) -> UUID:
    return uuid5(user_id, "creator-application")


class CreatorApplication(Root):
    """A person's request to publish courses, decided by a moderator or an admin."""

    class Submitted(Root.Created):
        user_id: UUID
        motivation: str
        personal_fields = ("motivation",)
        personal_subject = "user_id"

        def apply(self, a: CreatorApplication) -> None:
            a.user_id, a.status = self.user_id, ApplicationStatus.PENDING

    class Resubmitted(Root.Event):
        user_id: UUID
        motivation: str
        personal_fields = ("motivation",)
        personal_subject = "user_id"

        def apply(self, a: CreatorApplication) -> None:
            a.status = ApplicationStatus.PENDING

    class Approved(Root.Event):
        def apply(self, a: CreatorApplication) -> None:
            a.status = ApplicationStatus.APPROVED

    class Rejected(Root.Event):
        reason: str

        def apply(self, a: CreatorApplication) -> None:
            a.status = ApplicationStatus.REJECTED

    @classmethod
    def submit(cls, user_id: UUID, motivation: str) -> CreatorApplication:
        return cls._create(
            cls.Submitted, id=creator_application_id(user_id), user_id=user_id, motivation=motivation
        )

    def resubmit(self, motivation: str) -> None:
        if self.status != ApplicationStatus.REJECTED:
            raise RuleBroken(f"an application is already {self.status.value}")
        self.trigger_event(self.Resubmitted, user_id=self.user_id, motivation=motivation)

    def _decide(self, decided_by: UUID) -> None:
        if self.status != ApplicationStatus.PENDING:
            raise RuleBroken(f"application is {self.status.value}, not pending")
        if decided_by == self.user_id:
            raise RuleBroken("nobody decides their own application")

    def approve(self, decided_by: UUID) -> None:
        self._decide(decided_by)
        self.trigger_event(self.Approved)

    def reject(self, decided_by: UUID, reason: str) -> None:
        self._decide(decided_by)
        self.trigger_event(self.Rejected, reason=reason)


moved_from("domain.identity", CreatorApplication)
