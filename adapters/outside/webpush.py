"""Web Push (RFC 8030) with VAPID (RFC 8292): payloads encrypted for the browser (aes128gcm,
RFC 8291) and signed with the server's key pair, which is generated once into the data
folder unless configured."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from adapters.settings import Settings

KEY_FILE = "vapid_private_key.pem"


class SubscriptionGone(Exception):
    """The push service no longer knows this subscription (404/410): never retry it."""


def _load_or_create_pem(s: Settings) -> bytes:
    if s.vapid_private_key:
        return s.vapid_private_key.encode()
    path = Path(s.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:  # "x": of two processes starting together, the first key written wins
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
        except FileExistsError:
            pass
    return path.read_bytes()


class WebPusher:
    def __init__(self, private_pem: bytes, subject: str, timeout: float = 10.0) -> None:
        key = serialization.load_pem_private_key(private_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("the VAPID key must be a P-256 (prime256v1) EC private key")
        self._vapid = Vapid02(key)
        self.subject, self.timeout = subject, timeout

    @classmethod
    def from_settings(cls, s: Settings) -> WebPusher:
        return cls(_load_or_create_pem(s), s.vapid_subject)

    @property
    def public_key(self) -> str:
        """The applicationServerKey browsers pass to PushManager.subscribe() (base64url)."""
        raw = self._vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def send(self, endpoint: str, p256dh: str, auth: str, payload: dict[str, Any], ttl: int = 86400) -> None:
        subscription = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
        try:
            webpush(subscription, json.dumps(payload), vapid_private_key=self._vapid,
                    vapid_claims={"sub": self.subject}, timeout=self.timeout, ttl=ttl)
        except WebPushException as e:
            if e.status_code in (404, 410):
                raise SubscriptionGone(str(e)) from e
            raise
