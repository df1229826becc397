"""Kafka clients for the relay: an ordered, acknowledged producer and topic administration."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from kafka import KafkaAdminClient, KafkaProducer, TopicPartition
from kafka.admin import OffsetSpec
from kafka.errors import KafkaError, KafkaTimeoutError, TopicAlreadyExistsError
from kafka.producer.future import FutureRecordMetadata

from adapters.settings import Settings


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


def open_producer(settings: Settings) -> KafkaProducer:
    timeout = settings.kafka_ack_timeout_seconds
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id="skillhub-relay",
        acks="all",
        # One request in flight per connection and unlimited retries keep each partition in
        # send order; the relay aborts (see abort) before the library would give up on a batch.
        max_in_flight_requests_per_connection=1,
        enable_idempotence=False,
        request_timeout_ms=_ms(min(timeout, 30)),
        delivery_timeout_ms=_ms(timeout * 3),
        max_block_ms=_ms(timeout),
        linger_ms=5,
        batch_size=256 * 1024,
    )


def open_admin(settings: Settings) -> KafkaAdminClient:
    timeout = _ms(settings.kafka_ack_timeout_seconds)
    return KafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers, client_id="skillhub-relay-admin",
        request_timeout_ms=timeout, bootstrap_timeout_ms=timeout,
    )


def wait_for_acks(producer: KafkaProducer, futures: Sequence[FutureRecordMetadata], timeout: float) -> None:
    """Return once the broker acknowledged every record; raise on the first failure or timeout."""
    deadline = time.monotonic() + timeout
    producer.flush(timeout)
    for future in futures:
        future.get(timeout=max(deadline - time.monotonic(), 0.001))


def abort(producer: KafkaProducer) -> None:
    """Drop unacknowledged records so they can never reach a broker after we gave up on them.

    kafka-python's close(timeout=0) flushes first and raises while records are pending, which
    leaves its sender thread retrying them, possibly into a restarted, empty broker.
    """
    producer._sender.force_close()  # noqa: SLF001 - the only way to abort pending records
    producer._sender.join(5)  # noqa: SLF001
    try:
        producer.close(timeout=0)
    except KafkaTimeoutError:
        pass


def topic_ids(admin: KafkaAdminClient, topics: Iterable[str]) -> dict[str, str | None]:
    """Each topic's id, or None where the broker has no such topic."""
    described = admin.describe_topics(list(topics))
    return {t["name"]: (t["topic_id"] if t["error_code"] == 0 else None) for t in described}


def partition_counts(admin: KafkaAdminClient, topics: Iterable[str]) -> dict[str, int]:
    return {t["name"]: len(t["partitions"]) for t in admin.describe_topics(list(topics)) if t["error_code"] == 0}


def _non_empty(admin: KafkaAdminClient, topics: Sequence[str]) -> list[str]:
    specs = {
        TopicPartition(t["name"], p["partition_index"]): OffsetSpec.LATEST
        for t in admin.describe_topics(list(topics)) if t["error_code"] == 0 for p in t["partitions"]
    }
    ends = admin.list_partition_offsets(specs) if specs else {}
    return sorted({tp.topic for tp, end in ends.items() if end.offset > 0})


def _create(admin: KafkaAdminClient, topics: Sequence[str], partitions: int, replication: int) -> None:
    try:
        admin.create_topics({t: {"num_partitions": partitions, "replication_factor": replication} for t in topics},
                            wait_for_metadata=True)
    except TopicAlreadyExistsError:
        pass  # another relay or an operator made it first


def prepare_topics(
    admin: KafkaAdminClient, topics: Sequence[str], known: dict[str, str], partitions: int, replication: int
) -> tuple[dict[str, str], list[str]]:
    """Make every topic exist; returns their ids and the topics the broker lost.

    A topic in `known` that is missing or has another id was lost: its replacement (made by
    some client's metadata request, or by an operator) holds at most a fragment of the
    history, so it is deleted and created afresh. A topic created here must start empty:
    Tansu acknowledges writes to a topic that does not exist and shows them once it is
    created, so a new topic that is not empty is deleted and created once more.
    """
    current = topic_ids(admin, topics)
    lost = [t for t in topics if t in known and current.get(t) != known[t]]
    if replaced := [t for t in lost if current.get(t)]:
        admin.delete_topics(replaced)
    missing = [t for t in topics if t in lost or current.get(t) is None]
    if missing:
        _create(admin, missing, partitions, replication)
        if dirty := _non_empty(admin, missing):
            admin.delete_topics(dirty)
            _create(admin, dirty, partitions, replication)
            if still := _non_empty(admin, dirty):
                raise KafkaError(f"new topics are not empty: {', '.join(still)}")
    ids = topic_ids(admin, topics)
    if absent := [t for t, i in ids.items() if i is None]:
        raise KafkaError(f"could not create {', '.join(absent)}")
    return ids, lost
