"""Fixtures for notification tests: a real SMTP server, a push service, notifiers, and the
catalog and assessment kits (courses, classes, quizzes made through the API)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.outside.mail import Mailer
from adapters.outside.webpush import WebPusher
from tests.api.assessment.conftest import cast, kit  # noqa: F401 - fixtures used here too
from tests.api.catalog.conftest import CatalogKit
from tests.api.notification.helpers import PushService, SmtpSink
from workers.notification.notifier import Notifier, RetryPolicy


@pytest.fixture
def smtp(infra) -> Iterator[SmtpSink]:
    # The worker's database is shared by its tests: e-mails that earlier tests left pending
    # would queue ahead of this test's (the notifier sends oldest first).
    with infra.pool.connection() as conn:
        conn.execute("UPDATE notification.deliveries SET status = 'cancelled', last_error = 'left by an earlier test'"
                     " WHERE status = 'pending' AND channel = 'email'")
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


@pytest.fixture(scope="session")
def notification_staff() -> dict:
    return {}


@pytest.fixture
def catalog(client, make_person, notification_staff) -> CatalogKit:
    return CatalogKit(client, make_person, notification_staff)
