"""An admin's request to try a dead delivery again: an event, so who retried what stays on
record for auditors.

The notification projection applies it to the outbox (the delivery back to pending) in the
same transaction as its tracking position. Requests are numbered per delivery and the outbox
keeps the number it applied last, so a replay (a rebuild) applies none of them twice.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import Conflict
from domain.event_conventions import Root


def dead_letter_id(delivery_id: int) -> UUID:
    return uuid5(NAMESPACE_URL, f"skillhub:dead-letter:{delivery_id}")


class DeadLetter(Root):
    class Created(Root.Created):
        delivery_id: int

        def apply(self, d: DeadLetter) -> None:
            d.delivery_id, d.retries = self.delivery_id, 0

    class RetryRequested(Root.Event):
        delivery_id: int
        retry: int  # 1 for the first request about this delivery, then 2, 3...

        def apply(self, d: DeadLetter) -> None:
            d.retries = self.retry

    @classmethod
    def start(cls, delivery_id: int) -> DeadLetter:
        return cls._create(cls.Created, id=dead_letter_id(delivery_id), delivery_id=delivery_id)

    def request_retry(self, applied: int) -> None:
        """`applied`: how many retries of this delivery the outbox has applied so far."""
        if self.retries > applied:
            raise Conflict("a retry of this delivery was already requested and is on its way")
        self.trigger_event(self.RetryRequested, delivery_id=self.delivery_id, retry=self.retries + 1)
