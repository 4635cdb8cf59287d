"""Statutory reply deadlines counted under Civil Code Arts. 201–203."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from hub.domain.holidays import ADJUSTED_WORKDAY, WEEKEND, DayInfo, HolidayCalendar, weekend_rule

# No real holiday run comes close; a longer run means the calendar data is broken.
MAX_REST_RUN = 31

_MONTH_NUMERALS = ("一", "两", "三", "四", "五", "六", "七", "八", "九", "十")


class PeriodUnit(StrEnum):
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Period:
    """A positive number of days or months."""

    amount: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError(f"期限必须至少为 1，收到 {self.amount}")

    def describe(self) -> str:
        """Chinese wording: 两个月, 11个月, 15日."""
        if self.unit is PeriodUnit.DAYS:
            return f"{self.amount}日"
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
    """The last day of a period starting the day after `start` (Arts. 201–202), before moving."""
    if period.unit is PeriodUnit.DAYS:
        return start + timedelta(days=period.amount)
    months = start.month - 1 + period.amount
    year, month = start.year + months // 12, months % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def compute_deadline(served_on: date, period: Period, calendar: HolidayCalendar) -> Deadline:
    """Nominal end, moved to the next working day (Art. 203); weekend rule where data is missing."""
    nominal_end = add_period(served_on, period)
    due_on = nominal_end
    moved: list[tuple[date, DayInfo]] = []
    missing: set[int] = set()
    while True:
        info = calendar.day_info(due_on)
        if info is None:
            missing.add(due_on.year)
            info = weekend_rule(due_on)
        if info.is_workday:
            break
        moved.append((due_on, info))
        if len(moved) > MAX_REST_RUN:
            raise ValueError(f"{nominal_end} 起连续 {len(moved)} 天均为休息日，节假日数据有误")
        due_on += timedelta(days=1)
    missing_years = tuple(sorted(missing))
    return Deadline(
        served_on=served_on,
        period=period,
        nominal_end=nominal_end,
        due_on=due_on,
        provisional=bool(missing_years),
        explanation=_explain(served_on, period, nominal_end, due_on, moved, missing_years),
        moved_over=tuple(day for day, _ in moved),
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


def _explain(
    served_on: date,
    period: Period,
    nominal_end: date,
    due_on: date,
    moved: Sequence[tuple[date, DayInfo]],
    missing_years: Sequence[int],
) -> str:
    head = f"{served_on.isoformat()} 送达，期限{period.describe()}，"
    if moved:
        first, *rest = _rest_segments(moved)
        reason = f"为{first}" + "".join(f"，其后为{segment}" for segment in rest)
        body = f"届满日 {nominal_end.isoformat()} {reason}，顺延至 {due_on.isoformat()}"
    else:
        body = f"届满日为 {due_on.isoformat()}"
    note = ""
    if missing_years:
        years = "、".join(str(year) for year in missing_years)
        note = f"（{years}年节假日安排尚未公布，按周末推算，待公布后重新计算）"
    return f"{head}{body}{note}。"


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
