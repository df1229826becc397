"""A small Learning Record Store on loopback for tests: the statements resource of xAPI 2.0
(POST of a statement array, HTTP Basic auth, the version header), keeping each statement id
once (409 for the same id with other content), and able to fail on purpose."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LocalLrs:
    def __init__(self, user: str = "lrs-user", password: str = "lrs-secret") -> None:
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.statements: dict[str, dict[str, Any]] = {}
        self.posts: list[list[dict[str, Any]]] = []  # every accepted batch, re-sends included
        self.fail_next = 0  # answer this many POSTs with 503
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi/statements"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: Any = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's hook
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != "/xapi/statements":
                    return self._answer(404)
                if self.headers.get("Authorization") != lrs.expected:
                    return self._answer(401, {"error": "unauthorised"})
                if not self.headers.get("X-Experience-API-Version", "").startswith("2.0"):
                    return self._answer(400, {"error": "X-Experience-API-Version 2.0.x required"})
                with lrs.lock:
                    if lrs.fail_next > 0:
                        lrs.fail_next -= 1
                        return self._answer(503, {"error": "try later"})
                    batch = json.loads(body)
                    batch = batch if isinstance(batch, list) else [batch]
                    if any(s["id"] in lrs.statements and lrs.statements[s["id"]] != s for s in batch):
                        return self._answer(409, {"error": "a statement id with other content"})
                    for s in batch:
                        lrs.statements.setdefault(s["id"], s)
                    lrs.posts.append(batch)
                self._answer(200, [s["id"] for s in batch])

        return Handler
