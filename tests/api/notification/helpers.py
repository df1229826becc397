"""Loopback stand-ins for the outside world of notifications: an SMTP server (aiosmtpd) and a
Web Push service; waiting for the notifier and the deciding projection."""

from __future__ import annotations

import email
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from adapters.outside.mail import Mailer
from projections.engine.tracking import log_head, wait_for_position
from projections.notification.decisions import notification
from workers.notification.announcements import AnnouncementScheduler
from workers.notification.notifier import Notifier


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class SmtpSink:
    """A real SMTP server on loopback that keeps every message it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def mailer(self) -> Mailer:
        return Mailer("127.0.0.1", self.port, "SkillHub <no-reply@skillhub.test>", starttls=False, timeout=2)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        return wait_until(lambda: len(self.to(address)) >= count and self.to(address), timeout, f"mail to {address}")


def text_of(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def html_of(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("html",)).get_content()


class PushService:
    """A tiny push service on loopback: records each request; paths under /gone answer 410."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server hook
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(410 if self.path.startswith("/gone") else 201)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running(worker: Notifier | AnnouncementScheduler) -> Iterator[threading.Event]:
    """The worker's loop in a thread until the block ends."""
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(10)


def grant(client: Any, admin: Any, person: Any, role: str) -> int:
    """An admin gives a role over the API; returns the log position."""
    r = client.post(f"/api/v1/users/{person.user_id}/roles", json={"role": role}, headers=admin.headers)
    assert r.status_code == 200, r.text
    return r.json()["position"]


def decided(infra: Any) -> None:
    """Wait until the notification projection has seen everything logged so far."""
    wait_for_position(infra.pool, [notification], log_head(infra.pool), 10)


def notices(client: Any, person: Any, position: int = 0, type_key: str | None = None) -> list[dict[str, Any]]:
    """A person's inbox (newest first) once the notification read model reached `position`."""
    r = client.get("/api/v1/notifications", headers=person.headers, params={"min_position": position, "limit": 200})
    assert r.status_code == 200, r.text
    return [i for i in r.json()["items"] if type_key is None or i["type"] == type_key]


def titles(client: Any, person: Any, position: int = 0, type_key: str | None = None) -> list[str]:
    return [i["title"] for i in notices(client, person, position, type_key)]
