"""The notification item's steps: each receives its form's checked values (hub.services.forms)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hub.domain.deadlines import Period as Span
from hub.domain.deadlines import PeriodUnit, add_period
from hub.domain.engine import ClockStatus, Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor, Side
from hub.kinds.notification.models import NotificationAcknowledgement, NotificationDetail
from hub.kinds.notification.spec import (
    NEXT_REPORT,
    RECURRING,
    RECURRING_FLAG,
    SCHEDULE_CLOSED,
    Action,
    Category,
    Direction,
    Period,
    State,
    direction_of,
)
from hub.models import Case, CaseClock, Unit
from hub.services.cases import Change, NewCase, StepContext, add_parties, create_case
from hub.services.clocks import start_clock_until
from hub.services.events import append_event
from hub.services.forms import KindSteps, Values

KIND = CaseKind.NOTIFICATION
_MONTHS = {Period.MONTHLY: 1, Period.QUARTERLY: 3}


def period_start(day: date, period: Period) -> date:
    """The first day of the month or quarter holding ``day``."""
    month = day.month if period is Period.MONTHLY else (day.month - 1) // 3 * 3 + 1
    return date(day.year, month, 1)


def period_end(start: date, period: Period) -> date:
    return add_period(start, Span(_MONTHS[period], PeriodUnit.MONTHS)) - timedelta(days=1)


def next_due(start: date, period: Period) -> date:
    """The last day of the period after the one starting on ``start``."""
    return period_end(period_end(start, period) + timedelta(days=1), period)


def period_name(start: date, period: Period) -> str:
    if period is Period.MONTHLY:
        return f"{start.year}年{start.month}月"
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"


async def _check_recipients(actor: Actor, category: Category, unit_ids: list[int]) -> None:
    if actor.unit_id in unit_ids:
        raise ValidationFailed("通报单位不能同时是接收单位", field="recipientUnitIds")
    sides = {u.side for u in await Unit.filter(id__in=unit_ids)}
    if direction_of(category) is Direction.TO_PROCURATORATE:
        if Side.PROCURATORATE not in sides:
            raise ValidationFailed("成员单位向检察院通报的事项，接收单位须包含市人民检察院",
                                   field="recipientUnitIds")  # fmt: skip
    elif sides != {Side.GOVERNMENT}:
        raise ValidationFailed("检察院向成员单位通报的事项，接收单位只能是政府一方的单位",
                               field="recipientUnitIds")  # fmt: skip


def _check_period(values: Values, today: date) -> date | None:
    """The first day of the period reported on, or None for an occasional item."""
    period, of = values["period"], values["periodOf"]
    if period is None:
        if of is not None:
            raise ValidationFailed("不定期通报无须填写所属期", field="periodOf")
        return None
    if values["category"] not in RECURRING:
        raise ValidationFailed("该通报类别不是定期通报的类别，不能设定报送周期", field="period")
    if of is None:
        raise ValidationFailed("定期通报须填写所属期", field="periodOf")
    start = period_start(of, period)
    if start > period_start(today, period):
        raise ValidationFailed(f"所属期 {period_name(start, period)} 尚未开始", field="periodOf")
    return start


async def create(actor: Actor, values: Values) -> Change:
    """The author's unit issues the item to the recipients it names."""
    category: Category = values["category"]
    side_ok = (direction_of(category) is Direction.TO_PROCURATORATE) == (
        actor.side is Side.GOVERNMENT
    )
    if not side_ok:
        raise ValidationFailed("该通报类别不是本单位一方可以通报的事项", field="category")
    recipients: list[int] = values["recipientUnitIds"]
    await _check_recipients(actor, category, recipients)

    async def detail(ctx: StepContext) -> dict[str, Any]:
        start = _check_period(values, ctx.today)
        await NotificationDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, category=category,
            direction=direction_of(category), issuer_unit_id=actor.unit_id, body=values["body"],
            period=values["period"], period_start=start,
        )  # fmt: skip
        return {"category": category.value, "recipients": len(recipients)}

    parties = tuple(Party(PartyRole.RECIPIENT, unit_id) for unit_id in recipients)
    return await create_case(actor, KIND, NewCase(values["caseNo"], values["title"], parties),
                             detail)  # fmt: skip


async def update(ctx: StepContext, values: Values) -> dict[str, Any]:
    if "body" in values:
        await (
            NotificationDetail.filter(case_id=ctx.case.id)
            .using_db(ctx.conn)
            .update(body=values["body"])
        )
    return {}


async def _detail(ctx: StepContext) -> NotificationDetail:
    return await NotificationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()


async def submit(ctx: StepContext, values: Values) -> dict[str, Any]:
    """A periodic item starts its next-report clock and closes the schedule of the earlier
    item of the same unit and category."""
    detail = await _detail(ctx)
    if detail.period is None or detail.period_start is None:
        return {}
    start, period = detail.period_start, detail.period
    due = next_due(start, period)
    began = min(ctx.today, period_end(start, period))
    await start_clock_until(ctx, NEXT_REPORT, began, due, field="periodOf")
    detail.next_due_on = due
    await detail.save(using_db=ctx.conn, update_fields=["next_due_on"])
    ctx.case.flags = ",".join(sorted({*filter(None, ctx.case.flags.split(",")), RECURRING_FLAG}))
    earlier = await NotificationDetail.filter(
        issuer_unit_id=detail.issuer_unit_id, category=detail.category,
        period_start__lt=start, successor_id=None,
    ).exclude(case_id=ctx.case.id).using_db(ctx.conn).order_by("case_id")  # fmt: skip
    closed = [await _close_schedule(ctx, row) for row in earlier]
    return {"period": period_name(start, period), "nextDueOn": due.isoformat(),
            "closed": [c for c in closed if c is not None]}  # fmt: skip


async def _close_schedule(ctx: StepContext, earlier: NotificationDetail) -> int | None:
    """Record on the earlier item that its next report is in: its clock stops."""
    clock = (
        await CaseClock.filter(case_id=earlier.case_id, name=NEXT_REPORT).using_db(ctx.conn).first()
    )
    if clock is None or clock.status is ClockStatus.STOPPED:
        return None
    case = await Case.filter(id=earlier.case_id).using_db(ctx.conn).get()
    flags = ",".join(sorted({*filter(None, case.flags.split(",")), SCHEDULE_CLOSED}))
    updated = (
        await Case.filter(id=case.id, version=case.version)
        .using_db(ctx.conn)
        .update(version=case.version + 1, updated_at=ctx.at, flags=flags)
    )
    if updated != 1:
        return None  # it changed meanwhile: its own issuer may end the schedule
    clock.status = ClockStatus.STOPPED
    await clock.save(using_db=ctx.conn, update_fields=["status"])
    earlier.successor_id = ctx.case.id
    await earlier.save(using_db=ctx.conn, update_fields=["successor_id"])
    await append_event(
        ctx.conn, case_id=case.id, action=Action.NEXT_SUBMITTED, from_state=case.state,
        to_state=case.state, version=case.version + 1, actor=ctx.actor, at=ctx.at,
        comment=f"下期通报 {ctx.case.case_no} 已报送", payload={"successor": ctx.case.id},
    )  # fmt: skip
    return case.id


async def deliver(ctx: StepContext, values: Values) -> dict[str, Any]:
    """The Office forwards the item: each recipient gets a receipt to acknowledge."""
    issuer = next(p.unit_id for p in ctx.parties if p.role is PartyRole.ISSUER)
    current = [p.unit_id for p in ctx.parties if p.role is PartyRole.RECIPIENT]
    added = [u for u in values["addRecipientUnitIds"] if u not in current]
    if issuer in added:
        raise ValidationFailed("通报单位不能同时是接收单位", field="addRecipientUnitIds")
    ctx.parties += await add_parties(
        ctx.conn, ctx.case.id, [Party(PartyRole.RECIPIENT, u) for u in added]
    )
    for unit_id in [*current, *added]:
        await NotificationAcknowledgement.create(
            using_db=ctx.conn, case_id=ctx.case.id, unit_id=unit_id, delivered_at=ctx.at
        )
    if values["officeNote"]:
        await (
            NotificationDetail.filter(case_id=ctx.case.id)
            .using_db(ctx.conn)
            .update(office_note=values["officeNote"])
        )
    return {"recipients": len(current) + len(added), "added": len(added)}


async def acknowledge(ctx: StepContext, values: Values) -> dict[str, Any]:
    """One recipient acknowledges; the last one makes the item 已签收."""
    rows = list(await NotificationAcknowledgement.filter(case_id=ctx.case.id).using_db(ctx.conn))
    mine = next(r for r in rows if r.unit_id == ctx.actor.unit_id)
    mine.acknowledged_at, mine.acknowledged_by = ctx.at, ctx.actor.label
    mine.note = values["note"]
    await mine.save(using_db=ctx.conn)
    ctx.parties += await add_parties(
        ctx.conn, ctx.case.id, [Party(PartyRole.RESPONDED, ctx.actor.unit_id)]
    )
    waiting = sum(1 for r in rows if r.acknowledged_at is None)
    if waiting == 0:
        ctx.moves_to = State.ACKNOWLEDGED
    return {"waiting": waiting}


STEPS = KindSteps(
    kind=KIND,
    create=create,
    update=update,
    editable=("title", "body"),
    steps={
        Action.SUBMIT: submit,
        Action.DELIVER: deliver,
        Action.ACKNOWLEDGE: acknowledge,
    },
)
