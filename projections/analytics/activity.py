"""How one piece of learning activity moves a student's row and their day: time spent, last
activity, the streak of active days (consecutive calendar days, UTC, with any activity) and,
for a result, the counts of results and of items passed and the sum of its scores (a course's
mean score per student without reading every result). One statement per event: a rebuild
replays hundreds of thousands of them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg

# Events may arrive out of time order (an import, a late report): the streak only grows with a
# later day; an earlier day adds to that day's counts and leaves the streak as it is.
_STREAK = """CASE WHEN l.last_day IS NULL OR EXCLUDED.last_day > l.last_day + 1 THEN 1
                  WHEN EXCLUDED.last_day = l.last_day + 1 THEN l.streak_days + 1 ELSE l.streak_days END"""

_DAY = """day_row AS (
    INSERT INTO activity_days (scope_id, day, student_id, events, seconds, lesson_views, completions, results)
    VALUES (%(scope_id)s, %(day)s, %(student_id)s, 1, %(seconds)s, %(views)s, %(completions)s, %(results)s)
    ON CONFLICT (scope_id, day, student_id) DO UPDATE SET events = activity_days.events + 1,
      seconds = activity_days.seconds + EXCLUDED.seconds, lesson_views = activity_days.lesson_views + EXCLUDED.lesson_views,
      completions = activity_days.completions + EXCLUDED.completions, results = activity_days.results + EXCLUDED.results)"""

# A result row, and whether it is the student's first pass of that item (the NOT EXISTS sees
# the table as it was before this statement).
_RESULT = """, new_result AS (
    INSERT INTO results (result_id, item_id, scope_id, student_id, score, passed, at, seconds)
    VALUES (%(result_id)s, %(item_id)s, %(scope_id)s, %(student_id)s, %(score)s, %(passed)s, %(at)s, %(seconds)s)
    ON CONFLICT DO NOTHING RETURNING passed, score)"""
_FIRST_PASS = """(SELECT count(*) FROM new_result n WHERE n.passed AND NOT EXISTS (SELECT 1 FROM results x
    WHERE x.item_id = %(item_id)s AND x.student_id = %(student_id)s AND x.passed))"""

_LEARNER = """
INSERT INTO learners AS l (student_id, scope_id, scope, joined_at, seconds, last_activity_at, last_day, streak_days,
  longest_streak, lessons_done, results, passed, score_sum, scored)
VALUES (%(student_id)s, %(scope_id)s, %(scope)s, %(at)s, %(seconds)s, %(at)s, %(day)s, 1, 1, %(completions)s,
  {results}, {passed}, {score_sum}, {scored})
ON CONFLICT (scope_id, student_id) DO UPDATE SET seconds = l.seconds + EXCLUDED.seconds,
  last_activity_at = greatest(l.last_activity_at, EXCLUDED.last_activity_at),
  streak_days = {streak}, longest_streak = greatest(l.longest_streak, {streak}),
  last_day = greatest(l.last_day, EXCLUDED.last_day), lessons_done = l.lessons_done + EXCLUDED.lessons_done,
  results = l.results + EXCLUDED.results, passed = l.passed + EXCLUDED.passed,
  score_sum = l.score_sum + EXCLUDED.score_sum, scored = l.scored + EXCLUDED.scored"""

_ACTIVITY = f"WITH {_DAY}" + _LEARNER.format(results="%(results)s", passed="0", streak=_STREAK, score_sum="0",
                                             scored="0")
_ACTIVITY_WITH_RESULT = f"WITH {_DAY}{_RESULT}" + _LEARNER.format(
    results="(SELECT count(*) FROM new_result)", passed=_FIRST_PASS, streak=_STREAK,
    score_sum="(SELECT coalesce(sum(score), 0) FROM new_result)", scored="(SELECT count(score) FROM new_result)")


def ensure_learner(cur: psycopg.Cursor, student_id: UUID, scope_id: UUID, scope: str, at: datetime) -> None:
    cur.execute("INSERT INTO learners (student_id, scope_id, scope, joined_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (scope_id, student_id) DO NOTHING", (student_id, scope_id, scope, at))


def note_activity(
    cur: psycopg.Cursor, student_id: UUID, scope_id: UUID, scope: str, at: datetime, *,
    seconds: float = 0.0, views: int = 0, completions: int = 0, result: dict[str, Any] | None = None,
) -> None:
    """`result`: result_id, item_id, score, passed of a quiz attempt or assessment handed in at `at`."""
    values = {"student_id": student_id, "scope_id": scope_id, "scope": scope, "at": at, "day": at.astimezone(UTC).date(),
              "seconds": seconds, "views": views, "completions": completions, "results": 1 if result else 0}
    if result is None:
        cur.execute(_ACTIVITY, values)
    else:
        cur.execute(_ACTIVITY_WITH_RESULT, {**values, **result})


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
