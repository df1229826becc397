"""How events leave the system (Kafka, exports): CloudEvents 1.0 JSON envelopes.

Personal fields stay sealed exactly as stored (ciphertext per person, or "[erased]"): the
log is decoded with the store's mapper but left sealed (PersonalDataMapper.to_sealed_event).
Secret fields (hashes, tokens) are left out altogether.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache
from typing import Any

import orjson
from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE, EventStore, stored_event
from domain.contexts import context_of, event_type

SPEC_VERSION = "1.0"
SOURCE_PREFIX = "/skillhub/"
# Event attributes that become envelope attributes rather than data.
ENVELOPE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "actor_id", "command_id"}
)

_ROWS_SQL = sql.SQL(
    "SELECT notification_id, originator_id, originator_version, topic, state FROM public.{} "
    "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
).format(sql.Identifier(EVENTS_TABLE))


def topic_for(context: str) -> str:
    return f"skillhub.{context}.v1"


def topic_of(envelope: dict[str, Any]) -> str:
    return topic_for(envelope["source"].removeprefix(SOURCE_PREFIX))


@cache
def data_fields(event_class: type) -> tuple[str, ...]:
    """The event's own fields as they appear in `data`: secrets left out."""
    secrets = set(getattr(event_class, "secret_fields", ()))
    return tuple(
        f.name for f in dataclasses.fields(event_class)
        if f.name not in ENVELOPE_FIELDS and f.name not in secrets
    )


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot put {type(value).__name__} on the wire")


def to_json(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_UTC_Z)


class SealedLog:
    """Reads the log and turns each stored event into its CloudEvent, personal data sealed."""

    def __init__(self, pool: ConnectionPool, store: EventStore) -> None:
        self.pool = pool
        self._mapper = store.mapper

    def rows_after(self, position: int, limit: int) -> list[dict[str, Any]]:
        with self.pool.connection() as conn:
            return conn.execute(_ROWS_SQL, (position, limit)).fetchall()

    def envelope(self, row: dict[str, Any], previous: int) -> dict[str, Any]:
        """previous: the position of the event before it in the log (0 for the first), so a
        consumer merging every topic can apply events in log order (docs/streaming.md)."""
        event = self._mapper.to_sealed_event(stored_event(row))
        cls = type(event)
        state = vars(event)
        envelope = {
            "specversion": SPEC_VERSION,
            # Stable across re-publication, so consumers can drop duplicates.
            "id": f"{event.originator_id}:{event.originator_version}",
            "type": event_type(cls),
            "source": SOURCE_PREFIX + context_of(cls),
            "subject": str(event.originator_id),
            "time": event.timestamp,
            "datacontenttype": "application/json",
            "position": row["notification_id"],
            "previousposition": previous,
            "aggregateversion": event.originator_version,
            "actorid": state.get("actor_id"),
            "commandid": state.get("command_id"),
            "data": {name: state[name] for name in data_fields(cls)},
        }
        # CloudEvents has no null attributes: an anonymous action has no actorid.
        return {k: v for k, v in envelope.items() if v is not None}

    def envelopes(self, rows: Sequence[dict[str, Any]], after: int) -> list[dict[str, Any]]:
        """The envelopes of rows read by rows_after(after, ...)."""
        previous = [after] + [r["notification_id"] for r in rows[:-1]]
        return [self.envelope(r, p) for r, p in zip(rows, previous)]
