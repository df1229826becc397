"""Class progress read model: per student and lesson, completion, last activity, and how far
each video or audio was watched."""

from __future__ import annotations

import psycopg

from domain.class_progress import LessonProgress
from projections.engine.engine import Projection

class_progress = Projection(
    name="class_progress",
    tables=[
        """CREATE TABLE IF NOT EXISTS lesson_progress (
            progress_id uuid PRIMARY KEY, student_id uuid NOT NULL, lesson_id uuid NOT NULL,
            class_id uuid NOT NULL, completed_at timestamptz, last_activity_at timestamptz NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS lesson_progress_class ON lesson_progress (class_id, student_id)",
        """CREATE TABLE IF NOT EXISTS video_progress (
            progress_id uuid NOT NULL, media_id uuid NOT NULL,
            position_seconds double precision NOT NULL, duration_seconds double precision NOT NULL,
            watched_share double precision NOT NULL, updated_at timestamptz NOT NULL,
            PRIMARY KEY (progress_id, media_id))""",
    ],
)


@class_progress.on
def started(cur: psycopg.Cursor, e: LessonProgress.Started) -> None:
    cur.execute(
        "INSERT INTO lesson_progress (progress_id, student_id, lesson_id, class_id, last_activity_at)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (progress_id) DO NOTHING",
        (e.originator_id, e.student_id, e.lesson_id, e.class_id, e.timestamp),
    )


@class_progress.on
def video_watched(cur: psycopg.Cursor, e: LessonProgress.VideoWatched) -> None:
    cur.execute(
        "INSERT INTO video_progress (progress_id, media_id, position_seconds, duration_seconds, watched_share, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (progress_id, media_id) DO UPDATE SET"
        " position_seconds = EXCLUDED.position_seconds, duration_seconds = EXCLUDED.duration_seconds,"
        " watched_share = EXCLUDED.watched_share, updated_at = EXCLUDED.updated_at",
        (e.originator_id, e.media_id, e.position_seconds, e.duration_seconds, e.watched_share, e.timestamp),
    )
    cur.execute("UPDATE lesson_progress SET last_activity_at = %s WHERE progress_id = %s", (e.timestamp, e.originator_id))


@class_progress.on
def completed(cur: psycopg.Cursor, e: LessonProgress.Completed) -> None:
    cur.execute("UPDATE lesson_progress SET completed_at = %s, last_activity_at = %s WHERE progress_id = %s",
                (e.timestamp, e.timestamp, e.originator_id))
