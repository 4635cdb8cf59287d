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
    max_page_size: int = Field(
        default=200, description="largest first/last of a list, nested lists of a case included"
    )
    max_query_cost: int = Field(
        default=400_000,
        description="largest static cost of one operation (hub.schema.cost); "
        "over it: COST_EXCEEDED",
    )
    cost_budget_per_minute: int = Field(
        default=20_000_000,  # 50 operations at the maximum; a busy board user spends a few M
        description="cost points per API token, user or anonymous address per minute, shared by "
        "every instance over Redis; over it: RATE_LIMITED",
    )
    cost_case_weight: int = Field(
        default=300, description="what one case in a response costs (a plain field costs 1)"
    )
    cost_default_list_size: int = Field(
        default=50, description="what a list with no page argument and no known maximum counts"
    )
    max_input_depth: int = Field(default=16, description="deepest JSON nesting of the variables")
    max_input_string_length: int = Field(
        default=100_000, description="longest string accepted in variables or the document"
    )
    board_page_max: int = Field(
        default=100,
        description="largest first of board and boardColumn: cards per column and page",
    )
    event_poll_interval_s: float = Field(
        default=2.0, description="how often each instance reads the event log without a notice"
    )
    share_subscription_execution: bool = Field(
        default=True, description="execute each board event once per audience (off: per socket)"
    )
    demo_password: SecretStr = SecretStr("demo12345")
    statistics_city_totals_for_agencies: bool = Field(
        default=False,
        description="统计分析：成员单位除本单位数字外也看到全市合计（府检联动办公室决定）",
    )
    env: str = Field(
        default="development",
        description="production: no GraphiQL and no introspection for anyone",
    )
    token_ttl_days: int = Field(default=365, description="lifetime of a new API token")
    credential_check_interval_s: float = Field(
        default=1.0,
        description="how often each instance re-checks the credentials of its open WebSockets "
        "(catches revocations whose notice was lost, and expiries)",
    )
    login_free_failures: int = Field(default=3, description="failures per account before delays")
    login_lock_after: int = Field(default=10, description="failures that lock an account")
    login_address_free_failures: int = Field(
        default=20, description="failures per client address before delays"
    )
    login_address_lock_after: int = Field(default=100, description="failures that lock an address")
    login_lock_minutes: int = 15
    metrics_token: SecretStr | None = Field(
        default=None,
        description="bearer token for /metrics; without one only localhost (no proxy) may scrape",
    )
    log_json: bool | None = Field(
        default=None, description="JSON log lines (default: under HUB_ENV=production)"
    )
    shutdown_timeout_s: int = Field(
        default=20,
        description="on SIGTERM: how long in-flight requests may take before the instance exits "
        "(its WebSockets are closed at once with 1012 so clients reconnect elsewhere)",
    )
    login_window_minutes: int = Field(
        default=15, description="failures older than this are forgotten"
    )

    @property
    def production(self) -> bool:
        return self.env.strip().lower() == "production"

    @property
    def https(self) -> bool:
        return self.base_url.lower().startswith("https://")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
