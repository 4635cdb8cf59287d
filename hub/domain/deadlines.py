"""Periods counted under Civil Code Arts. 201–203: days, months, working days and hours."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from hub.domain.dates import text_date
from hub.domain.holidays import ADJUSTED_WORKDAY, WEEKEND, DayInfo, HolidayCalendar, weekend_rule

# No real holiday run comes close; a longer run means the calendar data is broken.
MAX_REST_RUN = 31

_MONTH_NUMERALS = ("一", "两", "三", "四", "五", "六", "七", "八", "九", "十")
_UNIT_NAMES: Mapping[str, str] = MappingProxyType(
    {"days": "日", "months": "月", "working_days": "工作日", "hours": "小时"}
)


class PeriodUnit(StrEnum):
    DAYS = "days"
    MONTHS = "months"
    WORKING_DAYS = "working_days"  # only working days count; 调休 Saturdays do
    HOURS = "hours"  # from an instant, exactly; rest days do not move the end

    @property
    def zh(self) -> str:
        """The unit's Chinese name: 日, 月, 工作日, 小时."""
        return _UNIT_NAMES[self.value]


@dataclass(frozen=True, slots=True)
class Period:
    """A positive number of days, months, working days or hours."""

    amount: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError(f"期限必须至少为 1，收到 {self.amount}")

    def describe(self) -> str:
        """Chinese wording: 两个月, 11个月, 15日, 10个工作日, 24小时."""
        if self.unit is PeriodUnit.DAYS:
            return f"{self.amount}日"
        if self.unit is PeriodUnit.WORKING_DAYS:
            return f"{self.amount}个工作日"
        if self.unit is PeriodUnit.HOURS:
            return f"{self.amount}小时"
        if self.amount <= len(_MONTH_NUMERALS):
            return f"{_MONTH_NUMERALS[self.amount - 1]}个月"
        return f"{self.amount}个月"


@dataclass(frozen=True, slots=True)
class Deadline:
    """due_on is nominal_end moved past moved_over; provisional iff some year had no data."""

    served_on: date
    period: Period
    nominal_end: date
    due_on: date
    provisional: bool
    explanation: str
    moved_over: tuple[date, ...] = ()
    missing_years: tuple[int, ...] = ()


def add_period(start: date, period: Period) -> date:
    """The last day of a period starting the day after `start` (Arts. 201–202), before moving.

    Only days and months are calendar arithmetic: working days need a calendar
    (`add_working_days`) and hours an instant (`add_hours`).
    """
    if period.unit is PeriodUnit.DAYS:
        return start + timedelta(days=period.amount)
    if period.unit is PeriodUnit.MONTHS:
        months = start.month - 1 + period.amount
        year, month = start.year + months // 12, months % 12 + 1
        return date(year, month, min(start.day, monthrange(year, month)[1]))
    raise ValueError(f"期限{period.describe()}不能按日历日推算")


def add_hours(start: datetime, hours: int) -> datetime:
    """Exactly `hours` after the instant `start`, in `start`'s time zone.

    Art. 201(2): a period in hours runs from the instant the law sets, so nothing is rounded
    and rest days never move the end — the 24-hour limits of 《行政执法机关移送涉嫌犯罪案件的规定》
    run through weekends and holidays.
    """
    if start.utcoffset() is None:
        raise ValueError("按小时计算的期限须从带时区的时刻起算")
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)


@dataclass(frozen=True, slots=True)
class RestDayMove:
    """`due_on` is the first working day on or after `end`; `moved` lists the rest days passed."""

    end: date
    due_on: date
    moved: tuple[tuple[date, DayInfo], ...] = ()
    missing_years: frozenset[int] = frozenset()


def _day_info(day: date, calendar: HolidayCalendar, missing: set[int]) -> DayInfo:
    info = calendar.day_info(day)
    if info is None:
        missing.add(day.year)
        return weekend_rule(day)
    return info


def move_to_working_day(end: date, calendar: HolidayCalendar) -> RestDayMove:
    """Art. 203: a last day on a rest day moves to the next working day (weekend rule: no data)."""
    due_on = end
    moved: list[tuple[date, DayInfo]] = []
    missing: set[int] = set()
    while not (info := _day_info(due_on, calendar, missing)).is_workday:
        moved.append((due_on, info))
        if len(moved) > MAX_REST_RUN:
            raise ValueError(f"{text_date(end)}起连续 {len(moved)} 日均为休息日，节假日数据有误")
        due_on += timedelta(days=1)
    return RestDayMove(end, due_on, tuple(moved), frozenset(missing))


def add_working_days(
    start: date, amount: int, calendar: HolidayCalendar
) -> tuple[date, frozenset[int]]:
    """The `amount`-th working day after `start`, and the years counted by the weekend rule."""
    day, counted, rest_run = start, 0, 0
    missing: set[int] = set()
    while counted < amount:
        day += timedelta(days=1)
        if _day_info(day, calendar, missing).is_workday:
            counted, rest_run = counted + 1, 0
            continue
        rest_run += 1
        if rest_run > MAX_REST_RUN:
            raise ValueError(f"{text_date(day)}前连续 {rest_run} 日均为休息日，节假日数据有误")
    return day, frozenset(missing)


def period_end(start: date, period: Period, calendar: HolidayCalendar) -> RestDayMove:
    """The nominal last day of `period` after `start`, moved off rest days (Art. 203).

    A working-day period ends on a working day, so it never moves.
    """
    if period.unit is PeriodUnit.WORKING_DAYS:
        end, missing = add_working_days(start, period.amount, calendar)
        return RestDayMove(end, end, (), missing)
    return move_to_working_day(add_period(start, period), calendar)


def compute_deadline(served_on: date, period: Period, calendar: HolidayCalendar) -> Deadline:
    """Nominal end, moved to the next working day (Art. 203); weekend rule where data is missing.

    Hour periods need an instant and are refused here (see `clock_rules.compute_clock`).
    """
    move = period_end(served_on, period, calendar)
    missing_years = tuple(sorted(move.missing_years))
    return Deadline(
        served_on=served_on,
        period=period,
        nominal_end=move.end,
        due_on=move.due_on,
        provisional=bool(missing_years),
        explanation=describe_start("送达", text_date(served_on), period)
        + describe_end(move)
        + provisional_note(missing_years)
        + "。",
        moved_over=tuple(day for day, _ in move.moved),
        missing_years=missing_years,
    )


def _rest_segments(moved: Sequence[tuple[date, DayInfo]]) -> list[str]:
    """Consecutive rest days grouped: ['周末', '端午节假日'] or ['国庆节、中秋节假日']."""
    segments: list[list[str]] = []
    for _, info in moved:
        if info.name == WEEKEND:
            kind, name = WEEKEND, None
        elif info.name is None or info.name == ADJUSTED_WORKDAY:
            kind, name = "休息日", None
        else:
            kind, name = "假日", info.name
        if not segments or segments[-1][0] != kind:
            segments.append([kind])
        if name is not None and name not in segments[-1]:
            segments[-1].append(name)
    texts: list[str] = []
    for kind, *names in segments:
        text = "、".join(names) + kind if names else kind
        if text not in texts:
            texts.append(text)
    return texts


def describe_start(label: str, start: str, period: Period) -> str:
    """The opening of an explanation: '2024年8月1日送达，期限两个月，' (`start` as worded)."""
    return f"{start}{label}，期限{period.describe()}，"


def describe_rest(moved: Sequence[tuple[date, DayInfo]]) -> str:
    """Why a day moved: '为周末，其后为端午节假日'."""
    first, *rest = _rest_segments(moved)
    return f"为{first}" + "".join(f"，其后为{segment}" for segment in rest)


def describe_end(move: RestDayMove) -> str:
    """'届满日为D', or '届满日D为国庆节假日，顺延至E' when the end moved (dates as text)."""
    if not move.moved:
        return f"届满日为{text_date(move.due_on)}"
    return f"届满日{text_date(move.end)}{describe_rest(move.moved)}，顺延至{text_date(move.due_on)}"


def provisional_note(missing_years: Collection[int]) -> str:
    """The note a provisional deadline carries; empty when every year had data."""
    if not missing_years:
        return ""
    years = "、".join(str(year) for year in sorted(missing_years))
    return f"（{years}年节假日安排尚未公布，按周末推算，待公布后重新计算）"


class ReplyRule(StrEnum):
    STATUTORY_2_MONTHS = "statutory_2m"  # JI Art. 21(2); 检察建议工作规定 default
    URGENT_15_DAYS = "urgent_15d"  # JI Art. 21(2): harm continuing to expand, or similar urgency
    CUSTOM = "custom"  # set by the procuratorate; non-PIL recommendations only (D4)


_JI = "《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释》"
_JY = "《人民检察院检察建议工作规定》"

RULE_BASIS: Mapping[ReplyRule, str] = MappingProxyType(
    {
        ReplyRule.STATUTORY_2_MONTHS: f"{_JI}第二十一条；{_JY}",
        ReplyRule.URGENT_15_DAYS: f"{_JI}第二十一条第二款",
        ReplyRule.CUSTOM: f"{_JY}（检察机关确定的期限）",
    }
)

_FIXED_PERIODS: Mapping[ReplyRule, Period] = MappingProxyType(
    {
        ReplyRule.STATUTORY_2_MONTHS: Period(2, PeriodUnit.MONTHS),
        ReplyRule.URGENT_15_DAYS: Period(15, PeriodUnit.DAYS),
    }
)


def allowed_reply_rules(public_interest: bool) -> frozenset[ReplyRule]:
    """PIL pre-suit recommendations follow JI Art. 21 only; others may have a custom period."""
    if public_interest:
        return frozenset({ReplyRule.STATUTORY_2_MONTHS, ReplyRule.URGENT_15_DAYS})
    return frozenset({ReplyRule.STATUTORY_2_MONTHS, ReplyRule.CUSTOM})


def reply_period(rule: ReplyRule, custom: Period | None = None) -> Period:
    """A custom period is required for CUSTOM and refused for the statutory rules."""
    if rule is ReplyRule.CUSTOM:
        if custom is None:
            raise ValueError("自定义期限规则必须给出期限")
        return custom
    if custom is not None:
        raise ValueError(f"规则 {rule.value} 的期限由法律规定，不能自定义")
    return _FIXED_PERIODS[rule]
