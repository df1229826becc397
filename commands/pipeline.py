"""What every command handler gets: the caller, the dependencies, and a Cause for its events."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID, uuid4

from psycopg_pool import ConnectionPool

from adapters.events.event_store import ConcurrentChange, EventStore
from adapters.events.personal_data import KeyStore
from adapters.infrastructure import Infrastructure
from adapters.outside.blob_store import BlobStore, open_blob_store
from adapters.security.tokens import TokenIssuer
from adapters.settings import Settings
from commands.identity.session_cache import SessionCache
from domain.errors import Conflict, Forbidden, Unauthenticated
from domain.event_conventions import Cause, caused_by, current_cause
from domain.identity import Role


@dataclass(frozen=True)
class Actor:
    """Who is calling; anonymous callers have no user_id."""

    user_id: UUID | None = None
    roles: frozenset[str] = frozenset()
    session_id: UUID | None = None
    address: str = ""
    user_agent: str = ""

    def has_role(self, *roles: Role) -> bool:
        return any(r.value in self.roles for r in roles)


ANONYMOUS = Actor()
# The command line and scheduled jobs act as this built-in administrator (the nil UUID).
SYSTEM = Actor(user_id=UUID(int=0), roles=frozenset({Role.ADMIN.value}))


@dataclass
class Deps:
    store: EventStore
    pool: ConnectionPool
    keys: KeyStore
    settings: Settings
    tokens: TokenIssuer
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    blobs: BlobStore | None = None  # set wherever media are handled (the API, the demo loader)
    sessions: SessionCache = field(default_factory=SessionCache)  # used once it follows the log


def deps_for(infra: Infrastructure) -> Deps:
    """What handlers get in a process: the API, a worker, the demo loader."""
    s = infra.settings
    return Deps(store=infra.store, pool=infra.pool, keys=infra.keys, settings=s,
                tokens=TokenIssuer(s.secret_keyring(), s.access_token_ttl_seconds),
                clock=lambda: datetime.now(UTC), blobs=open_blob_store(s))


@dataclass(frozen=True)
class Done:
    """A command's result: the log position of its last event, and what the caller needs."""

    position: int
    data: dict[str, Any] = field(default_factory=dict)


R = TypeVar("R")


def execute(handler: Callable[[Any, Actor, Deps], R], cmd: Any, actor: Actor, deps: Deps,
            at: datetime | None = None) -> R:
    """Run a handler with a fresh command id; a lost race on an aggregate becomes a Conflict.
    `at` dates the events of an imported history (commands/analytics/history_import.py); None is now."""
    with caused_by(Cause(actor.user_id, uuid4(), at)), deps.store.cache.unit_of_work():
        try:
            return handler(cmd, actor, deps)
        except ConcurrentChange as e:
            raise Conflict("the resource was changed at the same time; reload and retry") from e


def retrying_races(handler: Callable[[Any, Actor, Deps], R]) -> Callable[[Any, Actor, Deps], R]:
    """For a handler whose change still holds after a reload (an append to a seat that several
    connections write at once: presence, integrity, answers): a lost race re-runs it, up to
    three times in all, instead of answering 409. The lost try saved nothing (the store
    dropped its aggregates), so the re-run loads them afresh."""
    @wraps(handler)
    def run(cmd: Any, actor: Actor, deps: Deps) -> R:
        for _ in range(2):
            with suppress(ConcurrentChange):
                return handler(cmd, actor, deps)
        return handler(cmd, actor, deps)
    return run


@contextmanager
def acting_as(user_id: UUID) -> Iterator[None]:
    """Events triggered inside are by user_id, under the same command id: for commands whose
    caller proves who they are in the handler (register, log in, refresh, reset a password)."""
    with caused_by(replace(current_cause(), actor_id=user_id)):
        yield


def require_login(actor: Actor) -> UUID:
    if actor.user_id is None:
        raise Unauthenticated("log in first")
    return actor.user_id


def require_role(actor: Actor, roles: Iterable[Role]) -> UUID:
    user_id = require_login(actor)
    roles = tuple(roles)
    if not actor.has_role(*roles):
        raise Forbidden(f"requires one of the roles: {', '.join(r.value for r in roles)}")
    return user_id


def require_self_or_role(actor: Actor, user_id: UUID, roles: Iterable[Role]) -> UUID:
    caller = require_login(actor)
    if caller != user_id:
        require_role(actor, roles)
    return caller
