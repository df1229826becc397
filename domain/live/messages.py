"""What people say in a live session: chat (to everyone, or privately between a student and an
examiner), raised hands and the examiners' announcements. Each message is its own aggregate, so
a class chatting at once never races; its text is the sender's personal data."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID, uuid5

from domain.event_conventions import Root


class MessageKind(StrEnum):
    CHAT = "chat"
    HAND = "hand"  # a raised hand: text may be empty
    ANNOUNCEMENT = "announcement"


class LiveMessage(Root):
    class Posted(Root.Created):
        session_id: UUID
        sender_id: UUID
        kind: str
        to_id: UUID | None  # None: everyone in the session
        text: str
        personal_fields = ("text",)
        personal_subject = "sender_id"

        def apply(self, m: LiveMessage) -> None:
            m.session_id, m.sender_id, m.to_id = self.session_id, self.sender_id, self.to_id

    @classmethod
    def post(cls, message_id: UUID, session_id: UUID, sender_id: UUID, kind: MessageKind, to_id: UUID | None,
             text: str) -> LiveMessage:
        return cls._create(cls.Posted, id=message_id, session_id=session_id, sender_id=sender_id, kind=kind.value,
                           to_id=to_id, text=text)


class LiveReminder(Root):
    """Told once before a session starts; the id is derived from the session and its start, so
    two schedulers remind once, and a rescheduled session is reminded again."""

    class Due(Root.Created):
        session_id: UUID
        title: str
        starts_at: datetime
        recipient_ids: list[UUID]

        def apply(self, r: LiveReminder) -> None:
            r.session_id = self.session_id

    @classmethod
    def due(cls, session_id: UUID, title: str, starts_at: datetime, recipient_ids: list[UUID]) -> LiveReminder:
        reminder_id = uuid5(session_id, f"reminder:{starts_at.astimezone(UTC).isoformat()}")
        return cls._create(cls.Due, id=reminder_id, session_id=session_id, title=title, starts_at=starts_at,
                           recipient_ids=recipient_ids)
