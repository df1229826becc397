"""The analytics reports, aggregated with polars from the progress read model. Each returns a
frame (exported as JSON rows, CSV or Parquet by the API) whose columns docs/analytics.md lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import polars as pl
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool

from projections.analytics import frames
from projections.analytics.at_risk import at_risk
from projections.engine.tracking import log_head

PERIODS = {"day": "1d", "week": "1w"}


def engagement(pool: ConnectionPool, scope_id: UUID, period: str, since: date | None, until: date | None) -> pl.DataFrame:
    """Per day or week (weeks start on Monday): active students, lesson views, completions,
    results handed in, time spent. Counted by the database: a student active on several days of a
    week is one active student, which only the day-by-day rows could tell."""
    return frames.frame(pool, f"""
        SELECT date_trunc(%(unit)s, day::timestamp)::date, count(DISTINCT student_id), sum(lesson_views), sum(completions),
          sum(results), round(sum(seconds)::numeric, 1)
        FROM view_progress.activity_days WHERE scope_id = %(s)s
          {"AND day >= %(since)s" if since else ""} {"AND day <= %(until)s" if until else ""}
        GROUP BY 1 ORDER BY 1""", {"s": scope_id, "unit": str(period), "since": since, "until": until},
        {"period_start": pl.Date, "active_students": pl.Int64, "lesson_views": pl.Int64, "completions": pl.Int64,
         "results": pl.Int64, "time_spent_seconds": pl.Float64})


def quiz_performance(pool: ConnectionPool, scope_id: UUID, period: str) -> pl.DataFrame:
    """Per quiz or assessment and period of handing in: submissions, mean and median score, pass rate."""
    scored = frames.results(pool, scope_id).filter(pl.col("score").is_not_null())
    return (scored.with_columns(pl.col("at").dt.date().dt.truncate(PERIODS[period]).alias("period_start"))
            .group_by("period_start", "item_id", "title")
            .agg(pl.len().alias("submissions"), pl.col("score").mean().round(1).alias("mean_score"),
                 pl.col("score").median().round(1).alias("median_score"),
                 (100 * pl.col("passed").mean()).round(1).alias("pass_rate_percent"))
            .sort("period_start", "title"))


def funnel(pool: ConnectionPool, scope_id: UUID, steps: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any] | None]:
    """How many of the scope's students got as far as each step (steps: step_id, kind, title, in
    order): a student counts at every step up to the furthest one they completed or handed in,
    skipped ones included. And the step where most of them stopped (the largest loss)."""
    numbered = steps.with_row_index("step_no", offset=1)
    # How many students stopped at each step (their furthest), counted by the database: one row a step.
    stopped_at = frames.frame(pool, """
        WITH step AS (SELECT * FROM unnest(%(ids)s::text[]) WITH ORDINALITY AS s (step_id, step_no)),
        done AS (SELECT lesson_id::text AS step_id, student_id FROM view_progress.lesson_completions WHERE scope_id = %(s)s
                 UNION ALL SELECT item_id::text, student_id FROM view_progress.results WHERE scope_id = %(s)s),
        furthest AS (SELECT max(step.step_no) AS step_no FROM done JOIN step USING (step_id) GROUP BY done.student_id)
        SELECT step_no, count(*) FROM furthest GROUP BY step_no""",
        {"s": scope_id, "ids": numbered["step_id"].to_list()}, {"step_no": pl.UInt32, "stopped": pl.Int64})
    enrolled = frames.count(pool, "SELECT count(*) FROM view_progress.learners WHERE scope_id = %(s)s", {"s": scope_id})
    table = (numbered.join(stopped_at, on="step_no", how="left")
             .with_columns(pl.col("stopped").fill_null(0).cum_sum(reverse=True).alias("reached")).drop("stopped")
             .with_columns((100 * pl.col("reached") / max(enrolled, 1)).round(1).alias("percent_of_enrolled"),
                           (pl.col("reached").shift(1, fill_value=enrolled) - pl.col("reached")).alias("lost")))
    if table.is_empty() or table["lost"].max() <= 0:
        return table, None
    worst = table.sort("lost", "step_no", descending=[True, False]).row(0, named=True)
    return table, {"step_no": worst["step_no"], "step_id": worst["step_id"], "title": worst["title"], "lost": worst["lost"]}


def course_steps(pool: ConnectionPool, scope_id: UUID) -> pl.DataFrame:
    """Lessons in the order students meet them, then quizzes and assessments by due date."""
    schema = {"step_id": pl.String, "kind": pl.String, "title": pl.String}
    lessons = frames.frame(pool, """
        SELECT l->>'lesson_id', 'lesson', l->>'title' FROM view_catalog.courses c,
          jsonb_array_elements(c.published->'modules') WITH ORDINALITY m(module, mn),
          jsonb_array_elements(m.module->'lessons') WITH ORDINALITY x(l, ln)
        WHERE c.course_id = %(s)s ORDER BY mn, ln""", {"s": scope_id}, schema)
    class_lessons = frames.frame(pool, "SELECT lesson_id::text, 'lesson', title FROM view_class_lessons.lessons"
                                 " WHERE class_id = %(s)s AND publish_at <= now() ORDER BY position", {"s": scope_id}, schema)
    work = frames.frame(pool, "SELECT item_id::text, kind, title FROM view_progress.items WHERE scope_id = %(s)s"
                        " ORDER BY due_at NULLS LAST, title", {"s": scope_id}, schema)
    return pl.concat([lessons, class_lessons, work])


def students_at_risk(pool: ConnectionPool, scope_id: UUID, as_of: datetime) -> pl.DataFrame:
    flagged = at_risk(frames.members(pool, scope_id), frames.last_active(pool, scope_id, as_of.date()),
                      frames.results_known(pool, scope_id, as_of), frames.items(pool, scope_id), as_of)
    named = frames.names(pool, flagged["student_id"].to_list())
    return flagged.join(named, on="student_id", how="left").select("student_id", "display_name", pl.exclude(
        "student_id", "display_name"))


def popularity(pool: ConnectionPool) -> pl.DataFrame:
    """Per course: enrolments, still enrolled, left, completed, completion rate, mean score (the
    mean of its students' mean scores). No ratings: SkillHub has no course ratings yet."""
    courses = frames.frame(pool, """
        SELECT l.scope_id::text, c.title, count(*), count(*) FILTER (WHERE l.active), count(*) FILTER (WHERE NOT l.active),
          count(l.completed_at), avg(l.score_sum / nullif(l.scored, 0))
        FROM view_progress.learners l JOIN view_progress.courses c ON c.course_id = l.scope_id
        WHERE l.scope = 'course' GROUP BY l.scope_id, c.title""", {},
        {"course_id": pl.String, "title": pl.String, "enrolments": pl.Int64, "enrolled_now": pl.Int64, "left": pl.Int64,
         "completions": pl.Int64, "mean_score": pl.Float64})
    return (courses.with_columns(pl.col("mean_score").round(1),
                                 (100 * pl.col("completions") / pl.col("enrolments")).round(1).alias("completion_rate_percent"))
            .sort(["enrolments", "title"], descending=[True, False]))


def platform_daily(pool: ConnectionPool, since: date) -> pl.DataFrame:
    """Per day: learners active anywhere, learning events, results handed in, new enrolments."""
    days = frames.frame(pool, "SELECT day, student_id::text, events, results FROM view_progress.activity_days"
                        " WHERE day >= %(since)s", {"since": since},
                        {"day": pl.Date, "student_id": pl.String, "events": pl.Int64, "results": pl.Int64})
    joins = frames.frame(pool, "SELECT joined_at::date, scope FROM view_progress.learners WHERE joined_at >= %(since)s",
                         {"since": since}, {"day": pl.Date, "scope": pl.String})
    active = days.group_by("day").agg(pl.col("student_id").n_unique().alias("active_learners"),
                                      pl.col("events").sum().alias("learning_events"), pl.col("results").sum())
    new = joins.group_by("day").agg((pl.col("scope") == "course").sum().alias("new_enrolments"),
                                    (pl.col("scope") == "class").sum().alias("new_class_members"))
    return (active.join(new, on="day", how="full", coalesce=True).fill_null(0).sort("day"))


def platform_totals(pool: ConnectionPool) -> dict[str, Any]:
    with pool.connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
        # Results from each learner's count of them: one row a learner, not one a result.
        cur.execute("""SELECT
            (SELECT count(*) FROM view_identity.users WHERE status = 'active'),
            (SELECT count(*) FROM view_progress.courses WHERE published_at IS NOT NULL),
            (SELECT count(*) FROM view_classroom.classes),
            l.enrolments, l.completions, l.results
            FROM (SELECT count(*) FILTER (WHERE scope = 'course') AS enrolments,
                    count(completed_at) FILTER (WHERE scope = 'course') AS completions,
                    coalesce(sum(results), 0)::bigint AS results FROM view_progress.learners) l""")
        row = cur.fetchone()
        cur.execute("SELECT r, count(*) FROM view_identity.users, unnest(roles) r WHERE status = 'active' GROUP BY r ORDER BY r")
        roles = dict(cur.fetchall())
    keys = ("active_users", "published_courses", "classes", "enrolments", "course_completions", "results")
    return {**dict(zip(keys, row, strict=True)), "events_in_log": log_head(pool), "users_by_role": roles}
