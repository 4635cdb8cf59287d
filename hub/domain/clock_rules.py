"""Deadline rules as data, each with its legal basis, and a clock's due date with 中止 and 延长."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TypeVar

from hub.clock import BUSINESS_TZ
from hub.domain.dates import text_date, text_time
from hub.domain.deadlines import (
    Period,
    PeriodUnit,
    add_hours,
    add_period,
    add_working_days,
    describe_end,
    describe_rest,
    describe_start,
    move_to_working_day,
    period_end,
    provisional_note,
)
from hub.domain.holidays import HolidayCalendar


class ClockRuleError(ValueError):
    """A refused rule, period, pause or start; the message is Chinese, fit to show a user."""


class UnknownRule(ClockRuleError): ...


class InvalidPeriod(ClockRuleError): ...


class InvalidPause(ClockRuleError): ...


class InvalidStart(ClockRuleError): ...


_D, _M, _WD, _H = PeriodUnit.DAYS, PeriodUnit.MONTHS, PeriodUnit.WORKING_DAYS, PeriodUnit.HOURS
DEFAULT_MAX_CUSTOM: Mapping[PeriodUnit, int] = MappingProxyType(
    {_M: 12, _D: 365, _WD: 250, _H: 720}
)


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """A clock's period and its legal basis; `period` None means it is set case by case."""

    id: str  # stored in the database: never rename
    label: str
    period: Period | None
    basis: str
    custom_units: frozenset[PeriodUnit] = frozenset()
    max_custom: Mapping[PeriodUnit, int] = field(
        default_factory=lambda: DEFAULT_MAX_CUSTOM, hash=False
    )
    # The most all extensions together may add; None: the hub sets no cap.
    max_extension: Period | None = None
    # A statutory period's rest-day end moves to the next working day; a date a decision set
    # (a meeting's resolution, the task list's 4月底前) stays as it was set.
    moves: bool = True

    def period_for(self, custom: Period | None = None) -> Period:
        """The fixed period, or `custom` checked against the allowed units and bounds."""
        if self.period is not None:
            if custom is not None:
                raise InvalidPeriod(f"规则 {self.id} 的期限为{self.period.describe()}，不能自定义")
            return self.period
        units = "、".join(unit.zh for unit in PeriodUnit if unit in self.custom_units)
        if custom is None:
            raise InvalidPeriod(f"规则 {self.id} 须设定期限，单位可为{units}")
        if custom.unit not in self.custom_units:
            raise InvalidPeriod(f"规则 {self.id} 的期限单位只能是{units}，不能是{custom.unit.zh}")
        limit = self.max_custom[custom.unit]
        if custom.amount > limit:
            longest = Period(limit, custom.unit).describe()
            raise InvalidPeriod(f"规则 {self.id} 的期限最长为{longest}，收到{custom.describe()}")
        return custom


@dataclass(frozen=True, slots=True)
class Pause:
    """Suspended (中止) on `start`, resumed on `end`; None: still suspended."""

    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Extension:
    period: Period
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ClockDeadline:
    """`due_at` is set for hour rules only; `suspended_since` while a pause is open."""

    rule_id: str
    started: date | datetime
    due_on: date
    due_at: datetime | None
    provisional: bool
    explanation: str
    basis: str
    period: Period
    suspended_since: date | None = None


_JI = "《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释》"
_JY = "《人民检察院检察建议工作规定》"  # article number not verified (domain.md D4)
_GZ = "《人民检察院公益诉讼办案规则》"  # the 7-day wording is not verified (domain.md D8)
_YS = "《行政执法机关移送涉嫌犯罪案件的规定》"
_SEED = "《宿州市人民政府 宿州市人民检察院关于建立“府检联动”工作机制的实施意见》"


def _fixed(rule_id: str, label: str, amount: int, unit: PeriodUnit, basis: str) -> DeadlineRule:
    return DeadlineRule(rule_id, label, Period(amount, unit), basis)


# Days are calendar days counted as the Civil Code counts (start day excluded, a rest-day end
# moves). 行政复议法 Art. 88(2) makes its 3/5/7/10-day periods working days; none is listed here.
_RULE_LIST = (
    _fixed("ji21_2m", "两个月（公益诉讼解释第二十一条）", 2, _M,
           f"{_JI}第二十一条第二款：行政机关应当在收到检察建议书之日起两个月内依法履行职责，并书面回复"),
    _fixed("ji21_15d", "15日（公益诉讼解释第二十一条，紧急情形）", 15, _D,
           f"{_JI}第二十一条第二款：出现公益损害继续扩大等紧急情形的，行政机关应当在十五日内书面回复"),
    _fixed("jy_2m", "两个月（检察建议工作规定）", 2, _M,
           f"{_JY}：除另有规定外，被建议单位应当自收到检察建议书之日起两个月以内书面回复"),
    DeadlineRule("jy_custom", "检察机关确定的较短期限（检察建议工作规定，情况紧急）", None,
                 f"{_JY}：情况紧急的，人民检察院可以根据实际情况确定相应的回复期限",
                 custom_units=frozenset({_D, _M}), max_custom=MappingProxyType({_D: 60, _M: 2})),
    _fixed("gz_filing_service_7d", "7日（立案决定书送达）", 7, _D,
           f"{_GZ}：人民检察院决定立案的，应当在七日以内将立案决定书送达行政机关"),
    _fixed("zn_litigation_review_2m", "两个月（起诉审查，回复期限届满后）", 2, _M,
           "行政公益诉讼办案实践指引（2021年办案规则施行前）：回复期限届满后两个月内终结起诉审查；"
           "系实践指引，非法律规定的期限"),
    _fixed("dispute_follow_up_30d", "30日（化解后跟进核查履行情况）", 30, _D,
           "本平台工作规则，非法律规定的期限：行政争议化解后30日内跟进核查履行情况"),
    _fixed("ys_decide_3d", "3日（决定是否批准移送）", 3, _D,
           f"{_YS}第五条第二款：负责人应当自接到移送报告之日起3日内作出批准移送或者不批准移送的决定"),
    _fixed("ys_transfer_24h", "24小时（批准后移送公安机关）", 24, _H,
           f"{_YS}第五条第二款：决定批准的，应当在24小时内向同级公安机关移送"),
    _fixed("ys_police_review_3d", "3日（公安机关审查移送案件）", 3, _D,
           f"{_YS}第八条：公安机关应当自接受移送的涉嫌犯罪案件之日起3日内审查，并书面通知移送机关"),
    _fixed("ys_reconsider_request_3d", "3日（提请公安机关复议）", 3, _D,
           f"{_YS}第九条第一款：行政执法机关可以自接到不予立案通知书之日起3日内提请公安机关复议"),
    _fixed("ys_reconsider_decide_3d", "3日（公安机关作出复议决定）", 3, _D,
           f"{_YS}第九条第二款：公安机关应当自收到提请复议的文件之日起3日内作出立案或者不予立案的决定"),
    _fixed("ys_supervision_request_3d", "3日（建议检察院立案监督）", 3, _D,
           f"{_YS}第九条第二款：对复议决定仍有异议的，应当自收到复议决定通知书之日起3日内建议人民检察院"
           "依法进行立案监督"),
    _fixed("ys_handover_3d", "3日（移交涉案物品和材料）", 3, _D,
           f"{_YS}第十二条：应当自接到立案通知书之日起3日内将涉案物品以及有关材料移交公安机关"),
    DeadlineRule("fy_decision_60d", "60日（行政复议决定，可延长30日）", Period(60, _D),
                 "《中华人民共和国行政复议法》第六十二条第一款：自受理申请之日起六十日内作出行政复议决定；"
                 "情况复杂的，经批准可以适当延长，但是延长期限最多不得超过三十日",
                 max_extension=Period(30, _D)),
    _fixed("consultation_answer_10wd", "10个工作日（会商咨询答复）", 10, _WD,
           f"{_SEED}（宿政秘〔2022〕31号）要求会商咨询应及时答复，未规定天数；10个工作日为本平台默认期限"),
    DeadlineRule("assigned_date", "指定完成日期", None,
                 "会议议定、任务清单或交办确定的完成时限；到期日按确定的日期，不因节假日顺延",
                 custom_units=frozenset({_D}), max_custom={_D: 1100}, moves=False),
    DeadlineRule("custom_days", "自定义期限", None,
                 "个案确定的期限：由承办人员依照相关规定或者案件情况设定，依据应在案件中载明",
                 custom_units=frozenset(PeriodUnit)),
    _fixed("consultation_urgent_3wd", "3个工作日（紧急事项会商咨询答复）", 3, _WD,
           f"{_SEED}（宿政秘〔2022〕31号）对重大紧急事项要求及时会商解决，未规定天数；"
           "3个工作日为本平台对紧急事项的默认期限"),
    _fixed("xs177_result_2m", "两个月（检察意见处理结果反馈，平台默认）", 2, _M,
           "《中华人民共和国刑事诉讼法》第一百七十七条第三款：对被不起诉人需要给予行政处罚、处分的，"
           "人民检察院应当提出检察意见，移送有关主管机关处理；有关主管机关应当将处理结果及时通知人民检察院。"
           "法律未规定天数，两个月为本平台默认期限"),
    DeadlineRule("xs177_result_custom", "检察机关确定的期限（检察意见处理结果反馈，≤两个月）",
                 None,
                 "《中华人民共和国刑事诉讼法》第一百七十七条第三款：有关主管机关应当将处理结果及时通知人民检察院；"
                 "检察机关可视案情确定较短的反馈期限，本平台上限为两个月",
                 custom_units=frozenset({_D, _M}), max_custom=MappingProxyType({_D: 60, _M: 2})),
)  # fmt: skip

RULES: Mapping[str, DeadlineRule] = MappingProxyType({r.id: r for r in _RULE_LIST})


def rule(rule_id: str) -> DeadlineRule:
    if rule_id not in RULES:
        raise UnknownRule(f"没有期限规则 {rule_id}；可用的规则：{'、'.join(RULES)}")
    return RULES[rule_id]


def compute_clock(
    rule_id: str,
    started: date | datetime,
    calendar: HolidayCalendar,
    *,
    custom: Period | None = None,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    start_label: str = "送达",
) -> ClockDeadline:
    """The due date of a clock under `rule_id` started on `started`.

    The base period ends as the Civil Code counts; each extension adds its period from the
    previous end; the clock does not run while suspended, so each finished pause adds the
    calendar days it lasted (end − start); then a rest-day end moves to the next working day.
    While a pause is open the due date stays what it was when the clock was suspended.
    Hour rules need an aware `started` and never move; day rules take an aware datetime's
    Asia/Shanghai date. Pauses must be in order, not overlap, start on or after the start and
    no later than the due date of that moment, and only the last may be open.
    """
    spec = rule(rule_id)
    period = spec.period_for(custom)
    _check_extensions(spec, period, extensions)
    if period.unit is PeriodUnit.HOURS:
        due = _hour_due(spec, period, started, pauses, extensions)
    else:
        due = _day_due(period, started, calendar, pauses, extensions, moves=spec.moves)
    opening = (
        describe_start(start_label, due.start, period)
        if spec.moves
        else f"{due.start}{start_label}，指定完成日期"
    )
    explanation = (
        opening
        + due.body
        + ("" if due.suspended is None else f"；自{text_date(due.suspended)}起中止，期限暂停计算")
        + provisional_note(due.missing)
        + "。"
    )
    return ClockDeadline(
        rule_id, started, due.due_on, due.due_at, bool(due.missing), explanation, spec.basis,
        period, due.suspended,
    )  # fmt: skip


def _check_extensions(spec: DeadlineRule, period: Period, extensions: Sequence[Extension]) -> None:
    hourly = period.unit is PeriodUnit.HOURS
    if any((extension.period.unit is PeriodUnit.HOURS) != hourly for extension in extensions):
        raise InvalidPeriod(f"规则 {spec.id} 的延长期限{'只能' if hourly else '不能'}以小时计算")
    for extension in extensions:  # no rule lets one extension outgrow the longest period
        longest = DEFAULT_MAX_CUSTOM[extension.period.unit]
        if extension.period.amount > longest:
            raise InvalidPeriod(
                f"延长期限最长为{Period(longest, extension.period.unit).describe()}，"
                f"收到{extension.period.describe()}"
            )
    cap = spec.max_extension
    if cap is None or not extensions:
        return
    if any(extension.period.unit is not cap.unit for extension in extensions):
        raise InvalidPeriod(f"规则 {spec.id} 的延长期限须以{cap.unit.zh}计算")
    total = sum(extension.period.amount for extension in extensions)
    if total > cap.amount:
        raise InvalidPeriod(
            f"规则 {spec.id} 的延长期限最多不得超过{cap.describe()}，已延长{total}{cap.unit.zh}"
        )


_End = TypeVar("_End", date, datetime)


@dataclass(frozen=True, slots=True)
class _Due:
    start: str  # the start as the explanation shows it
    due_on: date
    due_at: datetime | None
    body: str
    missing: frozenset[int]
    suspended: date | None


def _adjust(
    end: _End,
    start: date,
    pauses: Sequence[Pause],
    extensions: Sequence[Extension],
    extend: Callable[[_End, Period], _End],
    due_day: Callable[[_End], date],
    show: Callable[[_End], str],
) -> tuple[_End, list[str], date | None]:
    """The end after extensions and finished pauses, one clause per step, and the open pause."""
    steps: list[str] = []
    for extension in extensions:
        end = extend(end, extension.period)
        reason = f"（{extension.reason}）" if extension.reason else ""
        steps.append(f"经批准延长{extension.period.describe()}{reason}，至{show(end)}")
    earliest = start
    for index, pause in enumerate(pauses):
        if pause.start < earliest:
            raise InvalidPause(
                f"中止日期{text_date(pause.start)}早于起算日或上一次恢复日{text_date(earliest)}"
            )
        if pause.start > due_day(end):
            raise InvalidPause(
                f"期限已于{text_date(due_day(end))}届满，不能在{text_date(pause.start)}中止"
            )
        if pause.end is None:
            if index != len(pauses) - 1:
                raise InvalidPause(f"{text_date(pause.start)}起的中止尚未恢复，其后不能再有中止")
            return end, steps, pause.start
        if pause.end <= pause.start:
            raise InvalidPause(
                f"恢复日期{text_date(pause.end)}须晚于中止日期{text_date(pause.start)}"
            )
        days, earliest = (pause.end - pause.start).days, pause.end
        end += timedelta(days=days)
        steps.append(
            f"{text_date(pause.start)}至{text_date(pause.end)}中止{days}日，顺延至{show(end)}"
        )
    return end, steps, None


def _day_due(
    period: Period,
    started: date | datetime,
    calendar: HolidayCalendar,
    pauses: Sequence[Pause],
    extensions: Sequence[Extension],
    *,
    moves: bool = True,
) -> _Due:
    if isinstance(started, datetime):
        if started.utcoffset() is None:
            raise InvalidStart(f"起算时刻 {started.isoformat()} 须带时区")
        started = started.astimezone(BUSINESS_TZ).date()
    base = period_end(started, period, calendar)
    missing = set(base.missing_years)

    def extend(end: date, by: Period) -> date:
        if by.unit is not PeriodUnit.WORKING_DAYS:
            return add_period(end, by)
        day, years = add_working_days(end, by.amount, calendar)
        missing.update(years)
        return day

    def due_day(end: date) -> date:
        return move_to_working_day(end, calendar).due_on if moves else end

    end, steps, suspended = _adjust(
        base.end, started, pauses, extensions, extend, due_day, text_date
    )
    if not moves:
        body = text_date(end) + "".join(f"；{step}" for step in steps)
        # A date that does not move does not depend on the holiday arrangement.
        return _Due(text_date(started), end, None, body, frozenset(), suspended)
    move = move_to_working_day(end, calendar)
    body = describe_end(move)
    if steps:
        body = f"届满日为{text_date(base.end)}" + "".join(f"；{step}" for step in steps)
        if move.moved:
            body += (
                f"；{text_date(move.end)}{describe_rest(move.moved)}，"
                f"顺延至{text_date(move.due_on)}"
            )
    missing |= move.missing_years
    return _Due(text_date(started), move.due_on, None, body, frozenset(missing), suspended)


def _show_instant(at: datetime) -> str:
    return text_time(at)


def _hour_due(
    spec: DeadlineRule,
    period: Period,
    started: date | datetime,
    pauses: Sequence[Pause],
    extensions: Sequence[Extension],
) -> _Due:
    if not isinstance(started, datetime) or started.utcoffset() is None:
        raise InvalidStart(
            f"规则 {spec.id} 按小时计算，须给出带时区的起算时刻，例如 2026-12-01T22:30+08:00"
        )
    start = started.astimezone(BUSINESS_TZ)
    base = add_hours(start, period.amount)
    due_at, steps, suspended = _adjust(
        base,
        start.date(),
        pauses,
        extensions,
        lambda end, by: add_hours(end, by.amount),
        lambda end: end.date(),
        _show_instant,
    )
    body = f"届满时刻为{_show_instant(base)}" + "".join(f"；{step}" for step in steps)
    return _Due(_show_instant(start), due_at.date(), due_at, body, frozenset(), suspended)
