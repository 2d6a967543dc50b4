"""Settings: every value has an embedded default so a laptop needs no configuration.

Environment variables use the ``SPOTTER_`` prefix and ``__`` for nested groups
(``SPOTTER_EMAIL__SMTP_HOST``); ``DATABASE_URL`` and ``REDIS_URL`` are also read bare,
as platforms commonly set them.
"""

from __future__ import annotations

import secrets
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmailSettings(BaseModel):
    backend: Literal["file", "smtp"] = "file"
    sender: str = "Spotter <no-reply@spotter.local>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0


class AuthSettings(BaseModel):
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    web_session_days: int = 14
    password_reset_minutes: int = 60
    email_verification_hours: int = 72
    invitation_days: int = 14
    # argon2id cost; tests lower it, production keeps the library's recommended values.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    login_per_account: str = "10/15 minutes"
    login_per_ip: str = "30/minute"
    api_key_default_per_minute: int = 600


class StorageSettings(BaseModel):
    """Where uploaded files live: a local folder (default ``<data_dir>/files``) or an
    S3-compatible bucket."""

    backend: Literal["local", "s3"] = "local"
    local_dir: Path | None = None
    s3_bucket: str = ""
    s3_prefix: str = ""
    s3_endpoint_url: str | None = None  # MinIO, R2, ...; empty means AWS
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"


class Settings(BaseSettings):
    # populate_by_name: ``Settings(otel_endpoint=...)`` in code and tests sets the field even
    # though the environment spells it with an alias (OTEL_EXPORTER_OTLP_ENDPOINT).
    model_config = SettingsConfigDict(
        env_prefix="SPOTTER_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("var")
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("SPOTTER_DATABASE_URL", "DATABASE_URL"),
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("SPOTTER_REDIS_URL", "REDIS_URL")
    )
    secret_key: str = ""
    # Earlier secret keys, comma-separated: fields sealed with them still decrypt until
    # `spotter keys rotate` re-encrypts them to the current key.
    old_secret_keys: str = ""
    base_url: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 1_048_576
    # Routes that take file uploads (they say so with core.bodylimit.accept_uploads).
    max_upload_bytes: int = 15 * 1_048_576
    # The meal-plan generator's solver time for a whole plan; when it runs out without a
    # plan, the days are solved one by one within 0.8 times as long again.
    meal_plan_seconds: float = Field(default=0.9, gt=0, le=60)
    # How long a worker may reuse a live session's lookup (orgs.service.live_session_acting).
    # Writes in the same worker clear it at once; another worker sees a logout or a role
    # change within this many seconds. 0 looks the session up on every request.
    auth_cache_seconds: float = Field(default=2.0, ge=0, le=30)
    db_pool_size: int = 10
    db_max_overflow: int = 10
    jobs_backend: Literal["embedded", "eager"] = "embedded"
    log_level: str = "INFO"
    log_json: bool | None = None
    otel_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SPOTTER_OTEL_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
    )
    email: EmailSettings = EmailSettings()
    auth: AuthSettings = AuthSettings()
    storage: StorageSettings = StorageSettings()

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().resolve()

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def effective_database_url(self) -> str:
        url = self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'spotter.db'}"
        # Platforms hand out postgres:// URLs; SQLAlchemy needs the async driver named.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url.removeprefix(prefix)
        return url

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @cached_property
    def effective_secret_key(self) -> str:
        """The configured key, or one generated once and kept under the data folder.

        Production refuses to start without an explicit key (see ``main.create_app``).
        """
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
