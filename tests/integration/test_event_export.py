"""`skillhub events export`: the history through polars, personal data sealed as on Kafka."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import orjson
import polars as pl
import pytest

from domain.errors import InvalidInput
from tests.integration.conftest import seed_people
from tests.integration.test_cli import skillhub
from workers.streaming.export import export_history


@pytest.fixture
def history(fresh_infra):
    """Two people, a cut-off time, two more people (4 events each)."""
    early = seed_people(fresh_infra, 2)
    time.sleep(0.01)
    cutoff = datetime.now(UTC)
    late = seed_people(fresh_infra, 2)
    return fresh_infra, early, late, cutoff


def test_parquet_export_has_every_event_sealed(history, tmp_path):
    infra, early, late, _ = history
    out = tmp_path / "events.parquet"
    assert export_history(infra.pool, infra.store, out, "parquet") == 16
    frame = pl.read_parquet(out)
    assert frame.height == 16
    assert frame["position"].to_list() == list(range(1, 17))
    assert frame.schema["time"] == pl.Datetime("us", "UTC")
    registered = frame.filter(pl.col("type") == "skillhub.identity.User.Registered")
    assert sorted(registered["subject"].to_list()) == sorted(str(p.id) for p in early + late)
    data = orjson.loads(registered["data"][0])
    assert set(data) == {"email", "display_name", "roles"} and data["email"].startswith("pd1:")
    emails = {p.email for p in early + late}
    assert not any(e in text for text in frame["data"].to_list() for e in emails)
    assert not list((tmp_path).glob(".events.parquet.*")), "no staging files left behind"


def test_time_filters_select_a_window(history, tmp_path):
    infra, early, late, cutoff = history
    after = tmp_path / "after.parquet"
    assert export_history(infra.pool, infra.store, after, "parquet", since=cutoff) == 8
    subjects = set(pl.read_parquet(after)["subject"].to_list())
    assert {str(p.id) for p in late} <= subjects and not {str(p.id) for p in early} & subjects
    before = tmp_path / "before.parquet"
    naive_cutoff = cutoff.replace(tzinfo=None)  # no offset: taken as UTC
    assert export_history(infra.pool, infra.store, before, "parquet", until=naive_cutoff) == 8
    assert pl.read_parquet(before)["time"].max() < cutoff


def test_cli_writes_json_lines(history, tmp_path):
    infra, early, late, cutoff = history
    out = tmp_path / "events.jsonl"
    done = skillhub(infra, tmp_path, "events", "export", "--format", "jsonl", "--output", str(out),
                    "--since", (cutoff - timedelta(days=1)).isoformat())
    assert done.returncode == 0, done.stderr
    assert "exported 16 events" in done.stdout
    frame = pl.read_ndjson(out)
    assert frame.height == 16
    assert frame.filter(pl.col("type") == "skillhub.identity.Session.Started").height == 4
    assert frame["id"].n_unique() == 16


def test_bad_input_is_refused_and_writes_nothing(history, tmp_path):
    infra, _, _, cutoff = history
    out = tmp_path / "never.parquet"
    with pytest.raises(InvalidInput, match="--since must be earlier"):
        export_history(infra.pool, infra.store, out, "parquet", since=cutoff, until=cutoff)
    with pytest.raises(InvalidInput, match="no such directory"):
        export_history(infra.pool, infra.store, tmp_path / "missing" / "x.parquet", "parquet")
    with pytest.raises(InvalidInput, match="unknown format"):
        export_history(infra.pool, infra.store, out, "csv")
    refused = skillhub(infra, tmp_path, "events", "export", "--format", "csv", "--output", str(out))
    assert refused.returncode == 2 and "invalid choice: 'csv'" in refused.stderr
    assert [p for p in tmp_path.iterdir() if p.suffix in (".parquet", ".jsonl")] == []
