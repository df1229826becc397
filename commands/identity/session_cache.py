"""Sessions known to be valid, so that a request with a valid token costs no database round trip.

An entry (session id -> person and roles) is made when a request's session and person were
checked against the log, and is dropped by any later event of that session or that person: a
logout, a reused refresh token, a deactivation, an erasure, a password change or reset, a role
change. In this process at once, when the command that recorded the event returns
(EventStore.recorded listeners); from other processes as soon as this process's log reader
sees the event. Both are wired by `follow`, and the cache is used only while it runs, so
processes without an API (workers) pay nothing on their writes.

A check that overlapped an invalidation of its session or person does not remember its answer
(generation counters per session and per person), so a session revoked while it was being checked
is never cached as valid.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any
from uuid import UUID

from domain.event_conventions import topics_of
from domain.identity import User
from domain.sessions import Session
from projections.engine.log_reader import LogReader

WATCHED = [topic for aggregate in (User, Session) for cls in vars(aggregate).values()
           if isinstance(cls, type) and issubclass(cls, aggregate.Event) for topic in topics_of(cls)]


class SessionCache:
    def __init__(self, maxsize: int = 100_000) -> None:
        self.maxsize = maxsize
        self._sessions: OrderedDict[UUID, tuple[UUID, frozenset[str]]] = OrderedDict()
        self._of_user: dict[UUID, set[UUID]] = {}
        self._lock = threading.Lock()
        self._generations: dict[UUID, int] = {}  # invalidations per session and per person
        self._epoch = 0  # bumped when the counters are cleared to bound their memory
        self.following = threading.Event()  # set while changes from other processes reach it

    def get(self, session_id: UUID) -> tuple[UUID, frozenset[str]] | None:
        if not self.following.is_set():
            return None
        with self._lock:
            return self._sessions.get(session_id)

    def generation(self, session_id: UUID, user_id: UUID) -> tuple[int, int, int]:
        """Read before checking a session; remember() refuses if it changed meanwhile."""
        with self._lock:
            return self._epoch, self._generations.get(session_id, 0), self._generations.get(user_id, 0)

    def remember(self, session_id: UUID, user_id: UUID, roles: frozenset[str], seen: tuple[int, int, int]) -> None:
        with self._lock:
            if seen != (self._epoch, self._generations.get(session_id, 0), self._generations.get(user_id, 0)) \
                    or not self.following.is_set():
                return
            self._sessions[session_id] = (user_id, roles)
            self._of_user.setdefault(user_id, set()).add(session_id)
            while len(self._sessions) > self.maxsize:
                dropped, (owner, _) = self._sessions.popitem(last=False)
                self._of_user.get(owner, set()).discard(dropped)

    def forget(self, events: list[Any]) -> None:
        """Drop what these events may have changed: their sessions and their people's sessions."""
        touched = [e for e in events if isinstance(e, (User.Event, Session.Event))]
        if not touched:
            return
        with self._lock:
            if len(self._generations) > self.maxsize:
                self._generations.clear()
                self._epoch += 1
            for event in touched:
                self._generations[event.originator_id] = self._generations.get(event.originator_id, 0) + 1
                if isinstance(event, Session.Event):
                    self._drop(event.originator_id)
                else:
                    for session_id in self._of_user.pop(event.originator_id, set()):
                        self._sessions.pop(session_id, None)

    def _drop(self, session_id: UUID) -> None:
        entry = self._sessions.pop(session_id, None)
        if entry is not None:
            self._of_user.get(entry[0], set()).discard(session_id)

    def clear(self) -> None:
        with self._lock:
            self._epoch += 1
            self._generations.clear()
            self._sessions.clear()
            self._of_user.clear()

    def follow(self, reader: LogReader, stop: threading.Event) -> None:
        """Apply the identity events other processes record, for as long as `stop` is not set."""
        subscription = reader.subscribe("session cache", WATCHED)
        reader.store.recorded_listeners.append(self.forget)  # this process's own changes, at once
        try:
            position = -1
            while not stop.is_set():
                if not reader.started.is_set():  # the reader lost its connection: changes may be missed
                    self.following.clear()
                    self.clear()
                    reader.started.wait(0.25)
                    position = -1
                    continue
                if position < 0:
                    position = reader.read_to
                    self.clear()
                    self.following.set()
                subscription.wake.clear()
                taken = reader.take(subscription, position, 10_000)
                if taken is None:  # fell behind the reader's memory: forget everything
                    self.clear()
                    position = reader.read_to
                    continue
                events, end = taken
                self.forget(events)
                position = end
                if not events:
                    subscription.wake.wait(1.0)
        finally:
            self.following.clear()
            reader.store.recorded_listeners.remove(self.forget)
            self.clear()
            reader.unsubscribe(subscription)
