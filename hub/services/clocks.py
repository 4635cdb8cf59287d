"""Starting, stopping, suspending, resuming and extending a case's clocks.

A clock's due date is always computed by the deadline engine (``hub.domain.clock_rules``)
from its rule, its start and its recorded adjustments, never typed in; every change moves
the clock's ``version`` so alerts decided for an earlier due date are not confused with it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tortoise.transactions import in_transaction

from hub import clock
from hub.domain.clock_rules import (
    RULES,
    ClockDeadline,
    ClockRuleError,
    Extension,
    Pause,
    compute_clock,
)
from hub.domain.dates import text_date
from hub.domain.deadlines import Period, PeriodUnit
from hub.domain.engine import ClockStatus
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import ClockOp, KindSpec
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.kinds.registry import spec_of
from hub.models import Case, CaseClock, ClockAdjustment
from hub.services.calendar import current_calendar
from hub.services.cases import Apply, StepContext
from hub.services.events import append_event
from hub.services.publish import announce
from hub.services.text import clean_text
from hub.services.visibility import flags_of

# No clock of the hub starts before this day: an earlier date is a typing error (and years
# before the calendar data would make every deadline provisional).
EARLIEST_START = date(2000, 1, 1)
SYSTEM = Actor(ActorKind.SYSTEM, 0, "系统", Role.OFFICE_ADMIN, 0, Side.PROCURATORATE)


def custom_of(row: CaseClock) -> Period | None:
    if row.custom_amount and row.custom_unit:
        return Period(row.custom_amount, row.custom_unit)
    return None


async def _compute(
    spec: KindSpec, row: CaseClock, adjustments: list[ClockAdjustment]
) -> ClockDeadline:
    pauses = [Pause(a.start_on, a.end_on) for a in adjustments if a.op is ClockOp.SUSPEND]
    extensions = [
        Extension(Period(a.amount, a.unit), a.reason)
        for a in adjustments
        if a.op is ClockOp.EXTEND and a.amount and a.unit
    ]
    started: date | datetime = row.started_at or row.started_on
    try:
        return compute_clock(
            row.rule, started, await current_calendar(), custom=custom_of(row), pauses=pauses,
            extensions=extensions, start_label=spec.clock(row.name).start_label,
        )  # fmt: skip
    except ClockRuleError as exc:
        raise ValidationFailed(str(exc), field="customPeriod") from exc


def _apply_deadline(row: CaseClock, deadline: ClockDeadline) -> None:
    row.due_on = deadline.due_on
    row.due_at = deadline.due_at
    row.provisional = deadline.provisional
    row.explanation = deadline.explanation


async def start_clock(
    ctx: StepContext,
    name: str,
    started: date | datetime,
    rule_id: str | None = None,
    custom: Period | None = None,
) -> ClockDeadline:
    """(Re)start a clock of the case in the step's transaction; a restart forgets old pauses."""
    clock_spec = ctx.spec.clock(name)
    rule_id = rule_id or clock_spec.default_rule
    day = started.date() if isinstance(started, datetime) else started
    if day > ctx.today:
        raise ValidationFailed(
            f"{clock_spec.start_label}日期{text_date(day)}晚于今天（{text_date(ctx.today)}）",
            field="servedOn",
        )
    if day < EARLIEST_START:
        raise ValidationFailed(
            f"{clock_spec.start_label}日期{text_date(day)}早于{text_date(EARLIEST_START)}，请核对",
            field="servedOn",
        )
    if rule_id not in clock_spec.rules_for(flags_of(ctx.case)):
        raise ValidationFailed(f"该类{ctx.spec.label}不适用此{clock_spec.label}规则",
                               field="deadlineRule")  # fmt: skip
    row = ctx.clocks.get(name)
    if row is None:
        row = CaseClock(case_id=ctx.case.id, name=name, version=0)
    else:
        await ClockAdjustment.filter(clock_id=row.id).using_db(ctx.conn).delete()
    row.rule = rule_id
    row.status = ClockStatus.RUNNING
    row.started_on = day
    row.started_at = started if isinstance(started, datetime) else None
    row.custom_amount = custom.amount if custom else None
    row.custom_unit = custom.unit if custom else None
    row.suspended_on = None
    deadline = await _compute(ctx.spec, row, [])
    _apply_deadline(row, deadline)
    row.version += 1
    await row.save(using_db=ctx.conn)
    ctx.clocks[name] = row
    ctx.started.add(name)
    return deadline


def clock_apply(op: ClockOp, *, on: date, reason: str, period: Period | None = None) -> Apply:
    """The ``apply`` of a suspend, resume or extend step (the transition names the clock)."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        assert ctx.transition is not None
        name = ctx.transition.clock
        assert name is not None
        row = ctx.clocks.get(name)
        if row is None:
            raise ValidationFailed("该期限尚未开始", field="id")
        text = clean_text(reason, "reason")
        if on > ctx.today or on < row.started_on:
            raise ValidationFailed("日期须在期限开始之后、不晚于今天", field="on")
        adjustments = list(await ClockAdjustment.filter(clock_id=row.id).using_db(ctx.conn))
        record: dict[str, Any] = {
            "using_db": ctx.conn, "clock_id": row.id, "op": op, "start_on": on, "reason": text,
            "approved_by": ctx.actor.label, "recorded_at": ctx.at,
        }  # fmt: skip
        if op is ClockOp.SUSPEND:
            adjustments.append(await ClockAdjustment.create(**record))
            row.status, row.suspended_on = ClockStatus.SUSPENDED, on
        elif op is ClockOp.RESUME:
            pause = next(a for a in reversed(adjustments) if a.op is ClockOp.SUSPEND)
            if on < pause.start_on:
                raise ValidationFailed("恢复日期不能早于中止日期", field="on")
            pause.end_on = on
            await pause.save(using_db=ctx.conn, update_fields=["end_on"])
            row.status, row.suspended_on = ClockStatus.RUNNING, None
        else:
            if period is None:
                raise ValidationFailed("请填写延长的期限", field="period")
            record |= {"amount": period.amount, "unit": period.unit}
            adjustments.append(await ClockAdjustment.create(**record))
        deadline = await _compute(ctx.spec, row, adjustments)
        _apply_deadline(row, deadline)
        row.version += 1
        await row.save(using_db=ctx.conn)
        return {
            "clock": name, "op": op.value, "on": on.isoformat(),
            "dueOn": deadline.due_on.isoformat(), "explanation": deadline.explanation,
        }  # fmt: skip

    return apply


async def recompute_provisional_clocks(*, now: datetime | None = None) -> int:
    """After holiday data arrives, recompute every provisional clock; returns how many moved.

    Each recomputed case gets a new version and a ``recompute_deadline`` event, so boards and
    alerts see the change like any other step.
    """
    at = now or clock.now()
    changed = 0
    # Stopped clocks too: a closed case keeps showing its last due date and explanation.
    for row in await CaseClock.filter(provisional=True).order_by("id"):
        case = await Case.get(id=row.case_id)
        spec = spec_of(case.kind)
        adjustments = list(await ClockAdjustment.filter(clock_id=row.id))
        deadline = await _compute(spec, row, adjustments)
        if deadline.provisional and deadline.due_on == row.due_on:
            continue
        before = row.due_on
        async with in_transaction() as conn:
            updated = (
                await Case.filter(id=case.id, version=case.version)
                .using_db(conn)
                .update(version=case.version + 1, updated_at=at)
            )
            if updated != 1:
                continue  # changed meanwhile; the next run picks it up
            _apply_deadline(row, deadline)
            row.version += 1
            await row.save(using_db=conn)
            event = await append_event(
                conn, case_id=case.id, action="recompute_deadline", from_state=case.state,
                to_state=case.state, version=case.version + 1, actor=SYSTEM, at=at,
                comment=deadline.explanation,
                payload={"clock": row.name, "from": before.isoformat() if before else None,
                         "to": deadline.due_on.isoformat()},
            )  # fmt: skip
        await announce(event.seq)
        changed += 1
    return changed


async def start_clock_until(
    ctx: StepContext, name: str, started: date, due_on: date, *, field: str = "dueOn"
) -> ClockDeadline:
    """(Re)start a clock that ends on a date a decision set (rule ``assigned_date``: a
    resolution's or a task's 完成时限), which does not move off rest days."""
    if due_on <= started:
        raise ValidationFailed(
            f"完成时限{text_date(due_on)}须晚于{text_date(started)}", field=field
        )
    days = (due_on - started).days
    if days > RULES["assigned_date"].max_custom[PeriodUnit.DAYS]:
        raise ValidationFailed(
            f"完成时限{text_date(due_on)}距{text_date(started)}过远（最长约三年）", field=field
        )
    return await start_clock(ctx, name, started, "assigned_date", Period(days, PeriodUnit.DAYS))
