"""Recent aggregates kept in memory, so a command does not replay an aggregate's whole history
(answer k of an attempt would read k events: quadratic per attempt).

A command checks an aggregate out of the cache: nobody else can hold the same object while the
command may change it; a concurrent command on the same aggregate replays it from the log, and
the store's version check decides between the two. A command that only reads an aggregate (the
quiz and the class when a student answers) shares the cached object with every other reader
instead (`share`); a writer checking out a shared object gets its own copy and the shared one
stays for the readers, so what readers hold never changes under them and they never replay it
while a writer works. At the end of the command (`unit_of_work`)
every aggregate it loaded goes back, unless it holds events that were never saved (the command
failed half-way): those are dropped. The store checks every checked-out aggregate for newer
events by version (another process may have written), so the cache is never a source of truth.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID


class AggregateCache:
    def __init__(self, maxsize: int = 10_000) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[UUID, Any] = OrderedDict()
        self._shared: set[UUID] = set()  # entries readers may hold: copied before a writer changes them
        self._lock = threading.Lock()
        self._loaded: ContextVar[list[Any] | None] = ContextVar("aggregates_loaded", default=None)

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """Around one command: what it loaded is returned to the cache at its end."""
        if self._loaded.get() is not None:  # nested: the outer one returns them
            yield
            return
        token = self._loaded.set([])
        try:
            yield
        finally:
            loaded = self._loaded.get() or []
            self._loaded.reset(token)
            for aggregate in loaded:
                if not aggregate.pending_events:
                    self.put(aggregate)

    def checkout(self, aggregate_id: UUID) -> Any | None:
        """The cached aggregate, taken out of the cache; None outside a unit of work or on a miss."""
        if self._loaded.get() is None:
            return None
        with self._lock:
            if aggregate_id not in self._shared:
                return self._entries.pop(aggregate_id, None)
            shared = self._entries[aggregate_id]  # stays for the readers
        return copy.deepcopy(shared)

    def share(self, aggregate_id: UUID) -> Any | None:
        """The cached aggregate, left in the cache for other readers: never to be changed."""
        with self._lock:
            aggregate = self._entries.get(aggregate_id)
            if aggregate is not None:
                self._shared.add(aggregate_id)
                self._entries.move_to_end(aggregate_id)
            return aggregate

    def put_shared(self, aggregate: Any) -> None:
        """A reader's up-to-date aggregate, cached for other readers."""
        with self._lock:
            if self._put(aggregate):
                self._shared.add(aggregate.id)

    def loaded(self, aggregate: Any) -> None:
        """The command now holds this aggregate: it goes back to the cache when the command ends."""
        if (held := self._loaded.get()) is not None:
            held.append(aggregate)

    def discard(self, aggregates: tuple[Any, ...]) -> None:
        """These hold events that were not saved (their save failed): never cache them."""
        if (held := self._loaded.get()) is not None:
            held[:] = [a for a in held if not any(a is d for d in aggregates)]

    def put(self, aggregate: Any) -> None:
        with self._lock:
            if self._put(aggregate):
                self._shared.discard(aggregate.id)

    def _put(self, aggregate: Any) -> bool:
        kept = self._entries.get(aggregate.id)
        if kept is not None and kept.version >= aggregate.version and kept is not aggregate:
            return False  # a concurrent command left one as new or newer
        self._entries[aggregate.id] = aggregate
        self._entries.move_to_end(aggregate.id)
        while len(self._entries) > self.maxsize:
            evicted, _ = self._entries.popitem(last=False)
            self._shared.discard(evicted)
        return True
