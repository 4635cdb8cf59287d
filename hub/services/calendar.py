"""The holiday calendar: ``chinese-calendar`` data plus the years administrators enter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from tortoise.transactions import in_transaction

from hub import clock
from hub.domain.dates import text_date
from hub.domain.errors import ValidationFailed
from hub.domain.holidays import DayInfo, StatutoryCalendar
from hub.models import CalendarDay, CalendarYear

_cached: StatutoryCalendar | None = None


async def current_calendar() -> StatutoryCalendar:
    """The calendar deadlines are computed with; reloaded after administrators change it."""
    global _cached
    if _cached is None:
        years = [row.year for row in await CalendarYear.all()]
        overrides = {
            row.day: DayInfo(is_workday=row.is_workday, name=row.name or None)
            for row in await CalendarDay.all()
        }
        _cached = StatutoryCalendar(overrides, extra_years=years)
    return _cached


def forget_calendar() -> None:
    global _cached
    _cached = None


async def publish_year(
    year: int,
    days: Iterable[tuple[date, bool, str]],
    *,
    source: str = "",
    now: datetime | None = None,
) -> int:
    """Enter a year's published arrangement, then recompute provisional deadlines.

    ``days`` lists the exceptions to the weekday rule: holidays and 调休 working days.
    Callers then run ``hub.services.clocks.recompute_provisional_clocks``.
    """
    rows = list(days)
    for day, _, _ in rows:
        if day.year not in (year, year - 1):
            raise ValidationFailed(f"{text_date(day)}不属于{year}年的节假日安排", field="days")
    at = now or clock.now()
    async with in_transaction():
        await CalendarYear.update_or_create(
            year=year, defaults={"source": source, "entered_at": at}
        )
        for day, is_workday, name in rows:
            await CalendarDay.update_or_create(
                day=day, defaults={"is_workday": is_workday, "name": name}
            )
    forget_calendar()
    return len(rows)
