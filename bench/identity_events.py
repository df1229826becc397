"""Bulk identity history for the rebuild benchmark, built through the domain classes.

Per person: an e-mail claim, the registration, a profile update, sometimes a role grant, and
three logins (each a Session: started, rotated, mostly revoked): about 11 events. Each
person's events keep their order, but the people of a chunk are interleaved at random, as
concurrent activity would be. Rows are produced by the store's own mapper (personal fields
encrypted with a per-person key) and written as a save would write them: the same four columns
(the position comes from the table's sequence), in transactions that take the same table lock
and NOTIFY the same channel; by COPY (default, the faster) or by the store's
recorder.insert_events.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent
from psycopg import sql

from adapters.events.event_store import EVENTS_TABLE, NOTIFY_CHANNEL, EventStore
from adapters.security.passwords import hash_password
from domain.email_claims import EmailClaim, email_claim_id
from domain.event_conventions import Cause, caused_by
from domain.identity import Role, User
from domain.sessions import Session

SESSIONS_PER_PERSON = 3
# claim, registration, profile update, then per session started + rotated (+ revoked but the last)
MIN_EVENTS_PER_PERSON = 3 + 3 * SESSIONS_PER_PERSON - 1
EXPIRES = datetime.now(UTC) + timedelta(days=30)
_LOCK = sql.SQL("LOCK TABLE public.{} IN EXCLUSIVE MODE").format(sql.Identifier(EVENTS_TABLE))
_NOTIFY = sql.SQL("NOTIFY {}").format(sql.Identifier(NOTIFY_CHANNEL))
_COPY = sql.SQL(
    "COPY public.{} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
).format(sql.Identifier(EVENTS_TABLE))


@dataclass
class Loaded:
    people: int = 0
    events: int = 0
    generate_seconds: float = 0.0  # domain objects + mapper (encryption, key creation), summed over threads
    insert_seconds: float = 0.0  # COPY or recorder.insert_events, summed over threads


@contextmanager
def command(actor: UUID | None) -> Iterator[None]:
    with caused_by(Cause(actor, uuid4())):
        yield


def person_events(secret_key: str, password_hash: str, n: int, rng: random.Random) -> list[Any]:
    """One person's domain events, in the order they happened."""
    user_id, address = uuid4(), f"10.{n % 250}.{(n // 250) % 250}.{n % 7 + 1}"
    mail = f"person-{n:08d}-{user_id.hex[:6]}@bench.example.com"
    with command(None):
        user = User.register(user_id, mail, f"Person {n}", password_hash)
        claim = EmailClaim.claim(email_claim_id(mail, secret_key), user_id)
    events: list[Any] = [*claim.collect_events(), *user.collect_events()]
    with command(user_id):
        user.update_profile(f"Person {n}", f"I am person number {n} and I like learning things.")
    if rng.random() < 0.1:
        with command(UUID(int=0)):
            user.grant_role(Role.TEACHER)
    events += user.collect_events()
    for s in range(SESSIONS_PER_PERSON):
        with command(user_id):
            session = Session.start(uuid4(), user_id, f"refresh-{s}", EXPIRES, address, "Mozilla/5.0 (bench)")
        with command(user_id):
            session.rotate(f"refresh-{s}", f"refresh-{s}-2", EXPIRES, datetime.now(UTC))
        if s < SESSIONS_PER_PERSON - 1:
            with command(user_id):
                session.revoke("logout")
        events += session.collect_events()
    return events


def interleave(people: list[list[Any]], rng: random.Random) -> list[Any]:
    """Merge the people's sequences at random, keeping each sequence's own order."""
    keyed = []
    for events in people:
        keys = sorted(rng.random() for _ in events)
        keyed += zip(keys, range(len(events)), events, strict=True)
    keyed.sort(key=lambda k: k[0])
    return [e for _, _, e in keyed]


def copy_events(store: EventStore, stored: list[StoredEvent]) -> None:
    """One transaction, as the recorder's: table lock, NOTIFY, then the rows (by COPY)."""
    with store.keys.pool.connection() as conn, conn.cursor() as cur:
        cur.execute(_LOCK)
        cur.execute(_NOTIFY)
        with cur.copy(_COPY) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for e in stored:
                copy.write_row((e.originator_id, e.originator_version, e.topic, e.state))


def load_chunk(
    store: EventStore, first: int, people: int, insert_batch: int, password_hash: str, secret_key: str,
    use_recorder: bool = False,
) -> Loaded:
    rng = random.Random(first)
    t0 = time.perf_counter()
    events = interleave([person_events(secret_key, password_hash, first + i, rng) for i in range(people)], rng)
    with store.keys.batch():
        stored: list[StoredEvent] = [store.mapper.to_stored_event(e) for e in events]
    t1 = time.perf_counter()
    for i in range(0, len(stored), insert_batch):
        if use_recorder:
            store.recorder.insert_events(stored[i:i + insert_batch])
        else:
            copy_events(store, stored[i:i + insert_batch])
    return Loaded(people, len(stored), t1 - t0, time.perf_counter() - t1)


def load_history(
    store: EventStore, secret_key: str, events: int, insert_batch: int = 1000,
    chunk_people: int = 1000, threads: int = 2, progress: bool = True, use_recorder: bool = False,
) -> Loaded:
    """Write at least `events` identity events; returns what was written and how long it took."""
    password_hash = hash_password("correct horse battery staple")  # one argon2 hash, reused
    chunks = -(-events // (MIN_EVENTS_PER_PERSON * chunk_people))
    total, lock, finished = Loaded(), threading.Lock(), [0]

    def one(c: int) -> None:
        done = load_chunk(store, c * chunk_people, chunk_people, insert_batch, password_hash, secret_key, use_recorder)
        with lock:
            total.people += done.people
            total.events += done.events
            total.generate_seconds += done.generate_seconds
            total.insert_seconds += done.insert_seconds
            finished[0] += 1
            if progress and (finished[0] % 10 == 0 or finished[0] == chunks):
                print(f"  ... {total.events:,} events written", flush=True)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(chunks)))
    return total
