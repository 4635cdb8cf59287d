"""Reply deadlines on recommendations: set at service, recomputed when holiday data arrives."""

from __future__ import annotations

from datetime import date, datetime

from tortoise.transactions import in_transaction

from hub import clock
from hub.domain.deadlines import (
    Deadline,
    Period,
    ReplyRule,
    allowed_reply_rules,
    compute_deadline,
    reply_period,
)
from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.models import Recommendation, RecommendationType
from hub.services.calendar import current_calendar
from hub.services.events import append_event
from hub.services.publish import announce


def custom_period(rec: Recommendation) -> Period | None:
    if rec.custom_period_amount and rec.custom_period_unit:
        return Period(rec.custom_period_amount, rec.custom_period_unit)
    return None


async def set_deadline(
    rec: Recommendation, served_on: date, rule: ReplyRule, custom: Period | None, today: date
) -> Deadline:
    if served_on > today:
        raise ValidationFailed(f"送达日期 {served_on} 晚于今天（{today}）", field="servedOn")
    if rule not in allowed_reply_rules(rec.rec_type is RecommendationType.PUBLIC_INTEREST):
        raise ValidationFailed("该类检察建议不适用此回复期限规则", field="rule")
    try:
        period = reply_period(rule, custom)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="customPeriod") from exc
    deadline = compute_deadline(served_on, period, await current_calendar())
    rec.served_on = served_on
    rec.reply_rule = rule
    rec.urgent = rule is ReplyRule.URGENT_15_DAYS
    rec.custom_period_amount = custom.amount if custom else None
    rec.custom_period_unit = custom.unit if custom else None
    rec.reply_due = deadline.due_on
    rec.due_provisional = deadline.provisional
    rec.due_explanation = deadline.explanation
    rec.deadline_version += 1
    return deadline


SYSTEM = Actor(ActorKind.SYSTEM, 0, "系统", Role.OFFICE_ADMIN, 0, Side.PROCURATORATE)


async def recompute_provisional_deadlines(*, now: datetime | None = None) -> int:
    """After holiday data arrives, recompute every provisional deadline; returns how many moved.

    Each recomputed case gets a new version and a ``recompute_deadline`` event, so boards and
    alerts see the change like any other step.
    """
    at = now or clock.now()
    calendar = await current_calendar()
    changed = 0
    for rec in await Recommendation.filter(due_provisional=True, served_on__isnull=False):
        assert rec.served_on is not None
        period = reply_period(rec.reply_rule, custom_period(rec))
        deadline = compute_deadline(rec.served_on, period, calendar)
        if deadline.provisional and deadline.due_on == rec.reply_due:
            continue
        async with in_transaction() as conn:
            updated = (
                await Recommendation.filter(id=rec.id, version=rec.version)
                .using_db(conn)
                .update(
                    reply_due=deadline.due_on,
                    due_provisional=deadline.provisional,
                    due_explanation=deadline.explanation,
                    deadline_version=rec.deadline_version + 1,
                    version=rec.version + 1,
                    updated_at=at,
                )
            )
            if updated != 1:
                continue  # changed meanwhile; the next run picks it up
            event = await append_event(
                conn,
                recommendation_id=rec.id,
                action="recompute_deadline",
                from_state=rec.state,
                to_state=rec.state,
                version=rec.version + 1,
                actor=SYSTEM,
                at=at,
                comment=deadline.explanation,
                payload={"from": rec.reply_due.isoformat() if rec.reply_due else None,
                         "to": deadline.due_on.isoformat()},
            )  # fmt: skip
        await announce(event.seq)
        changed += 1
    return changed
