"""Kafka clients for the relay: an ordered, acknowledged producer and topic administration."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import KafkaTimeoutError, TopicAlreadyExistsError
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


def create_topics(admin: KafkaAdminClient, topics: Iterable[str], partitions: int, replication: int) -> None:
    wanted = {t: {"num_partitions": partitions, "replication_factor": replication} for t in topics}
    if not wanted:
        return
    try:
        admin.create_topics(wanted, wait_for_metadata=True)
    except TopicAlreadyExistsError:
        pass  # another relay or an operator made it first


def delete_topics(admin: KafkaAdminClient, topics: Sequence[str]) -> None:
    if topics:
        admin.delete_topics(list(topics))
