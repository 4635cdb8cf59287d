"""The one clock. Instants are timezone-aware UTC; business dates are Asia/Shanghai dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def business_date(at: datetime) -> date:
    """The calendar date in Asia/Shanghai at instant ``at``."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware instant")
    return at.astimezone(BUSINESS_TZ).date()


def today() -> date:
    return business_date(now())
