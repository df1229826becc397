"""Timed notices waiting for their moment, kept by the notification projection: the
announcement scheduler (workers/notification/announcements.py) derives its jobs from this table and records
an Announcement when one is due; the projection then marks it done.

Kinds and moments are those of domain.announcements. A moment that changes (a lesson
rescheduled, a quiz re-published with another opening time) replaces the pending row; a
notice already made stays done, so the same moment is never announced twice. A lesson
published for right away is told by its own event and recorded here as done at once."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import psycopg

from domain.announcements import Announcement, AnnouncementKind
from projections.engine.engine import Projection

TIMED_CHANNEL = "skillhub_timed"  # NOTIFY: the set of timed notices changed

timed = Projection(
    name="notification",
    tables=[
        """CREATE TABLE IF NOT EXISTS timed_notices (
            kind text NOT NULL, subject_id uuid NOT NULL, moment timestamptz NOT NULL,
            done boolean NOT NULL DEFAULT false, PRIMARY KEY (kind, subject_id, moment))""",
        "CREATE INDEX IF NOT EXISTS timed_notices_pending ON timed_notices (moment) WHERE NOT done",
    ],
)


def schedule(cur: psycopg.Cursor, kind: AnnouncementKind, subject_id: UUID, moment: datetime) -> None:
    cur.execute(
        "INSERT INTO timed_notices (kind, subject_id, moment) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
        (kind.value, subject_id, moment),
    )
    cur.execute("SELECT pg_notify(%s, '')", (TIMED_CHANNEL,))  # sent at commit


def cancel_pending(cur: psycopg.Cursor, kind: AnnouncementKind, subject_id: UUID) -> None:
    cur.execute("DELETE FROM timed_notices WHERE kind = %s AND subject_id = %s AND NOT done", (kind.value, subject_id))


def is_done(cur: psycopg.Cursor, kind: AnnouncementKind, subject_id: UUID, moment: datetime | None = None) -> bool:
    """Whether it was told (at this moment, or at any moment when None)."""
    cur.execute("SELECT 1 FROM timed_notices WHERE kind = %s AND subject_id = %s AND done"
                " AND (%s::timestamptz IS NULL OR moment = %s)", (kind.value, subject_id, moment, moment))
    return cur.fetchone() is not None


def mark_done(cur: psycopg.Cursor, kind: AnnouncementKind, subject_id: UUID, moment: datetime) -> None:
    cur.execute(
        "INSERT INTO timed_notices (kind, subject_id, moment, done) VALUES (%s, %s, %s, true)"
        " ON CONFLICT (kind, subject_id, moment) DO UPDATE SET done = true",
        (kind.value, subject_id, moment),
    )


@timed.on
def lesson_announced(cur: psycopg.Cursor, e: Announcement.LessonPublished) -> None:
    mark_done(cur, AnnouncementKind.LESSON_PUBLISHED, e.lesson_id, e.publish_at)


@timed.on
def opening_announced(cur: psycopg.Cursor, e: Announcement.QuizOpening) -> None:
    mark_done(cur, AnnouncementKind.QUIZ_OPENING, e.quiz_id, e.opens_at)


@timed.on
def results_announced(cur: psycopg.Cursor, e: Announcement.QuizResultsReleased) -> None:
    mark_done(cur, AnnouncementKind.QUIZ_RESULTS, e.quiz_id, e.closed_at)
