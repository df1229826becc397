"""Wires settings, database, key store and event store for one process."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from adapters.events.event_store import EventStore
from adapters.events.personal_data import KeyStore
from adapters.live_fanout import RedisFanout
from adapters.postgres import (
    eventsourcing_env,
    open_pool,
    resolve_database_url,
    schema_lock,
)
from adapters.settings import Settings


@dataclass
class Infrastructure:
    settings: Settings
    database_url: str
    pool: ConnectionPool
    keys: KeyStore
    store: EventStore
    live_fanout: RedisFanout | None = None  # SKILLHUB_LIVE_REDIS_URL set: live fan-out through Redis

    def close(self) -> None:
        if self.live_fanout is not None:
            self.live_fanout.close()
        self.store.close()
        self.pool.close()


def open_infrastructure(settings: Settings, database_url: str | None = None) -> Infrastructure:
    url = database_url or resolve_database_url(settings.database_url, settings.data_dir)
    pool = open_pool(url, settings.db_pool_size)
    keys = KeyStore(pool, settings.secret_keyring())
    with schema_lock(url):  # the event store creates its tables as it starts
        keys.create_table()
        store = EventStore(eventsourcing_env(url, settings.db_pool_size), keys)
    fanout = RedisFanout(settings.live_redis_url, url) if settings.live_redis_url else None
    if fanout is not None:
        store.recorded_listeners.append(fanout.recorded)
    return Infrastructure(settings=settings, database_url=url, pool=pool, keys=keys, store=store, live_fanout=fanout)
