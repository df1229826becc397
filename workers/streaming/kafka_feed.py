"""A read model fed from the Kafka topics instead of the log (SKILLHUB_NOTIFY_SOURCE=kafka for
the notification read model, which the notifier delivers from).

Order: the topics split the log by context and the partitions by aggregate, so messages arrive
in no global order. Each envelope names the position of the event before it in the log
(`previousposition`, set by the relay, which reads the log in order), so the feed applies an
event only once the one before it is applied: exactly the log's order, gaps in the positions
included, whatever the interleaving. A message that never arrives stops the feed (its lag shows
in `projections status` and /readyz) rather than being skipped.

Exactly once: the read model's writes, its tracking position and the Kafka offsets to resume
from commit in one transaction; anything at or below the position (a duplicate, or the whole
log published again after a broker lost its data) is dropped. The same advisory lock as the
log runner's makes one feeder active at a time, and a version change rebuilds from the log.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import orjson
from kafka import KafkaConsumer, TopicPartition

from adapters.events.cloudevents import topic_for
from adapters.events.envelope_events import EnvelopeDecoder
from adapters.infrastructure import Infrastructure
from adapters.outside import kafka
from domain.contexts import contexts_with_events
from projections.engine.engine import (
    Projection,
    apply_events,
    batch_transaction,
    lock_tracking,
)
from projections.engine.log_reader import LogReader, Subscription
from projections.engine.runner import ProjectionRunner
from projections.engine.tracking import position_of
from projections.streaming import kafka_offsets


@dataclass
class Waiting:
    envelope: dict[str, Any]
    partition: TopicPartition
    offset: int


class LogOrder:
    """Messages as they arrive from any partition, handed on in log order (see the module)."""

    def __init__(self, position: int) -> None:
        self.position = position  # of the last event handed on
        self.waiting: dict[int, Waiting] = {}  # by the position of the event before it
        self.read_to: dict[TopicPartition, int] = {}  # the next offset of each partition

    def add(self, envelope: dict[str, Any], partition: TopicPartition, offset: int) -> None:
        self.read_to[partition] = offset + 1
        if envelope["position"] > self.position:  # else applied already: a duplicate
            self.waiting[envelope["previousposition"]] = Waiting(envelope, partition, offset)

    def take(self, limit: int) -> list[Waiting]:
        chain: list[Waiting] = []
        while self.position in self.waiting and len(chain) < limit:
            chain.append(item := self.waiting.pop(self.position))
            self.position = item.envelope["position"]
        return chain

    def resume_offsets(self) -> dict[TopicPartition, int]:
        """Per partition, its first message still waiting, else the offset after the last read."""
        resume = dict(self.read_to)
        for w in self.waiting.values():
            resume[w.partition] = min(resume[w.partition], w.offset)
        return resume


class KafkaFedRunner(ProjectionRunner):
    def __init__(self, projection: Projection, infra: Infrastructure) -> None:
        super().__init__(projection, infra.database_url, infra.pool, infra.store, infra.settings.projection_batch_size)
        self.settings = infra.settings
        self.decoder = EnvelopeDecoder(infra.pool, infra.store)
        self.topics = [topic_for(context) for context in contexts_with_events()]

    def _follow(self, reader: LogReader, subscription: Subscription, stop: threading.Event) -> None:
        consumer = KafkaConsumer(bootstrap_servers=self.settings.kafka_bootstrap_servers,
                                 client_id=f"skillhub-{self.projection.name}", enable_auto_commit=False,
                                 auto_offset_reset="earliest", max_poll_records=self.batch_size)
        try:
            topic_ids = self._assign(consumer, stop)
            order = LogOrder(position_of(self.pool, self.projection))
            while not stop.is_set() and subscription.active.is_set():
                for tp, records in consumer.poll(timeout_ms=500).items():
                    for record in records:
                        order.add(orjson.loads(record.value), tp, record.offset)
                if chain := order.take(self.batch_size):
                    self._apply(chain, order.resume_offsets(), topic_ids)
                self._healthy()
        finally:
            consumer.close()

    def _assign(self, consumer: KafkaConsumer, stop: threading.Event) -> dict[str, str]:
        """Every partition of every topic, from the stored offsets where the topic is the one
        they were read from; a topic the relay has not made yet is waited for."""
        admin = kafka.open_admin(self.settings)
        try:
            while not stop.is_set():
                found = kafka.topic_ids(admin, self.topics)
                if all(found.get(t) for t in self.topics):
                    ids = {t: str(found[t]) for t in self.topics}
                    break
                stop.wait(1.0)
            else:
                return {}
        finally:
            admin.close()
        partitions = [TopicPartition(t, p) for t in self.topics for p in sorted(consumer.partitions_for_topic(t) or ())]
        consumer.assign(partitions)
        stored = kafka_offsets.stored(self.pool, self.projection)
        for tp in partitions:
            offset = stored.get((tp.topic, tp.partition, ids[tp.topic]))
            if offset is None:
                consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, offset)
        return ids

    def _apply(self, chain: list[Waiting], resume: dict[TopicPartition, int], topic_ids: dict[str, str]) -> None:
        handled = self.decoder.events([w.envelope for w in chain
                                       if self.decoder.event_class(w.envelope) in self.projection.handlers])
        with batch_transaction(self.pool, self.projection) as cur:
            if lock_tracking(cur, self.projection.schema) != chain[0].envelope["previousposition"]:
                raise RuntimeError("the read model moved under the feed (a rebuild?); resuming from its position")
            apply_events(cur, self.projection, handled)
            cur.execute("UPDATE tracking SET position = %s", (chain[-1].envelope["position"],))
            kafka_offsets.save(cur, self.projection, {(tp.topic, tp.partition, topic_ids[tp.topic]): o
                                                      for tp, o in resume.items()})
