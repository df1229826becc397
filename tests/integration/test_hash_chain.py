"""The tamper-evident history: a change to the stored log made behind SkillHub's back (an edited,
deleted or inserted row, a rewritten checkpoint) is caught and the first such event named;
erasure does not break the chain; the keeper follows the log and publishes the chain's head."""

from __future__ import annotations

import json
import time

import psycopg
from kafka import KafkaConsumer
from psycopg.rows import dict_row

from commands.identity.privacy import ErasePerson, erase_person
from commands.pipeline import SYSTEM, deps_for, execute
from projections.audit.chain_verification import verify
from projections.audit.hash_chain import latest_checkpoint
from projections.engine.tracking import log_head
from tests.conftest import settings_for
from tests.integration.conftest import seed_people
from tests.integration.test_cli import skillhub
from workers.audit.chain_keeper import TOPIC, ChainKeeper
from workers.runtime import WORKERS
from workers.supervision import Workers


def _row(conn, position: int) -> dict:
    return conn.execute("SELECT * FROM skillhub_events WHERE notification_id = %s", (position,)).fetchone()


def _insert(conn, row: dict) -> None:
    conn.execute("INSERT INTO skillhub_events (notification_id, originator_id, originator_version, topic, state)"
                 " VALUES (%(notification_id)s, %(originator_id)s, %(originator_version)s, %(topic)s, %(state)s)", row)


def _leave_a_gap(infra) -> int:
    """A position the sequence handed out to a transaction that rolled back, as happens in real life."""
    with infra.pool.connection() as conn:
        with conn.transaction(force_rollback=True):
            row = conn.execute("SELECT * FROM skillhub_events ORDER BY notification_id DESC LIMIT 1").fetchone()
            return conn.execute(
                "INSERT INTO skillhub_events (originator_id, originator_version, topic, state)"
                " VALUES (gen_random_uuid(), 1, %(topic)s, %(state)s) RETURNING notification_id", row,
            ).fetchone()["notification_id"]


def test_each_kind_of_tampering_is_caught_and_named(fresh_infra):
    infra = fresh_infra
    seed_people(infra, 3)
    gap = _leave_a_gap(infra)
    seed_people(infra, 3)
    keeper = ChainKeeper(infra)
    assert keeper.round() >= 1
    head = log_head(infra.pool)
    clean = verify(infra.pool)
    assert clean.intact and clean.last_position == head and clean.events_checked == 24

    victim = head - 5
    with psycopg.connect(infra.database_url, autocommit=True, row_factory=dict_row) as conn:  # seen at once
        original = _row(conn, victim)
        conn.execute("UPDATE skillhub_events SET state = state || '\\x00'::bytea WHERE notification_id = %s", (victim,))
        assert verify(infra.pool).problem == f"event {victim} changed"
        conn.execute("UPDATE skillhub_events SET originator_version = originator_version + 100"
                     " WHERE notification_id = %s", (victim,))
        conn.execute("DELETE FROM skillhub_events WHERE notification_id = %s", (victim,))
        assert verify(infra.pool).problem == f"event {victim} deleted"
        _insert(conn, original)
        assert verify(infra.pool).intact  # put back exactly as it was

        _insert(conn, {**original, "notification_id": gap, "originator_version": 9999})
        verdict = verify(infra.pool)
        assert verdict.problem == f"event {gap} inserted" and verdict.position == gap
        conn.execute("DELETE FROM skillhub_events WHERE notification_id = %s", (gap,))

        assert verify(infra.pool, expect_hash=clean.chain_hash).intact
        assert "rewritten" in verify(infra.pool, expect_hash="ab" * 32).problem
        conn.execute("UPDATE audit_chain_checkpoints SET chain_hash = sha256(chain_hash) WHERE checkpoint = 1")
        assert verify(infra.pool).problem == "checkpoint 1 does not chain"


def test_erasure_leaves_the_chain_intact(fresh_infra):
    infra = fresh_infra
    alice, _ = seed_people(infra, 2)
    keeper = ChainKeeper(infra)
    keeper.round()
    execute(erase_person, ErasePerson(user_id=alice.id), SYSTEM, deps_for(infra))
    keeper.round()
    verdict = verify(infra.pool)
    assert verdict.intact and verdict.last_position == log_head(infra.pool) and verdict.not_yet_checkpointed == 0


def test_the_keeper_follows_the_log_and_publishes_the_head(fresh_infra, kafka_broker, tmp_path):
    infra = fresh_infra
    infra.settings = settings_for(tmp_path, kafka_bootstrap_servers=kafka_broker.bootstrap,
                                  audit_chain_interval_seconds=0.1)
    workers = Workers()
    WORKERS["audit-chain"](infra, workers)
    try:
        seed_people(infra, 5)
        head = log_head(infra.pool)
        deadline = time.monotonic() + 20
        while (cp := latest_checkpoint(infra.pool)) is None or cp.last_position < head:
            assert time.monotonic() < deadline, "the keeper did not reach the log's head"
            time.sleep(0.1)
        consumer = KafkaConsumer(TOPIC, bootstrap_servers=kafka_broker.bootstrap, auto_offset_reset="earliest",
                                 consumer_timeout_ms=10_000)
        published = []
        for message in consumer:
            published.append(json.loads(message.value))
            if published[-1]["checkpoint"] >= cp.checkpoint:
                break
        consumer.close()
        assert published[-1] == {**cp.as_dict(), "created_at": published[-1]["created_at"]}
        assert [p["checkpoint"] for p in published] == list(range(1, cp.checkpoint + 1))
    finally:
        workers.shutdown()
    ran = skillhub(infra, tmp_path, "audit", "verify", "--expect-hash", published[-1]["chain_hash"])
    assert ran.returncode == 0 and "intact" in ran.stdout, ran.stderr
    with psycopg.connect(infra.database_url, autocommit=True) as conn:
        conn.execute("DELETE FROM skillhub_events WHERE notification_id = %s", (head - 1,))
    ran = skillhub(infra, tmp_path, "audit", "verify")
    assert ran.returncode == 1 and f"TAMPERED: event {head - 1} deleted" in ran.stderr
