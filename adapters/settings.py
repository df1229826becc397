"""Settings from environment variables (documented in README)."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKILLHUB_", extra="ignore")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SKILLHUB_DATABASE_URL")
    )
    data_dir: Path = Path("var")
    secret_key: str | None = None
    # Key rotation (docs/operations.md, "Rotating keys"): earlier secrets, comma-separated, still
    # accepted (tokens, wrapped personal keys, sealed responses) until retired; and the key that
    # names e-mail claims and join codes in the log, which never rotates (default: the secret).
    previous_secret_keys: str = ""
    identifier_key: str | None = None
    db_pool_size: int = 10

    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    password_reset_ttl_seconds: int = 3600

    login_window_seconds: int = 900
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 30
    password_reset_window_seconds: int = 3600
    password_reset_max_per_account: int = 3
    password_reset_max_per_address: int = 20

    projection_batch_size: int = 500
    read_wait_seconds: float = 5.0
    readiness_max_lag: int = 10_000
    idempotency_wait_seconds: float = 10.0
    # An unfinished claim (its request died) lapses after this; stored responses are kept this long.
    idempotency_claim_ttl_seconds: float = 60.0
    idempotency_retention_seconds: float = 86400.0
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated addresses or
    # networks, "*" for any). None by default: anyone could forge the address that throttling counts.
    trusted_proxies: str = ""
    # Wrong current passwords on the change-password endpoint before 429, per account, per login window.
    password_change_max_failures: int = Field(default=5, ge=1)
    # Forum: posts per person per window before 429; posts with links wait for approval until
    # the person has this many visible posts.
    forum_posts_per_window: int = Field(default=10, ge=1)
    forum_post_window_seconds: int = Field(default=60, ge=1)
    forum_trusted_after_posts: int = Field(default=3, ge=0)
    # What one person's uploads may take in all before an attachment is refused (413).
    forum_attachment_quota_bytes: int = Field(default=100 * 1024**2, ge=0)

    # Media: blobs in data_dir/media unless an S3 bucket is set; per-kind upload limits in bytes.
    media_dir: Path | None = None
    media_s3_bucket: str | None = None
    media_s3_endpoint_url: str | None = None
    media_s3_prefix: str = "blobs/"
    media_max_bytes_video: int = 2 * 1024**3
    media_max_bytes_audio: int = 500 * 1024**2
    media_max_bytes_pdf: int = 100 * 1024**2
    media_max_bytes_image: int = 20 * 1024**2
    media_max_bytes_document: int = 50 * 1024**2

    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "SKILLHUB_KAFKA_BOOTSTRAP_SERVERS"),
    )
    # Kafka relay (docs/streaming.md): topic layout used when it creates the topics,
    # events per publish round, and how long it waits for the broker's acknowledgement.
    kafka_topic_partitions: int = Field(default=3, ge=1)
    kafka_replication_factor: int = Field(default=1, ge=1)
    kafka_relay_batch_size: int = Field(default=500, ge=1)
    # The hash chain over the log (docs/operations.md, "Tamper-evident history").
    audit_chain_interval_seconds: float = Field(default=1.0, ge=0, le=3600)
    audit_chain_batch_size: int = Field(default=10_000, ge=1, le=1_000_000)
    kafka_ack_timeout_seconds: float = Field(default=10.0, gt=0)
    dev_mode: bool = True

    # Notifications (docs/notifications.md). Without smtp_host, e-mails wait in the outbox.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_from: str = "SkillHub <no-reply@skillhub.example.com>"
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 10.0
    vapid_private_key: str | None = None  # PEM; generated once into the data folder when unset
    vapid_subject: str = "mailto:admin@skillhub.example.com"
    notify_max_attempts: int = 6
    notify_retry_base_seconds: float = 30.0
    notify_stream_heartbeat_seconds: float = 15.0
    notify_stream_max_seconds: int = 300
    notify_quiz_opening_lead_seconds: float = 3600.0  # "quiz opens soon" this long before opens_at
    notify_quiz_closing_lead_seconds: float = 86400.0  # "quiz closes soon" this long before closes_at
    notify_due_reminder_lead_seconds: float = 86400.0  # "course due soon" this long before its due date
    # Where the notification read model (who is told what) reads the events: the log, or the
    # relay's Kafka topics (workers/streaming/kafka_feed.py; needs KAFKA_BOOTSTRAP_SERVERS and the relay).
    notify_source: Literal["log", "kafka"] = "log"

    # xAPI forwarder (workers/xapi_forwarder.py, docs/xapi.md): off unless an LRS URL is set.
    xapi_lrs_url: str | None = None  # the LRS's statements resource, e.g. https://lrs.example/xapi/statements
    xapi_lrs_user: str | None = None
    xapi_lrs_password: str | None = None
    xapi_batch_size: int = 200
    xapi_timeout_seconds: float = 10.0

    # Certificates: links and QR codes point at public_url; the Ed25519 issuer key (PEM) is
    # generated once into the data folder when unset (adapters/security/credentials.py).
    public_url: str = "http://localhost:8000"
    certificate_signing_key: str | None = None
    # Public keys (multibase, comma-separated) of earlier signing keys given as PEM above; keys
    # kept in the data folder are retired by `skillhub keys rotate --certificates` instead.
    previous_certificate_keys: str = ""

    # Optional OpenAI-compatible chat completions endpoint (base URL ending in /v1) for drafting
    # questions and explaining wrong answers (docs/ai_tools.md). Unset: nothing calls out.
    ai_chat_url: str | None = None
    ai_chat_model: str = "default"
    ai_chat_api_key: str | None = None
    ai_chat_timeout_seconds: float = Field(default=30.0, gt=0)

    # Live sessions (docs/live.md): the ICE servers browsers use for audio and video (JSON lists,
    # e.g. SKILLHUB_LIVE_STUN_URLS='["stun:stun.example.org:3478"]'), the reminder's lead time.
    live_stun_urls: list[str] = []
    live_turn_urls: list[str] = []
    live_turn_username: str = ""
    live_turn_credential: str = ""
    live_reminder_lead_seconds: float = 900.0
    # Fan-out between API processes through Redis (e.g. redis://127.0.0.1:6379/0) instead of
    # PostgreSQL LISTEN/NOTIFY (adapters/live_fanout.py). Unset: NOTIFY.
    live_redis_url: str | None = None

    @model_validator(mode="after")
    def _kafka_source_needs_kafka(self) -> "Settings":
        if self.notify_source == "kafka" and not self.kafka_bootstrap_servers:
            raise ValueError("SKILLHUB_NOTIFY_SOURCE=kafka needs KAFKA_BOOTSTRAP_SERVERS")
        return self

    def secret_keyring(self) -> list[str]:
        """The current secret first, then the earlier ones still accepted."""
        return [self.resolved_secret_key(), *(k.strip() for k in self.previous_secret_keys.split(",") if k.strip())]

    def resolved_identifier_key(self) -> str:
        return self.identifier_key or self.resolved_secret_key()

    def resolved_secret_key(self) -> str:
        """The configured key, else one generated once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
