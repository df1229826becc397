"""The log from the start, read and decoded on a thread of its own a few batches ahead of a
rebuild: while the rebuild's statements run in PostgreSQL, the next batches are read and
decoded (the waits on the database release the GIL)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from psycopg_pool import ConnectionPool

from adapters.events.event_store import EventStore
from projections.engine.engine import _BATCH_SQL


@dataclass(frozen=True)
class DecodedBatch:
    events: list[Any]  # decoded, in log order
    end: int  # every event of the topics up to here is in this batch or an earlier one
    head: int  # the log's head when the batch was read


def read_ahead(pool: ConnectionPool, store: EventStore, topics: list[str], batch_size: int,
               depth: int = 2) -> Iterator[DecodedBatch]:
    """Batches of the events of `topics` after position 0, until the head seen at the last read."""
    ready: queue.Queue[DecodedBatch | BaseException | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: DecodedBatch | BaseException | None) -> None:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            position, head = 0, 1
            with pool.connection() as conn, conn.cursor() as cur:
                while position < head and not stop.is_set():
                    rows = cur.execute(_BATCH_SQL, (position, topics, batch_size)).fetchall()
                    conn.commit()  # no transaction held open while the batch is decoded and waits
                    head = (rows[0]["head"] or 0) if rows else 0
                    found = [r for r in rows if r["notification_id"] is not None]
                    end = found[-1]["notification_id"] if len(found) == batch_size else max(head, position)
                    put(DecodedBatch(store.decode_many(found), end, head))
                    position = end
            put(None)
        except BaseException as e:  # noqa: BLE001 - handed to the consumer, which raises it
            put(e)

    thread = threading.Thread(target=produce, daemon=True, name="rebuild-read-ahead")
    thread.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(10)
