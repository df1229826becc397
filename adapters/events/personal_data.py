"""Crypto-shredding: personal fields are encrypted with a per-person key kept outside the
log; erasing a person deletes the key, so every copy of their data in the log is unreadable."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from psycopg_pool import ConnectionPool

from adapters.security.keyring import key_id
from domain.event_conventions import ERASED, personal_subject_of

PREFIX = "pd1:"
_ERASED_KEY = b""  # tombstone: the person was erased, never issue them a new key

DDL = """
CREATE TABLE IF NOT EXISTS personal_data_keys (
    subject_id uuid PRIMARY KEY,
    wrapped_key bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz
);
-- which secret wrapped the key (adapters/security/keyring.py); NULL: wrapped before keys had ids
ALTER TABLE personal_data_keys ADD COLUMN IF NOT EXISTS kek_id text"""


class RetiredKey(Exception):
    """A personal key is wrapped with a secret that is no longer configured."""


_INSERT_KEY = ("INSERT INTO personal_data_keys (subject_id, wrapped_key, kek_id) VALUES (%s, %s, %s)"
               " ON CONFLICT (subject_id) DO NOTHING")


class KeyStore:
    """Per-person data keys, wrapped with a key derived from the platform secret. Each row names
    the secret that wrapped it; `rewrap` moves every row to the current secret, so an earlier
    secret can be retired without touching the log."""

    def __init__(self, pool: ConnectionPool, secret_keys: str | list[str]) -> None:
        self.pool = pool
        secrets = [secret_keys] if isinstance(secret_keys, str) else secret_keys
        self._keks = {key_id(s): AESGCM(hashlib.sha256(b"skillhub-kek:" + s.encode()).digest()) for s in secrets}
        self.current_id = key_id(secrets[0])
        self._cache: ContextVar[dict[UUID, bytes | None] | None] = ContextVar(
            "keystore_cache", default=None
        )

    def create_table(self) -> None:
        with self.pool.connection() as conn:
            conn.execute(DDL)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Cache look-ups while decoding many events at once."""
        token = self._cache.set({})
        try:
            yield
        finally:
            self._cache.reset(token)

    def prefetch(self, subject_ids: set[UUID]) -> None:
        """Inside batch(): fetch every listed person's key with one query."""
        cache = self._cache.get()
        missing = [s for s in subject_ids if cache is not None and s not in cache]
        if not missing:
            return
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT subject_id, wrapped_key, kek_id FROM personal_data_keys WHERE subject_id = ANY(%s)", (missing,)
            ).fetchall()
        found = {r["subject_id"]: r for r in rows}
        for subject_id in missing:
            cache[subject_id] = self._unwrap(subject_id, found.get(subject_id))

    def _unwrap(self, subject_id: UUID, row: dict | None) -> bytes | None:
        if row is None or bytes(row["wrapped_key"]) == _ERASED_KEY:
            return None
        wrapped = bytes(row["wrapped_key"])
        # A row from before key ids: whichever configured secret opens it.
        keks = list(self._keks.values()) if row["kek_id"] is None else [k for i, k in self._keks.items() if i == row["kek_id"]]
        for kek in keks:
            try:
                return kek.decrypt(wrapped[:12], wrapped[12:], subject_id.bytes)
            except InvalidTag:
                continue
        raise RetiredKey(f"the personal key of {subject_id} was wrapped with a secret no longer configured"
                         f" ({row['kek_id'] or 'from before key ids'}); add it to SKILLHUB_PREVIOUS_SECRET_KEYS")

    def _wrap(self, subject_id: UUID, key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._keks[self.current_id].encrypt(nonce, key, subject_id.bytes)

    def rewrap(self, batch: int = 1000) -> int:
        """Wraps every live key with the current secret (the log is not touched); returns how many."""
        moved = 0
        while True:
            with self.pool.connection() as conn, conn.transaction():
                rows = conn.execute(
                    "SELECT subject_id, wrapped_key, kek_id FROM personal_data_keys WHERE kek_id IS DISTINCT FROM %s"
                    " AND wrapped_key <> ''::bytea LIMIT %s FOR UPDATE SKIP LOCKED", (self.current_id, batch)).fetchall()
                for r in rows:
                    key = self._unwrap(r["subject_id"], r)
                    conn.execute("UPDATE personal_data_keys SET wrapped_key = %s, kek_id = %s WHERE subject_id = %s",
                                 (self._wrap(r["subject_id"], key), self.current_id, r["subject_id"]))
            moved += len(rows)
            if len(rows) < batch:
                return moved

    def wrapped_by(self) -> dict[str, int]:
        """How many live keys each secret wraps ('before key ids' for the oldest rows)."""
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT coalesce(kek_id, 'before key ids') AS kek, count(*) AS n FROM personal_data_keys"
                                " WHERE wrapped_key <> ''::bytea GROUP BY 1 ORDER BY 1").fetchall()
        return {r["kek"]: r["n"] for r in rows}

    def key_for_writing(self, subject_id: UUID) -> bytes | None:
        """The person's key, created on first use; None once they have been erased."""
        key = self.key_for_reading(subject_id)
        if key is not None or self._is_erased(subject_id):
            return key
        with self.pool.connection() as conn:
            conn.execute(_INSERT_KEY, (subject_id, self._new_wrapped_key(subject_id), self.current_id))
        self._forget(subject_id)
        return self.key_for_reading(subject_id)

    def create_keys(self, subject_ids: list[UUID]) -> None:
        """Inside batch(): keys for many new people at once (an import), one pipelined INSERT and
        one query to cache them. Anyone who already has a key, or a tombstone, keeps it."""
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.executemany(_INSERT_KEY, [(s, self._new_wrapped_key(s), self.current_id) for s in subject_ids])
        for subject_id in subject_ids:
            self._forget(subject_id)
        self.prefetch(set(subject_ids))

    def _new_wrapped_key(self, subject_id: UUID) -> bytes:
        return self._wrap(subject_id, AESGCM.generate_key(bit_length=256))

    def key_for_reading(self, subject_id: UUID) -> bytes | None:
        cache = self._cache.get()
        if cache is not None and subject_id in cache:
            return cache[subject_id]
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT wrapped_key, kek_id FROM personal_data_keys WHERE subject_id = %s", (subject_id,)
            ).fetchone()
        key = self._unwrap(subject_id, row)
        if cache is not None:
            cache[subject_id] = key
        return key

    def erase(self, subject_id: UUID) -> None:
        with self.pool.connection() as conn, conn.cursor() as cur:
            destroy_keys(cur, [subject_id])
        self._forget(subject_id)

    def _is_erased(self, subject_id: UUID) -> bool:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT erased_at FROM personal_data_keys WHERE subject_id = %s", (subject_id,)
            ).fetchone()
        return bool(row and row["erased_at"])

    def _forget(self, subject_id: UUID) -> None:
        cache = self._cache.get()
        if cache is not None:
            cache.pop(subject_id, None)


def destroy_keys(cur: psycopg.Cursor, subject_ids: list[UUID]) -> None:
    """Replace the people's keys with tombstones, in the caller's transaction."""
    cur.execute(
        "INSERT INTO public.personal_data_keys (subject_id, wrapped_key, erased_at)"
        " SELECT s, %s, now() FROM unnest(%s::uuid[]) s ON CONFLICT (subject_id) DO UPDATE"
        " SET wrapped_key = EXCLUDED.wrapped_key, erased_at = coalesce(personal_data_keys.erased_at, now())",
        (_ERASED_KEY, subject_ids),
    )


def encrypt_value(key: bytes, subject_id: UUID, plain: bytes) -> str:
    nonce = AESGCM.generate_key(bit_length=128)[:12]
    sealed = AESGCM(key).encrypt(nonce, plain, subject_id.bytes)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt_value(key: bytes, subject_id: UUID, sealed: str) -> bytes:
    raw = base64.b64decode(sealed[len(PREFIX):])
    return AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.bytes)


class PersonalDataMapper(Mapper):
    """Encrypts the fields an event class declares personal, with its subject's key.

    A value goes through the store's transcoder before encryption, so any type an event may
    hold (text, lists, UUIDs, times) comes back as that type; an erased one as "[erased]".
    """

    def __init__(self, transcoder: Transcoder, keys: KeyStore) -> None:
        super().__init__(transcoder=transcoder)
        self.keys = keys

    def _plain(self, cls: type, name: str, value: Any) -> bytes:
        try:
            return self.transcoder.encode(value)
        except TypeError as e:
            raise TypeError(f"personal field {cls.__qualname__}.{name} holds a value the log cannot store: {e}") from e

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls = type(domain_event)
        fields = [f for f in getattr(cls, "personal_fields", ()) if getattr(domain_event, f) is not None]
        if not fields:
            return super().to_stored_event(domain_event)
        subject = getattr(domain_event, cls.personal_subject)
        key = self.keys.key_for_writing(subject)
        state = dict(vars(domain_event))
        for name in fields:
            plain = self._plain(cls, name, state[name])
            state[name] = ERASED if key is None else encrypt_value(key, subject, plain)
        sealed = object.__new__(cls)
        object.__setattr__(sealed, "__dict__", state)
        return super().to_stored_event(sealed)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        return self.unseal(self.to_sealed_event(stored_event))

    def to_sealed_event(self, stored_event: StoredEvent) -> Any:
        """The event with its personal fields still encrypted (as on the wire), upcast to
        its current class version: upcasters see sealed personal values, never plain ones."""
        return super().to_domain_event(stored_event)

    def unseal(self, event: Any) -> Any:
        fields = sealed_fields(event)
        if fields:
            subject = personal_subject_of(event)
            key = self.keys.key_for_reading(subject)
            state = vars(event)
            for name in fields:
                state[name] = ERASED if key is None else self.transcoder.decode(decrypt_value(key, subject, state[name]))
        return event


def sealed_fields(event: Any) -> list[str]:
    state = vars(event)
    return [
        f for f in getattr(type(event), "personal_fields", ())
        if isinstance(state.get(f), str) and state[f].startswith(PREFIX)
    ]
