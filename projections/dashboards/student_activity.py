"""A student's learning activity by day (UTC): lessons completed (in courses and classes) and
quizzes submitted, every day of the window present (zeros included) so a chart has no gaps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

_BY_DAY = """
WITH days AS (SELECT generate_series(%(first)s::date, %(last)s::date, interval '1 day')::date AS day),
lessons AS (
  SELECT (c.completed_at AT TIME ZONE 'UTC')::date AS day FROM view_enrolment.completions c
    JOIN view_enrolment.enrolments e USING (enrolment_id) WHERE e.student_id = %(student)s
  UNION ALL
  SELECT (p.completed_at AT TIME ZONE 'UTC')::date FROM view_class_progress.lesson_progress p
    WHERE p.student_id = %(student)s AND p.completed_at IS NOT NULL),
quizzes AS (
  SELECT (a.submitted_at AT TIME ZONE 'UTC')::date AS day FROM view_attempts.attempts a
    WHERE a.student_id = %(student)s AND a.submitted_at IS NOT NULL)
SELECT d.day,
  (SELECT count(*) FROM lessons l WHERE l.day = d.day) AS lessons_completed,
  (SELECT count(*) FROM quizzes q WHERE q.day = d.day) AS quizzes_submitted
FROM days d ORDER BY d.day"""


def activity_by_day(pool: ConnectionPool, student_id: UUID, last: date, days: int) -> list[dict[str, Any]]:
    params = {"student": student_id, "first": last - timedelta(days=days - 1), "last": last}
    with pool.connection() as conn:
        return conn.execute(_BY_DAY, params).fetchall()
