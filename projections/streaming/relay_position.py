"""Where the Kafka relay (workers/streaming/relay.py) stands in the log: its position table `kafka_relay`
(the last position the broker acknowledged, and the ids of the topics it published to) and its
status for operators (`skillhub projections status`, /readyz), like a projection's tracking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from projections.engine.tracking import advisory_lock_held, log_head

LOCK_KEY = "skillhub:active:kafka-relay"  # held by the one active relay
DDL = """CREATE TABLE IF NOT EXISTS kafka_relay (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    position bigint NOT NULL DEFAULT 0,
    topic_ids jsonb NOT NULL DEFAULT '{}')"""


@dataclass(frozen=True)
class RelayStatus:
    position: int
    head: int
    lag: int
    active_relay: bool


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute(DDL)
        conn.execute("INSERT INTO kafka_relay DEFAULT VALUES ON CONFLICT DO NOTHING")


def relay_state(pool: ConnectionPool) -> tuple[int, dict[str, Any]]:
    with pool.connection() as conn:
        row = conn.execute("SELECT position, topic_ids FROM kafka_relay").fetchone()
    return row["position"], row["topic_ids"]


def save_state(pool: ConnectionPool, position: int, topic_ids: dict[str, Any] | None = None) -> None:
    with pool.connection() as conn:
        if topic_ids is None:
            conn.execute("UPDATE kafka_relay SET position = %s", (position,))
        else:
            conn.execute("UPDATE kafka_relay SET position = %s, topic_ids = %s", (position, Jsonb(topic_ids)))


def relay_status(pool: ConnectionPool) -> RelayStatus:
    head = log_head(pool)
    position, _ = relay_state(pool)
    active = advisory_lock_held(pool, LOCK_KEY)
    return RelayStatus(position, head, max(head - position, 0), active)
