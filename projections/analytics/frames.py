"""Rows of the progress read model as polars frames, for the reports to aggregate. Ids come
as text (polars has no UUID type); times stay times, days stay dates."""

from __future__ import annotations

from typing import Any

import polars as pl
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool


def frame(pool: ConnectionPool, query: str, params: dict[str, Any], schema: dict[str, Any]) -> pl.DataFrame:
    with pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:  # the pool's default is dicts
        cur.execute(query, params)
        return pl.DataFrame(cur.fetchall(), schema=schema, orient="row")


def members(pool: ConnectionPool, scope_id: Any) -> pl.DataFrame:
    return frame(pool, "SELECT student_id::text, joined_at, left_at, last_activity_at FROM view_progress.learners"
                 " WHERE scope_id = %(s)s", {"s": scope_id},
                 {"student_id": pl.String, "joined_at": pl.Datetime("us", "UTC"), "left_at": pl.Datetime("us", "UTC"),
                  "last_activity_at": pl.Datetime("us", "UTC")})


def activity(pool: ConnectionPool, scope_id: Any) -> pl.DataFrame:
    return frame(pool, "SELECT student_id::text, day, events, seconds, lesson_views, completions, results"
                 " FROM view_progress.activity_days WHERE scope_id = %(s)s", {"s": scope_id},
                 {"student_id": pl.String, "day": pl.Date, "events": pl.Int64, "seconds": pl.Float64,
                  "lesson_views": pl.Int64, "completions": pl.Int64, "results": pl.Int64})


def results(pool: ConnectionPool, scope_id: Any) -> pl.DataFrame:
    return frame(pool, "SELECT r.student_id::text, r.item_id::text, i.title, r.score, r.passed, r.at"
                 " FROM view_progress.results r JOIN view_progress.items i ON i.item_id = r.item_id"
                 " WHERE r.scope_id = %(s)s", {"s": scope_id},
                 {"student_id": pl.String, "item_id": pl.String, "title": pl.String, "score": pl.Float64,
                  "passed": pl.Boolean, "at": pl.Datetime("us", "UTC")})


def items(pool: ConnectionPool, scope_id: Any) -> pl.DataFrame:
    return frame(pool, "SELECT item_id::text, kind, title, due_at, weight FROM view_progress.items"
                 " WHERE scope_id = %(s)s", {"s": scope_id},
                 {"item_id": pl.String, "kind": pl.String, "title": pl.String, "due_at": pl.Datetime("us", "UTC"),
                  "weight": pl.Float64})


def names(pool: ConnectionPool, student_ids: list[str]) -> pl.DataFrame:
    return frame(pool, "SELECT user_id::text, display_name FROM view_identity.users WHERE user_id = ANY(%(ids)s::uuid[])",
                 {"ids": student_ids}, {"student_id": pl.String, "display_name": pl.String})
