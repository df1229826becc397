"""Group commit: the events of commands that arrive together are appended in one transaction,
with one lock of the events table, one INSERT and one NOTIFY.

The first caller to find no write in progress writes at once (a lone command waits for nobody);
callers arriving meanwhile queue, and the next writer takes all of them. Each caller is answered
only once its events are committed. A command whose aggregate changed underneath it (its event
collides with a stored one, or with one of an earlier command in the same group) fails alone:
the INSERT skips colliding rows, and that command's other rows are deleted in the same
transaction, so its neighbours commit and it gets ConcurrentChange. Positions are assigned in
the order of the group, under the table lock, so they stay in commit order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

# At most this many events share a transaction; the rest wait for the next one.
MAX_GROUP_EVENTS = 2000
_TRIES = 5


class CollidedWithStored(Exception):
    """An event of this command has the (aggregate, version) of one already stored."""


@dataclass
class _Append:
    events: Sequence[StoredEvent]
    done: threading.Event = field(default_factory=threading.Event)
    positions: list[int] = field(default_factory=list)
    error: BaseException | None = None


class GroupCommit:
    def __init__(self, recorder: PostgresApplicationRecorder, table: str, channel: str) -> None:
        self.recorder = recorder
        schema = recorder.datastore.schema
        self._begin = sql.SQL("BEGIN; LOCK TABLE {}.{} IN EXCLUSIVE MODE; NOTIFY {}").format(
            sql.Identifier(schema), sql.Identifier(table), sql.Identifier(channel))
        self._insert = sql.SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state FROM unnest(%s::{schema}.{row_type}[])"
            " ON CONFLICT DO NOTHING RETURNING originator_id, originator_version, notification_id"
        ).format(schema=sql.Identifier(schema), table=sql.Identifier(table),
                 row_type=sql.Identifier(recorder.stored_event_type_name))
        self._delete = sql.SQL("DELETE FROM {}.{} WHERE notification_id = ANY(%s)").format(
            sql.Identifier(schema), sql.Identifier(table))
        self._queue: list[_Append] = []
        self._writing = False
        self.groups_written = 0  # transactions, for tests and benchmarks
        self._cond = threading.Condition()

    def append(self, events: Sequence[StoredEvent]) -> list[int]:
        """Commit the events (one command's, atomically); their positions, in order."""
        mine = _Append(events)
        with self._cond:
            self._queue.append(mine)
            while self._writing and not mine.done.is_set():
                self._cond.wait()
            if not mine.done.is_set():
                self._writing = True
                group = self._take_group()
        if not mine.done.is_set():
            try:
                self._write(group)
            finally:
                with self._cond:
                    self._writing = False
                    self._cond.notify_all()
        if mine.error is not None:
            raise mine.error
        return mine.positions

    def _take_group(self) -> list[_Append]:
        group, size = [], 0
        while self._queue and (not group or size + len(self._queue[0].events) <= MAX_GROUP_EVENTS):
            item = self._queue.pop(0)
            group.append(item)
            size += len(item.events)
        return group

    def _write(self, group: list[_Append]) -> None:
        try:
            for attempt in range(_TRIES):
                try:
                    self._insert_group(group)
                    break
                except (InterfaceError, OperationalError):
                    # A connection the server dropped (a restart): nothing was committed; the pool
                    # replaces its dead connections on the next checkout.
                    if attempt == _TRIES - 1:
                        raise
                    time.sleep(0.2 * (attempt + 1))
        except BaseException as e:  # noqa: BLE001 - every caller of the group hears of it
            for item in group:
                if item.error is None and not item.positions:
                    item.error = e
        finally:
            for item in group:
                item.done.set()

    def _insert_group(self, group: list[_Append]) -> None:
        # A command colliding with an earlier one of the same group fails before the INSERT, so
        # every row the INSERT skips collides with a stored event and names its command.
        seen: set[tuple[UUID, int]] = set()
        rivals: list[_Append] = []
        sent: list[_Append] = []
        for item in group:
            keys = {_key(e) for e in item.events}
            (rivals if keys & seen else sent).append(item)
            seen |= keys
        rows = [self.recorder.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
                for item in sent for e in item.events]
        with self.recorder.datastore.get_connection() as conn, conn.cursor() as cur:
            try:
                cur.execute(self._begin)
                inserted = {(r["originator_id"], r["originator_version"]): r["notification_id"]
                            for r in cur.execute(self._insert, (rows,)).fetchall()}
                collided = [item for item in sent if any(_key(e) not in inserted for e in item.events)]
                if collided:
                    cur.execute(self._delete, ([inserted.pop(_key(e)) for item in collided for e in item.events
                                                if _key(e) in inserted],))
                cur.execute("COMMIT")
                self.groups_written += 1
            except BaseException:
                if not conn.closed:
                    conn.rollback()
                raise
        failed = {id(item) for item in collided + rivals}
        for item in group:
            if id(item) in failed:
                item.error = CollidedWithStored(f"aggregate {item.events[0].originator_id} changed meanwhile")
            else:
                item.positions = [inserted[_key(e)] for e in item.events]


def _key(event: StoredEvent) -> tuple[UUID, int]:
    return _uuid(event.originator_id), event.originator_version


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
