"""The at-risk rule on hand-made rows: each reason, the class-relative inactivity, and that only
what was known on the day counts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from projections.analytics.at_risk import at_risk

T = pl.Datetime("us", "UTC")
DAY0 = datetime(2013, 10, 1, 12, tzinfo=UTC)


def members(*ids: str, left: dict[str, datetime] | None = None) -> pl.DataFrame:
    return pl.DataFrame({"student_id": list(ids), "joined_at": [DAY0] * len(ids),
                         "left_at": [(left or {}).get(i) for i in ids], "last_activity_at": [None] * len(ids)},
                        schema={"student_id": pl.String, "joined_at": T, "left_at": T, "last_activity_at": T})


def activity(rows: list[tuple[str, date]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"student_id": pl.String, "day": pl.Date}, orient="row")


def results(rows: list[tuple[str, str, float, datetime]]) -> pl.DataFrame:
    return pl.DataFrame([(s, i, "TMA " + i, score, score >= 40, at) for s, i, score, at in rows],
                        schema={"student_id": pl.String, "item_id": pl.String, "title": pl.String, "score": pl.Float64,
                                "passed": pl.Boolean, "at": T}, orient="row")


ITEMS = pl.DataFrame({"item_id": ["1", "2"], "kind": ["tutor_marked"] * 2, "title": ["TMA 1", "TMA 2"],
                      "due_at": [datetime(2013, 10, 20, tzinfo=UTC), datetime(2013, 11, 20, tzinfo=UTC)],
                      "weight": [10.0, 20.0]}, schema_overrides={"due_at": T})


def test_each_reason_is_named_with_its_detail():
    on = datetime(2013, 10, 30, tzinfo=UTC)
    handed = [("a", "1", 80.0, datetime(2013, 10, 19, tzinfo=UTC)), ("b", "1", 20.0, datetime(2013, 10, 25, tzinfo=UTC)),
              ("d", "1", 70.0, datetime(2013, 10, 28, tzinfo=UTC))]
    days = [("a", date(2013, 10, 29)), ("b", date(2013, 10, 25)), ("d", date(2013, 10, 28))]
    flagged = at_risk(members("a", "b", "c", "d"), activity(days), results(handed), ITEMS, on)
    rows = {r["student_id"]: r for r in flagged.to_dicts()}
    assert set(rows) == {"b", "c"}
    assert rows["b"]["reasons"] == ["failing"] and "mean score 20.0 %" in rows["b"]["detail"]
    assert rows["c"]["reasons"] == ["inactive", "behind"]
    assert "no activity for 29 days" in rows["c"]["detail"] and "TMA 1" in rows["c"]["detail"]


def test_a_quiet_stretch_for_everyone_is_nobodys_risk():
    on = datetime(2013, 12, 1, tzinfo=UTC)  # everyone last active in October
    days = [(s, date(2013, 10, 19)) for s in "abc"]
    handed = [(s, "1", 70.0, datetime(2013, 10, 19, tzinfo=UTC)) for s in "abc"]
    assert at_risk(members("a", "b", "c"), activity(days), results(handed), ITEMS, on).is_empty()


def test_only_what_was_known_on_the_day_counts():
    later_fail = [("a", "1", 10.0, datetime(2013, 11, 1, tzinfo=UTC))]
    days = [("a", date(2013, 10, 15))]
    before = at_risk(members("a"), activity(days), results(later_fail), ITEMS, datetime(2013, 10, 16, tzinfo=UTC))
    assert before.is_empty()
    after = at_risk(members("a"), activity(days), results(later_fail), ITEMS, datetime(2013, 11, 2, tzinfo=UTC))
    assert after["reasons"].to_list() == [["failing"]]


def test_students_who_left_are_not_flagged():
    gone = members("a", left={"a": datetime(2013, 10, 10, tzinfo=UTC)})
    assert at_risk(gone, activity([]), results([]), ITEMS, datetime(2013, 12, 1, tzinfo=UTC)).is_empty()
