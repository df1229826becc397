"""xAPI forwarder: follows the log and sends each learning event's statements to a Learning
Record Store (docs/xapi.md). Off unless SKILLHUB_XAPI_LRS_URL is set.

It follows the log like the Kafka relay: woken by the process's log reader when learning
events arrive, one active forwarder across processes (an advisory lock, the others hot
standbys), its position (table xapi_forwarder) advanced only after the LRS stored a batch. A
crash or an LRS outage therefore re-sends at most the batch in flight, whose statements have
the same ids and content, so the LRS keeps them once. Failures are retried after a pause that
doubles up to a minute; the last one is kept in the table for operators.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from adapters.infrastructure import Infrastructure
from adapters.outside.xapi import LrsClient, LrsError
from projections.engine.log_reader import LogReader, reader_of_its_own
from projections.streaming.xapi_position import LOCK_KEY, forwarder_position, save_error, save_position
from workers.streaming.xapi_statements import LEARNING_TOPICS, StatementMaker, learning_rows_after

if TYPE_CHECKING:
    from workers.supervision import Workers

log = logging.getLogger(__name__)


class XapiForwarder:
    retry_base, retry_max = 1.0, 60.0

    def __init__(self, infra: Infrastructure, reader: LogReader | None = None) -> None:
        s = infra.settings
        self.pool, self.store, self.database_url, self.reader = infra.pool, infra.store, infra.database_url, reader
        self.batch_size = s.xapi_batch_size
        self.maker = StatementMaker(infra.pool, infra.store, s.public_url)
        self.client = LrsClient(s.xapi_lrs_url or "", s.xapi_lrs_user, s.xapi_lrs_password, s.xapi_timeout_seconds)
        self.active = threading.Event()

    def run(self, stop: threading.Event) -> None:
        with reader_of_its_own(self.reader, self.database_url, self.pool, self.store, stop, "xapi") as reader:
            subscription = reader.subscribe("xapi forwarder", LEARNING_TOPICS, LOCK_KEY)
            failures = 0
            try:
                while not stop.is_set():
                    if not subscription.active.wait(0.5):
                        self.active.clear()
                        continue
                    self.active.set()
                    subscription.wake.clear()
                    try:
                        while not stop.is_set() and subscription.active.is_set() and self.forward_batch():
                            pass
                        failures = 0
                        subscription.wake.wait(1.0)  # caught up: until learning events arrive
                    except LrsError as e:
                        failures += 1
                        save_error(self.pool, str(e))
                        pause = min(self.retry_max, self.retry_base * 2 ** (failures - 1))
                        log.warning("xapi forwarder: %s; retrying in %.0f s", e, pause)
                        stop.wait(pause)
            finally:
                self.active.clear()
                reader.unsubscribe(subscription)
                self.client.close()

    def forward_batch(self) -> bool:
        """Send the next batch from the saved position; True when more may be waiting."""
        position = forwarder_position(self.pool)
        rows = learning_rows_after(self.pool, position, self.batch_size)
        if not rows:
            return False
        statements = self.maker.statements(self.store.decode_many(rows))
        if statements:
            self.client.send(statements)
        save_position(self.pool, rows[-1]["notification_id"], len(statements))
        return len(rows) == self.batch_size


def start(infra: Infrastructure, workers: Workers) -> None:
    """The `xapi` worker; off unless SKILLHUB_XAPI_LRS_URL is set."""
    if not infra.settings.xapi_lrs_url:
        log.info("xapi forwarder: off (SKILLHUB_XAPI_LRS_URL is not set)")
        return
    workers.spawn("xapi-forwarder", XapiForwarder(infra, workers.log_reader(infra)).run)
