"""Server-sent events for the inbox: one LISTEN connection per API process, shared by every
open stream; a NOTIFY about a person wakes that person's streams, which then read what is new.

Streams end after a bounded lifetime; browsers' EventSource reconnects on its own and sends
Last-Event-ID (the last message's seq), so nothing is missed across reconnects."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from uuid import UUID

import orjson
import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool
from starlette.concurrency import run_in_threadpool

from projections.notification import inbox
from projections.notification.store import INBOX_CHANNEL

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Waiter:
    user_id: UUID
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except TimeoutError:
            return False
        self.event.clear()
        return True


class InboxSignals:
    """The listening thread runs only while some stream is open."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self._lock = threading.Lock()
        self._waiters: set[Waiter] = set()
        self._thread: threading.Thread | None = None

    def subscribe(self, user_id: UUID) -> Waiter:
        waiter = Waiter(user_id, asyncio.get_running_loop())
        with self._lock:
            self._waiters.add(waiter)
            if self._thread is None:
                self._thread = threading.Thread(target=self._listen, name="inbox-signals", daemon=True)
                self._thread.start()
        return waiter

    def unsubscribe(self, waiter: Waiter) -> None:
        with self._lock:
            self._waiters.discard(waiter)

    def _listen(self) -> None:
        try:
            with psycopg.connect(self.conninfo, autocommit=True) as conn:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(INBOX_CHANNEL)))
                while True:
                    for note in conn.notifies(timeout=1.0):
                        self._wake(note.payload)
                    with self._lock:
                        if not self._waiters:
                            self._thread = None
                            return
        except psycopg.Error as e:
            # Streams still poll at each heartbeat; the next stream opened starts a new listener.
            log.warning("inbox listener stopped: %s", e)
            with self._lock:
                self._thread = None

    def _wake(self, user_id: str) -> None:
        with self._lock:
            waiters = [w for w in self._waiters if str(w.user_id) == user_id]
        for w in waiters:
            w.loop.call_soon_threadsafe(w.event.set)


async def inbox_events(
    signals: InboxSignals, pool: ConnectionPool, user_id: UUID, last_seq: int | None,
    heartbeat: float, lifetime: float,
) -> AsyncIterator[bytes]:
    if last_seq is None:
        last_seq = await run_in_threadpool(inbox.latest_seq, pool, user_id)
    waiter = signals.subscribe(user_id)
    deadline = time.monotonic() + lifetime
    try:
        yield b"retry: 3000\n\n"
        while True:
            # Read after subscribing: a message committed in between is not missed.
            for item in await run_in_threadpool(inbox.items_after, pool, user_id, last_seq):
                last_seq = item["seq"]
                yield b"id: %d\nevent: notification\ndata: %s\n\n" % (last_seq, orjson.dumps(item))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if not await waiter.wait(min(heartbeat, remaining)):
                yield b": heartbeat\n\n"
    finally:
        signals.unsubscribe(waiter)
