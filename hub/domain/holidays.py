"""Holiday calendar: statutory data from `chinese_calendar` plus administrator overrides."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import chinese_calendar

WEEKEND = "周末"
ADJUSTED_WORKDAY = "调休上班"

# The package's own Chinese names are short forms ("清明", "端午", "中秋"); use the official ones.
_HOLIDAY_NAMES: Mapping[str, str] = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
}


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Whether a day is worked; `name` is a holiday, 周末, 调休上班, or None for a plain workday."""

    is_workday: bool
    name: str | None = None


class HolidayCalendar(Protocol):
    def day_info(self, day: date) -> DayInfo | None:
        """None means there is no calendar data for the day's year."""
        ...


def weekend_rule(day: date) -> DayInfo:
    """Saturday and Sunday are rest days, every other day is a plain workday."""
    return DayInfo(False, WEEKEND) if day.weekday() >= 5 else DayInfo(True, None)


def calendar_years_covered() -> range:
    """The years for which the installed `chinese_calendar` has data (2004–2026 in 1.11.0)."""
    days = chinese_calendar.holidays.keys()
    return range(min(days).year, max(days).year + 1)


def _holiday_name(english: str) -> str:
    if english in _HOLIDAY_NAMES:
        return _HOLIDAY_NAMES[english]
    for holiday in chinese_calendar.Holiday:
        if holiday.value == english:
            return str(holiday.chinese)
    return english


def _package_day_info(day: date) -> DayInfo:
    on_holiday, english = chinese_calendar.get_holiday_detail(day)
    if not on_holiday and english is not None:
        # The package lists a weekend day made a working day under the holiday it compensates.
        return DayInfo(True, ADJUSTED_WORKDAY)
    if english is not None:
        return DayInfo(False, _holiday_name(str(english)))
    return weekend_rule(day)


class StatutoryCalendar:
    """Overrides win, then package data, then weekends for `extra_years`; other years are None."""

    def __init__(
        self,
        overrides: Mapping[date, DayInfo] | None = None,
        extra_years: Collection[int] = (),
    ) -> None:
        self._overrides: dict[date, DayInfo] = dict(overrides or {})
        self._package_years = calendar_years_covered()
        self._extra_years = frozenset(extra_years)

    def covers(self, year: int) -> bool:
        """True when the year has package data or an administrator has published it."""
        return year in self._package_years or year in self._extra_years

    def day_info(self, day: date) -> DayInfo | None:
        # An override in a year nobody has published is a draft and is ignored.
        if not self.covers(day.year):
            return None
        if day in self._overrides:
            return self._overrides[day]
        if day.year in self._package_years:
            return _package_day_info(day)
        return weekend_rule(day)
