"""Sending e-mail over SMTP: a text body and its HTML alternative.

Each mail's Message-ID is derived from its delivery (delivery_message_id), so a mail sent again
after a crash between the SMTP server's OK and the outbox's commit carries the same Message-ID
as the first copy: recipients' mail systems and people can tell it is the same message."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parseaddr

from adapters.documents.message_templates import Message
from adapters.settings import Settings


def delivery_message_id(delivery_id: int, created_at: datetime, sender: str) -> str:
    """<delivery.ID.CREATED@sender's domain>: the creation time keeps ids apart across databases
    whose delivery numbers start over."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "skillhub.invalid"
    return f"<delivery.{delivery_id}.{created_at.astimezone(UTC):%Y%m%d%H%M%S%f}@{domain}>"


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    sender: str
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, s: Settings) -> Mailer | None:
        """None when no SMTP server is configured: e-mails then wait in the outbox."""
        if not s.smtp_host:
            return None
        return cls(s.smtp_host, s.smtp_port, s.smtp_from, s.smtp_starttls, s.smtp_user,
                   s.smtp_password, s.smtp_timeout_seconds)

    def send(self, to: str, message: Message, message_id: str, headers: dict[str, str] | None = None) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, to, message.subject
        mail["Message-ID"] = message_id
        for name, value in (headers or {}).items():
            mail[name] = value
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(mail)
