"""All configuration, read once from the environment (prefix ``HUB_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Embedded defaults: SQLite under ``var/``, in-process pub/sub, outbox instead of SMTP."""

    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite://{PROJECT_ROOT / 'var' / 'hub.sqlite3'}?busy_timeout=10000",
        description="sqlite://PATH or postgres://user@host:port/db",
    )
    broadcast_url: str = Field(default="memory://", description="memory:// or redis://host:port")
    smtp_url: SecretStr | None = Field(
        default=None,
        description="smtp://user:pass@host:port (STARTTLS on 587), smtps://… (TLS on 465); "
        "unset: emails stay in the outbox",
    )
    smtp_from: str = "府检联动平台 <noreply@fujian-hub.local>"
    smtp_timeout_s: float = 10.0
    base_url: str = "http://127.0.0.1:8000"
    timezone: str = "Asia/Shanghai"
    session_ttl_hours: int = 12
    alerts_enabled: bool = True
    alerts_interval_s: float = 60.0
    allowed_origins: list[str] = Field(default_factory=list)
    mask_errors: bool = True
    max_query_depth: int = 12
    max_query_tokens: int = 2000
    max_page_size: int = 200
    board_max_cards: int = 2000
    event_poll_interval_s: float = Field(
        default=2.0, description="how often each instance reads the event log without a notice"
    )
    share_subscription_execution: bool = Field(
        default=True, description="execute each board event once per audience (off: per socket)"
    )
    demo_password: SecretStr = SecretStr("demo12345")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
