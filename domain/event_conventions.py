"""What every SkillHub event carries: the acting user, the command id, which of its fields
are personal data (encrypted per person in the log, see adapters/events/personal_data.py), and only
text the read models can store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic, register_topic

from domain.errors import InvalidInput
from domain.storable_text import unstorable

ERASED = "[erased]"


@dataclass(frozen=True)
class Cause:
    """Who did it, and which command did it; `at` is when, for history imported from elsewhere
    (None: now, as for everything people do here)."""

    actor_id: UUID | None
    command_id: UUID
    at: datetime | None = None


_cause: ContextVar[Cause | None] = ContextVar("skillhub_cause", default=None)


@contextmanager
def caused_by(cause: Cause) -> Iterator[Cause]:
    token = _cause.set(cause)
    try:
        yield cause
    finally:
        _cause.reset(token)


@contextmanager
def happened_at(at: datetime) -> Iterator[None]:
    """Events triggered inside carry `at` as their time instead of now: only for importing a
    recorded history (workers/demo_oulad), whose read models must show when things happened."""
    with caused_by(replace(current_cause(), at=at)):
        yield


def current_cause() -> Cause:
    cause = _cause.get()
    if cause is None:
        raise RuntimeError("events can only be triggered inside caused_by(...)")
    return cause


def _refuse_unstorable(event_class: type, fields: dict[str, Any]) -> None:
    """No event may hold text the read models cannot store (domain/storable_text.py): it would
    stop every projection copying it. The API refuses it first with the request's field names;
    this is the net under every other path (command line, demo data, workers)."""
    for name, value in fields.items():
        if found := unstorable(value, name):
            raise InvalidInput(f"{found[0]} {found[1]} ({event_class.__qualname__})", fields={found[0]: found[1]})


class Root(Aggregate):
    """Base aggregate: stamps every event with the current Cause and refuses unstorable text."""

    class Event(Aggregate.Event):
        actor_id: UUID | None
        command_id: UUID

        # Fields holding personal data, and the field naming the person they belong to.
        personal_fields: ClassVar[tuple[str, ...]] = ()
        personal_subject: ClassVar[str] = "originator_id"
        # Fields never shown outside the owner's own systems (tokens, hashes).
        secret_fields: ClassVar[tuple[str, ...]] = ()

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def _create(cls, event_class: Any, *, id: Any = None, **kwargs: Any) -> Any:  # noqa: A002
        cause = current_cause()
        _refuse_unstorable(event_class, kwargs)
        if cause.at is not None:
            kwargs["timestamp"] = cause.at
        return super()._create(
            event_class, id=id, actor_id=cause.actor_id, command_id=cause.command_id, **kwargs
        )

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        cause = current_cause()
        _refuse_unstorable(event_class, kwargs)
        if cause.at is not None:
            kwargs["timestamp"] = cause.at
        super().trigger_event(
            event_class, actor_id=cause.actor_id, command_id=cause.command_id, **kwargs
        )


def personal_subject_of(event: Any) -> UUID:
    return getattr(event, type(event).personal_subject)


# Topics a class was stored under before it moved to another module (see moved_from).
_former_topics: dict[type, list[str]] = {}


def moved_from(old_module: str, aggregate: type[Root]) -> None:
    """The aggregate and its events were defined in old_module: events (and creation events'
    originator_topic) stored under those topics keep decoding to the moved classes."""
    nested = [c for c in vars(aggregate).values() if isinstance(c, type) and issubclass(c, Aggregate.Event)]
    for cls in (aggregate, *nested):
        topic = f"{old_module}:{cls.__qualname__}"
        register_topic(topic, cls)
        _former_topics.setdefault(cls, []).append(topic)


def topics_of(cls: type) -> list[str]:
    """Every topic the log may hold the class's events under: its own and any former one."""
    return [get_topic(cls), *_former_topics.get(cls, ())]
