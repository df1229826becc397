"""`skillhub demo load --oulad` on a slice of the dataset: what lands in the log, dated from the
day offsets, read back by the progress read model and the reports; loading again adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from projections.analytics import progress, reports
from projections.catalog.catalog import catalog
from projections.engine.rebuild import rebuild
from tests.integration.analytics.conftest import FOLDER, SLICE, catch_up, need_dataset
from workers.oulad.dataset import read_oulad
from workers.oulad.loader import load_oulad


def _count(infra, sql: str, *params) -> int:
    with infra.pool.connection() as conn:
        return next(iter(conn.execute(sql, params).fetchone().values()))


def test_a_slice_of_oulad_becomes_dated_events_and_reports(fresh_infra):
    need_dataset()
    data = read_oulad(FOLDER, SLICE)
    report = load_oulad(fresh_infra, FOLDER, SLICE)
    assert (report.presentations, report.registrations) == (2, 240)
    assert report.results == data.results.height > 500
    catch_up(fresh_infra, progress)
    catch_up(fresh_infra, catalog)  # the funnel names lessons from the catalog

    learners = _count(fresh_infra, "SELECT count(*) FROM view_progress.learners WHERE scope = 'course'")
    results = _count(fresh_infra, "SELECT count(*) FROM view_progress.results")
    assert (learners, results) == (240, data.results.height)
    left = data.registrations.filter(pl.col("unregistered_day").is_not_null()).height
    assert _count(fresh_infra, "SELECT count(*) FROM view_progress.learners WHERE NOT active") == left

    # Times come from the day offsets: AAA 2013J starts 1 October 2013, TMA 1 is due on day 19.
    with fresh_infra.pool.connection() as conn:
        due = conn.execute("SELECT due_at FROM view_progress.items WHERE title = 'TMA 1' ORDER BY due_at").fetchone()
        first = conn.execute("SELECT min(at) AS at FROM view_progress.results").fetchone()
    assert due["due_at"] == datetime(2013, 10, 20, 12, tzinfo=UTC)
    assert first["at"].year == 2013
    with fresh_infra.pool.connection() as conn:
        course_id = conn.execute("SELECT course_id FROM view_progress.courses WHERE title = 'OU AAA 2013J'").fetchone()["course_id"]
    weekly = reports.quiz_performance(fresh_infra.pool, course_id, "week")
    assert weekly["submissions"].sum() == data.results.filter((pl.col("key") == "AAA-2013J") & pl.col("score").is_not_null()).height
    steps, drop_off = reports.funnel(fresh_infra.pool, course_id, reports.course_steps(fresh_infra.pool, course_id))
    assert steps["title"].to_list()[:3] == ["Course guide", "TMA 1", "TMA 2"] and drop_off is not None
    flagged = reports.students_at_risk(fresh_infra.pool, course_id, datetime(2013, 12, 30, tzinfo=UTC))
    assert flagged.height > 0 and flagged["detail"].str.len_chars().min() > 0

    # A rebuild gives the same read model (same charts).
    before = _tables(fresh_infra)
    rebuild(fresh_infra.pool, fresh_infra.store, progress, 500)
    assert _tables(fresh_infra) == before

    again = load_oulad(fresh_infra, FOLDER, SLICE)
    assert again.events == 0


def _tables(infra) -> dict[str, list]:
    with infra.pool.connection() as conn:
        return {t: conn.execute(f"SELECT * FROM view_progress.{t} ORDER BY 1, 2, 3").fetchall()
                for t in ("learners", "activity_days", "results", "items", "courses")}


def test_at_risk_is_checked_against_final_results_from_what_was_known_each_day(fresh_infra):
    need_dataset()
    from workers.oulad.at_risk_check import by_reason, flags_on_days, precision_recall

    data = read_oulad(FOLDER, SLICE)
    load_oulad(fresh_infra, FOLDER, SLICE)
    catch_up(fresh_infra, progress)
    flags = flags_on_days(fresh_infra.pool, data, (30, 60, 90))
    table = precision_recall(flags)
    assert table["day"].to_list() == [30, 60, 90]
    assert flags["bad_end"].null_count() == 0  # every student present has a recorded outcome
    # Fewer students remain as withdrawals happen; the signal finds some of the bad ends.
    assert table["students"].to_list() == sorted(table["students"].to_list(), reverse=True)
    assert table["true_positives"].sum() > 0
    assert 0 < table["precision_percent"].max() <= 100 and 0 < table["recall_percent"].max() <= 100
    assert set(by_reason(flags)["reasons"]) <= {"inactive", "failing", "behind"}


def test_the_command_line_loads_a_slice(fresh_infra, tmp_path):
    need_dataset()
    from tests.integration.test_cli import skillhub

    done = skillhub(fresh_infra, tmp_path, "demo", "load", "--oulad", "--presentations", "AAA-2013J", "--learners", "30")
    assert done.returncode == 0, done.stderr
    assert "OULAD loaded: 1 presentations, 30 registrations" in done.stdout
    assert _count(fresh_infra, "SELECT count(*) FROM skillhub_events WHERE topic LIKE %s",
                  "%AssessmentResult.Recorded") > 30
