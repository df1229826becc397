"""The event history as auditors and people see it: decoded, filtered, paginated.

Reads the log itself, not a read model, in batches, so memory stays flat however long the
history. Secret fields (hashes, tokens) are never shown; a person's own download shows only
their own personal fields decrypted (projections/audit/person_events.py says what is theirs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE, EventStore
from adapters.events.personal_data import sealed_fields
from domain.errors import InvalidInput
from domain.utc import as_utc
from projections.audit.person_events import PersonSelection, select_person
from projections.reading.pagination import Kind, decode_cursor, encode_cursor

REDACTED = "[redacted]"
_SCAN = 1000


@dataclass(frozen=True)
class HistoryFilter:
    aggregate_id: UUID | None = None
    person_id: UUID | None = None  # events about the person and, with person_actions, by them
    event_type: str | None = None  # "User.Registered" or a full topic
    since: datetime | None = None  # without an offset: UTC
    until: datetime | None = None
    person_actions: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "since", as_utc(self.since))
        object.__setattr__(self, "until", as_utc(self.until))
        if self.since and self.until and self.since >= self.until:
            raise InvalidInput("since must be earlier than until", fields={"until": "not after since"})

    def matches(self, event: Any, person: PersonSelection | None) -> bool:
        if self.since and event.timestamp < self.since:
            return False
        if self.until and event.timestamp >= self.until:
            return False
        return person is None or person.matches(event)


def as_record(event: Any, position: int, topic: str) -> dict[str, Any]:
    # Personal fields still sealed here are someone else's, in a person's own download.
    hidden = set(getattr(type(event), "secret_fields", ())) | set(sealed_fields(event))
    meta = {"originator_id", "originator_version", "timestamp", "actor_id", "command_id", "originator_topic"}
    data = {k: (REDACTED if k in hidden else v) for k, v in vars(event).items() if k not in meta}
    return {
        "position": position,
        "type": type(event).__qualname__,
        "topic": topic,
        "aggregate_id": event.originator_id,
        "aggregate_version": event.originator_version,
        "time": event.timestamp,
        "actor_id": getattr(event, "actor_id", None),
        "command_id": getattr(event, "command_id", None),
        "data": data,
    }


def _candidates(
    pool: ConnectionPool, f: HistoryFilter, person: PersonSelection | None, after: int
) -> list[dict[str, Any]]:
    where, params = [sql.SQL("notification_id > %s")], [after]
    if f.aggregate_id:
        where.append(sql.SQL("originator_id = %s"))
        params.append(f.aggregate_id)
    if person:
        condition, values = person.where()
        where.append(condition)
        params += values
    if f.event_type:
        where.append(sql.SQL("(topic = %s OR topic LIKE %s)"))
        params += [f.event_type, "%:" + f.event_type]
    query = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state FROM public.{} "
        "WHERE {} ORDER BY notification_id LIMIT %s"
    ).format(sql.Identifier(EVENTS_TABLE), sql.SQL(" AND ").join(where))
    with pool.connection() as conn:
        return conn.execute(query, (*params, _SCAN)).fetchall()


def iter_history(
    pool: ConnectionPool, store: EventStore, f: HistoryFilter, after: int = 0, readable_by: UUID | None = None,
) -> Iterator[dict[str, Any]]:
    """readable_by: decrypt only that person's personal fields, show everyone else's redacted."""
    person = select_person(pool, store, f.person_id, f.person_actions) if f.person_id else None
    while True:
        rows = _candidates(pool, f, person, after)
        for row, event in zip(rows, store.decode_many(rows, readable_by), strict=True):
            if f.matches(event, person):
                yield as_record(event, row["notification_id"], row["topic"])
        if len(rows) < _SCAN:
            return
        after = rows[-1]["notification_id"]


def history_page(
    pool: ConnectionPool, store: EventStore, f: HistoryFilter, cursor: str | None, limit: int
) -> dict[str, Any]:
    after = decode_cursor(cursor, Kind.WHOLE)
    items = []
    for record in iter_history(pool, store, f, after[0] if after else 0):
        items.append(record)
        if len(items) > limit:
            break
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode_cursor(items[-1]["position"]) if more else None}
