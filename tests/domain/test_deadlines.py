"""Deadline engine against the real chinese_calendar 1.11.0 data (2004–2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hub.domain.deadlines import (
    MAX_REST_RUN,
    RULE_BASIS,
    Deadline,
    Period,
    PeriodUnit,
    ReplyRule,
    add_hours,
    add_period,
    add_working_days,
    allowed_reply_rules,
    compute_deadline,
    reply_period,
)
from hub.domain.holidays import DayInfo, StatutoryCalendar, calendar_years_covered

CALENDAR = StatutoryCalendar()
TWO_MONTHS = Period(2, PeriodUnit.MONTHS)
ONE_MONTH = Period(1, PeriodUnit.MONTHS)
FIFTEEN_DAYS = Period(15, PeriodUnit.DAYS)
CST = timezone(timedelta(hours=8))

# 2027 as an administrator would enter it from a (hypothetical) State Council notice.
ADMIN_2027 = StatutoryCalendar(
    overrides={
        date(2027, 1, 1): DayInfo(False, "元旦"),
        date(2027, 1, 2): DayInfo(False, "元旦"),
        date(2027, 1, 3): DayInfo(False, "元旦"),
        date(2027, 2, 20): DayInfo(True, "调休上班"),
    },
    extra_years=[2027],
)


def _deadline(served_on: date, period: Period) -> Deadline:
    return compute_deadline(served_on, period, CALENDAR)


@pytest.mark.parametrize(
    ("served_on", "period", "nominal_end", "due_on"),
    [
        # National Day 2024: Oct 1–7 off, Sun Sep 29 and Sat Oct 12 worked.
        (date(2024, 8, 1), TWO_MONTHS, date(2024, 10, 1), date(2024, 10, 8)),
        (date(2024, 9, 16), FIFTEEN_DAYS, date(2024, 10, 1), date(2024, 10, 8)),
        # National Day + Mid-Autumn 2025: Oct 1–8 off (Oct 6 is 中秋), Sep 28 and Oct 11 worked.
        (date(2025, 8, 1), TWO_MONTHS, date(2025, 10, 1), date(2025, 10, 9)),
        (date(2025, 8, 6), TWO_MONTHS, date(2025, 10, 6), date(2025, 10, 9)),
        # Mid-Autumn 2026 Sep 25–27, National Day 2026 Oct 1–7.
        (date(2026, 7, 25), TWO_MONTHS, date(2026, 9, 25), date(2026, 9, 28)),
        (date(2026, 8, 1), TWO_MONTHS, date(2026, 10, 1), date(2026, 10, 8)),
        # Spring Festival 2024: Feb 10–17 off, Sun Feb 18 worked.
        (date(2023, 12, 10), TWO_MONTHS, date(2024, 2, 10), date(2024, 2, 18)),
        (date(2023, 12, 12), TWO_MONTHS, date(2024, 2, 12), date(2024, 2, 18)),
        # Spring Festival 2025: Jan 28 – Feb 4 off.
        (date(2024, 12, 28), ONE_MONTH, date(2025, 1, 28), date(2025, 2, 5)),
        (date(2024, 12, 1), TWO_MONTHS, date(2025, 2, 1), date(2025, 2, 5)),
        # Spring Festival 2026: Feb 15–23 off.
        (date(2025, 12, 15), TWO_MONTHS, date(2026, 2, 15), date(2026, 2, 24)),
        # Labour Day 2024 (May 1–5) and Dragon Boat 2025 (May 31 – Jun 2).
        (date(2024, 3, 1), TWO_MONTHS, date(2024, 5, 1), date(2024, 5, 6)),
        (date(2025, 5, 16), FIFTEEN_DAYS, date(2025, 5, 31), date(2025, 6, 3)),
        # Plain weekend, and a weekend running into Dragon Boat 2024 (Mon Jun 10).
        (date(2024, 5, 31), FIFTEEN_DAYS, date(2024, 6, 15), date(2024, 6, 17)),
        (date(2024, 5, 24), FIFTEEN_DAYS, date(2024, 6, 8), date(2024, 6, 11)),
        (date(2026, 8, 28), FIFTEEN_DAYS, date(2026, 9, 12), date(2026, 9, 14)),
        # Plain workdays.
        (date(2024, 6, 3), FIFTEEN_DAYS, date(2024, 6, 18), date(2024, 6, 18)),
        (date(2025, 12, 29), FIFTEEN_DAYS, date(2026, 1, 13), date(2026, 1, 13)),
    ],
)
def test_moves_past_rest_days(
    served_on: date, period: Period, nominal_end: date, due_on: date
) -> None:
    deadline = _deadline(served_on, period)
    assert (deadline.nominal_end, deadline.due_on) == (nominal_end, due_on)
    assert not deadline.provisional
    assert deadline.missing_years == ()


@pytest.mark.parametrize(
    ("served_on", "period", "adjusted_workday"),
    [
        (date(2024, 8, 12), TWO_MONTHS, date(2024, 10, 12)),  # Sat, after National Day 2024
        (date(2024, 7, 29), TWO_MONTHS, date(2024, 9, 29)),  # Sun, before National Day 2024
        (date(2025, 9, 13), FIFTEEN_DAYS, date(2025, 9, 28)),  # Sun, before National Day 2025
        (date(2025, 9, 26), FIFTEEN_DAYS, date(2025, 10, 11)),  # Sat, after National Day 2025
        (date(2025, 1, 11), FIFTEEN_DAYS, date(2025, 1, 26)),  # Sun, before Spring Festival 2025
        (date(2025, 12, 14), TWO_MONTHS, date(2026, 2, 14)),  # Sat, before Spring Festival 2026
        (date(2026, 9, 25), FIFTEEN_DAYS, date(2026, 10, 10)),  # Sat, after National Day 2026
    ],
)
def test_adjusted_weekend_workday_does_not_move(
    served_on: date, period: Period, adjusted_workday: date
) -> None:
    assert adjusted_workday.weekday() >= 5
    deadline = _deadline(served_on, period)
    assert deadline.nominal_end == deadline.due_on == adjusted_workday
    assert deadline.moved_over == ()


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (date(2024, 1, 31), ONE_MONTH, date(2024, 2, 29)),
        (date(2023, 1, 31), ONE_MONTH, date(2023, 2, 28)),
        (date(2025, 1, 31), ONE_MONTH, date(2025, 2, 28)),
        (date(2024, 8, 1), TWO_MONTHS, date(2024, 10, 1)),
        (date(2024, 8, 31), TWO_MONTHS, date(2024, 10, 31)),
        (date(2023, 12, 31), TWO_MONTHS, date(2024, 2, 29)),
        (date(2024, 12, 31), TWO_MONTHS, date(2025, 2, 28)),
        (date(2027, 12, 31), TWO_MONTHS, date(2028, 2, 29)),
        (date(2024, 2, 29), Period(12, PeriodUnit.MONTHS), date(2025, 2, 28)),
        (date(2024, 11, 30), Period(3, PeriodUnit.MONTHS), date(2025, 2, 28)),
        (date(2024, 12, 17), FIFTEEN_DAYS, date(2025, 1, 1)),
        (date(2024, 2, 14), FIFTEEN_DAYS, date(2024, 2, 29)),
    ],
)
def test_add_period_month_ends_and_leap_years(start: date, period: Period, end: date) -> None:
    assert add_period(start, period) == end


@pytest.mark.parametrize(
    ("served_on", "period", "due_on"),
    [
        (date(2024, 1, 31), ONE_MONTH, date(2024, 2, 29)),  # Thu
        (date(2023, 1, 31), ONE_MONTH, date(2023, 2, 28)),  # Tue
        (date(2024, 8, 31), TWO_MONTHS, date(2024, 10, 31)),  # Thu
        (date(2025, 8, 31), TWO_MONTHS, date(2025, 10, 31)),  # Fri
        (date(2023, 12, 31), TWO_MONTHS, date(2024, 2, 29)),  # Thu
        (date(2024, 12, 31), TWO_MONTHS, date(2025, 2, 28)),  # Fri
        (date(2026, 1, 30), ONE_MONTH, date(2026, 2, 28)),  # Sat, but 调休上班
    ],
)
def test_month_end_deadlines(served_on: date, period: Period, due_on: date) -> None:
    deadline = _deadline(served_on, period)
    assert deadline.nominal_end == deadline.due_on == due_on
    assert not deadline.provisional


@pytest.mark.parametrize(
    ("served_on", "period", "nominal_end", "due_on"),
    [
        (date(2026, 11, 18), TWO_MONTHS, date(2027, 1, 18), date(2027, 1, 18)),  # Mon
        (date(2026, 11, 16), TWO_MONTHS, date(2027, 1, 16), date(2027, 1, 18)),  # Sat
        (date(2026, 11, 1), TWO_MONTHS, date(2027, 1, 1), date(2027, 1, 1)),  # Fri; 元旦 unknown
        (date(2026, 12, 31), TWO_MONTHS, date(2027, 2, 28), date(2027, 3, 1)),  # 2027 not leap
        (date(2027, 12, 31), TWO_MONTHS, date(2028, 2, 29), date(2028, 2, 29)),  # 2028 leap, Tue
    ],
)
def test_year_without_data_is_provisional_weekend_rule(
    served_on: date, period: Period, nominal_end: date, due_on: date
) -> None:
    deadline = _deadline(served_on, period)
    assert (deadline.nominal_end, deadline.due_on) == (nominal_end, due_on)
    assert deadline.provisional
    assert deadline.missing_years == (nominal_end.year,)


def test_walking_into_a_year_without_data_is_provisional() -> None:
    # A correction inside a package year pushes the walk over New Year into 2027.
    calendar = StatutoryCalendar(overrides={date(2026, 12, 31): DayInfo(False, "元旦")})
    deadline = compute_deadline(date(2026, 12, 16), FIFTEEN_DAYS, calendar)
    assert deadline.nominal_end == date(2026, 12, 31)
    assert deadline.due_on == date(2027, 1, 1)
    assert deadline.provisional
    assert deadline.missing_years == (2027,)


@pytest.mark.parametrize(
    ("served_on", "period", "due_on", "moved_over"),
    [
        # Admin-published 元旦 2027 (Jan 1–3) moves a Friday deadline.
        (
            date(2026, 11, 1),
            TWO_MONTHS,
            date(2027, 1, 4),
            (date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)),
        ),
        # Unlisted 2027 days follow the weekend rule; a listed 调休 Saturday is worked.
        (date(2026, 11, 16), TWO_MONTHS, date(2027, 1, 18), (date(2027, 1, 16), date(2027, 1, 17))),
        (date(2027, 2, 5), FIFTEEN_DAYS, date(2027, 2, 20), ()),
    ],
)
def test_administrator_published_year_is_not_provisional(
    served_on: date, period: Period, due_on: date, moved_over: tuple[date, ...]
) -> None:
    deadline = compute_deadline(served_on, period, ADMIN_2027)
    assert deadline.due_on == due_on
    assert deadline.moved_over == moved_over
    assert not deadline.provisional


def test_override_corrects_package_day() -> None:
    corrected = StatutoryCalendar(
        overrides={
            date(2024, 10, 8): DayInfo(False, "国庆节"),
            date(2024, 10, 12): DayInfo(False, "周末"),
        }
    )
    assert compute_deadline(date(2024, 8, 1), TWO_MONTHS, corrected).due_on == date(2024, 10, 9)
    assert compute_deadline(date(2024, 8, 12), TWO_MONTHS, corrected).due_on == date(2024, 10, 14)


@pytest.mark.parametrize(
    ("served_on", "period", "calendar", "explanation"),
    [
        (
            date(2024, 8, 1),
            TWO_MONTHS,
            CALENDAR,
            "2024年8月1日送达，期限两个月，届满日2024年10月1日为国庆节假日，顺延至2024年10月8日。",
        ),
        (
            date(2024, 3, 1),
            TWO_MONTHS,
            CALENDAR,
            "2024年3月1日送达，期限两个月，届满日2024年5月1日为劳动节假日，顺延至2024年5月6日。",
        ),
        (
            date(2025, 8, 1),
            TWO_MONTHS,
            CALENDAR,
            "2025年8月1日送达，期限两个月，届满日2025年10月1日为国庆节、中秋节假日，"
            "顺延至2025年10月9日。",
        ),
        (
            date(2024, 6, 3),
            FIFTEEN_DAYS,
            CALENDAR,
            "2024年6月3日送达，期限15日，届满日为2024年6月18日。",
        ),
        (
            date(2024, 5, 31),
            FIFTEEN_DAYS,
            CALENDAR,
            "2024年5月31日送达，期限15日，届满日2024年6月15日为周末，顺延至2024年6月17日。",
        ),
        (
            date(2024, 5, 24),
            FIFTEEN_DAYS,
            CALENDAR,
            "2024年5月24日送达，期限15日，届满日2024年6月8日为周末，其后为端午节假日，"
            "顺延至2024年6月11日。",
        ),
        (
            date(2026, 11, 16),
            TWO_MONTHS,
            CALENDAR,
            "2026年11月16日送达，期限两个月，届满日2027年1月16日为周末，顺延至2027年1月18日"
            "（2027年节假日安排尚未公布，按周末推算，待公布后重新计算）。",
        ),
        (
            date(2026, 11, 1),
            TWO_MONTHS,
            ADMIN_2027,
            "2026年11月1日送达，期限两个月，届满日2027年1月1日为元旦假日，顺延至2027年1月4日。",
        ),
    ],
)
def test_explanation(
    served_on: date, period: Period, calendar: StatutoryCalendar, explanation: str
) -> None:
    text = compute_deadline(served_on, period, calendar).explanation
    assert text == explanation
    assert text.count("。") == 1


class _AlwaysRest:
    def day_info(self, day: date) -> DayInfo | None:
        return DayInfo(False, "假期")


def test_endless_rest_run_is_rejected() -> None:
    with pytest.raises(ValueError, match=str(MAX_REST_RUN + 1)):
        compute_deadline(date(2024, 6, 3), FIFTEEN_DAYS, _AlwaysRest())


@pytest.mark.parametrize(
    ("day", "info"),
    [
        (date(2024, 6, 14), DayInfo(True, None)),
        (date(2024, 6, 15), DayInfo(False, "周末")),
        (date(2024, 10, 5), DayInfo(False, "国庆节")),  # a Saturday inside the holiday
        (date(2024, 10, 12), DayInfo(True, "调休上班")),
        (date(2024, 4, 4), DayInfo(False, "清明节")),
        (date(2025, 10, 6), DayInfo(False, "中秋节")),
        (date(2025, 9, 28), DayInfo(True, "调休上班")),
        (date(2023, 12, 30), DayInfo(False, "元旦")),  # the 2024 元旦 run starts in 2023
        (date(2026, 6, 19), DayInfo(False, "端午节")),
        (date(2026, 2, 28), DayInfo(True, "调休上班")),
        (
            date(2015, 9, 3),
            DayInfo(False, "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
        ),
    ],
)
def test_statutory_calendar_day_info(day: date, info: DayInfo) -> None:
    assert CALENDAR.day_info(day) == info


def test_calendar_coverage() -> None:
    assert calendar_years_covered() == range(2004, 2027)
    assert CALENDAR.day_info(date(2003, 12, 31)) is None
    assert CALENDAR.day_info(date(2027, 1, 1)) is None
    # An override alone does not publish a year.
    draft = StatutoryCalendar(overrides={date(2027, 1, 1): DayInfo(False, "元旦")})
    assert draft.day_info(date(2027, 1, 1)) is None
    assert ADMIN_2027.day_info(date(2027, 1, 1)) == DayInfo(False, "元旦")
    assert ADMIN_2027.day_info(date(2027, 1, 9)) == DayInfo(False, "周末")
    assert ADMIN_2027.day_info(date(2027, 1, 11)) == DayInfo(True, None)
    assert ADMIN_2027.day_info(date(2028, 1, 3)) is None


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (Period(1, PeriodUnit.MONTHS), "一个月"),
        (Period(2, PeriodUnit.MONTHS), "两个月"),
        (Period(3, PeriodUnit.MONTHS), "三个月"),
        (Period(10, PeriodUnit.MONTHS), "十个月"),
        (Period(11, PeriodUnit.MONTHS), "11个月"),
        (Period(1, PeriodUnit.DAYS), "1日"),
        (Period(15, PeriodUnit.DAYS), "15日"),
    ],
)
def test_period_describe(period: Period, text: str) -> None:
    assert period.describe() == text


@pytest.mark.parametrize("amount", [0, -1])
@pytest.mark.parametrize("unit", list(PeriodUnit))
def test_period_rejects_non_positive(amount: int, unit: PeriodUnit) -> None:
    with pytest.raises(ValueError, match="至少为 1"):
        Period(amount, unit)


@pytest.mark.parametrize(
    ("rule", "custom", "period"),
    [
        (ReplyRule.STATUTORY_2_MONTHS, None, Period(2, PeriodUnit.MONTHS)),
        (ReplyRule.URGENT_15_DAYS, None, Period(15, PeriodUnit.DAYS)),
        (ReplyRule.CUSTOM, Period(20, PeriodUnit.DAYS), Period(20, PeriodUnit.DAYS)),
    ],
)
def test_reply_period(rule: ReplyRule, custom: Period | None, period: Period) -> None:
    assert reply_period(rule, custom) == period


@pytest.mark.parametrize(
    ("rule", "custom"),
    [
        (ReplyRule.CUSTOM, None),
        (ReplyRule.STATUTORY_2_MONTHS, Period(1, PeriodUnit.MONTHS)),
        (ReplyRule.URGENT_15_DAYS, Period(10, PeriodUnit.DAYS)),
    ],
)
def test_reply_period_rejects_mismatched_custom(rule: ReplyRule, custom: Period | None) -> None:
    with pytest.raises(ValueError, match="期限"):
        reply_period(rule, custom)


def test_rule_basis_and_allowed_rules() -> None:
    assert set(RULE_BASIS) == set(ReplyRule)
    assert "第二十一条" in RULE_BASIS[ReplyRule.STATUTORY_2_MONTHS]
    assert "《人民检察院检察建议工作规定》" in RULE_BASIS[ReplyRule.STATUTORY_2_MONTHS]
    assert RULE_BASIS[ReplyRule.URGENT_15_DAYS].endswith("第二十一条第二款")
    assert ReplyRule.CUSTOM not in allowed_reply_rules(public_interest=True)
    assert ReplyRule.CUSTOM in allowed_reply_rules(public_interest=False)


# Working days and hours. 2026: Mid-Autumn Sep 25–27 and National Day Oct 1–7 off, Sat Oct 10
# worked; Spring Festival Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked.
TEN_WORKING_DAYS = Period(10, PeriodUnit.WORKING_DAYS)


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (Period(10, PeriodUnit.WORKING_DAYS), "10个工作日"),
        (Period(1, PeriodUnit.WORKING_DAYS), "1个工作日"),
        (Period(24, PeriodUnit.HOURS), "24小时"),
    ],
)
def test_period_describe_working_days_and_hours(period: Period, text: str) -> None:
    assert period.describe() == text


def test_unit_values_are_stable() -> None:
    assert [unit.value for unit in PeriodUnit] == ["days", "months", "working_days", "hours"]
    assert [unit.zh for unit in PeriodUnit] == ["日", "月", "工作日", "小时"]


@pytest.mark.parametrize(
    ("start", "amount", "end"),
    [
        # Sep 29, 30, Oct 8, 9, 10 (调休 Saturday), 12, 13, 14, 15, 16.
        (date(2026, 9, 28), 10, date(2026, 10, 16)),
        (date(2026, 9, 28), 5, date(2026, 10, 10)),
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-Autumn Sep 25–27 skipped
        (date(2026, 2, 12), 5, date(2026, 2, 26)),  # Feb 13, 14 (调休), 24, 25, 26
        (date(2026, 2, 27), 1, date(2026, 2, 28)),  # 调休 Saturday counts
        (date(2024, 6, 14), 1, date(2024, 6, 17)),  # a plain weekend
    ],
)
def test_add_working_days(start: date, amount: int, end: date) -> None:
    assert add_working_days(start, amount, CALENDAR) == (end, frozenset())


def test_working_days_deadline_never_moves() -> None:
    deadline = compute_deadline(date(2026, 9, 28), TEN_WORKING_DAYS, CALENDAR)
    assert deadline.nominal_end == deadline.due_on == date(2026, 10, 16)
    assert deadline.moved_over == ()
    assert not deadline.provisional
    assert deadline.explanation == "2026年9月28日送达，期限10个工作日，届满日为2026年10月16日。"


def test_working_days_into_a_year_without_data_are_provisional() -> None:
    # Dec 29, 30, 31, then 2027 by the weekend rule: Fri Jan 1 counts, Mon Jan 4.
    deadline = compute_deadline(date(2026, 12, 28), Period(5, PeriodUnit.WORKING_DAYS), CALENDAR)
    assert deadline.due_on == date(2027, 1, 4)
    assert deadline.provisional
    assert deadline.missing_years == (2027,)
    assert deadline.explanation.endswith(
        "（2027年节假日安排尚未公布，按周末推算，待公布后重新计算）。"
    )


def test_endless_rest_run_is_rejected_for_working_days() -> None:
    with pytest.raises(ValueError, match=str(MAX_REST_RUN + 1)):
        add_working_days(date(2024, 6, 3), 1, _AlwaysRest())


@pytest.mark.parametrize(
    ("start", "hours", "end"),
    [
        (datetime(2026, 12, 1, 22, 30, tzinfo=CST), 24, datetime(2026, 12, 2, 22, 30, tzinfo=CST)),
        # No move for rest days: the 24 hours run into National Day.
        (datetime(2026, 9, 30, 18, 0, tzinfo=CST), 24, datetime(2026, 10, 1, 18, 0, tzinfo=CST)),
        (datetime(2026, 12, 31, 23, 59, tzinfo=CST), 1, datetime(2027, 1, 1, 0, 59, tzinfo=CST)),
        (datetime(2026, 12, 1, 14, 30, tzinfo=UTC), 24, datetime(2026, 12, 2, 14, 30, tzinfo=UTC)),
    ],
)
def test_add_hours_is_exact(start: datetime, hours: int, end: datetime) -> None:
    result = add_hours(start, hours)
    assert result == end
    assert result.utcoffset() == start.utcoffset()


def test_hours_need_an_instant() -> None:
    with pytest.raises(ValueError, match="带时区"):
        add_hours(datetime(2026, 12, 1, 22, 30), 24)
    with pytest.raises(ValueError, match="24小时"):
        compute_deadline(date(2026, 12, 1), Period(24, PeriodUnit.HOURS), CALENDAR)
    with pytest.raises(ValueError, match="10个工作日"):
        add_period(date(2026, 12, 1), TEN_WORKING_DAYS)
