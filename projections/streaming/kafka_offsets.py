"""Where a Kafka-fed read model resumes on each partition (workers/streaming/kafka_feed.py).

Saved in the transaction that applies the events, so the offsets always match the read model:
after a crash the feed re-reads from them, and drops what its position says it applied. An
offset is kept with the id of the topic it was read from: a re-created topic is read again from
its beginning.
"""

from __future__ import annotations

import psycopg
from psycopg_pool import ConnectionPool

from projections.engine.engine import Projection

DDL = """CREATE TABLE IF NOT EXISTS public.kafka_feed_offsets (
    projection text NOT NULL, topic text NOT NULL, partition int NOT NULL, topic_id text NOT NULL,
    next_offset bigint NOT NULL, PRIMARY KEY (projection, topic, partition))"""

Key = tuple[str, int, str]  # topic, partition, topic id


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute(DDL)


def stored(pool: ConnectionPool, projection: Projection) -> dict[Key, int]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT topic, partition, topic_id, next_offset FROM public.kafka_feed_offsets"
                            " WHERE projection = %s", (projection.name,)).fetchall()
    return {(r["topic"], r["partition"], r["topic_id"]): r["next_offset"] for r in rows}


def save(cur: psycopg.Cursor, projection: Projection, offsets: dict[Key, int]) -> None:
    cur.executemany(
        "INSERT INTO public.kafka_feed_offsets VALUES (%s, %s, %s, %s, %s) ON CONFLICT (projection, topic, partition)"
        " DO UPDATE SET topic_id = EXCLUDED.topic_id, next_offset = EXCLUDED.next_offset",
        [(projection.name, topic, partition, topic_id, offset) for (topic, partition, topic_id), offset in offsets.items()],
    )
