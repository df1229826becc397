"""How one piece of learning activity moves a student's row and their day: time spent, last
activity and the streak of active days (consecutive calendar days, UTC, with any activity)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import psycopg

# Events may arrive out of time order (an import, a late report): the streak only grows with a
# later day; an earlier day adds to that day's counts and leaves the streak as it is.
_MOVE_LEARNER = """
    UPDATE learners SET seconds = seconds + %(seconds)s,
      last_activity_at = greatest(last_activity_at, %(at)s),
      streak_days = CASE WHEN last_day IS NULL OR %(day)s > last_day + 1 THEN 1
                         WHEN %(day)s = last_day + 1 THEN streak_days + 1 ELSE streak_days END,
      longest_streak = greatest(longest_streak, CASE WHEN last_day IS NULL OR %(day)s > last_day + 1 THEN 1
                         WHEN %(day)s = last_day + 1 THEN streak_days + 1 ELSE streak_days END),
      last_day = greatest(last_day, %(day)s)
    WHERE scope_id = %(scope_id)s AND student_id = %(student_id)s"""

_ADD_TO_DAY = """
    INSERT INTO activity_days (scope_id, day, student_id, events, seconds, lesson_views, completions, results)
    VALUES (%(scope_id)s, %(day)s, %(student_id)s, 1, %(seconds)s, %(views)s, %(completions)s, %(results)s)
    ON CONFLICT (scope_id, day, student_id) DO UPDATE SET events = activity_days.events + 1,
      seconds = activity_days.seconds + EXCLUDED.seconds, lesson_views = activity_days.lesson_views + EXCLUDED.lesson_views,
      completions = activity_days.completions + EXCLUDED.completions, results = activity_days.results + EXCLUDED.results"""


def ensure_learner(cur: psycopg.Cursor, student_id: UUID, scope_id: UUID, scope: str, at: datetime) -> None:
    cur.execute("INSERT INTO learners (student_id, scope_id, scope, joined_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (scope_id, student_id) DO NOTHING", (student_id, scope_id, scope, at))


def note_activity(
    cur: psycopg.Cursor, student_id: UUID, scope_id: UUID, scope: str, at: datetime, *,
    seconds: float = 0.0, views: int = 0, completions: int = 0, results: int = 0,
) -> None:
    ensure_learner(cur, student_id, scope_id, scope, at)
    values = {"student_id": student_id, "scope_id": scope_id, "at": at, "day": at.astimezone(UTC).date(),
              "seconds": seconds, "views": views, "completions": completions, "results": results}
    cur.execute(_MOVE_LEARNER, values)
    cur.execute(_ADD_TO_DAY, values)


def watched_seconds(cur: psycopg.Cursor, video_key: str, position_seconds: float) -> float:
    """Time spent on a video or audio: how far its furthest point moved (reports only move forward)."""
    cur.execute(
        "INSERT INTO video_positions (video_key, position_seconds) VALUES (%s, %s) ON CONFLICT (video_key)"
        " DO UPDATE SET position_seconds = EXCLUDED.position_seconds"
        " RETURNING (SELECT v.position_seconds FROM video_positions v WHERE v.video_key = %s) AS before",
        (video_key, position_seconds, video_key),
    )
    row = cur.fetchone()
    before = row["before"] if row and row["before"] is not None else 0.0
    return max(0.0, position_seconds - before)


def count_passed(cur: psycopg.Cursor, student_id: UUID, scope_id: UUID) -> None:
    """Quizzes and assessments passed: distinct items with a passing result."""
    cur.execute(
        "UPDATE learners SET results = (SELECT count(*) FROM results r WHERE r.scope_id = %(s)s AND r.student_id = %(p)s),"
        " passed = (SELECT count(DISTINCT item_id) FROM results r WHERE r.scope_id = %(s)s AND r.student_id = %(p)s"
        " AND r.passed) WHERE scope_id = %(s)s AND student_id = %(p)s",
        {"s": scope_id, "p": student_id},
    )
