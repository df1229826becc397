"""The relay under failure, while events keep coming: the broker dies and comes back empty,
the relay process is SIGKILLed and restarted. A consumer must end up with every event, in
order per aggregate, duplicates only where the CloudEvents id lets it drop them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from uuid import uuid4

from adapters.infrastructure import Infrastructure
from domain.event_conventions import Cause, caused_by
from domain.identity import User
from projections.engine.tracking import log_head
from tests.integration.conftest import seed_people
from tests.streaming import (
    log_positions,
    read_topics,
    start_relay,
    wait_for_relay,
    with_kafka,
)
from workers.streaming.relay import relay_state

ROOT = Path(__file__).resolve().parents[2]
IDENTITY = "skillhub.identity.v1"


class Writer(threading.Thread):
    """Keeps recording profile updates of a few people, one transaction each."""

    def __init__(self, infra: Infrastructure, people: int = 8, rounds: int = 40) -> None:
        super().__init__(daemon=True)
        self.infra, self.people, self.rounds = infra, people, rounds

    def run(self) -> None:
        with caused_by(Cause(None, uuid4())):
            users = [User.register(uuid4(), f"w{i}-{uuid4().hex[:6]}@stream.example.com", f"W {i}", "h")
                     for i in range(self.people)]
            self.infra.store.record(*users)
            for n in range(self.rounds):
                for user in users:
                    user.update_profile(f"W {n}", f"round {n}")
                    self.infra.store.record(user)
                time.sleep(0.02)


def assert_complete_stream(messages: list[dict], positions: set[int]) -> None:
    """Every position once or more; copies identical; per aggregate versions 1..n in order."""
    first: dict[str, dict] = {}
    versions: dict[str, list[int]] = {}
    for m in messages:
        event = m["event"]
        if event["id"] in first:
            assert first[event["id"]] == event, "a duplicate id must be the same event"
            continue
        first[event["id"]] = event
        versions.setdefault(event["subject"], []).append(event["aggregateversion"])
    assert sorted(e["position"] for e in first.values()) == sorted(positions)
    for subject, seen in versions.items():
        assert seen == list(range(1, len(seen) + 1)), f"{subject} out of order: {seen}"


def test_broker_dies_and_comes_back_empty(fresh_infra, kafka_broker):
    infra = with_kafka(fresh_infra, kafka_broker, kafka_topic_partitions=2, kafka_relay_batch_size=50)
    relay, workers = start_relay(infra)
    writer = Writer(infra)
    try:
        writer.start()
        wait_for_relay(infra, 60)
        before = read_topics(kafka_broker.bootstrap, [IDENTITY], log_positions(infra.pool, relay_state(infra.pool)[0]))
        kafka_broker.kill()
        time.sleep(0.3)
        stalled = relay_state(infra.pool)[0]
        time.sleep(1.0)
        assert relay_state(infra.pool)[0] == stalled, "nothing may count as published without the broker"
        assert log_head(infra.pool) > stalled
        kafka_broker.start()  # same port, memory storage: no topics, no messages
        writer.join(30)
        head = log_head(infra.pool)
        wait_for_relay(infra, head, timeout=40)
        positions = log_positions(infra.pool, head)
        after = read_topics(kafka_broker.bootstrap, [IDENTITY], positions)
    finally:
        workers.shutdown()
    # The new broker got the whole history again (the relay re-publishes after a data loss)...
    assert_complete_stream(after, positions)
    # ...and a consumer that read the old broker first sees a consistent stream too.
    assert_complete_stream(before + after, positions)
    assert len(before) >= 60


def test_broker_replaced_while_the_relay_is_idle(fresh_infra, kafka_broker):
    """The producer reconnects on its own and the new broker acknowledges: acknowledged by a
    broker without our topics still means the history there is incomplete."""
    infra = with_kafka(fresh_infra, kafka_broker)
    seed_people(infra, 2)
    relay, workers = start_relay(infra)
    try:
        wait_for_relay(infra, log_head(infra.pool))
        kafka_broker.kill()
        kafka_broker.start()
        seed_people(infra, 1)
        head = log_head(infra.pool)
        wait_for_relay(infra, head)
        positions = log_positions(infra.pool, head)
        messages = read_topics(kafka_broker.bootstrap, [IDENTITY], positions, timeout=5)
    finally:
        workers.shutdown()
    assert_complete_stream(messages, positions)


def relay_process(infra: Infrastructure, bootstrap: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ, "DATABASE_URL": infra.database_url, "SKILLHUB_DATA_DIR": str(tmp_path),
        "SKILLHUB_SECRET_KEY": infra.settings.resolved_secret_key(), "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "SKILLHUB_KAFKA_RELAY_BATCH_SIZE": "20", "SKILLHUB_KAFKA_ACK_TIMEOUT_SECONDS": "2",
        "SKILLHUB_LOG_LEVEL": "WARNING",
    }
    with (tmp_path / "relay.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "workers.cli", "worker", "relay"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def test_relay_killed_mid_stream_resumes_from_its_position(fresh_infra, kafka_broker, tmp_path):
    writer = Writer(fresh_infra)
    writer.start()
    first = relay_process(fresh_infra, kafka_broker.bootstrap, tmp_path)
    second = None
    try:
        wait_for_relay(fresh_infra, 60)
        first.send_signal(signal.SIGKILL)
        assert first.wait(5) == -signal.SIGKILL
        killed_at = relay_state(fresh_infra.pool)[0]
        time.sleep(0.3)
        assert relay_state(fresh_infra.pool)[0] == killed_at  # nobody publishes meanwhile
        second = relay_process(fresh_infra, kafka_broker.bootstrap, tmp_path)
        writer.join(30)
        head = log_head(fresh_infra.pool)
        wait_for_relay(fresh_infra, head, timeout=30)
        positions = log_positions(fresh_infra.pool, head)
        messages = read_topics(kafka_broker.bootstrap, [IDENTITY], positions)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(10)
    assert killed_at < head
    assert_complete_stream(messages, positions)
