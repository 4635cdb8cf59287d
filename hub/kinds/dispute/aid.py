"""Judicial aid (司法救助) in a dispute: the prosecutor applies, the chief decides, the payment
is recorded. One application is open at a time; after a refusal another may follow."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor
from hub.kinds.dispute import checks
from hub.kinds.dispute.models import DisputeJudicialAid
from hub.kinds.dispute.spec import AID_PENDING, Action, AidDecision, AidStatus
from hub.kinds.dispute.steps import step
from hub.services.cases import Change, StepContext
from hub.services.text import clean_text
from hub.services.visibility import flags_of


async def _latest(ctx: StepContext, status: AidStatus) -> DisputeJudicialAid:
    aid = (
        await DisputeJudicialAid.filter(case_id=ctx.case.id, status=status)
        .using_db(ctx.conn)
        .order_by("-id")
        .first()
    )
    if aid is None:  # pragma: no cover - the step's flag guard implies the row
        raise ValidationFailed("没有对应的司法救助申请")
    return aid


async def apply_judicial_aid(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    amount: Decimal,
    applied_on: date,
    reason: str,
    now: datetime | None = None,
) -> Change:
    async def apply(ctx: StepContext) -> dict[str, Any]:
        aid = await DisputeJudicialAid.create(
            using_db=ctx.conn, case_id=ctx.case.id, status=AidStatus.APPLIED,
            amount=checks.money(amount, "amount", positive=True),
            applied_on=checks.not_after(applied_on, ctx.today, "appliedOn", "申请日期"),
            reason=clean_text(reason, "reason"), recorded_by=actor.label, recorded_at=ctx.at,
        )  # fmt: skip
        return {"aidId": aid.id, "amount": str(aid.amount)}

    return await step(actor, dispute_id, version, Action.APPLY_JUDICIAL_AID, apply=apply,
                      now=now)  # fmt: skip


async def decide_judicial_aid(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    decision: AidDecision,
    decided_on: date,
    amount: Decimal | None = None,
    reasons: str = "",
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """The chief approves (possibly a different amount) or refuses the open application."""
    approved = decision is AidDecision.APPROVED
    action = Action.APPROVE_JUDICIAL_AID if approved else Action.DENY_JUDICIAL_AID

    async def apply(ctx: StepContext) -> dict[str, Any]:
        aid = await _latest(ctx, AidStatus.APPLIED)
        checks.not_after(decided_on, ctx.today, "decidedOn", "决定日期")
        checks.not_before(decided_on, aid.applied_on, "decidedOn", "决定日期", "申请日期")
        if approved:
            aid.status = AidStatus.APPROVED
            aid.approved_amount = aid.amount if amount is None else checks.money(
                amount, "amount", positive=True)  # fmt: skip
            aid.decision_note = checks.optional_text(comment, "comment", 2000)
        else:
            aid.status = AidStatus.DENIED
            aid.decision_note = clean_text(reasons, "reasons")
        aid.decided_on, aid.decided_by = decided_on, actor.label
        await aid.save(using_db=ctx.conn)
        ctx.case.flags = ",".join(sorted(flags_of(ctx.case) - {AID_PENDING}))
        payload: dict[str, Any] = {"aidId": aid.id, "decision": decision.value}
        if aid.approved_amount is not None:
            payload["approvedAmount"] = str(aid.approved_amount)
        return payload

    return await step(actor, dispute_id, version, action, apply=apply,
                      comment=comment if approved else "", now=now)  # fmt: skip


async def record_aid_payment(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    paid_on: date,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    async def apply(ctx: StepContext) -> dict[str, Any]:
        aid = await _latest(ctx, AidStatus.APPROVED)
        checks.not_after(paid_on, ctx.today, "paidOn", "发放日期")
        checks.not_before(paid_on, aid.decided_on, "paidOn", "发放日期", "批准日期")
        aid.status, aid.paid_on = AidStatus.PAID, paid_on
        await aid.save(using_db=ctx.conn, update_fields=["status", "paid_on"])
        return {"aidId": aid.id, "paidOn": paid_on.isoformat()}

    return await step(actor, dispute_id, version, Action.RECORD_AID_PAYMENT, apply=apply,
                      comment=comment, now=now)  # fmt: skip
