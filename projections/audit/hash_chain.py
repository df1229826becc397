"""A hash chain over the event log, so a change made to the stored history behind SkillHub's
back (an edited, deleted or inserted row) is caught and named.

Each event's digest is sha256 over its stored row (position, aggregate id, version, topic, the
encrypted state), computed by PostgreSQL. A checkpoint covers the events since the previous
one: it keeps their positions and digests, and its chain hash is
sha256(previous chain hash || last position || sha256(the digests)). The latest chain hash is
published (/readyz, Kafka) so a copy outside the database can vouch for the whole chain.
Erasure shreds keys, never rows, so it leaves every digest as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE

LOCK_KEY = "skillhub:active:audit-chain"  # held by the one active chain keeper
GENESIS = bytes(32)
DDL = """CREATE TABLE IF NOT EXISTS audit_chain_checkpoints (
    checkpoint bigint PRIMARY KEY,
    last_position bigint NOT NULL,
    positions bigint[] NOT NULL,
    digests bytea NOT NULL,
    chain_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    published boolean NOT NULL DEFAULT false)"""

_DIGESTS = sql.SQL(
    "SELECT notification_id AS position, sha256(int8send(notification_id) || uuid_send(originator_id)"
    " || int8send(originator_version) || int4send(octet_length(topic)) || convert_to(topic, 'UTF8')"
    " || state) AS digest FROM public.{table} WHERE notification_id > %s AND notification_id <= %s"
    " ORDER BY notification_id"
).format(table=sql.Identifier(EVENTS_TABLE))


@dataclass(frozen=True)
class Checkpoint:
    checkpoint: int
    last_position: int
    chain_hash: str  # hex

    def as_dict(self) -> dict[str, Any]:
        return {"checkpoint": self.checkpoint, "last_position": self.last_position, "chain_hash": self.chain_hash}


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute(DDL)


def chain_hash(previous: bytes, last_position: int, digests: bytes) -> bytes:
    return hashlib.sha256(previous + last_position.to_bytes(8, "big") + hashlib.sha256(digests).digest()).digest()


def latest(conn: psycopg.Connection) -> Checkpoint | None:
    row = conn.execute("SELECT checkpoint, last_position, chain_hash FROM audit_chain_checkpoints"
                       " ORDER BY checkpoint DESC LIMIT 1").fetchone()
    return None if row is None else Checkpoint(row["checkpoint"], row["last_position"], row["chain_hash"].hex())


def latest_checkpoint(pool: ConnectionPool) -> Checkpoint | None:
    with pool.connection() as conn:
        return latest(conn)


def digests_between(conn: psycopg.Connection, after: int, upto: int) -> list[tuple[int, bytes]]:
    return [(r["position"], bytes(r["digest"])) for r in conn.execute(_DIGESTS, (after, upto))]


def extend(conn: psycopg.Connection, limit: int) -> Checkpoint | None:
    """Writes the next checkpoint over up to `limit` events past the last one; None: nothing new."""
    last = latest(conn)
    number, after, previous = (last.checkpoint, last.last_position, bytes.fromhex(last.chain_hash)) if last \
        else (0, 0, GENESIS)
    upto = conn.execute(sql.SQL("SELECT max(notification_id) AS upto FROM (SELECT notification_id FROM public.{}"
                                " WHERE notification_id > %s ORDER BY notification_id LIMIT %s) s")
                        .format(sql.Identifier(EVENTS_TABLE)), (after, limit)).fetchone()["upto"]
    if upto is None:
        return None
    rows = digests_between(conn, after, upto)
    digests = b"".join(d for _, d in rows)
    new_hash = chain_hash(previous, upto, digests)
    conn.execute("INSERT INTO audit_chain_checkpoints (checkpoint, last_position, positions, digests, chain_hash)"
                 " VALUES (%s, %s, %s, %s, %s)", (number + 1, upto, [p for p, _ in rows], digests, new_hash))
    return Checkpoint(number + 1, upto, new_hash.hex())
