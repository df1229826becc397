"""The projection engine: exactly-once after a crash, hot standby, rebuild and swap, wake-up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from adapters.infrastructure import Infrastructure
from domain.identity import User
from projections.engine.engine import Projection, apply_batch, ensure_schema, lock_key
from projections.engine.rebuild import rebuild
from projections.engine.runner import ProjectionRunner
from projections.engine.tracking import log_head, position_of, status
from projections.identity.identity import identity
from projections.identity.queries import list_users
from tests.integration.conftest import seed_people
from tests.integration.counting import counting

ROOT = Path(__file__).resolve().parents[2]
TABLES = {"identity": ["users", "sessions", "creator_applications"], "test_counts": ["counts"]}


def snapshot(infra: Infrastructure, schema: str, tables: list[str]) -> dict[str, list]:
    with infra.pool.connection() as conn:
        return {
            t: conn.execute(sql.SQL("SELECT * FROM {}.{} ORDER BY 1").format(sql.Identifier(schema), sql.Identifier(t))).fetchall()
            for t in tables
        }


def catch_up(infra: Infrastructure, projection) -> None:
    ensure_schema(infra.pool, projection)
    while True:
        _, position, head = apply_batch(infra.pool, infra.store, projection, 100)
        if position >= head:
            return


def test_killed_runner_resumes_exactly_once_and_equals_rebuild(fresh_infra, tmp_path):
    infra = fresh_infra
    seed_people(infra, 400)  # 1,600 events
    head = log_head(infra.pool)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.run_slow_projections", infra.database_url, str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.monotonic() + 60
        while position_of(infra.pool, counting) < 300 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # land inside the next batch, not on its boundary
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    interrupted = {p.name: position_of(infra.pool, p) for p in (identity, counting)}
    assert 0 < interrupted["test_counts"] < head, interrupted

    for projection in (identity, counting):
        catch_up(infra, projection)
    with infra.pool.connection() as conn:
        counts = {r["topic"]: r["n"] for r in conn.execute("SELECT topic, n FROM view_test_counts.counts")}
    assert counts == {"User.Registered": 400, "User.ProfileUpdated": 400, "User.RoleGranted": 400, "Session.Started": 400}

    resumed = {p.name: snapshot(infra, p.schema, TABLES[p.name]) for p in (identity, counting)}
    for projection in (identity, counting):
        rebuild(infra.pool, infra.store, projection, 250)
    rebuilt = {p.name: snapshot(infra, p.schema, TABLES[p.name]) for p in (identity, counting)}
    assert resumed == rebuilt
    assert len(rebuilt["identity"]["users"]) == 400


def test_second_runner_is_a_hot_standby(fresh_infra):
    infra = fresh_infra
    stops = [threading.Event(), threading.Event()]
    runners = [ProjectionRunner(identity, infra.database_url, infra.pool, infra.store, 100) for _ in stops]
    threads = [threading.Thread(target=r.run, args=(s,)) for r, s in zip(runners, stops)]
    # Runners of other databases on the server (other test sessions) do not count.
    assert [s.active_runner for s in status(infra.pool, [identity])] == [False]
    threads[0].start()
    assert runners[0].active.wait(5)
    threads[1].start()
    time.sleep(1.0)
    assert not runners[1].active.is_set()
    assert [s.active_runner for s in status(infra.pool, [identity])] == [True]
    stops[0].set()
    threads[0].join(10)
    assert runners[1].active.wait(5), "standby did not take over"
    seed_people(infra, 5)
    head = log_head(infra.pool)
    deadline = time.monotonic() + 5
    while position_of(infra.pool, identity) < head and time.monotonic() < deadline:
        time.sleep(0.02)
    assert position_of(infra.pool, identity) == head
    stops[1].set()
    threads[1].join(10)


def test_runner_wakes_on_the_store_notification(fresh_infra):
    infra = fresh_infra
    stop = threading.Event()
    runner = ProjectionRunner(identity, infra.database_url, infra.pool, infra.store, 100)
    runner.idle_timeout = 30.0  # only a notification can wake it within the test's wait
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        assert runner.active.wait(5)
        time.sleep(0.3)
        seed_people(infra, 1)
        head = log_head(infra.pool)
        deadline = time.monotonic() + 10
        while position_of(infra.pool, identity) < head and time.monotonic() < deadline:
            time.sleep(0.01)
        assert position_of(infra.pool, identity) == head
    finally:
        stop.set()
        thread.join(5)


def test_rebuild_swaps_while_queries_and_live_runner_go_on(fresh_infra):
    infra = fresh_infra
    seed_people(infra, 300)
    stop = threading.Event()
    runner = ProjectionRunner(identity, infra.database_url, infra.pool, infra.store, 100)
    live = threading.Thread(target=runner.run, args=(stop,))
    live.start()
    catch_up_deadline = time.monotonic() + 20
    while position_of(infra.pool, identity) < log_head(infra.pool) and time.monotonic() < catch_up_deadline:
        time.sleep(0.02)
    seen: list[int] = []
    errors: list[Exception] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.append(len(list_users(infra.pool, limit=1000, cursor=None)["items"]))
            except Exception as e:  # noqa: BLE001 - the test reports any failure
                errors.append(e)

    reader = threading.Thread(target=read)
    reader.start()
    report = rebuild(infra.pool, infra.store, identity, 50)
    seed_people(infra, 10)  # the live runner keeps applying into the swapped-in tables
    head = log_head(infra.pool)
    deadline = time.monotonic() + 10
    while position_of(infra.pool, identity) < head and time.monotonic() < deadline:
        time.sleep(0.02)
    done.set()
    reader.join()
    stop.set()
    live.join(10)
    assert not errors and min(seen) == 300
    assert report.events_applied == 1200
    assert len(list_users(infra.pool, limit=1000, cursor=None)["items"]) == 310


def _position(infra: Infrastructure, projection) -> int:
    """Read on a connection of its own: the pool's may be among the ones a test terminates."""
    with psycopg.connect(infra.database_url) as conn:
        row = conn.execute(sql.SQL("SELECT position FROM {}.tracking").format(sql.Identifier(projection.schema))).fetchone()
    return row[0]


def _lock_holder(infra: Infrastructure, projection) -> tuple | None:
    """The backend holding the runner's lock (pid and start time: pids get reused)."""
    with psycopg.connect(infra.database_url) as conn:
        row = conn.execute(
            "SELECT l.pid, a.backend_start FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()"
            " AND l.objid = (hashtext(%s)::bigint & 4294967295)::oid",
            (lock_key("active", projection),),
        ).fetchone()
    return tuple(row) if row else None


def _wait_until(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def test_runner_survives_dropped_connections_and_catches_up(fresh_infra, caplog):
    infra = fresh_infra
    seed_people(infra, 10)
    stop = threading.Event()
    runner = ProjectionRunner(identity, infra.database_url, infra.pool, infra.store, 100)
    runner.retry_base = 0.1
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        assert _wait_until(lambda: _position(infra, identity) == log_head(infra.pool))
        first_holder = _lock_holder(infra, identity)
        assert first_holder is not None
        # A database restart, as the runner sees it: every connection of this database is cut,
        # the log reader's lock-holding LISTEN connection and the pool's alike.
        with psycopg.connect(infra.database_url, autocommit=True) as conn:
            cut = conn.execute(
                "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
        assert cut >= 1
        # Both pools replace their dead connections on checkout: the next write and read work,
        # without meeting the dead ones one by one after growing pauses (about 45 s for ten).
        cut_at = time.monotonic()
        seed_people(infra, 5)
        assert time.monotonic() - cut_at < 10
        head = log_head(infra.pool)
        assert _wait_until(lambda: _position(infra, identity) == head), "runner did not resume"
        holder = _lock_holder(infra, identity)
        assert holder is not None and holder != first_holder  # it reconnected and took the lock again
        assert runner.active.is_set() and runner.failures == 0
        # The cut reached the reader's lock-holding LISTEN connection: it reconnected.
        assert any("log reader" in r.getMessage() and "reconnecting" in r.getMessage() for r in caplog.records)
        assert [s.last_error for s in status(infra.pool, [identity])] == [None]
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_a_failing_handler_is_retried_and_shown_until_it_succeeds(fresh_infra, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from domain.identity import User
    from tests.integration.test_cli import skillhub

    infra = fresh_infra

    def broken(cur, event) -> None:
        raise ValueError("bad event")

    original = identity.handlers[User.ProfileUpdated]
    monkeypatch.setitem(identity.handlers, User.ProfileUpdated, broken)
    seed_people(infra, 3)
    head = log_head(infra.pool)
    stop = threading.Event()
    runner = ProjectionRunner(identity, infra.database_url, infra.pool, infra.store, 100)
    runner.retry_base, runner.retry_max = 0.05, 0.2
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        assert _wait_until(lambda: status(infra.pool, [identity])[0].failures >= 3)
        failing = status(infra.pool, [identity])[0]
        assert failing.last_error == "ValueError: bad event" and failing.failing_since is not None
        assert failing.position < head  # the failed batch was rolled back, not skipped
        ready = TestClient(create_app(infra)).get("/readyz")
        assert ready.status_code == 200 and ready.json()["failing"] == ["identity"]
        assert ready.json()["projections"][0]["last_error"] == "ValueError: bad event"
        shown = skillhub(infra, tmp_path, "projections", "status")
        row = next(line for line in shown.stdout.splitlines() if line.startswith("identity"))
        assert "failures since" in row and "Error: " in row  # the latest error, whatever it was by then

        identity.handlers[User.ProfileUpdated] = original  # the fix is deployed
        assert _wait_until(lambda: position_of(infra.pool, identity) == head)
        assert status(infra.pool, [identity])[0].last_error is None
        assert len(list_users(infra.pool, limit=10, cursor=None)["items"]) == 3
    finally:
        stop.set()
        thread.join(10)


def test_a_worker_that_raises_is_restarted():
    from workers.runtime import Workers

    workers = Workers()
    workers.restart_base = 0.01
    calls: list[int] = []
    recovered = threading.Event()

    def flaky(stop: threading.Event) -> None:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("database restarting")
        recovered.set()
        stop.wait()

    workers.spawn("flaky", flaky)
    assert recovered.wait(5) and len(calls) == 3
    workers.shutdown()
    assert not any(t.is_alive() for t in workers.threads)


def test_a_second_rebuild_of_the_same_projection_is_refused_while_one_runs(fresh_infra):
    from domain.errors import Conflict
    from domain.identity import User
    from projections.engine.engine import Projection

    infra = fresh_infra
    slow = Projection(name="test_slow", tables=["CREATE TABLE IF NOT EXISTS seen (user_id uuid PRIMARY KEY)"])

    @slow.on(User.Registered)
    def seen(cur, event) -> None:
        time.sleep(0.02)
        cur.execute("INSERT INTO seen VALUES (%s)", (event.originator_id,))

    seed_people(infra, 60)
    results: list[object] = []
    first = threading.Thread(target=lambda: results.append(rebuild(infra.pool, infra.store, slow, 10)))
    first.start()
    assert _wait_until(lambda: _schema_exists(infra, "view_test_slow__rebuild"), 10)
    with pytest.raises(Conflict, match="a rebuild of test_slow is already running"):
        rebuild(infra.pool, infra.store, slow, 10)
    first.join(30)
    assert results and results[0].events_applied == 60
    assert rebuild(infra.pool, infra.store, slow, 100).events_applied == 60  # the lock was let go


def _schema_exists(infra: Infrastructure, schema: str) -> bool:
    with psycopg.connect(infra.database_url) as conn:
        return conn.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,)).fetchone() is not None


def _registrations(version: int, ddl: str, row: str) -> Projection:
    projection = Projection("test_versions", [ddl], version=version)

    @projection.on(User.Registered)
    def registered(cur, event) -> None:
        cur.execute(f"INSERT INTO registrations VALUES ({row})", {"id": event.originator_id, "at": event.timestamp})

    return projection


def test_a_read_model_built_by_another_version_is_rebuilt_by_its_runner_before_it_applies(fresh_infra):
    infra = fresh_infra
    old = _registrations(1, "CREATE TABLE IF NOT EXISTS registrations (user_id uuid PRIMARY KEY)", "%(id)s")
    new = _registrations(2, "CREATE TABLE IF NOT EXISTS registrations (user_id uuid PRIMARY KEY,"
                            " registered_at timestamptz NOT NULL)", "%(id)s, %(at)s")
    seed_people(infra, 5)
    catch_up(infra, old)
    before = snapshot(infra, old.schema, ["registrations"])["registrations"]
    # The new code's DDL is not run on the old tables (its index or column might not apply).
    assert ensure_schema(infra.pool, new) is False
    seed_people(infra, 3)
    stop = threading.Event()
    runner = ProjectionRunner(new, infra.database_url, infra.pool, infra.store, 100)
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        assert _wait_until(lambda: _position(infra, new) == log_head(infra.pool))
    finally:
        stop.set()
        thread.join(10)
    rows = snapshot(infra, new.schema, ["registrations"])["registrations"]
    assert len(before) == 5 and len(rows) == 8 and all(r["registered_at"] is not None for r in rows)
    assert {r["user_id"] for r in before} < {r["user_id"] for r in rows}
    assert runner.failures == 0
    with infra.pool.connection() as conn:
        assert conn.execute("SELECT version FROM view_test_versions.tracking").fetchone()["version"] == 2
    assert ensure_schema(infra.pool, new) is True
