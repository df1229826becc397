"""The event history as auditors and people see it: decoded, filtered, paginated.

Reads the log itself, not a read model. Secret fields (hashes, tokens) are never shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.event_store import EVENTS_TABLE, EventStore
from domain.errors import InvalidInput
from domain.utc import as_utc
from projections.pagination import Kind, decode_cursor, encode_cursor

REDACTED = "[redacted]"
_SCAN = 1000


@dataclass(frozen=True)
class HistoryFilter:
    aggregate_id: UUID | None = None
    person_id: UUID | None = None
    event_type: str | None = None  # "User.Registered" or a full topic
    since: datetime | None = None  # without an offset: UTC
    until: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "since", as_utc(self.since))
        object.__setattr__(self, "until", as_utc(self.until))
        if self.since and self.until and self.since >= self.until:
            raise InvalidInput("since must be earlier than until", fields={"until": "not after since"})

    def matches(self, event: Any) -> bool:
        if self.since and event.timestamp < self.since:
            return False
        if self.until and event.timestamp >= self.until:
            return False
        if self.person_id and self.person_id not in _people_of(event):
            return False
        return True


def _people_of(event: Any) -> set[UUID]:
    cls = type(event)
    people = {event.originator_id, getattr(event, "actor_id", None)}
    people.add(getattr(event, getattr(cls, "personal_subject", "originator_id"), None))
    return {p for p in people if p is not None}


def as_record(event: Any, position: int, topic: str) -> dict[str, Any]:
    secrets = set(getattr(type(event), "secret_fields", ()))
    meta = {"originator_id", "originator_version", "timestamp", "actor_id", "command_id", "originator_topic"}
    data = {k: (REDACTED if k in secrets else v) for k, v in vars(event).items() if k not in meta}
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


def _candidates(pool: ConnectionPool, f: HistoryFilter, after: int) -> list[dict[str, Any]]:
    where, params = [sql.SQL("notification_id > %s")], [after]
    if f.aggregate_id:
        where.append(sql.SQL("originator_id = %s"))
        params.append(f.aggregate_id)
    if f.person_id:
        # The transcoder writes UUIDs as hex: a cheap byte search narrows the scan.
        where.append(sql.SQL("(originator_id = %s OR position(%s::bytea IN state) > 0)"))
        params += [f.person_id, f.person_id.hex.encode()]
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
    pool: ConnectionPool, store: EventStore, f: HistoryFilter, after: int = 0
) -> Iterator[dict[str, Any]]:
    while True:
        rows = _candidates(pool, f, after)
        for row, event in zip(rows, store.decode_many(rows), strict=True):
            if f.matches(event):
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
