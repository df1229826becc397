"""Prototypes of two rebuild optimisations, measured without changing the engine: the real
`projections.rebuild.rebuild` runs with one piece swapped in for the duration.

- prefetch: decode a batch first, then fetch every key the batch needs in ONE query
  (`subject_id = ANY(...)`), instead of one pool checkout + SELECT + COMMIT per person.
- pipeline: send the batch's handler statements in psycopg pipeline mode (no round trip wait
  per statement).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import Mapper, StoredEvent
from psycopg import sql

import projections.rebuild as rebuild_module
from adapters.event_store import EventStore
from adapters.personal_data import _ERASED_KEY, PREFIX, KeyStore, decrypt_value
from domain.event_conventions import personal_subject_of
from projections.engine import _BATCH_SQL, Projection, apply_batch_in


def prefetch_keys(keys: KeyStore, subject_ids: set[UUID]) -> None:
    """Fill the batch cache with every listed person's key in one query (None when erased/absent)."""
    cache = keys._cache.get()
    assert cache is not None, "call inside keys.batch()"
    missing = [s for s in subject_ids if s not in cache]
    if not missing:
        return
    with keys.pool.connection() as conn:
        rows = conn.execute(
            "SELECT subject_id, wrapped_key FROM personal_data_keys WHERE subject_id = ANY(%s)", (missing,)
        ).fetchall()
    found = {r["subject_id"]: bytes(r["wrapped_key"]) for r in rows}
    for s in missing:
        wrapped = found.get(s)
        cache[s] = (
            None if wrapped is None or wrapped == _ERASED_KEY
            else keys._kek.decrypt(wrapped[:12], wrapped[12:], s.bytes)
        )


def _sealed(event: Any) -> list[str]:
    state = vars(event)
    return [f for f in getattr(type(event), "personal_fields", ()) if isinstance(state.get(f), str) and state[f].startswith(PREFIX)]


def decode_many_prefetched(store: EventStore, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Same result as store.decode_many, with one key query per batch."""
    keys = store.keys
    with keys.batch():
        events = [
            Mapper.to_domain_event(store.mapper, StoredEvent(
                originator_id=r["originator_id"], originator_version=r["originator_version"],
                topic=r["topic"], state=bytes(r["state"]),
            ))
            for r in rows
        ]
        sealed = [(e, fields) for e in events if (fields := _sealed(e))]
        prefetch_keys(keys, {personal_subject_of(e) for e, _ in sealed})
        for event, fields in sealed:
            subject = personal_subject_of(event)
            key = keys.key_for_reading(subject)
            state = vars(event)
            for name in fields:
                state[name] = decrypt_value(key, subject, state[name])
    return events


def apply_batch_in_pipelined(
    cur: psycopg.Cursor, store: EventStore, projection: Projection, schema: str, batch_size: int
) -> tuple[int, int, int]:
    """projections.engine.apply_batch_in with the handler statements pipelined."""
    cur.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(sql.Identifier(schema)))
    cur.execute("SELECT position FROM tracking FOR UPDATE")
    position = cur.fetchone()["position"]
    cur.execute(_BATCH_SQL, (position, projection.topics, batch_size))
    rows = cur.fetchall()
    head = (rows[0]["head"] or 0) if rows else 0
    found = [r for r in rows if r["notification_id"] is not None]
    events = store.decode_many(found)
    with cur.connection.pipeline():
        for event in events:
            projection.handlers[type(event)](cur, event)
    new_position = found[-1]["notification_id"] if len(found) == batch_size else max(head, position)
    if new_position != position:
        cur.execute("UPDATE tracking SET position = %s", (new_position,))
    return len(found), new_position, head


@contextmanager
def variant(store: EventStore, prefetch: bool, pipeline: bool) -> Iterator[None]:
    """Swap the chosen prototypes in for the duration (bench only; not thread-safe)."""
    if prefetch:
        store.decode_many = lambda rows: decode_many_prefetched(store, rows)  # type: ignore[method-assign]
    if pipeline:
        rebuild_module.apply_batch_in = apply_batch_in_pipelined  # type: ignore[assignment]
    try:
        yield
    finally:
        if prefetch:
            del store.decode_many
        rebuild_module.apply_batch_in = apply_batch_in
