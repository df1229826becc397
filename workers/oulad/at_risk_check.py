"""How well the at-risk signal foretells OULAD's recorded outcomes: on day 30, 60 and 90 of each
presentation, flag students from what was known that day only (projections/analytics/at_risk.py
on the read model's rows up to that moment), and compare with the final results: Withdrawn or
Fail count as "did end badly". Students who had already unregistered by that day are left out
(their outcome is no longer a prediction)."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
from psycopg_pool import ConnectionPool

from commands.analytics.history_import import imported_id
from projections.analytics import frames
from projections.analytics.at_risk import at_risk
from workers.oulad.dataset import Oulad

BAD_ENDS = ("Withdrawn", "Fail")


def flags_on_days(pool: ConnectionPool, data: Oulad, days: tuple[int, ...]) -> pl.DataFrame:
    """One row per student present on each day: day, key, student_id, flagged, reasons, bad_end."""
    outcomes = data.outcomes.with_columns(
        pl.col("id_student").map_elements(lambda s: str(imported_id("learner", s)), return_dtype=pl.String).alias("student_id"),
        pl.col("final_result").is_in(BAD_ENDS).alias("bad_end"))
    rows = []
    for course in data.courses.to_dicts():
        course_id = imported_id("course", course["key"])
        members, activity = frames.members(pool, course_id), frames.activity(pool, course_id)
        results, items = frames.results(pool, course_id), frames.items(pool, course_id)
        for day in days:
            as_of = course["start"] + timedelta(days=day)
            present = members.filter((pl.col("joined_at") <= as_of)
                                     & (pl.col("left_at").is_null() | (pl.col("left_at") > as_of))).select("student_id")
            flagged = at_risk(members, activity, results, items, as_of).select("student_id", "reasons")
            rows.append(present.join(flagged, on="student_id", how="left")
                        .with_columns(pl.lit(day).alias("day"), pl.lit(course["key"]).alias("key"),
                                      pl.col("reasons").is_not_null().alias("flagged")))
    table = pl.concat(rows)
    return table.join(outcomes.select("key", "student_id", "bad_end"), on=["key", "student_id"], how="left")


def precision_recall(flags: pl.DataFrame) -> pl.DataFrame:
    """Per day: students, bad ends, flagged, precision and recall (percent), and the base rate
    (the precision of flagging everyone)."""
    return (flags.group_by("day").agg(
        pl.len().alias("students"), pl.col("bad_end").sum().alias("bad_ends"), pl.col("flagged").sum().alias("flagged"),
        (pl.col("flagged") & pl.col("bad_end")).sum().alias("true_positives"))
        .with_columns((100 * pl.col("true_positives") / pl.col("flagged")).round(1).alias("precision_percent"),
                      (100 * pl.col("true_positives") / pl.col("bad_ends")).round(1).alias("recall_percent"),
                      (100 * pl.col("bad_ends") / pl.col("students")).round(1).alias("base_rate_percent"))
        .sort("day"))


def by_reason(flags: pl.DataFrame) -> pl.DataFrame:
    """Per day and reason: how many were flagged for it and the share of them that ended badly."""
    return (flags.filter(pl.col("flagged")).explode("reasons").group_by("day", "reasons")
            .agg(pl.len().alias("flagged"), (100 * pl.col("bad_end").mean()).round(1).alias("precision_percent"))
            .sort("day", "reasons"))
