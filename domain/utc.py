"""Times from outside (query strings, the command line) without an offset are taken as UTC,
the zone of every time SkillHub stores and shows."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value and not value.tzinfo else value
