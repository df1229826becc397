"""One hub per API process: it follows the log for live events and sends each session's
entries to the clients connected to this process, and relays signalling (WebRTC offers,
answers, ICE candidates) between processes.

Fan-out across processes costs nothing extra: every process's hub is woken by the event
store's NOTIFY (`skillhub_events`) and reads the new live events itself, so a chat message
written through any process reaches every client of the session. Signalling is not history
(an offer is useless a minute later), so it goes through NOTIFY on `skillhub_live` instead of the
log; each hub hears every signal and delivers those addressed to its own clients.

With `SKILLHUB_LIVE_REDIS_URL` set, Redis carries both instead (adapters/live_fanout.py): the
recording process publishes a wake-up after each commit holding live events, and the signals;
the hub subscribes there and LISTENs on nothing. The entries still come from the log.

Nothing is lost or doubled on reconnection: `attach` returns the hub's position under the lock
that guards dispatch, so the client gets every entry after it live, and the entries up to it
from the read model (the socket sends those first; see api/live/socket.py).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import threading
import zlib
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson
import psycopg
import redis
from psycopg import sql
from psycopg.rows import dict_row

from adapters.events.event_store import EVENTS_TABLE, NOTIFY_CHANNEL, EventStore
from adapters.live_fanout import RedisFanout
from domain.event_conventions import topics_of
from projections.live.feed import EVENT_CLASSES, entry_of

log = logging.getLogger(__name__)
SIGNAL_CHANNEL = "skillhub_live"
MAX_NOTIFY_BYTES = 7900  # PostgreSQL's NOTIFY payload limit is 8000 bytes
_STRETCH = sql.SQL(
    "SELECT h.head, e.* FROM (SELECT coalesce(max(notification_id), 0) AS head FROM public.{t}) h "
    "LEFT JOIN LATERAL (SELECT notification_id, originator_id, originator_version, topic, state FROM public.{t} "
    " WHERE notification_id > %s AND topic = ANY(%s) ORDER BY notification_id LIMIT 500) e ON true"
).format(t=sql.Identifier(EVENTS_TABLE))


@dataclass(eq=False)
class Client:
    """One WebSocket: who is on it and the queue its sender task drains."""

    session_id: UUID
    person_id: UUID
    examiner: bool
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)

    def deliver(self, message: dict[str, Any]) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, message)


class LiveHub:
    def __init__(self, database_url: str, store: EventStore, fanout: RedisFanout | None = None) -> None:
        self.database_url, self.store, self.fanout = database_url, store, fanout
        self.topics = sorted({t for cls in EVENT_CLASSES for t in topics_of(cls)})
        self.position = 0
        self.ready = threading.Event()
        self._lock = threading.Lock()
        self._clients: dict[UUID, set[Client]] = {}
        self._examiners: dict[UUID, frozenset[UUID]] = {}

    # Clients ---------------------------------------------------------------------------

    def attach(self, client: Client, examiners: frozenset[UUID]) -> int:
        """Every entry after the returned position will reach the client."""
        with self._lock:
            self._clients.setdefault(client.session_id, set()).add(client)
            self._examiners[client.session_id] = examiners
            return self.position

    def detach(self, client: Client) -> None:
        with self._lock:
            clients = self._clients.get(client.session_id, set())
            clients.discard(client)
            if not clients:
                self._clients.pop(client.session_id, None)
                self._examiners.pop(client.session_id, None)

    def connected(self) -> int:
        with self._lock:
            return sum(len(c) for c in self._clients.values())

    # Signals ---------------------------------------------------------------------------

    def send_signal(self, conn: psycopg.Connection, session_id: UUID, from_id: UUID, to_id: UUID,
                    signal: dict[str, Any]) -> bool:
        """False when the signal is too large for NOTIFY even compressed (or for Redis)."""
        text = orjson.dumps({"s": str(session_id), "f": str(from_id), "t": str(to_id), "m": signal})
        if self.fanout is not None:
            return self.fanout.publish_signal(text)
        if len(text) > MAX_NOTIFY_BYTES:
            text = b"z" + base64.b64encode(zlib.compress(text, 9))
            if len(text) > MAX_NOTIFY_BYTES:
                return False
        conn.execute("SELECT pg_notify(%s, %s)", (SIGNAL_CHANNEL, text.decode()))
        return True

    def _on_signal(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):  # from Redis: never compressed
            raw = payload
        else:
            raw = zlib.decompress(base64.b64decode(payload[1:])) if payload.startswith("z") else payload.encode()
        note = orjson.loads(raw)
        session_id, to_id = UUID(note["s"]), UUID(note["t"])
        with self._lock:
            targets = [c for c in self._clients.get(session_id, ()) if c.person_id == to_id]
        for client in targets:
            client.deliver({"type": "signal", "from_id": note["f"], "signal": note["m"]})

    # Following the log -------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        follow = self._follow if self.fanout is None else self._follow_redis
        while not stop.is_set():
            try:
                follow(stop)
            except (psycopg.Error, OSError, redis.RedisError) as e:
                log.warning("live hub: %s; reconnecting", e)
                self.ready.clear()
                stop.wait(0.5)

    def _catch_up(self, conn: psycopg.Connection) -> None:
        if not self.ready.is_set() and self.position == 0:
            head = conn.execute(sql.SQL("SELECT coalesce(max(notification_id), 0) AS h FROM public.{}").format(
                sql.Identifier(EVENTS_TABLE))).fetchone()["h"]
            with self._lock:
                self.position = head  # earlier entries come from the read model
        while self._read(conn):
            pass
        self.ready.set()

    def _follow_redis(self, stop: threading.Event) -> None:
        assert self.fanout is not None
        pubsub = self.fanout.subscribe()
        try:
            with psycopg.connect(self.database_url, autocommit=True, row_factory=dict_row) as conn:
                self._catch_up(conn)
                while not stop.is_set():
                    notes = [note] if (note := pubsub.get_message(timeout=1.0)) else []
                    while len(notes) < 10_000 and (more := pubsub.get_message(timeout=0)):
                        notes.append(more)  # coalesce what is pending
                    woken = False
                    for note in notes:
                        if note["channel"].decode() == self.fanout.signals_channel:
                            self._on_signal(note["data"])
                        else:
                            woken = True
                    if woken or not notes:  # an idle second reads too, as with NOTIFY
                        while self._read(conn):
                            pass
        finally:
            pubsub.close()

    def _follow(self, stop: threading.Event) -> None:
        with psycopg.connect(self.database_url, autocommit=True, row_factory=dict_row) as conn:
            for channel in (NOTIFY_CHANNEL, SIGNAL_CHANNEL):
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self._catch_up(conn)
            while not stop.is_set():
                notes = list(conn.notifies(timeout=1.0, stop_after=1))
                notes += conn.notifies(timeout=0, stop_after=10_000)  # coalesce what is pending
                for note in notes:
                    if note.channel == SIGNAL_CHANNEL:
                        self._on_signal(note.payload)
                # An idle second reads too: a lost notification delays entries, never loses them.
                if not notes or any(n.channel == NOTIFY_CHANNEL for n in notes):
                    while self._read(conn):
                        pass

    def _read(self, conn: psycopg.Connection) -> bool:
        rows = conn.execute(_STRETCH, (self.position, self.topics)).fetchall()
        found = [r for r in rows if r["notification_id"] is not None]
        end = found[-1]["notification_id"] if len(found) == 500 else max(rows[0]["head"], self.position)
        events = self.store.decode_many(found) if found else []
        with self._lock:
            for row, event in zip(found, events, strict=True):
                self._dispatch(row["notification_id"], event)
            self.position = max(self.position, end)
        return len(found) == 500

    def _dispatch(self, position: int, event: Any) -> None:
        session_id = getattr(event, "session_id", event.originator_id)
        clients = self._clients.get(session_id)
        if not clients:
            return
        entry = entry_of(event, self._examiners.get(session_id, frozenset()))
        if entry is None:
            return
        message = {"type": "entry", "position": position, "kind": entry.kind, "body": entry.body}
        for client in clients:
            if entry.visible_to(client.person_id, client.examiner):
                client.deliver(message)
