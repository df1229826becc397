"""`skillhub audit verify`: recompute the hash chain (projections/audit/hash_chain.py) from the
stored events and name the first event that was changed, deleted or inserted since it was
checkpointed, or the first checkpoint that no longer chains."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE
from projections.audit.hash_chain import GENESIS, chain_hash, digests_between


@dataclass
class Verdict:
    events_checked: int = 0
    checkpoints: int = 0
    chain_hash: str = GENESIS.hex()
    last_position: int = 0
    problem: str | None = None  # the first one found
    position: int | None = None
    not_yet_checkpointed: int = 0

    @property
    def intact(self) -> bool:
        return self.problem is None


def _first_difference(kept: list[tuple[int, bytes]], stored: list[tuple[int, bytes]]) -> tuple[str, int] | None:
    """Walks both lists in position order: the first event missing, added or altered."""
    i = j = 0
    while i < len(kept) or j < len(stored):
        if j == len(stored) or (i < len(kept) and kept[i][0] < stored[j][0]):
            return "deleted", kept[i][0]
        if i == len(kept) or stored[j][0] < kept[i][0]:
            return "inserted", stored[j][0]
        if kept[i][1] != stored[j][1]:
            return "changed", kept[i][0]
        i, j = i + 1, j + 1
    return None


def _checkpoints(conn: psycopg.Connection) -> Iterator[dict]:
    with conn.cursor(name="audit_chain_walk") as cur:  # server-side: a long chain stays out of memory
        cur.itersize = 100
        yield from cur.execute("SELECT checkpoint, last_position, positions, digests, chain_hash"
                               " FROM audit_chain_checkpoints ORDER BY checkpoint")


def verify(pool: ConnectionPool, expect_hash: str | None = None) -> Verdict:
    """expect_hash: a chain hash published earlier (/readyz, Kafka); it must be one of this chain's."""
    verdict, previous, after, expected_seen = Verdict(), GENESIS, 0, expect_hash is None
    with pool.connection() as conn, conn.transaction(), pool.connection() as events:
        for cp in _checkpoints(conn):
            digests = bytes(cp["digests"])
            kept = [(p, digests[32 * k:32 * k + 32]) for k, p in enumerate(cp["positions"])]
            recomputed = chain_hash(previous, cp["last_position"], digests)
            if cp["checkpoint"] != verdict.checkpoints + 1 or recomputed != bytes(cp["chain_hash"]):
                verdict.problem, verdict.position = f"checkpoint {cp['checkpoint']} does not chain", cp["last_position"]
                return verdict
            difference = _first_difference(kept, digests_between(events, after, cp["last_position"]))
            if difference is not None:
                verdict.problem, verdict.position = f"event {difference[1]} {difference[0]}", difference[1]
                return verdict
            expected_seen = expected_seen or recomputed.hex() == expect_hash
            verdict.events_checked += len(kept)
            verdict.checkpoints += 1
            previous, after = recomputed, cp["last_position"]
        verdict.chain_hash, verdict.last_position = previous.hex(), after
        verdict.not_yet_checkpointed = events.execute(
            sql.SQL("SELECT count(*) AS n FROM public.{} WHERE notification_id > %s").format(
                sql.Identifier(EVENTS_TABLE)), (after,)).fetchone()["n"]
    if not expected_seen:
        verdict.problem = f"no checkpoint has the published chain hash {expect_hash}: the chain was rewritten"
    return verdict
