"""Rows of the progress read model as polars frames, for the reports to aggregate. Ids come
as text (polars has no UUID type); times stay times, days stay dates.

Rows travel as CSV (`COPY ... TO STDOUT`) and polars parses them: a course of 2,000 students has
tens of thousands of rows, and making a Python object of every value took most of a report's time."""

from __future__ import annotations

from typing import Any

import polars as pl
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool


def _typed(name: str, dtype: Any) -> pl.Expr:
    """A CSV column of PostgreSQL's text output as `dtype`; an empty unquoted field is NULL."""
    text = pl.col(name)
    if dtype == pl.Boolean:
        return (text == "t").alias(name)
    if dtype == pl.Date:
        return text.str.to_date("%Y-%m-%d").alias(name)
    if isinstance(dtype, pl.Datetime):  # "2013-10-19 12:00:00+00", with a fraction and any offset
        return text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f%#z", time_unit="us").dt.convert_time_zone("UTC").alias(name)
    return text.cast(dtype).alias(name)


def frame(pool: ConnectionPool, query: str, params: dict[str, Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The query's rows with these column names and types (in the query's order)."""
    data = bytearray()
    with pool.connection() as conn, conn.cursor() as cur:
        with cur.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)", params) as copy:
            for chunk in copy:
                data += chunk
    text = pl.read_csv(bytes(data), has_header=False, schema=dict.fromkeys(schema, pl.String))
    return text.select(_typed(name, dtype) for name, dtype in schema.items())


def count(pool: ConnectionPool, query: str, params: dict[str, Any]) -> int:
    with pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
        return int(cur.execute(query, params).fetchone()[0])


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


def last_active(pool: ConnectionPool, scope_id: Any, day: Any) -> pl.DataFrame:
    """Each student's last active day up to `day`: all of `activity` that the at-risk rule reads."""
    return frame(pool, "SELECT student_id::text, max(day) FROM view_progress.activity_days"
                 " WHERE scope_id = %(s)s AND day <= %(day)s GROUP BY student_id", {"s": scope_id, "day": day},
                 {"student_id": pl.String, "day": pl.Date})


def results_known(pool: ConnectionPool, scope_id: Any, as_of: Any) -> pl.DataFrame:
    """The results handed in by `as_of`, without titles: all of `results` that the at-risk rule reads."""
    return frame(pool, "SELECT student_id::text, item_id::text, score, at FROM view_progress.results"
                 " WHERE scope_id = %(s)s AND at <= %(as_of)s", {"s": scope_id, "as_of": as_of},
                 {"student_id": pl.String, "item_id": pl.String, "score": pl.Float64, "at": pl.Datetime("us", "UTC")})


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
