"""Students at risk, from what was known on a given day only: the same rule serves the report
(as of now) and the check against OULAD's recorded final results (as of day 30, 60, 90).

A student of the course or class on that day is at risk for any of these reasons:
- `inactive`: no learning activity for INACTIVE_DAYS or more while most of the class was active
  in that time (a quiet week for everyone is nobody's risk), or none at all since joining that long ago;
- `failing`: the mean of their scores so far is under the pass mark;
- `behind`: they have no result for work that was due and that most of the class handed in.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from domain.course_assessments import PASS_MARK

INACTIVE_DAYS = 21
MOST = 0.5  # "most of the class": at least this share


def at_risk(members: pl.DataFrame, activity: pl.DataFrame, results: pl.DataFrame, items: pl.DataFrame,
            as_of: datetime) -> pl.DataFrame:
    """One row per student at risk: student_id, reasons (codes), detail (for people), mean_score,
    last_active_day, missed."""
    on_day = members.filter((pl.col("joined_at") <= as_of) & (pl.col("left_at").is_null() | (pl.col("left_at") > as_of)))
    if on_day.is_empty():
        return _empty()
    day = as_of.date()
    known = results.filter(pl.col("at") <= as_of)
    last = (activity.filter(pl.col("day") <= day).group_by("student_id").agg(pl.col("day").max().alias("last_active_day")))
    scores = known.filter(pl.col("score").is_not_null()).group_by("student_id").agg(
        pl.col("score").mean().alias("mean_score"), pl.len().alias("scored"))
    due = items.filter(pl.col("due_at").is_not_null() & (pl.col("due_at") <= as_of))
    handed = known.join(due.select("item_id"), on="item_id").select("student_id", "item_id").unique()
    class_size = on_day.height
    common = handed.group_by("item_id").agg(pl.len().alias("n")).filter(pl.col("n") >= MOST * class_size)
    expected = on_day.select("student_id").join(common.select("item_id"), how="cross")
    missed = (expected.join(handed, on=["student_id", "item_id"], how="anti").join(due.select("item_id", "title"), on="item_id")
              .group_by("student_id").agg(pl.len().alias("missed"), pl.col("title").sort().str.join(", ").alias("missed_titles")))
    rows = (on_day.select("student_id", "joined_at").join(last, on="student_id", how="left")
            .join(scores, on="student_id", how="left").join(missed, on="student_id", how="left")
            .with_columns(pl.col("missed").fill_null(0),
                          ((pl.lit(day) - pl.coalesce("last_active_day", pl.col("joined_at").dt.date())).dt.total_days()
                           .alias("idle_days"))))
    active_share = rows.filter(pl.col("idle_days") < INACTIVE_DAYS).height / class_size
    inactive = (pl.col("idle_days") >= INACTIVE_DAYS) & (pl.lit(active_share >= MOST) | pl.col("last_active_day").is_null())
    failing = pl.col("mean_score").is_not_null() & (pl.col("mean_score") < PASS_MARK)
    behind = pl.col("missed") > 0
    flagged = rows.with_columns(
        pl.concat_list(pl.when(inactive).then(pl.lit(["inactive"])).otherwise(pl.lit([], pl.List(pl.String))),
                       pl.when(failing).then(pl.lit(["failing"])).otherwise(pl.lit([], pl.List(pl.String))),
                       pl.when(behind).then(pl.lit(["behind"])).otherwise(pl.lit([], pl.List(pl.String))))
        .alias("reasons"),
        pl.concat_str(
            pl.when(inactive).then(pl.format("no activity for {} days; ", "idle_days")).otherwise(pl.lit("")),
            pl.when(failing).then(pl.format("mean score {} % over {} results (pass mark {} %); ",
                                            pl.col("mean_score").round(1), "scored", pl.lit(PASS_MARK))).otherwise(pl.lit("")),
            pl.when(behind).then(pl.format("missed {} handed in by most of the class: {}", "missed", "missed_titles"))
            .otherwise(pl.lit("")),
        ).str.strip_chars("; ").alias("detail"),
    ).filter(pl.col("reasons").list.len() > 0)
    return flagged.select("student_id", "reasons", "detail", pl.col("mean_score").round(1), "last_active_day", "missed",
                          "idle_days").sort("student_id")


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={"student_id": pl.String, "reasons": pl.List(pl.String), "detail": pl.String,
                                "mean_score": pl.Float64, "last_active_day": pl.Date, "missed": pl.UInt32,
                                "idle_days": pl.Int64})
