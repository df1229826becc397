"""Idempotency-Key for writes: a retried request gets the first response and records nothing.

Two tries arriving together: the first claims the key (a row), the second waits for the
first's stored response. 5xx responses are not kept, so those retries run again. A claim
whose request never finished (the process died) lapses after `claim_ttl` seconds and the
next try runs; rows older than `retention` seconds are purged and no longer replayed.
Stored bodies are sealed (AES-GCM, key derived from the platform secret): a login's or a
refresh's tokens must be replayable, as a refresh retried without them would look like
token reuse and end the login, but they never sit in the database in plain text.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg_pool import ConnectionPool
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from adapters.settings import Settings
from api.platform.problems import problem
from commands.identity.sessions import authenticate
from commands.pipeline import Deps
from domain.errors import Unauthenticated

DDL = [
    """CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope text NOT NULL, key text NOT NULL, fingerprint text NOT NULL,
    status_code int, headers jsonb, body bytea, created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key))""",
    "CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys (created_at)",
]
_KEPT_HEADERS = ("content-type", "x-log-position", "location", "retry-after")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_PURGE_EVERY_SECONDS = 60.0
# Take the key when it is free, its claim lapsed, or its row is past retention.
_CLAIM_SQL = (
    "INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES (%s, %s, %s)"
    " ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
    " status_code = NULL, headers = NULL, body = NULL, created_at = now()"
    " WHERE (idempotency_keys.status_code IS NULL"
    "        AND idempotency_keys.created_at < now() - make_interval(secs => %s))"
    "    OR idempotency_keys.created_at < now() - make_interval(secs => %s)"
    " RETURNING 1"
)


def create_tables(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        for ddl in DDL:
            conn.execute(ddl)


def fingerprint_of(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests the same request."""
    return hashlib.sha256(f"{method} {path}?{query}\n".encode() + body).hexdigest()


class IdempotencyStore:
    def __init__(
        self, pool: ConnectionPool, wait_seconds: float, secret_keys: str | list[str],
        claim_ttl: float = 60.0, retention: float = 86400.0,
    ) -> None:
        self.pool, self.wait_seconds = pool, wait_seconds
        self.claim_ttl, self.retention = claim_ttl, retention
        keys = [secret_keys] if isinstance(secret_keys, str) else secret_keys
        # Seal with the current secret; open with any still configured (docs/operations.md).
        self._aeads = [AESGCM(hashlib.sha256(b"skillhub-idempotency:" + k.encode()).digest()) for k in keys]
        self._next_purge = 0.0

    @classmethod
    def from_settings(cls, pool: ConnectionPool, s: Settings) -> IdempotencyStore:
        return cls(pool, s.idempotency_wait_seconds, s.secret_keyring(),
                   s.idempotency_claim_ttl_seconds, s.idempotency_retention_seconds)

    def _seal(self, scope: str, key: str, body: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aeads[0].encrypt(nonce, body, f"{scope}\n{key}".encode())

    def _open(self, scope: str, key: str, sealed: bytes) -> bytes | None:
        for aead in self._aeads:
            try:
                return aead.decrypt(sealed[:12], sealed[12:], f"{scope}\n{key}".encode())
            except InvalidTag:
                continue
        return None  # sealed under a retired secret: nothing to replay

    def claim(self, scope: str, key: str, fingerprint: str) -> dict[str, Any] | None:
        """None: we own the key. Otherwise the earlier request's row, once it has finished
        (its body opened), or at once if it was a different request."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            with self.pool.connection() as conn:
                if conn.execute(_CLAIM_SQL, (scope, key, fingerprint, self.claim_ttl, self.retention)).fetchone():
                    return None
                row = conn.execute(
                    "SELECT fingerprint, status_code, headers, body, created_at FROM idempotency_keys"
                    " WHERE scope = %s AND key = %s",
                    (scope, key),
                ).fetchone()
                if row and row["fingerprint"] != fingerprint:
                    return row
                if row and row["status_code"] is not None:
                    row["body"] = self._open(scope, key, bytes(row["body"]))
                    if row["body"] is not None:
                        return row
                    conn.execute("DELETE FROM idempotency_keys WHERE scope = %s AND key = %s AND created_at = %s",
                                 (scope, key, row["created_at"]))
                    continue  # unreadable: claim it afresh
            if row and time.monotonic() >= deadline:
                return {"fingerprint": fingerprint, "status_code": None}
            time.sleep(0.02)

    def complete(self, scope: str, key: str, status: int, headers: dict[str, str], body: bytes) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                "UPDATE idempotency_keys SET status_code = %s, headers = %s, body = %s"
                " WHERE scope = %s AND key = %s",
                (status, orjson.dumps(headers).decode(), self._seal(scope, key, body), scope, key),
            )
            if time.monotonic() >= self._next_purge:
                self._next_purge = time.monotonic() + _PURGE_EVERY_SECONDS
                conn.execute("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => %s)",
                             (self.retention,))

    def release(self, scope: str, key: str) -> None:
        with self.pool.connection() as conn:
            conn.execute("DELETE FROM idempotency_keys WHERE scope = %s AND key = %s", (scope, key))


class IdempotencyMiddleware(BaseHTTPMiddleware):
    def __init__(
        self, app: Any, store: IdempotencyStore, deps: Deps, streamed_paths: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(app)
        self.store, self.deps = store, deps
        # Bodies too large to buffer (uploads) pass through; they must be idempotent by content.
        self.streamed_paths = streamed_paths

    def _scope(self, request: Request) -> str:
        """Whose key it is. A bearer token is checked in full (its session not ended, its person
        active) before anything is replayed: a first response never reaches a logged-out caller.
        The Actor is left for the route (api.platform.auth.get_actor), so it is not checked twice."""
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            return "anonymous"
        address = request.client.host if request.client else ""
        actor = authenticate(self.deps, auth[7:], address, request.headers.get("user-agent", "")[:300])
        request.state.actor = actor
        return f"user:{actor.user_id}"

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        key = request.headers.get("idempotency-key")
        if key is None or request.method not in WRITE_METHODS or request.url.path in self.streamed_paths:
            return await call_next(request)
        if not 1 <= len(key) <= 200:
            return problem(400, "Invalid input", "Idempotency-Key must be 1 to 200 characters", request)
        body = await request.body()
        fingerprint = fingerprint_of(request.method, request.url.path, request.url.query, body)
        try:
            scope = await run_in_threadpool(self._scope, request)
        except Unauthenticated as e:
            return problem(401, e.title, e.detail, request, headers={"WWW-Authenticate": "Bearer"})
        earlier = await run_in_threadpool(self.store.claim, scope, key, fingerprint)
        if earlier is not None:
            if earlier["fingerprint"] != fingerprint:
                return problem(422, "Invalid input", "this Idempotency-Key was used for a different request", request)
            if earlier["status_code"] is None:
                return problem(409, "Conflict", "a request with this Idempotency-Key is still running", request,
                               headers={"Retry-After": "1"})
            headers = {**earlier["headers"], "Idempotent-Replayed": "true"}
            return Response(earlier["body"], status_code=earlier["status_code"], headers=headers)
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
