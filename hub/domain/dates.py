"""How a date or an instant reads in running text: 2026年12月2日, 2026年12月2日 14:05.

Every sentence the hub writes (deadline explanations, alert emails, error messages) words its
dates with these, in Beijing time. Dense cells on the board show ISO dates; the client does that.
"""

from __future__ import annotations

from datetime import date, datetime

from hub.clock import BUSINESS_TZ


def text_date(day: date) -> str:
    """2026-12-02 → 2026年12月2日 (a datetime is read as its Beijing date)."""
    if isinstance(day, datetime):
        day = _beijing(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def text_time(at: datetime) -> str:
    """An instant in Beijing time: 2026年12月2日 14:05."""
    local = _beijing(at)
    return f"{text_date(local.date())} {local:%H:%M}"


def _beijing(at: datetime) -> datetime:
    if at.utcoffset() is None:
        raise ValueError("naive datetime: pass a timezone-aware instant")
    return at.astimezone(BUSINESS_TZ)
