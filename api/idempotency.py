"""Idempotency-Key for writes: a retried request gets the first response and records nothing.

Two tries arriving together: the first claims the key (a row), the second waits for the
first's stored response. 5xx responses are not kept, so those retries run again.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import orjson
from psycopg_pool import ConnectionPool
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from adapters.tokens import TokenIssuer
from api.problems import problem
from domain.errors import Unauthenticated

DDL = """CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope text NOT NULL, key text NOT NULL, fingerprint text NOT NULL,
    status_code int, headers jsonb, body bytea, created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key))"""
_KEPT_HEADERS = ("content-type", "x-log-position", "location", "retry-after")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute(DDL)


class IdempotencyStore:
    def __init__(self, pool: ConnectionPool, wait_seconds: float) -> None:
        self.pool, self.wait_seconds = pool, wait_seconds

    def claim(self, scope: str, key: str, fingerprint: str) -> dict[str, Any] | None:
        """None: we own the key. Otherwise the earlier request's row, once it has finished."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            with self.pool.connection() as conn:
                inserted = conn.execute(
                    "INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES (%s, %s, %s)"
                    " ON CONFLICT DO NOTHING RETURNING 1",
                    (scope, key, fingerprint),
                ).fetchone()
                if inserted:
                    return None
                row = conn.execute(
                    "SELECT fingerprint, status_code, headers, body FROM idempotency_keys"
                    " WHERE scope = %s AND key = %s",
                    (scope, key),
                ).fetchone()
            if row and (row["status_code"] is not None or row["fingerprint"] != fingerprint):
                return row
            if time.monotonic() >= deadline:
                return {"fingerprint": fingerprint, "status_code": None}
            time.sleep(0.02)

    def complete(self, scope: str, key: str, status: int, headers: dict[str, str], body: bytes) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "UPDATE idempotency_keys SET status_code = %s, headers = %s, body = %s"
                " WHERE scope = %s AND key = %s",
                (status, orjson.dumps(headers).decode(), body, scope, key),
            )

    def release(self, scope: str, key: str) -> None:
        with self.pool.connection() as conn:
            conn.execute("DELETE FROM idempotency_keys WHERE scope = %s AND key = %s", (scope, key))


class IdempotencyMiddleware(BaseHTTPMiddleware):
    def __init__(
        self, app: Any, store: IdempotencyStore, tokens: TokenIssuer, streamed_paths: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(app)
        self.store, self.tokens = store, tokens
        # Bodies too large to buffer (uploads) pass through; they must be idempotent by content.
        self.streamed_paths = streamed_paths

    def _scope(self, request: Request) -> str:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            try:
                return f"user:{self.tokens.verify(auth[7:]).user_id}"
            except Unauthenticated:
                return "invalid-token"
        return "anonymous"

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get("idempotency-key")
        if key is None or request.method not in WRITE_METHODS or request.url.path in self.streamed_paths:
            return await call_next(request)
        if not 1 <= len(key) <= 200:
            return problem(400, "Invalid input", "Idempotency-Key must be 1 to 200 characters", request)
        body = await request.body()
        fingerprint = hashlib.sha256(request.method.encode() + request.url.path.encode() + b"\n" + body).hexdigest()
        scope = self._scope(request)
        earlier = await run_in_threadpool(self.store.claim, scope, key, fingerprint)
        if earlier is not None:
            if earlier["fingerprint"] != fingerprint:
                return problem(422, "Invalid input", "this Idempotency-Key was used for a different request", request)
            if earlier["status_code"] is None:
                return problem(409, "Conflict", "a request with this Idempotency-Key is still running", request,
                               headers={"Retry-After": "1"})
            headers = {**earlier["headers"], "Idempotent-Replayed": "true"}
            return Response(bytes(earlier["body"]), status_code=earlier["status_code"], headers=headers)
        try:
            response = await call_next(request)
            chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
        except BaseException:
            await run_in_threadpool(self.store.release, scope, key)
            raise
        content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
        if response.status_code >= 500:
            await run_in_threadpool(self.store.release, scope, key)
        else:
            kept = {k: v for k, v in response.headers.items() if k in _KEPT_HEADERS}
            await run_in_threadpool(self.store.complete, scope, key, response.status_code, kept, content)
        return Response(content, status_code=response.status_code, headers=dict(response.headers))
