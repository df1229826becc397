"""The calendar feeds read model: which secret (by its SHA-256) opens whose calendar. A revoked
feed, a deactivated account and an erased person open nothing. What a calendar shows comes from
the sources in projections/notification/calendar_sources.py."""

from __future__ import annotations

import psycopg

from domain.calendar_feeds import CalendarFeed
from domain.identity import User
from projections.engine.engine import Projection

calendar = Projection(
    name="calendar",
    tables=[
        """CREATE TABLE IF NOT EXISTS feeds (
            feed_id uuid PRIMARY KEY, person_id uuid NOT NULL UNIQUE, secret_hash text UNIQUE,
            active_person boolean NOT NULL DEFAULT true, updated_at timestamptz NOT NULL)""",
    ],
)


@calendar.on
def opened(cur: psycopg.Cursor, e: CalendarFeed.Opened) -> None:
    cur.execute("INSERT INTO feeds (feed_id, person_id, updated_at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (e.originator_id, e.person_id, e.timestamp))


@calendar.on
def secret_changed(cur: psycopg.Cursor, e: CalendarFeed.SecretIssued | CalendarFeed.Revoked) -> None:
    secret_hash = e.secret_hash if isinstance(e, CalendarFeed.SecretIssued) else None
    cur.execute("UPDATE feeds SET secret_hash = %s, updated_at = %s WHERE feed_id = %s",
                (secret_hash, e.timestamp, e.originator_id))


@calendar.on
def person_deactivated(cur: psycopg.Cursor, e: User.Deactivated) -> None:
    cur.execute("UPDATE feeds SET active_person = false WHERE person_id = %s", (e.originator_id,))


@calendar.on
def person_erased(cur: psycopg.Cursor, e: User.Erased) -> None:
    cur.execute("DELETE FROM feeds WHERE person_id = %s", (e.originator_id,))
