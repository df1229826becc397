"""Live fan-out through Redis, when `SKILLHUB_LIVE_REDIS_URL` is set (off by default: PostgreSQL
LISTEN/NOTIFY then does the same job, api/live/hub.py).

Two pub/sub channels, namespaced by the database so several deployments (or test databases)
can share one Redis:
- `skillhub:{db}:live:events`: after a commit that holds live events, the recording process
  (API or worker: the store calls `recorded`) publishes a wake-up; every process's hub then reads
  the new entries from the log. The log stays the one source, so nothing is lost or doubled
  even if Redis drops a message (the hubs also read when idle for a second).
- `skillhub:{db}:live:signals`: WebRTC signalling (offers, answers, ICE candidates), which is
  not history: each hub delivers the ones addressed to its own clients.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from psycopg.conninfo import conninfo_to_dict

log = logging.getLogger(__name__)
MAX_SIGNAL_BYTES = 256 * 1024  # an SDP with many candidates fits; anything bigger is not a signal


class RedisFanout:
    def __init__(self, url: str, database_url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        namespace = conninfo_to_dict(database_url).get("dbname", "skillhub")
        self.events_channel = f"skillhub:{namespace}:live:events"
        self.signals_channel = f"skillhub:{namespace}:live:signals"

    def recorded(self, events: list[Any]) -> None:
        """The store's listener, in the recording thread after the commit: wake the hubs when
        the commit holds live events (one PUBLISH per commit, none for other contexts)."""
        if not any(type(e).__module__.startswith("domain.live.") for e in events):
            return
        try:
            self.client.publish(self.events_channel, b"1")
        except redis.RedisError as e:  # the hubs' idle read finds the entries within a second
            log.warning("live fan-out: Redis publish failed: %s", e)

    def publish_signal(self, payload: bytes) -> bool:
        if len(payload) > MAX_SIGNAL_BYTES:
            return False
        self.client.publish(self.signals_channel, payload)
        return True

    def subscribe(self) -> Any:
        """A pub/sub connection on both channels (the hub's, one per process)."""
        pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(self.events_channel, self.signals_channel)
        return pubsub

    def close(self) -> None:
        self.client.close()
