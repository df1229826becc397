"""Settings from environment variables (documented in README)."""

from functools import lru_cache
from pathlib import Path
import secrets

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKILLHUB_", extra="ignore")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "SKILLHUB_DATABASE_URL")
    )
    data_dir: Path = Path("var")
    secret_key: str | None = None
    db_pool_size: int = 10

    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    password_reset_ttl_seconds: int = 3600

    login_window_seconds: int = 900
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 30

    projection_batch_size: int = 500
    read_wait_seconds: float = 5.0
    readiness_max_lag: int = 10_000
    idempotency_wait_seconds: float = 10.0

    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "SKILLHUB_KAFKA_BOOTSTRAP_SERVERS"),
    )
    dev_mode: bool = True

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
