"""A student's learning activity by day (UTC) across all their courses and classes, from the
progress read model (projections/analytics): lessons opened and completed, results handed in
(quizzes and assessments) and minutes spent. Every day of the window is listed, zeros included,
so a chart has no gaps."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

_BY_DAY = """
SELECT d.day::date AS day, coalesce(sum(a.lesson_views), 0)::int AS lesson_views,
  coalesce(sum(a.completions), 0)::int AS completions, coalesce(sum(a.results), 0)::int AS results,
  round(coalesce(sum(a.seconds), 0)::numeric / 60, 1)::float AS minutes
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d (day)
LEFT JOIN view_progress.activity_days a ON a.student_id = %(student)s AND a.day = d.day::date
GROUP BY d.day ORDER BY d.day"""


def activity_by_day(pool: ConnectionPool, student_id: UUID, last: date, days: int) -> list[dict[str, Any]]:
    params = {"student": student_id, "first": last - timedelta(days=days - 1), "last": last}
    with pool.connection() as conn:
        return conn.execute(_BY_DAY, params).fetchall()
