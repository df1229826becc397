"""How the platform is used, for admins: totals now, and per day (UTC) over a window the people
who signed up, signed in and were active learning, with the lessons and quizzes they finished."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

_TOTALS = """
SELECT
  (SELECT count(*) FROM view_identity.users WHERE status = 'active') AS active_accounts,
  (SELECT count(*) FROM view_identity.users WHERE 'teacher' = ANY(roles)) AS teachers,
  (SELECT count(*) FROM view_catalog.courses WHERE status = 'published') AS published_courses,
  (SELECT count(*) FROM view_classroom.classes WHERE archived_at IS NULL) AS open_classes,
  (SELECT count(*) FROM view_enrolment.enrolments WHERE active) AS active_enrolments,
  (SELECT count(*) FROM view_attempts.attempts WHERE submitted_at IS NOT NULL) AS quiz_attempts,
  (SELECT count(*) FROM view_certification.certificates WHERE revoked_at IS NULL) AS certificates"""

_BY_DAY = """
WITH days AS (SELECT generate_series(%(first)s::date, %(last)s::date, interval '1 day')::date AS day),
learning AS (
  SELECT e.student_id, (c.completed_at AT TIME ZONE 'UTC')::date AS day, 'lesson' AS kind
    FROM view_enrolment.completions c JOIN view_enrolment.enrolments e USING (enrolment_id)
    WHERE c.completed_at >= %(first)s::date
  UNION ALL
  SELECT student_id, (completed_at AT TIME ZONE 'UTC')::date, 'lesson' FROM view_class_progress.lesson_progress
    WHERE completed_at >= %(first)s::date
  UNION ALL
  SELECT student_id, (submitted_at AT TIME ZONE 'UTC')::date, 'quiz' FROM view_attempts.attempts
    WHERE submitted_at >= %(first)s::date),
sign_ups AS (SELECT (registered_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM view_identity.users
    WHERE registered_at >= %(first)s::date GROUP BY 1),
sign_ins AS (SELECT (started_at AT TIME ZONE 'UTC')::date AS day, count(DISTINCT user_id) AS n
    FROM view_identity.sessions WHERE started_at >= %(first)s::date GROUP BY 1),
learners AS (SELECT day, count(DISTINCT student_id) AS n, count(*) FILTER (WHERE kind = 'lesson') AS lessons,
    count(*) FILTER (WHERE kind = 'quiz') AS quizzes FROM learning GROUP BY 1)
SELECT d.day, coalesce(u.n, 0) AS sign_ups, coalesce(s.n, 0) AS people_signed_in,
  coalesce(l.n, 0) AS active_learners, coalesce(l.lessons, 0) AS lessons_completed,
  coalesce(l.quizzes, 0) AS quizzes_submitted
FROM days d LEFT JOIN sign_ups u USING (day) LEFT JOIN sign_ins s USING (day) LEFT JOIN learners l USING (day)
ORDER BY d.day"""


def platform_usage(pool: ConnectionPool, last: date, days: int) -> dict[str, Any]:
    params = {"first": last - timedelta(days=days - 1), "last": last}
    with pool.connection() as conn:
        totals = conn.execute(_TOTALS).fetchone()
        by_day = conn.execute(_BY_DAY, params).fetchall()
    return {"totals": totals, "days": by_day}
