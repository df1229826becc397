"""CloudEvents from Kafka back into domain events, for a read model fed from the topics.

The data of an envelope has the event's own fields with personal ones sealed, so each is
parsed by its type hint (a pydantic model per class, as the JSON Schemas are made) and the
personal ones are then decrypted with the person's key, like the store's mapper does.

Two kinds of event cannot be rebuilt exactly from the wire, and are read from the log by their
position instead: those with secret fields (never published: reset codes, push keys), and
those with a field typed `Any` (JSON has lost which strings were UUIDs or times inside it).
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, ConfigDict, create_model

from adapters.events.cloudevents import data_fields
from adapters.events.event_store import EVENTS_TABLE, EventStore
from domain.contexts import event_classes, event_type

_ROWS_SQL = (f"SELECT notification_id, originator_id, originator_version, topic, state FROM public.{EVENTS_TABLE}"
             " WHERE notification_id = ANY(%s) ORDER BY notification_id")


class UnknownEventType(LookupError):
    pass


@cache
def _classes() -> dict[str, type]:
    return {event_type(cls): cls for cls in event_classes()}


def _has_any(annotation: Any) -> bool:
    return annotation is Any or any(_has_any(a) for a in typing.get_args(annotation))


@cache
def exact_on_wire(event_class: type) -> bool:
    if getattr(event_class, "secret_fields", ()):
        return False
    hints = typing.get_type_hints(event_class)
    return not any(_has_any(hints[name]) for name in data_fields(event_class))


@cache
def _data_model(event_class: type) -> type[BaseModel]:
    hints = typing.get_type_hints(event_class)
    personal = set(getattr(event_class, "personal_fields", ()))
    fields = {name: (str | None if name in personal else hints[name], ...) for name in data_fields(event_class)}
    return create_model(f"{event_class.__qualname__}Data", __config__=ConfigDict(extra="forbid"), **fields)


def _aggregate_topic(event_class: type) -> str:
    """A Created event names its aggregate class (originator_topic), which is not on the wire."""
    aggregate: Any = sys.modules[event_class.__module__]
    for part in event_class.__qualname__.split(".")[:-1]:
        aggregate = getattr(aggregate, part)
    return get_topic(aggregate)


class EnvelopeDecoder:
    def __init__(self, pool: ConnectionPool, store: EventStore) -> None:
        self.pool, self.store = pool, store

    def event_class(self, envelope: dict[str, Any]) -> type:
        cls = _classes().get(envelope["type"])
        if cls is None:
            raise UnknownEventType(f"no event type {envelope['type']!r} (position {envelope['position']})")
        return cls

    def event(self, envelope: dict[str, Any]) -> Any:
        return self.events([envelope])[0]

    def events(self, envelopes: list[dict[str, Any]]) -> list[Any]:
        """The events of the envelopes, in their order: one query for those read from the log
        and one for the keys of everyone whose data the others hold."""
        sealed = {i: self._sealed(e) for i, e in enumerate(envelopes) if exact_on_wire(self.event_class(e))}
        from_log = self._from_log([e["position"] for i, e in enumerate(envelopes) if i not in sealed])
        self.store.unseal_many(list(sealed.values()))
        return [sealed[i] if i in sealed else from_log[e["position"]] for i, e in enumerate(envelopes)]

    def _sealed(self, envelope: dict[str, Any]) -> Any:
        cls = self.event_class(envelope)
        data = _data_model(cls).model_validate(envelope["data"])
        state: dict[str, Any] = {name: getattr(data, name) for name in data_fields(cls)}
        state.update(
            originator_id=UUID(envelope["subject"]), originator_version=envelope["aggregateversion"],
            timestamp=datetime.fromisoformat(envelope["time"]),
            actor_id=UUID(envelope["actorid"]) if envelope.get("actorid") else None,
            command_id=UUID(envelope["commandid"]),
        )
        if "originator_topic" in {f.name for f in dataclasses.fields(cls)}:
            state["originator_topic"] = _aggregate_topic(cls)
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return event

    def _from_log(self, positions: list[int]) -> dict[int, Any]:
        if not positions:
            return {}
        with self.pool.connection() as conn:
            rows = conn.execute(_ROWS_SQL, (positions,)).fetchall()
        return {r["notification_id"]: e for r, e in zip(rows, self.store.decode_many(rows))}
