"""Queries on the calendar feeds read model: whose calendar a secret opens, and its entries."""

from __future__ import annotations

from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.calendar_feeds import secret_digest
from projections.notification.calendar_sources import CalendarEntry, entries_for


def calendar_of_secret(pool: ConnectionPool, secret: str) -> list[CalendarEntry] | None:
    """The entries of the person whose current feed secret this is; None for a secret that is
    unknown, replaced, revoked, or whose person was deactivated or erased."""
    with pool.connection() as conn:
        row = conn.execute("SELECT person_id FROM view_calendar.feeds WHERE secret_hash = %s AND active_person",
                           (secret_digest(secret),)).fetchone()
        return None if row is None else entries_for(conn, row["person_id"])


def has_feed(pool: ConnectionPool, person_id: UUID) -> bool:
    with pool.connection() as conn:
        row = conn.execute("SELECT secret_hash IS NOT NULL AS live FROM view_calendar.feeds WHERE person_id = %s",
                           (person_id,)).fetchone()
    return bool(row and row["live"])
