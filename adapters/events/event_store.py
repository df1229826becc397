"""The event store: one eventsourcing Application, one stored-events table, one global log."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    InterfaceError,
    Mapper,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic, retry

from adapters.events.aggregate_cache import AggregateCache
from adapters.events.group_commit import CollidedWithStored, GroupCommit
from adapters.events.personal_data import KeyStore, PersonalDataMapper, sealed_fields
from adapters.postgres import sweep_on_dead_connection
from domain.event_conventions import personal_subject_of

EVENTS_TABLE = "skillhub_events"
NOTIFY_CHANNEL = EVENTS_TABLE  # the recorder NOTIFYs this channel in every insert


def stored_event(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )


class ConcurrentChange(Exception):
    """Someone else changed the aggregate between our read and our write."""


class UnpipelinedRecorder(PostgresApplicationRecorder):
    """The library's recorder, minus psycopg pipeline mode: over a Unix socket (the embedded
    server) a pipelined insert of a few hundred KB can deadlock, both sides waiting to read.
    Same statements, same table lock and NOTIFY, same transaction; a few more round trips."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return []
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)


class EventStore(Application):
    name = "SkillHub"
    env = {"APPLICATION_RECORDER_TOPIC": get_topic(UnpipelinedRecorder)}

    def __init__(self, env: dict[str, str], keys: KeyStore) -> None:
        self.keys = keys
        super().__init__(env)
        sweep_on_dead_connection(self.recorder.datastore.pool)
        self.group_commit = GroupCommit(self.recorder, EVENTS_TABLE, NOTIFY_CHANNEL)
        self.cache = AggregateCache()
        # Called with the events of every committed record(), in the recording thread.
        self.recorded_listeners: list[Callable[[list[Any]], None]] = []

    def construct_mapper(self) -> Mapper:
        return PersonalDataMapper(self.construct_transcoder(), self.keys)

    def record(self, *aggregates: Any) -> int:
        """Save the aggregates' new events atomically, in a group commit with the commands that
        arrive at the same time (adapters/events/group_commit.py); returns the log position of the last
        one (0 when there was none). Personal fields are sealed here, outside the table lock."""
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        if not events:
            return 0
        try:
            stored = [self.mapper.to_stored_event(event) for event in events]
            position = self.group_commit.append(stored)[-1]
        except BaseException as e:
            self.cache.discard(aggregates)  # their state holds events the log does not
            if isinstance(e, CollidedWithStored):
                raise ConcurrentChange(str(e)) from e
            raise
        for aggregate in aggregates:
            self.cache.loaded(aggregate)  # a new one is cached when its command ends
        for listener in self.recorded_listeners:
            listener(events)
        return position

    def load(self, aggregate_id: UUID) -> Any:
        """The aggregate at its latest version: from the cache of recent aggregates plus the events
        recorded since (one query, usually empty), else replayed from the log; the keys of its
        sealed events in one query. AggregateNotFoundError when it has no events."""
        aggregate = self.cache.checkout(aggregate_id)
        stored = self.recorder.select_events(aggregate_id, gt=aggregate.version if aggregate else None)
        if aggregate is None and not stored:
            raise AggregateNotFoundError(aggregate_id)
        mapper: PersonalDataMapper = self.mapper  # type: ignore[assignment]
        for event in self.unseal_many([mapper.to_sealed_event(s) for s in stored]):
            aggregate = event.mutate(aggregate)
        self.cache.loaded(aggregate)
        return aggregate

    def read(self, aggregate_id: UUID) -> Any:
        """The aggregate at its latest version, for reading only: the cached object is shared with
        other readers (no replay while a writer holds it), so the caller must never change it."""
        shared = self.cache.share(aggregate_id)
        stored = self.recorder.select_events(aggregate_id, gt=shared.version if shared else None)
        if not stored:
            if shared is None:
                raise AggregateNotFoundError(aggregate_id)
            return shared
        aggregate = copy.deepcopy(shared) if shared is not None else None  # readers hold the shared one
        mapper: PersonalDataMapper = self.mapper  # type: ignore[assignment]
        for event in self.unseal_many([mapper.to_sealed_event(s) for s in stored]):
            aggregate = event.mutate(aggregate)
        self.cache.put_shared(aggregate)
        return aggregate

    def decode(self, row: dict[str, Any]) -> Any:
        return self.mapper.to_domain_event(stored_event(row))

    def decode_many(self, rows: Sequence[dict[str, Any]], readable_by: UUID | None = None) -> list[Any]:
        """Decode a batch with one key query for all the people whose data it holds.

        With readable_by, only that person's personal fields are decrypted; others stay sealed.
        """
        mapper: PersonalDataMapper = self.mapper  # type: ignore[assignment]
        return self.unseal_many([mapper.to_sealed_event(stored_event(r)) for r in rows], readable_by)

    def unseal_many(self, events: list[Any], readable_by: UUID | None = None) -> list[Any]:
        """Decrypt the personal fields of sealed events in place, with one key query."""
        mapper: PersonalDataMapper = self.mapper  # type: ignore[assignment]
        with self.keys.batch():
            opened = [e for e in events if sealed_fields(e)
                      and (readable_by is None or personal_subject_of(e) == readable_by)]
            self.keys.prefetch({personal_subject_of(e) for e in opened})
            for event in opened:
                mapper.unseal(event)
        return events
