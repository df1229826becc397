"""Kafka relay: follows the event log and publishes every event as a CloudEvent.

At least once, in log order: the relay's position (table kafka_relay) advances only after
the broker acknowledged every event up to it, so a broker outage or a killed relay loses
nothing and only re-sends events consumers can drop by their CloudEvents id. One relay is
active at a time (a PostgreSQL advisory lock); others wait as hot standbys.

The relay remembers the id of every topic it publishes to. A topic that vanished or was
re-created (a broker that lost its storage, an operator's delete) holds only part of the
history, so the relay deletes such a replacement, re-creates the topic and publishes the
whole log again from position 0. See docs/streaming.md. Its position table and status are
projections/streaming/relay_position.py.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import KafkaError

from adapters.events.cloudevents import SealedLog, to_json, topic_for, topic_of
from adapters.infrastructure import Infrastructure
from adapters.outside import kafka
from domain.contexts import contexts_with_events
from projections.engine.log_reader import LogReader, Subscription, reader_of_its_own
from projections.streaming.relay_position import LOCK_KEY, relay_state, save_state

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)

HEADERS = [("content-type", b"application/cloudevents+json; charset=utf-8")]


class TopicsLost(KafkaError):
    """The broker no longer has the topics the relay published to."""


class Relay:
    def __init__(self, infra: Infrastructure, reader: LogReader | None = None) -> None:
        self.settings, self.pool, self.database_url = infra.settings, infra.pool, infra.database_url
        self.store, self.reader = infra.store, reader  # no reader: one of its own (tests)
        self.sealed = SealedLog(infra.pool, infra.store)
        self.topics = [topic_for(context) for context in contexts_with_events()]
        self.position, self.topic_ids = 0, {}
        self.active = threading.Event()

    def run(self, stop: threading.Event) -> None:
        """Woken by the process's log reader; it reads the sealed rows itself, as they go on the wire."""
        with reader_of_its_own(self.reader, self.database_url, self.pool, self.store, stop, "kafka-relay") as reader:
            subscription = reader.subscribe("kafka relay", None, LOCK_KEY)
            try:
                while not stop.is_set():
                    if not subscription.active.wait(0.5):
                        self.active.clear()
                        continue
                    self.active.set()
                    log.info("kafka relay: active, publishing to %s", self.settings.kafka_bootstrap_servers)
                    try:
                        self._session(subscription, stop)
                    except KafkaError as e:
                        log.warning("kafka relay: %s: %s; retrying from position %d", type(e).__name__, e, self.position)
                        stop.wait(1.0)
            finally:
                self.active.clear()
                reader.unsubscribe(subscription)

    def _session(self, subscription: Subscription, stop: threading.Event) -> None:
        """Publish with one set of clients until stopped, no longer active, or the broker fails."""
        admin = kafka.open_admin(self.settings)
        producer = None
        try:
            self._prepare_topics(admin)
            producer = kafka.open_producer(self.settings)
            while not stop.is_set() and subscription.active.is_set():
                subscription.wake.clear()
                if self._publish_batch(admin, producer) < self.settings.kafka_relay_batch_size:
                    subscription.wake.wait(1.0)  # caught up: until the log gains events
        finally:
            if producer is not None:
                kafka.abort(producer)
            admin.close()

    def _prepare_topics(self, admin: KafkaAdminClient) -> None:
        s = self.settings
        position, known = relay_state(self.pool)
        ids, lost = kafka.prepare_topics(admin, self.topics, known, s.kafka_topic_partitions, s.kafka_replication_factor)
        if lost:
            log.warning("kafka relay: the broker lost %s; publishing the whole log again", ", ".join(lost))
            position = 0
        for topic, count in kafka.partition_counts(admin, self.topics).items():
            if count != s.kafka_topic_partitions:
                log.warning("kafka relay: %s has %d partitions, not the configured %d", topic, count, s.kafka_topic_partitions)
        save_state(self.pool, position, ids)
        self.position, self.topic_ids = position, ids

    def _publish_batch(self, admin: KafkaAdminClient, producer: KafkaProducer) -> int:
        rows = self.sealed.rows_after(self.position, self.settings.kafka_relay_batch_size)
        if not rows:
            return 0
        futures = [
            producer.send(topic_of(e), key=e["subject"].encode(), value=to_json(e), headers=HEADERS)
            for e in self.sealed.envelopes(rows, after=self.position)
        ]
        kafka.wait_for_acks(producer, futures, self.settings.kafka_ack_timeout_seconds)
        # Acknowledged by a broker that replaced our topics is not acknowledged at all.
        if kafka.topic_ids(admin, self.topics) != self.topic_ids:
            raise TopicsLost("a topic was deleted or re-created while publishing")
        self.position = rows[-1]["notification_id"]
        save_state(self.pool, self.position)
        return len(rows)


def start(infra: Infrastructure, workers: Workers) -> None:
    """The `relay` worker; off unless KAFKA_BOOTSTRAP_SERVERS is set."""
    if not infra.settings.kafka_bootstrap_servers:
        log.info("kafka relay: off (KAFKA_BOOTSTRAP_SERVERS is not set)")
        return
    workers.spawn("kafka-relay", Relay(infra, workers.log_reader(infra)).run)
