"""Set-based handler writes and one-pass rebuilds build the same tables as live following and as
the plain per-row statements run one by one, whatever the batch size."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from psycopg import sql

from adapters.infrastructure import Infrastructure
from bench.log_reading import engine_batches
from domain.errors import Conflict
from domain.event_conventions import ERASED
from projections.engine.engine import Projection, create_schema, lock_key
from projections.classroom.classroom import classroom
from projections.identity.identity import identity
from projections.registry import ALL
from projections.engine.rebuild import rebuild, rebuild_many
from projections.engine.row_writes import WHOLE_TABLE, RowStatement, Writes, row_statement
from projections.engine.runner import ProjectionRunner
from projections.engine.tracking import log_head, position_of
from tests.integration.classroom_history import record_classroom_history
from tests.integration.counting import counting
from tests.integration.identity_history import record_history
from tests.integration.test_cli import skillhub
from workers import cli

TABLES = {"identity": ["users", "sessions", "creator_applications"], "test_counts": ["counts"],
          "classroom": ["classes", "members"]}


def snapshot(infra: Infrastructure, schema: str, tables: list[str]) -> dict[str, list]:
    with infra.pool.connection() as conn:
        return {t: conn.execute(sql.SQL("SELECT * FROM {}.{} ORDER BY 1, 2").format(
            sql.Identifier(schema), sql.Identifier(t))).fetchall() for t in tables}


class OneByOne(Writes):
    """The oracle: each row statement as written (per row, not set-based), at once, in order."""

    def add(self, statement: RowStatement, key: Any, *params: Any) -> None:
        self._cur.execute(statement.sql, params)


def one_by_one(infra: Infrastructure, projection: Projection, schema: str) -> None:
    with infra.pool.connection() as conn, conn.cursor() as cur:
        create_schema(cur, projection, schema)
        for batch in engine_batches(infra.pool, projection, 100):
            for event in infra.store.decode_many(batch):
                handler = projection.handlers[type(event)]
                handler(OneByOne(cur) if handler in projection.set_based else cur, event)


def follow_live(infra: Infrastructure, projection: Projection, record: Any) -> None:
    """Record while a runner follows (through the process's log reader), until it has it all."""
    stop = threading.Event()
    runner = ProjectionRunner(projection, infra.database_url, infra.pool, infra.store, 20)
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        assert runner.active.wait(20)
        record()
        deadline = time.monotonic() + 60
        while position_of(infra.pool, projection) < log_head(infra.pool) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)


def test_identity_rebuilt_set_based_equals_live_and_per_row_statements(fresh_infra):
    infra = fresh_infra
    follow_live(infra, identity, lambda: record_history(infra, 60))
    live = snapshot(infra, identity.schema, TABLES["identity"])
    assert len(live["users"]) == 61 and len(live["creator_applications"]) == 20
    statuses = {r["status"] for r in live["users"]}
    assert statuses == {"active", "deactivated", "erased"}  # the history reaches every state

    one_by_one(infra, identity, "oracle_identity")
    assert snapshot(infra, "oracle_identity", TABLES["identity"]) == live
    for batch_size in (5000, 37, 1):  # one batch holding everything; many cuts; no grouping at all
        report = rebuild(infra.pool, infra.store, identity, batch_size)
        assert snapshot(infra, identity.schema, TABLES["identity"]) == live, batch_size
        assert report.position == log_head(infra.pool)


def test_classroom_rebuilt_set_based_equals_live_and_per_row_statements(fresh_infra):
    infra = fresh_infra
    follow_live(infra, classroom, lambda: record_classroom_history(infra, 12))
    live = snapshot(infra, classroom.schema, TABLES["classroom"])
    assert len(live["classes"]) == 12 and len(live["members"]) == 72
    assert {r["name"] for r in live["classes"]} >= {ERASED, "Class 11"}  # an erased teacher's classes, and others
    assert sum(r["removed_at"] is not None for r in live["members"]) == 12  # two of six, one invited back

    one_by_one(infra, classroom, "oracle_classroom")
    assert snapshot(infra, "oracle_classroom", TABLES["classroom"]) == live
    for batch_size in (5000, 11, 1):
        rebuild(infra.pool, infra.store, classroom, batch_size)
        assert snapshot(infra, classroom.schema, TABLES["classroom"]) == live, batch_size


def test_several_read_models_rebuilt_in_one_pass_read_the_log_once(fresh_infra, monkeypatch):
    infra = fresh_infra
    record_history(infra, 30)
    singles = {}
    for projection in (identity, counting):
        rebuild(infra.pool, infra.store, projection, 50)
        singles[projection.name] = snapshot(infra, projection.schema, TABLES[projection.name])
    decoded: list[int] = []
    decode_many = infra.store.decode_many
    monkeypatch.setattr(infra.store, "decode_many", lambda rows, *a: decoded.append(len(rows)) or decode_many(rows, *a))
    progress: list[tuple[int, int]] = []

    reports = rebuild_many(infra.pool, infra.store, [identity, counting], 50, lambda *p: progress.append(p))
    read = [n for n in decoded if n]
    assert sum(read) == sum(r.events_applied for r in reports if r.name == "identity")  # each event decoded once
    assert [r.name for r in reports] == ["identity", "test_counts"] and reports[1].events_applied < reports[0].events_applied
    for projection in (identity, counting):
        assert snapshot(infra, projection.schema, TABLES[projection.name]) == singles[projection.name]
    assert progress[-1][0] == progress[-1][1] == log_head(infra.pool)


def test_a_rebuild_of_several_is_refused_whole_while_one_of_them_is_being_rebuilt(fresh_infra):
    infra = fresh_infra
    record_history(infra, 3)
    with infra.pool.connection() as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (lock_key("rebuild", counting),))
        try:
            with pytest.raises(Conflict, match="a rebuild of test_counts is already running"):
                rebuild_many(infra.pool, infra.store, [identity, counting])
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (lock_key("rebuild", counting),))
    with infra.pool.connection() as conn:
        fresh = conn.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name LIKE '%%__rebuild'").fetchall()
    assert fresh == []  # nothing was started
    assert rebuild_many(infra.pool, infra.store, [identity, counting])[0].events_applied > 0  # the locks were let go


def test_row_writes_keep_each_rows_order_and_wait_for_whole_table_statements(fresh_infra):
    insert = row_statement("INSERT INTO t (k, v, tags) VALUES (%s, %s, %s) ON CONFLICT (k) DO NOTHING", "int text text[]")
    append = row_statement("UPDATE t SET v = v || %s WHERE k = %s", "text int")
    everyone = row_statement("UPDATE t SET v = v || %s WHERE k > %s", "text int")
    with fresh_infra.pool.connection() as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE t (k int PRIMARY KEY, v text, tags text[]) ON COMMIT DROP")
        w = Writes(cur)
        for k in range(1000):
            w.add(insert, k, k, f'"{k}"\\', ["a b", None, '"q"'])
        for k in range(1000):
            w.add(append, k, "1", k)
        w.add(everyone, WHOLE_TABLE, "*", 997)
        w.add(append, 999, "2", 999)
        w.add(insert, 999, 999, "lost", [])  # a conflict: the first insert stands
        w.cursor.execute("SELECT k, v, tags FROM t WHERE k IN (0, 998, 999) ORDER BY k")
        assert cur.fetchall() == [
            {"k": 0, "v": '"0"\\1', "tags": ["a b", None, '"q"']},
            {"k": 998, "v": '"998"\\1*', "tags": ["a b", None, '"q"']},
            {"k": 999, "v": '"999"\\1*2', "tags": ["a b", None, '"q"']},
        ]


def test_a_row_statement_that_cannot_be_made_set_based_is_refused_when_declared():
    with pytest.raises(ValueError, match="2 types for 1 parameters"):
        row_statement("UPDATE t SET v = %s", "text int")
    with pytest.raises(ValueError, match="INSERT INTO t"):
        row_statement("DELETE FROM t WHERE k = %s", "int")


def test_cli_rebuilds_several_or_all_in_one_pass(fresh_infra, tmp_path):
    record_history(fresh_infra, 5)
    several = skillhub(fresh_infra, tmp_path, "projections", "rebuild", "identity", "notification")
    assert several.returncode == 0, several.stderr
    head = log_head(fresh_infra.pool)  # every event of this history is one identity reads
    assert f"rebuilt identity: {head} events to position {head}" in several.stdout
    assert "rebuilt notification: " in several.stdout and f"to position {head}" in several.stdout
    every = skillhub(fresh_infra, tmp_path, "projections", "rebuild", "--all")
    assert every.returncode == 0, every.stderr
    assert every.stdout.count("rebuilt ") == len(ALL)


@pytest.mark.parametrize("args", [[], ["identity", "--all"]])
def test_cli_rebuild_needs_names_or_all(args, capsys):
    assert cli.main(["projections", "rebuild", *args]) == 2
    assert "name the read models to rebuild, or give --all (not both)" in capsys.readouterr().err


def test_cli_rebuild_of_an_unknown_read_model_changes_nothing(capsys):
    assert cli.main(["projections", "rebuild", "identity", "nope"]) == 2
    assert "no projection named 'nope'" in capsys.readouterr().err
