"""Live read model: sessions (for the scheduler, the calendar and the pages), seats (the
examiner's console: connection, progress, score, signals), each graded answer, study answers,
and the session feed a reconnecting client replays (projections/live/feed.py says who sees what).

The feed is keyed by the event's log position, which the client gives back as the last thing it
saw; the position is looked up by the event's aggregate and version (the log's primary key)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from adapters.events.event_store import EVENTS_TABLE
from domain.live.messages import LiveReminder
from domain.live.sessions import LiveSession
from projections.engine.engine import Projection
from projections.live.feed import entry_of

live = Projection(
    name="live",
    version=2,  # v2: the seats' camera state and waiver
    tables=[
        """CREATE TABLE IF NOT EXISTS sessions (session_id uuid PRIMARY KEY, kind text NOT NULL,
            class_id uuid NOT NULL, quiz_id uuid NOT NULL, title text NOT NULL, student_ids uuid[],
            examiner_ids uuid[] NOT NULL, starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL,
            closes_at timestamptz NOT NULL, status text NOT NULL, rules jsonb NOT NULL,
            reminded_for timestamptz, ended_at timestamptz, end_reason text)""",
        "CREATE INDEX IF NOT EXISTS sessions_class ON sessions (class_id, starts_at)",
        "CREATE INDEX IF NOT EXISTS sessions_pending ON sessions (status) WHERE status IN ('scheduled', 'open', 'paused')",
        """CREATE TABLE IF NOT EXISTS seats (session_id uuid NOT NULL, person_id uuid NOT NULL,
            connections int NOT NULL DEFAULT 0, drops int NOT NULL DEFAULT 0, last_connected_at timestamptz,
            last_dropped_at timestamptz, attempt_id uuid, questions int NOT NULL DEFAULT 0,
            signals int NOT NULL DEFAULT 0, camera boolean, camera_waived text,
            PRIMARY KEY (session_id, person_id))""",
        """CREATE TABLE IF NOT EXISTS answers (session_id uuid NOT NULL, person_id uuid NOT NULL,
            question_id text NOT NULL, points double precision NOT NULL, max double precision NOT NULL,
            state text NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (session_id, person_id, question_id))""",
        """CREATE TABLE IF NOT EXISTS study_answers (session_id uuid NOT NULL, question_id text NOT NULL,
            person_id uuid NOT NULL, choice text NOT NULL, state text NOT NULL,
            PRIMARY KEY (session_id, question_id, person_id))""",
        """CREATE TABLE IF NOT EXISTS feed (session_id uuid NOT NULL, position bigint NOT NULL,
            kind text NOT NULL, audience text NOT NULL, person_ids uuid[] NOT NULL, body jsonb NOT NULL,
            sender_id uuid, at timestamptz NOT NULL, PRIMARY KEY (session_id, position))""",
    ],
)


def _position(cur: psycopg.Cursor, e: Any) -> int:
    cur.execute(f"SELECT notification_id FROM public.{EVENTS_TABLE} WHERE originator_id = %s AND originator_version = %s",
                (e.originator_id, e.originator_version))
    return cur.fetchone()["notification_id"]


def _examiners(cur: psycopg.Cursor, session_id: Any) -> frozenset:
    cur.execute("SELECT examiner_ids FROM sessions WHERE session_id = %s", (session_id,))
    row = cur.fetchone()
    return frozenset(row["examiner_ids"]) if row else frozenset()


def to_feed(cur: psycopg.Cursor, e: Any) -> None:
    entry = entry_of(e, _examiners(cur, getattr(e, "session_id", e.originator_id)))
    cur.execute(
        "INSERT INTO feed (session_id, position, kind, audience, person_ids, body, sender_id, at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (entry.session_id, _position(cur, e), entry.kind, entry.audience, list(entry.person_ids), Jsonb(entry.body),
         getattr(e, "sender_id", None), e.timestamp))


@live.on
def scheduled(cur: psycopg.Cursor, e: LiveSession.Scheduled) -> None:
    ends = e.starts_at + timedelta(seconds=e.duration_seconds)
    cur.execute(
        "INSERT INTO sessions (session_id, kind, class_id, quiz_id, title, student_ids, examiner_ids, starts_at,"
        " ends_at, closes_at, status, rules) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'scheduled', %s)"
        " ON CONFLICT DO NOTHING",
        (e.originator_id, e.kind, e.class_id, e.quiz_id, e.title, e.student_ids, [e.actor_id, *e.examiner_ids],
         e.starts_at, ends, ends, Jsonb(e.rules)))


def _set(cur: psycopg.Cursor, session_id: Any, **values: Any) -> None:
    assignments = ", ".join(f"{name} = %({name})s" for name in values)
    cur.execute(f"UPDATE sessions SET {assignments} WHERE session_id = %(id)s", {**values, "id": session_id})


def _refresh_close(cur: psycopg.Cursor, session_id: Any) -> None:
    """closes_at: the planned end plus the longest extra time given (kept in the feed)."""
    cur.execute("UPDATE sessions s SET closes_at = s.ends_at + make_interval(secs => coalesce((SELECT max((f.body->>"
                "'seconds')::int) FROM feed f WHERE f.session_id = s.session_id AND f.kind = 'extra_time'), 0))"
                " WHERE s.session_id = %s", (session_id,))


@live.on
def changed(cur: psycopg.Cursor, e: LiveSession.Rescheduled | LiveSession.Cancelled | LiveSession.Opened
            | LiveSession.Paused | LiveSession.Resumed | LiveSession.Ended | LiveSession.ExtraTimeGiven
            | LiveSession.QuestionPushed | LiveSession.QuestionRevealed) -> None:
    if isinstance(e, LiveSession.Rescheduled):
        _set(cur, e.originator_id, starts_at=e.starts_at, ends_at=e.starts_at + timedelta(seconds=e.duration_seconds))
    elif isinstance(e, LiveSession.Cancelled):
        _set(cur, e.originator_id, status="cancelled")
    elif isinstance(e, LiveSession.Opened):
        _set(cur, e.originator_id, status="open")
    elif isinstance(e, LiveSession.Paused):
        _set(cur, e.originator_id, status="paused")
    elif isinstance(e, LiveSession.Resumed):
        _set(cur, e.originator_id, status="open", ends_at=e.ends_at)
    elif isinstance(e, LiveSession.Ended):
        _set(cur, e.originator_id, status="ended", ended_at=e.at, end_reason=e.reason)
    to_feed(cur, e)
    _refresh_close(cur, e.originator_id)


@live.on
def reminded(cur: psycopg.Cursor, e: LiveReminder.Due) -> None:
    _set(cur, e.session_id, reminded_for=e.starts_at)
