"""Deadline rules as data and clocks with pauses and extensions, on chinese_calendar 1.11.0."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hub.domain.clock_rules import (
    DEFAULT_MAX_CUSTOM,
    RULES,
    ClockRuleError,
    DeadlineRule,
    Extension,
    InvalidPause,
    InvalidPeriod,
    InvalidStart,
    Pause,
    UnknownRule,
    compute_clock,
    rule,
)
from hub.domain.deadlines import Period, PeriodUnit, compute_deadline
from hub.domain.holidays import StatutoryCalendar

CALENDAR = StatutoryCalendar()
CST = timezone(timedelta(hours=8))
D, M, WD, H = PeriodUnit.DAYS, PeriodUnit.MONTHS, PeriodUnit.WORKING_DAYS, PeriodUnit.HOURS

RULE_PERIODS: dict[str, Period | None] = {
    "ji21_2m": Period(2, M),
    "ji21_15d": Period(15, D),
    "jy_2m": Period(2, M),
    "jy_custom": None,
    "gz_filing_service_7d": Period(7, D),
    "zn_litigation_review_2m": Period(2, M),
    "dispute_follow_up_30d": Period(30, D),
    "ys_decide_3d": Period(3, D),
    "ys_transfer_24h": Period(24, H),
    "ys_police_review_3d": Period(3, D),
    "ys_reconsider_request_3d": Period(3, D),
    "ys_reconsider_decide_3d": Period(3, D),
    "ys_supervision_request_3d": Period(3, D),
    "ys_handover_3d": Period(3, D),
    "fy_decision_60d": Period(60, D),
    "consultation_answer_10wd": Period(10, WD),
    "assigned_date": None,
    "custom_days": None,
    "consultation_urgent_3wd": Period(3, WD),
    "xs177_result_2m": Period(2, M),
    "xs177_result_custom": None,
}


def test_rule_ids_and_periods() -> None:
    assert list(RULES) == list(RULE_PERIODS)
    for rule_id, period in RULE_PERIODS.items():
        assert RULES[rule_id].id == rule_id
        assert RULES[rule_id].period == period
    with pytest.raises(TypeError):
        RULES["x"] = RULES["jy_2m"]  # type: ignore[index]


def test_rules_are_hashable_values() -> None:
    assert len({*RULES.values()}) == len(RULES)
    assert rule("jy_2m") is RULES["jy_2m"]


@pytest.mark.parametrize(
    ("rule_id", "fragments"),
    [
        ("ji21_2m", ["第二十一条第二款", "两个月"]),
        ("ji21_15d", ["第二十一条第二款", "十五日"]),
        ("jy_2m", ["《人民检察院检察建议工作规定》", "两个月"]),
        ("jy_custom", ["《人民检察院检察建议工作规定》", "情况紧急"]),
        ("gz_filing_service_7d", ["《人民检察院公益诉讼办案规则》", "七日"]),
        ("zn_litigation_review_2m", ["两个月", "非法律规定"]),
        ("dispute_follow_up_30d", ["本平台工作规则", "非法律规定"]),
        ("ys_decide_3d", ["《行政执法机关移送涉嫌犯罪案件的规定》第五条", "3日"]),
        ("ys_transfer_24h", ["《行政执法机关移送涉嫌犯罪案件的规定》第五条", "24小时"]),
        ("ys_police_review_3d", ["《行政执法机关移送涉嫌犯罪案件的规定》第八条"]),
        ("ys_reconsider_request_3d", ["《行政执法机关移送涉嫌犯罪案件的规定》第九条"]),
        ("ys_reconsider_decide_3d", ["《行政执法机关移送涉嫌犯罪案件的规定》第九条"]),
        ("ys_supervision_request_3d", ["《行政执法机关移送涉嫌犯罪案件的规定》第九条", "立案监督"]),
        ("ys_handover_3d", ["《行政执法机关移送涉嫌犯罪案件的规定》第十二条"]),
        ("fy_decision_60d", ["《中华人民共和国行政复议法》第六十二条", "三十日"]),
        ("consultation_answer_10wd", ["宿政秘〔2022〕31号", "应及时答复", "10个工作日"]),
        ("custom_days", ["个案"]),
    ],
)
def test_basis_names_the_source(rule_id: str, fragments: list[str]) -> None:
    basis = RULES[rule_id].basis
    for fragment in fragments:
        assert fragment in basis


def test_ji21_cites_article_21_and_jy_never_mentions_public_interest_litigation() -> None:
    for rule_id in ("ji21_2m", "ji21_15d"):
        assert (
            "《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释》第二十一条"
            in RULES[rule_id].basis
        )
        assert "第二十一条" in RULES[rule_id].label
    for rule_id in ("jy_2m", "jy_custom"):
        assert "公益诉讼" not in RULES[rule_id].basis
        assert "公益诉讼" not in RULES[rule_id].label


def test_custom_rules() -> None:
    assert RULES["jy_custom"].custom_units == {D, M}
    assert RULES["custom_days"].custom_units == set(PeriodUnit)
    assert dict(RULES["custom_days"].max_custom) == {M: 12, D: 365, WD: 250, H: 720}
    assert RULES["custom_days"].max_custom is DEFAULT_MAX_CUSTOM
    assert all(r.custom_units == frozenset() for r in RULES.values() if r.period is not None)


def test_unknown_rule_lists_the_valid_ids() -> None:
    with pytest.raises(UnknownRule) as caught:
        rule("statutory_2m")
    message = str(caught.value)
    assert message.startswith("没有期限规则 statutory_2m；可用的规则：")
    assert all(rule_id in message for rule_id in RULES)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(UnknownRule):
        compute_clock("nope", date(2026, 6, 1), CALENDAR)


# The explanation table of test_deadlines, through every rule of the same period.
@pytest.mark.parametrize(
    ("rule_id", "custom"),
    [("ji21_2m", None), ("jy_2m", None), ("zn_litigation_review_2m", None),
     ("jy_custom", Period(2, M)), ("custom_days", Period(2, M))],
)  # fmt: skip
@pytest.mark.parametrize(
    "served_on",
    [date(2024, 8, 1), date(2024, 3, 1), date(2025, 8, 1), date(2026, 11, 16), date(2024, 6, 3),
     date(2025, 12, 15), date(2026, 12, 31)],
)  # fmt: skip
def test_without_pauses_or_extensions_matches_compute_deadline(
    rule_id: str, custom: Period | None, served_on: date
) -> None:
    clock = compute_clock(rule_id, served_on, CALENDAR, custom=custom)
    deadline = compute_deadline(served_on, Period(2, M), CALENDAR)
    assert clock.explanation == deadline.explanation
    assert (clock.due_on, clock.provisional) == (deadline.due_on, deadline.provisional)
    assert clock.due_at is None and clock.suspended_since is None
    assert (clock.rule_id, clock.started, clock.basis) == (rule_id, served_on, RULES[rule_id].basis)


@pytest.mark.parametrize(
    ("rule_id", "started", "due_on", "explanation"),
    [
        ("ji21_15d", date(2024, 9, 16), date(2024, 10, 8),
         "2024年9月16日送达，期限15日，届满日2024年10月1日为国庆节假日，顺延至2024年10月8日。"),
        ("gz_filing_service_7d", date(2026, 9, 24), date(2026, 10, 8),
         "2026年9月24日送达，期限7日，届满日2026年10月1日为国庆节假日，顺延至2026年10月8日。"),
        ("ys_decide_3d", date(2026, 9, 24), date(2026, 9, 28),
         "2026年9月24日送达，期限3日，届满日2026年9月27日为中秋节假日，顺延至2026年9月28日。"),
        ("ys_handover_3d", date(2026, 10, 7), date(2026, 10, 10),  # Sat Oct 10 is worked
         "2026年10月7日送达，期限3日，届满日为2026年10月10日。"),
        ("dispute_follow_up_30d", date(2026, 6, 1), date(2026, 7, 1),
         "2026年6月1日送达，期限30日，届满日为2026年7月1日。"),
        ("fy_decision_60d", date(2026, 8, 3), date(2026, 10, 8),
         "2026年8月3日送达，期限60日，届满日2026年10月2日为国庆节假日，顺延至2026年10月8日。"),
        # Sep 29, 30, Oct 8, 9, 10 (调休 Saturday), 12, 13, 14, 15, 16.
        ("consultation_answer_10wd", date(2026, 9, 28), date(2026, 10, 16),
         "2026年9月28日送达，期限10个工作日，届满日为2026年10月16日。"),
        # An aware instant counts by its Asia/Shanghai date: 2026-08-01 01:00 there.
        ("ji21_2m", datetime(2026, 7, 31, 17, 0, tzinfo=UTC), date(2026, 10, 8),
         "2026年8月1日送达，期限两个月，届满日2026年10月1日为国庆节假日，顺延至2026年10月8日。"),
    ],
)  # fmt: skip
def test_rule_deadlines(
    rule_id: str, started: date | datetime, due_on: date, explanation: str
) -> None:
    clock = compute_clock(rule_id, started, CALENDAR)
    assert (clock.due_on, clock.explanation) == (due_on, explanation)
    assert not clock.provisional and clock.due_at is None


def test_start_label() -> None:
    clock = compute_clock("dispute_follow_up_30d", date(2026, 6, 1), CALENDAR, start_label="化解")
    assert clock.explanation == "2026年6月1日化解，期限30日，届满日为2026年7月1日。"


@pytest.mark.parametrize(
    ("started", "due_at"),
    [
        (datetime(2026, 12, 1, 22, 30, tzinfo=CST), datetime(2026, 12, 2, 22, 30, tzinfo=CST)),
        (datetime(2026, 12, 1, 14, 30, tzinfo=UTC), datetime(2026, 12, 2, 22, 30, tzinfo=CST)),
        # Hours run through rest days: no move into or out of National Day.
        (datetime(2026, 9, 30, 18, 0, tzinfo=CST), datetime(2026, 10, 1, 18, 0, tzinfo=CST)),
        (datetime(2026, 10, 7, 9, 0, tzinfo=CST), datetime(2026, 10, 8, 9, 0, tzinfo=CST)),
    ],
)
def test_hour_rule(started: datetime, due_at: datetime) -> None:
    clock = compute_clock("ys_transfer_24h", started, CALENDAR)
    assert clock.due_at == due_at
    assert clock.due_at is not None and clock.due_at.utcoffset() == timedelta(hours=8)
    assert clock.due_on == due_at.date()
    assert not clock.provisional


def test_hour_rule_explanation_across_midnight() -> None:
    clock = compute_clock(
        "ys_transfer_24h", datetime(2026, 12, 1, 22, 30, tzinfo=CST), CALENDAR, start_label="批准"
    )
    assert (
        clock.explanation == "2026年12月1日 22:30批准，期限24小时，届满时刻为2026年12月2日 22:30。"
    )
    assert clock.due_at is not None and clock.due_at.isoformat() == "2026-12-02T22:30:00+08:00"


def test_hour_rule_into_a_year_without_data_is_not_provisional() -> None:
    clock = compute_clock("ys_transfer_24h", datetime(2026, 12, 31, 12, 0, tzinfo=CST), CALENDAR)
    assert clock.due_on == date(2027, 1, 1)
    assert not clock.provisional


@pytest.mark.parametrize("started", [date(2026, 12, 1), datetime(2026, 12, 1, 22, 30)])
def test_hour_rule_needs_an_aware_instant(started: date | datetime) -> None:
    with pytest.raises(InvalidStart, match="带时区"):
        compute_clock("ys_transfer_24h", started, CALENDAR)


def test_day_rule_refuses_a_naive_instant() -> None:
    with pytest.raises(InvalidStart, match="带时区"):
        compute_clock("jy_2m", datetime(2026, 12, 1, 22, 30), CALENDAR)


def test_pause_pushes_the_end_onto_a_holiday_which_then_moves() -> None:
    pause = Pause(date(2026, 8, 10), date(2026, 8, 21))
    clock = compute_clock("jy_2m", date(2026, 7, 20), CALENDAR, pauses=[pause])
    assert clock.due_on == date(2026, 10, 8)
    assert clock.explanation == (
        "2026年7月20日送达，期限两个月，届满日为2026年9月20日；2026年8月10日至2026年8月21日中止11日，"
        "顺延至2026年10月1日；2026年10月1日为国庆节假日，顺延至2026年10月8日。"
    )
    assert clock.suspended_since is None


def test_two_pauses_add_up() -> None:
    pauses = [
        Pause(date(2026, 9, 1), date(2026, 9, 5)),
        Pause(date(2026, 9, 10), date(2026, 9, 11)),
    ]
    clock = compute_clock("jy_2m", date(2026, 9, 1), CALENDAR, pauses=pauses)
    assert clock.due_on == date(2026, 11, 6)  # Nov 1 + 4 + 1 days, a Friday
    assert clock.explanation == (
        "2026年9月1日送达，期限两个月，届满日为2026年11月1日；2026年9月1日至2026年9月5日中止4日，"
        "顺延至2026年11月5日；2026年9月10日至2026年9月11日中止1日，顺延至2026年11月6日。"
    )


def test_open_pause_keeps_the_due_date_at_suspension() -> None:
    clock = compute_clock("ji21_2m", date(2026, 8, 1), CALENDAR, pauses=[Pause(date(2026, 9, 1))])
    assert clock.due_on == date(2026, 10, 8)
    assert clock.suspended_since == date(2026, 9, 1)
    assert clock.explanation == (
        "2026年8月1日送达，期限两个月，届满日2026年10月1日为国庆节假日，顺延至2026年10月8日；"
        "自2026年9月1日起中止，期限暂停计算。"
    )


def test_open_pause_after_a_finished_one() -> None:
    pauses = [Pause(date(2026, 8, 10), date(2026, 8, 21)), Pause(date(2026, 9, 1))]
    clock = compute_clock("jy_2m", date(2026, 7, 20), CALENDAR, pauses=pauses)
    assert clock.due_on == date(2026, 10, 8)
    assert clock.suspended_since == date(2026, 9, 1)
    assert clock.explanation.endswith("顺延至2026年10月8日；自2026年9月1日起中止，期限暂停计算。")


def test_pause_on_a_working_day_rule_moves_off_a_weekend() -> None:
    clock = compute_clock(
        "consultation_answer_10wd", date(2026, 9, 28), CALENDAR,
        pauses=[Pause(date(2026, 10, 9), date(2026, 10, 10))],
    )  # fmt: skip
    assert clock.due_on == date(2026, 10, 19)
    assert clock.explanation == (
        "2026年9月28日送达，期限10个工作日，届满日为2026年10月16日；2026年10月9日至2026年10月10日中止1日，"
        "顺延至2026年10月17日；2026年10月17日为周末，顺延至2026年10月19日。"
    )


def test_pause_on_an_hour_rule_adds_whole_days() -> None:
    clock = compute_clock(
        "ys_transfer_24h", datetime(2026, 9, 30, 18, 0, tzinfo=CST), CALENDAR,
        pauses=[Pause(date(2026, 10, 1), date(2026, 10, 3))],
    )  # fmt: skip
    assert clock.due_at == datetime(2026, 10, 3, 18, 0, tzinfo=CST)
    assert clock.explanation == (
        "2026年9月30日 18:00送达，期限24小时，届满时刻为2026年10月1日 18:00；"
        "2026年10月1日至2026年10月3日中止2日，顺延至2026年10月3日 18:00。"
    )


def test_extension_of_30_days_on_reconsideration() -> None:
    clock = compute_clock(
        "fy_decision_60d", date(2026, 8, 3), CALENDAR, start_label="受理",
        extensions=[Extension(Period(30, D), "案情复杂")],
    )  # fmt: skip
    assert clock.due_on == date(2026, 11, 2)
    assert clock.explanation == (
        "2026年8月3日受理，期限60日，届满日为2026年10月2日；经批准延长30日（案情复杂），"
        "至2026年11月1日；2026年11月1日为周末，顺延至2026年11月2日。"
    )


def test_extensions_then_pause() -> None:
    clock = compute_clock(
        "fy_decision_60d", date(2026, 8, 3), CALENDAR,
        extensions=[Extension(Period(20, D)), Extension(Period(10, D))],
        pauses=[Pause(date(2026, 9, 1), date(2026, 9, 3))],
    )  # fmt: skip
    assert clock.due_on == date(2026, 11, 3)
    assert clock.explanation == (
        "2026年8月3日送达，期限60日，届满日为2026年10月2日；经批准延长20日，至2026年10月22日；"
        "经批准延长10日，至2026年11月1日；2026年9月1日至2026年9月3日中止2日，顺延至2026年11月3日。"
    )


@pytest.mark.parametrize(
    ("rule_id", "extensions", "message"),
    [
        ("fy_decision_60d", [Extension(Period(31, D))], "最多不得超过30日"),
        ("fy_decision_60d", [Extension(Period(20, D)), Extension(Period(20, D))], "已延长40日"),
        ("fy_decision_60d", [Extension(Period(1, M))], "须以日计算"),
        ("jy_2m", [Extension(Period(24, H))], "不能以小时计算"),
        ("ys_transfer_24h", [Extension(Period(1, D))], "只能以小时计算"),
    ],
)
def test_extension_refused(rule_id: str, extensions: list[Extension], message: str) -> None:
    started = datetime(2026, 12, 1, 9, 0, tzinfo=CST)
    with pytest.raises(InvalidPeriod, match=message):
        compute_clock(rule_id, started, CALENDAR, extensions=extensions)


def test_uncapped_extension_in_working_days() -> None:
    clock = compute_clock(
        "consultation_answer_10wd", date(2026, 9, 28), CALENDAR,
        extensions=[Extension(Period(5, WD), "需会商")],
    )  # fmt: skip
    assert clock.due_on == date(2026, 10, 23)


def test_provisional_year() -> None:
    # chinese_calendar 1.11.0 has no 2027 data.
    assert CALENDAR.day_info(date(2027, 1, 1)) is None
    clock = compute_clock("ji21_2m", date(2026, 11, 16), CALENDAR)
    assert (clock.due_on, clock.provisional) == (date(2027, 1, 18), True)
    assert clock.explanation == (
        "2026年11月16日送达，期限两个月，届满日2027年1月16日为周末，顺延至2027年1月18日"
        "（2027年节假日安排尚未公布，按周末推算，待公布后重新计算）。"
    )


def test_pause_into_a_year_without_data_is_provisional() -> None:
    pause = Pause(date(2026, 12, 5), date(2026, 12, 25))
    clock = compute_clock("ji21_15d", date(2026, 12, 1), CALENDAR, pauses=[pause])
    assert (clock.due_on, clock.provisional) == (date(2027, 1, 5), True)
    assert clock.explanation == (
        "2026年12月1日送达，期限15日，届满日为2026年12月16日；2026年12月5日至2026年12月25日中止20日，"
        "顺延至2027年1月5日（2027年节假日安排尚未公布，按周末推算，待公布后重新计算）。"
    )


def test_published_year_is_not_provisional() -> None:
    published = StatutoryCalendar(extra_years=[2027])
    assert not compute_clock("ji21_2m", date(2026, 11, 16), published).provisional


@pytest.mark.parametrize(
    ("rule_id", "custom", "due_on"),
    [
        ("jy_custom", Period(20, D), date(2026, 6, 22)),  # Jun 21 is a Sunday
        ("jy_custom", Period(60, D), date(2026, 7, 31)),
        ("jy_custom", Period(1, M), date(2026, 7, 1)),
        ("custom_days", Period(12, M), date(2027, 6, 1)),  # provisional
        ("custom_days", Period(250, WD), date(2027, 5, 24)),  # provisional, weekend rule in 2027
        ("custom_days", Period(5, WD), date(2026, 6, 8)),
    ],
)
def test_custom_period(rule_id: str, custom: Period, due_on: date) -> None:
    clock = compute_clock(rule_id, date(2026, 6, 1), CALENDAR, custom=custom)
    assert clock.due_on == due_on
    assert clock.period == custom
    assert clock.provisional == (due_on.year == 2027)


def test_custom_hours() -> None:
    started = datetime(2026, 12, 1, 8, 0, tzinfo=CST)
    clock = compute_clock("custom_days", started, CALENDAR, custom=Period(720, H))
    assert clock.due_at == datetime(2026, 12, 31, 8, 0, tzinfo=CST)


@pytest.mark.parametrize(
    ("rule_id", "custom", "message"),
    [
        ("jy_custom", None, "规则 jy_custom 须设定期限，单位可为日、月"),
        ("custom_days", None, "单位可为日、月、工作日、小时"),
        ("jy_custom", Period(10, WD), "规则 jy_custom 的期限单位只能是日、月，不能是工作日"),
        ("jy_custom", Period(24, H), "不能是小时"),
        ("jy_custom", Period(61, D), "规则 jy_custom 的期限最长为60日，收到61日"),
        ("jy_custom", Period(3, M), "最长为两个月，收到三个月"),
        ("custom_days", Period(13, M), "最长为12个月"),
        ("custom_days", Period(366, D), "最长为365日"),
        ("custom_days", Period(251, WD), "最长为250个工作日"),
        ("custom_days", Period(721, H), "最长为720小时"),
        ("jy_2m", Period(1, M), "规则 jy_2m 的期限为两个月，不能自定义"),
        ("ji21_15d", Period(10, D), "不能自定义"),
    ],
)
def test_custom_validation(rule_id: str, custom: Period | None, message: str) -> None:
    with pytest.raises(InvalidPeriod, match=message) as caught:
        compute_clock(rule_id, date(2026, 6, 1), CALENDAR, custom=custom)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, ClockRuleError)


@pytest.mark.parametrize(
    ("pauses", "message"),
    [
        ([Pause(date(2026, 9, 10), date(2026, 9, 10))], "恢复日期2026年9月10日须晚于中止日期"),
        ([Pause(date(2026, 9, 10), date(2026, 9, 5))], "须晚于中止日期"),
        ([Pause(date(2026, 8, 31), date(2026, 9, 5))], "早于起算日或上一次恢复日2026年9月1日"),
        ([Pause(date(2026, 9, 2), date(2026, 9, 10)), Pause(date(2026, 9, 8), date(2026, 9, 12))],
         "中止日期2026年9月8日早于起算日或上一次恢复日2026年9月10日"),
        ([Pause(date(2026, 9, 2)), Pause(date(2026, 9, 8), date(2026, 9, 12))], "尚未恢复"),
        ([Pause(date(2026, 11, 3))], "期限已于2026年11月2日届满，不能在2026年11月3日中止"),
    ],
)  # fmt: skip
def test_pause_validation(pauses: Sequence[Pause], message: str) -> None:
    with pytest.raises(InvalidPause, match=message):
        compute_clock("jy_2m", date(2026, 9, 1), CALENDAR, pauses=pauses)


def test_pause_on_the_moved_due_day_is_allowed() -> None:
    # Nominal end Sun Nov 1 moves to Mon Nov 2; suspending on Nov 2 still stops the clock.
    clock = compute_clock("jy_2m", date(2026, 9, 1), CALENDAR, pauses=[Pause(date(2026, 11, 2))])
    assert (clock.due_on, clock.suspended_since) == (date(2026, 11, 2), date(2026, 11, 2))


def test_rule_values() -> None:
    custom = DeadlineRule("x", "x", None, "x", custom_units=frozenset({D}))
    assert custom.period_for(Period(3, D)) == Period(3, D)
    assert RULES["jy_2m"].period_for() == Period(2, M)


def test_an_assigned_date_stays_on_a_rest_day_where_a_statutory_period_moves() -> None:
    """A resolution due 2022-10-01 (National Day) is due that day; a two-month reply period
    ending the same day moves to the first working day after the holiday."""
    calendar = StatutoryCalendar()
    days = (date(2022, 10, 1) - date(2022, 5, 10)).days
    fixed = compute_clock("assigned_date", date(2022, 5, 10), calendar,
                          custom=Period(days, D), start_label="议定")  # fmt: skip
    assert fixed.due_on == date(2022, 10, 1)
    assert fixed.explanation == "2022年5月10日议定，指定完成日期2022年10月1日。"
    assert compute_clock("jy_2m", date(2022, 8, 1), calendar).due_on == date(2022, 10, 8)
    with pytest.raises(InvalidPeriod):
        compute_clock("assigned_date", date(2022, 5, 10), calendar, custom=Period(2, M))
