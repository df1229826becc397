"""The Kafka relay against a real broker: envelopes, sealed personal data, topics, one active
relay, and its lag shown to operators."""

from __future__ import annotations

import logging
import time

from fastapi.testclient import TestClient
from kafka import KafkaAdminClient

from api.app import create_app
from projections.engine.tracking import log_head
from tests.integration.conftest import seed_people
from tests.integration.test_cli import skillhub
from tests.streaming import (
    log_positions,
    read_topics,
    start_relay,
    wait_for_relay,
    with_kafka,
)
from workers.runtime import WORKERS, Workers

IDENTITY = "skillhub.identity.v1"


def test_relay_is_off_without_kafka(infra, caplog):
    assert infra.settings.kafka_bootstrap_servers is None
    workers = Workers()
    with caplog.at_level(logging.INFO, logger="workers.streaming.relay"):
        WORKERS["relay"](infra, workers)
    assert workers.threads == []
    assert "KAFKA_BOOTSTRAP_SERVERS is not set" in caplog.text


def test_every_event_published_as_a_sealed_cloudevent(fresh_infra, kafka_broker):
    people = seed_people(fresh_infra, 3)
    infra = with_kafka(fresh_infra, kafka_broker, kafka_topic_partitions=2, kafka_relay_batch_size=5)
    relay, workers = start_relay(infra)
    try:
        head = log_head(infra.pool)
        wait_for_relay(infra, head)
        positions = log_positions(infra.pool, head)
        messages = read_topics(kafka_broker.bootstrap, [IDENTITY], positions)
    finally:
        workers.shutdown()

    admin = KafkaAdminClient(bootstrap_servers=kafka_broker.bootstrap)
    described = {t["name"]: len(t["partitions"]) for t in admin.describe_topics()}
    admin.close()
    assert described[IDENTITY] == 2  # created by the relay with the configured layout
    assert "skillhub.catalog.v1" in described

    assert sorted(m["event"]["position"] for m in messages) == sorted(positions) == list(range(1, head + 1))
    registered = next(m for m in messages if m["event"]["subject"] == str(people[0].id))
    event = registered["event"]
    assert registered["key"] == event["subject"].encode()
    assert registered["headers"]["content-type"].startswith(b"application/cloudevents+json")
    assert event["type"] == "skillhub.identity.User.Registered" and event["specversion"] == "1.0"
    assert event["id"] == f"{event['subject']}:1"
    assert event["source"] == "/skillhub/identity"
    assert event["datacontenttype"] == "application/json"
    assert event["time"].endswith("Z") and event["aggregateversion"] == 1
    assert "actorid" not in event  # seeded without an actor: no null attributes
    assert set(event["data"]) == {"email", "display_name", "roles"}  # password_hash is secret
    assert event["data"]["email"].startswith("pd1:") and event["data"]["display_name"].startswith("pd1:")
    assert event["data"]["roles"] == ["student"]
    wire = b"".join(m["key"] + m["value"] for m in messages)
    for person in people:
        assert person.email.encode() not in wire and person.display_name.encode() not in wire
    assert b"password_hash" not in wire and b"refresh_hash" not in wire

    # One aggregate's events sit in one partition, in version order.
    for person in people:
        mine = [m for m in messages if m["event"]["subject"] == str(person.id)]
        assert len({m["partition"] for m in mine}) == 1
        assert [m["event"]["aggregateversion"] for m in sorted(mine, key=lambda m: m["offset"])] == [1, 2, 3]


def test_only_one_relay_is_active_and_a_standby_takes_over(fresh_infra, kafka_broker):
    infra = with_kafka(fresh_infra, kafka_broker)
    first, first_workers = start_relay(infra)
    assert first.active.wait(5)
    second, second_workers = start_relay(infra)
    try:
        time.sleep(0.7)
        assert not second.active.is_set()
        seed_people(infra, 1)
        wait_for_relay(infra, log_head(infra.pool))
        first_workers.shutdown()
        assert second.active.wait(5)
        seed_people(infra, 1)
        head = log_head(infra.pool)
        wait_for_relay(infra, head)
        positions = log_positions(infra.pool, head)
        messages = read_topics(kafka_broker.bootstrap, [IDENTITY], positions)
        assert sorted(m["event"]["position"] for m in messages) == sorted(positions)
    finally:
        first_workers.shutdown()
        second_workers.shutdown()


def test_relay_lag_shows_in_status_and_readyz_when_the_relay_is_configured(fresh_infra, kafka_broker, tmp_path):
    seed_people(fresh_infra, 2)
    head = log_head(fresh_infra.pool)
    infra = with_kafka(fresh_infra, kafka_broker)
    with TestClient(create_app(infra)) as client:
        assert client.get("/readyz").json()["kafka_relay"] == {
            "position": 0, "head": head, "lag": head, "active_relay": False}
        relay, workers = start_relay(infra)
        try:
            assert relay.active.wait(10)
            wait_for_relay(infra, head)
            ready = client.get("/readyz")
        finally:
            workers.shutdown()
    assert ready.status_code == 200
    assert ready.json()["kafka_relay"] == {"position": head, "head": head, "lag": 0, "active_relay": True}
    with TestClient(create_app(fresh_infra)) as client:
        assert "kafka_relay" not in client.get("/readyz").json()  # no relay configured: nothing to show

    shown = skillhub(fresh_infra, tmp_path, "projections", "status", KAFKA_BOOTSTRAP_SERVERS=kafka_broker.bootstrap)
    assert shown.returncode == 0, shown.stderr
    [line] = [line for line in shown.stdout.splitlines() if line.startswith("kafka relay")]
    assert line.split()[2:] == [str(head), str(head), "0", "none"]
    plain = skillhub(fresh_infra, tmp_path, "projections", "status")
    assert "kafka relay" not in plain.stdout
