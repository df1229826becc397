"""Reading the OULAD files (../shared/datasets/oulad) into what the import commands take.

Days in the dataset are offsets from a presentation's start; a presentation "2013J" starts in
October 2013, "2014B" in February 2014 (the dataset's documentation). We date day 0 at noon UTC
on the first of that month, so a day offset never lands on the day before or after. An exam
without a date is at the end of the presentation (again the documentation's rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

DEFAULT_FOLDER = Path("../shared/datasets/oulad")
KINDS = {"TMA": "tutor_marked", "CMA": "computer_marked", "Exam": "exam"}


def presentation_start(code: str) -> datetime:
    """'2013J' -> 2013-10-01 12:00 UTC, '2014B' -> 2014-02-01 12:00 UTC."""
    return datetime(int(code[:4]), 10 if code[4] == "J" else 2, 1, 12, tzinfo=UTC)


def on_day(start: datetime, day: int | None) -> datetime | None:
    return None if day is None else start + timedelta(days=day)


@dataclass(frozen=True)
class Slice:
    """A part of the dataset, for tests: some presentations ("AAA-2013J"), at most N learners each."""

    presentations: tuple[str, ...] = ()
    learners_per_presentation: int | None = None


@dataclass
class Oulad:
    courses: pl.DataFrame  # key, module, presentation, length, start
    assessments: pl.DataFrame  # id_assessment, key, title, kind, due_day, weight
    registrations: pl.DataFrame  # key, id_student, registered_day, unregistered_day
    results: pl.DataFrame  # key, id_assessment, id_student, day, banked, score
    outcomes: pl.DataFrame  # key, id_student, final_result


def _read(folder: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(folder / name, infer_schema_length=0)  # every column as text: "" and "?" stay readable


def _day(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int32, strict=False)  # "" -> null


def _key() -> pl.Expr:
    return pl.concat_str("code_module", pl.lit("-"), "code_presentation").alias("key")


def read_oulad(folder: Path = DEFAULT_FOLDER, part: Slice = Slice()) -> Oulad:
    courses = (_read(folder, "courses.csv").with_columns(_key(), _day("module_presentation_length").alias("length"))
               .rename({"code_module": "module", "code_presentation": "presentation"}))
    if part.presentations:
        courses = courses.filter(pl.col("key").is_in(part.presentations))
    courses = courses.with_columns(pl.col("presentation").map_elements(presentation_start, return_dtype=pl.Datetime("us", "UTC"))
                                   .alias("start")).sort("start", "key").select("key", "module", "presentation", "length", "start")
    keys = courses["key"]
    assessments = (_read(folder, "assessments.csv").with_columns(_key()).filter(pl.col("key").is_in(keys.to_list()))
                   .join(courses.select("key", "length"), on="key")
                   .with_columns(pl.coalesce(_day("date"), pl.col("length")).alias("due_day"),
                                 pl.col("weight").cast(pl.Float64), pl.col("assessment_type").replace_strict(KINDS).alias("kind"))
                   .sort("key", "due_day", "id_assessment")
                   .with_columns((pl.col("assessment_type") + " " + pl.col("id_assessment").cum_count().over("key", "assessment_type")
                                  .cast(pl.String)).alias("title"))
                   .select("id_assessment", "key", "title", "kind", "due_day", "weight"))
    registrations = (_read(folder, "studentRegistration.csv").with_columns(_key()).filter(pl.col("key").is_in(keys.to_list()))
                     .with_columns(_day("date_unregistration").alias("unregistered_day"))
                     .with_columns(pl.coalesce(_day("date_registration"), pl.min_horizontal(pl.col("unregistered_day"), pl.lit(0)))
                                   .alias("registered_day"))
                     .sort("key", "registered_day", "id_student"))
    if part.learners_per_presentation:
        registrations = registrations.group_by("key", maintain_order=True).head(part.learners_per_presentation)
    registrations = registrations.select("key", "id_student", "registered_day", "unregistered_day")
    results = (_read(folder, "studentAssessment.csv").join(assessments.select("id_assessment", "key"), on="id_assessment")
               .join(registrations.select("key", "id_student"), on=["key", "id_student"])
               .with_columns(_day("date_submitted").alias("day"), (pl.col("is_banked") == "1").alias("banked"),
                             pl.col("score").cast(pl.Float64, strict=False))
               .sort("key", "day", "id_student").select("key", "id_assessment", "id_student", "day", "banked", "score"))
    outcomes = (_read(folder, "studentInfo.csv").with_columns(_key())
                .join(registrations.select("key", "id_student"), on=["key", "id_student"]).select("key", "id_student", "final_result"))
    return Oulad(courses, assessments, registrations, results, outcomes)
