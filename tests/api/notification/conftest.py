"""Fixtures for notification tests: a real SMTP server, a push service, notifiers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.mail import Mailer
from adapters.webpush import WebPusher
from tests.api.notification.helpers import PushService, SmtpSink
from workers.notifier import Notifier, RetryPolicy


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def make_notifier(app, infra):
    """make_notifier(mailer, attempts, base_seconds) -> a Notifier on the test database."""

    def make(mailer: Mailer | None, attempts: int = 3, base_seconds: float = 0.05) -> Notifier:
        return Notifier(app.state.deps, infra.database_url, mailer, WebPusher.from_settings(infra.settings),
                        RetryPolicy(attempts, base_seconds))

    return make
