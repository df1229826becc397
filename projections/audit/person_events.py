"""Which events are about a person: the selection behind their data download and the
auditor's person filter.

An event is about a person when it belongs to one of their aggregates (their account, and
every aggregate whose creation event has them as `personal_subject`: their logins, their
creator application, a class they opened) or when one of its fields names them (an e-mail
claim, an enrolment, a roster change). Events in which they only acted (an admin changing
someone else's roles) are not about them; the auditor's filter adds those on request.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from adapters.events.event_store import EVENTS_TABLE, EventStore, stored_event
from domain.event_conventions import personal_subject_of

_CAUSE_FIELDS = {"actor_id", "command_id"}
_SCAN = 1000
# The transcoder writes UUIDs as hex, so a byte search finds every event naming a person.
_CREATIONS_SQL = sql.SQL(
    "SELECT notification_id, originator_id, originator_version, topic, state FROM public.{} "
    "WHERE notification_id > %s AND originator_version = 1 AND position(%s::bytea IN state) > 0 "
    "ORDER BY notification_id LIMIT %s"
).format(sql.Identifier(EVENTS_TABLE))


def _holds(value: Any, person: UUID) -> bool:
    if isinstance(value, UUID):
        return value == person
    if isinstance(value, str):
        return value in (str(person), person.hex)
    if isinstance(value, dict):
        return any(_holds(v, person) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds(v, person) for v in value)
    return False


def names(event: Any, person: UUID) -> bool:
    """One of the event's own fields (not who caused it) holds the person's id."""
    return any(_holds(v, person) for k, v in vars(event).items() if k not in _CAUSE_FIELDS)


@dataclass(frozen=True)
class PersonSelection:
    person: UUID
    aggregates: frozenset[UUID]  # the person's own aggregates
    with_actions: bool  # also the events the person caused

    def matches(self, event: Any) -> bool:
        if event.originator_id in self.aggregates or names(event, self.person):
            return True
        return self.with_actions and getattr(event, "actor_id", None) == self.person

    def where(self) -> tuple[sql.Composable, list[Any]]:
        """A cheap SQL pre-filter; matches() decides."""
        return (sql.SQL("(originator_id = ANY(%s) OR position(%s::bytea IN state) > 0)"),
                [list(self.aggregates), self.person.hex.encode()])


def _creations_naming(pool: ConnectionPool, person: UUID) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        with pool.connection() as conn:
            rows = conn.execute(_CREATIONS_SQL, (after, person.hex.encode(), _SCAN)).fetchall()
        yield from rows
        if len(rows) < _SCAN:
            return
        after = rows[-1]["notification_id"]


def select_person(pool: ConnectionPool, store: EventStore, person: UUID, with_actions: bool) -> PersonSelection:
    mapper = store.mapper
    own = {person}
    for row in _creations_naming(pool, person):
        created = mapper.to_sealed_event(stored_event(row))  # no key needed to see who it is about
        if personal_subject_of(created) == person:
            own.add(created.originator_id)
    return PersonSelection(person, frozenset(own), with_actions)
