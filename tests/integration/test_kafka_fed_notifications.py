"""SKILLHUB_NOTIFY_SOURCE=kafka: who is told what is decided from the relay's topics on a real
broker, in the log's order across contexts, exactly once across restarts and re-reads."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adapters.infrastructure import Infrastructure, open_infrastructure
from api.app import create_app
from commands.identity.roles import ChangeRole, grant_role
from commands.pipeline import SYSTEM, execute
from domain.identity import Role
from projections.engine.tracking import log_head, position_of, status
from projections.notification.decisions import notification
from tests.conftest import settings_for
from workers.runtime import start_workers
from workers.startup import prepare
from workers.streaming.kafka_feed import KafkaFedRunner

API = "/api/v1"
PASSWORD = "correct horse battery"


@pytest.fixture
def kafka_infra(make_database, tmp_path, kafka_broker) -> Iterator[Infrastructure]:
    settings = settings_for(tmp_path, kafka_bootstrap_servers=kafka_broker.bootstrap, kafka_ack_timeout_seconds=2.0,
                            notify_source="kafka")
    infra = open_infrastructure(settings, make_database())
    prepare(infra)
    yield infra
    infra.close()


def _ok(r: Any, status: int = 200) -> dict:
    assert r.status_code == status, r.text
    return r.json()


def _person(client: TestClient, app: Any, *roles: Role) -> dict[str, Any]:
    email = f"p-{uuid.uuid4().hex[:10]}@school.example.com"
    made = _ok(client.post(f"{API}/users", json={"email": email, "password": PASSWORD, "display_name": "P"}), 201)
    for role in roles:
        execute(grant_role, ChangeRole(user_id=made["user_id"], role=role), SYSTEM, app.state.deps)
    tokens = _ok(client.post(f"{API}/sessions", json={"email": email, "password": PASSWORD}), 201)
    return {"user_id": made["user_id"], "headers": {"Authorization": f"Bearer {tokens['access_token']}"}}


def _caught_up(infra: Infrastructure, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while position_of(infra.pool, notification) < log_head(infra.pool):
        assert time.monotonic() < deadline, f"the feed is at {position_of(infra.pool, notification)}, the log at {log_head(infra.pool)}"
        time.sleep(0.1)


def _lesson_titles(client: TestClient, person: dict[str, Any]) -> list[str]:
    items = _ok(client.get(f"{API}/notifications", headers=person["headers"], params={"limit": 200}))["items"]
    return sorted(i["title"] for i in items if i["type"] == "lesson_published")


def _publish(client: TestClient, teacher: dict[str, Any], class_id: str, title: str) -> None:
    lesson = _ok(client.post(f"{API}/classes/{class_id}/lessons", headers=teacher["headers"],
                             json={"title": title, "body": "Some text"}), 201)
    _ok(client.post(f"{API}/classes/{class_id}/lessons/{lesson['lesson_id']}/publication", headers=teacher["headers"]))


def test_notifications_fed_from_kafka_follow_the_log_order_exactly_once(kafka_infra):
    infra = kafka_infra
    workers = start_workers(infra, ["projections", "relay"])
    app = create_app(infra)
    try:
        [feed] = [r for r in workers.runners if isinstance(r, KafkaFedRunner)]
        assert feed.active.wait(20) and notification not in [r.projection for r in workers.runners if r is not feed]
        with TestClient(app) as client:
            teacher = _person(client, app, Role.TEACHER)
            students = [_person(client, app) for _ in range(3)]
            opened = _ok(client.post(f"{API}/classes", headers=teacher["headers"], json={"name": "Algebra"}), 201)
            # Joins (classroom topic) right before the lesson (same topic, other partitions) and
            # the people (identity topic): told only because the feed applies them in log order.
            for student in students:
                _ok(client.post(f"{API}/classes/join", headers=student["headers"], json={"code": opened["join_code"]}))
            _publish(client, teacher, opened["class_id"], "Linear equations")
            _caught_up(infra)
            for student in students:
                assert _lesson_titles(client, student) == ["New lesson in Algebra: Linear equations"]
            assert _lesson_titles(client, teacher) == []  # their own action
            assert [s.active_runner for s in status(infra.pool, [notification])] == [True]

            # Stopped: events go on being logged; restarted, the relay and the feed catch up.
            workers.shutdown()
            _publish(client, teacher, opened["class_id"], "Quadratics")
            workers = start_workers(infra, ["projections", "relay"])
            _caught_up(infra)
            expected = ["New lesson in Algebra: Linear equations", "New lesson in Algebra: Quadratics"]
            for student in students:
                assert _lesson_titles(client, student) == expected

            # Offsets lost: the whole topics are read again, and everything applied is dropped.
            workers.shutdown()
            with infra.pool.connection() as conn:
                assert conn.execute("DELETE FROM kafka_feed_offsets").rowcount > 0
            _publish(client, teacher, opened["class_id"], "Graphs")
            workers = start_workers(infra, ["projections", "relay"])
            _caught_up(infra)
            for student in students:
                assert _lesson_titles(client, student) == sorted([*expected, "New lesson in Algebra: Graphs"])
    finally:
        workers.shutdown()


def test_the_feed_rides_out_a_broker_that_comes_back_empty(kafka_infra, kafka_broker):
    infra = kafka_infra
    workers = start_workers(infra, ["projections", "relay"])
    app = create_app(infra)
    try:
        with TestClient(app) as client:
            teacher, student = _person(client, app, Role.TEACHER), _person(client, app)
            opened = _ok(client.post(f"{API}/classes", headers=teacher["headers"], json={"name": "Algebra"}), 201)
            _ok(client.post(f"{API}/classes/join", headers=student["headers"], json={"code": opened["join_code"]}))
            _publish(client, teacher, opened["class_id"], "Before")
            _caught_up(infra)
            kafka_broker.kill()
            _publish(client, teacher, opened["class_id"], "During")  # logged; nowhere to publish it
            time.sleep(1.0)
            assert position_of(infra.pool, notification) < log_head(infra.pool)
            kafka_broker.start()  # memory storage: no topics; the relay publishes the whole log again
            _publish(client, teacher, opened["class_id"], "After")
            _caught_up(infra, timeout=90)
            assert _lesson_titles(client, student) == [
                "New lesson in Algebra: After", "New lesson in Algebra: Before", "New lesson in Algebra: During"]
    finally:
        workers.shutdown()
