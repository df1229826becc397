"""The `audit-chain` worker: extends the hash chain over the event log (projections/audit/hash_chain.py)
as the log grows, at most one checkpoint per `audit_chain_interval_seconds`, and publishes each
checkpoint's chain hash to Kafka (topic `skillhub.audit.chain`) when a broker is configured, so a
copy of the chain's head lives outside the database. One keeper is active at a time (an advisory
lock); a second one's checkpoint would collide on its number and be dropped.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import TYPE_CHECKING

from kafka import KafkaProducer
from kafka.errors import KafkaError

from adapters.infrastructure import Infrastructure
from adapters.outside import kafka
from projections.audit.hash_chain import LOCK_KEY, extend
from projections.engine.log_reader import LogReader, reader_of_its_own

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)

TOPIC = "skillhub.audit.chain"


class ChainKeeper:
    def __init__(self, infra: Infrastructure, reader: LogReader | None = None) -> None:
        self.settings, self.pool, self.database_url = infra.settings, infra.pool, infra.database_url
        self.store, self.reader = infra.store, reader
        self.producer: KafkaProducer | None = None

    def run(self, stop: threading.Event) -> None:
        with reader_of_its_own(self.reader, self.database_url, self.pool, self.store, stop, "audit-chain") as reader:
            subscription = reader.subscribe("audit chain", None, LOCK_KEY)
            try:
                while not stop.is_set():
                    if not subscription.active.wait(0.5):
                        continue
                    subscription.wake.clear()
                    self.round()
                    stop.wait(self.settings.audit_chain_interval_seconds)  # coalesce: fewer, larger checkpoints
                    subscription.wake.wait(1.0)
            finally:
                reader.unsubscribe(subscription)
                if self.producer is not None:
                    self.producer.close(timeout=2)

    def round(self) -> int:
        """Checkpoints everything new, then publishes what is unpublished; returns the checkpoints made."""
        made = 0
        while True:
            with self.pool.connection() as conn, conn.transaction():
                if extend(conn, self.settings.audit_chain_batch_size) is None:
                    break
            made += 1
        if self.settings.kafka_bootstrap_servers:
            self._publish()
        return made

    def _publish(self) -> None:
        try:
            self.producer = self.producer or kafka.open_producer(self.settings)
            with self.pool.connection() as conn, conn.transaction():
                rows = conn.execute("SELECT checkpoint, last_position, chain_hash, created_at FROM audit_chain_checkpoints"
                                    " WHERE NOT published ORDER BY checkpoint FOR UPDATE").fetchall()
                futures = [self.producer.send(TOPIC, key=b"chain", value=json.dumps({
                    "checkpoint": r["checkpoint"], "last_position": r["last_position"],
                    "chain_hash": r["chain_hash"].hex(), "created_at": r["created_at"].isoformat(),
                }).encode()) for r in rows]
                kafka.wait_for_acks(self.producer, futures, self.settings.kafka_ack_timeout_seconds)
                conn.execute("UPDATE audit_chain_checkpoints SET published = true WHERE checkpoint = ANY(%s)",
                             ([r["checkpoint"] for r in rows],))
        except KafkaError as e:  # the next round tries again; the chain itself is already safe
            log.warning("audit chain: publishing to Kafka failed (%s: %s)", type(e).__name__, e)
            if self.producer is not None:
                kafka.abort(self.producer)
                self.producer = None


def start(infra: Infrastructure, workers: Workers) -> None:
    workers.spawn("audit-chain", ChainKeeper(infra, workers.log_reader(infra)).run)
