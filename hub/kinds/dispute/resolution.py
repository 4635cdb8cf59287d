"""How a dispute ends: resolved (then checked on), not resolved, or through a recommendation
opened from it. The engine decides whether each step may be taken; ``apply`` checks the input.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor
from hub.kinds.dispute import checks
from hub.kinds.dispute.models import DisputeFollowUp
from hub.kinds.dispute.spec import (
    AID_GRANTED,
    AID_PENDING,
    FOLLOW_UP,
    RECOMMENDATION_LINKED,
    SPAWNABLE_TYPES,
    Action,
    FollowUpResult,
    Outcome,
)
from hub.kinds.dispute.steps import detail_of, step
from hub.kinds.recommendation.spec import RecommendationType
from hub.kinds.recommendation.steps import NewRecommendation, create_recommendation
from hub.services.cases import Change, StepContext
from hub.services.clocks import start_clock
from hub.services.text import clean_text
from hub.services.visibility import flags_of


async def issue_recommendation(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    rec_type: RecommendationType,
    doc_no: str,
    title: str,
    issues: str = "",
    suggestions: str = "",
    legal_basis: str = "",
    now: datetime | None = None,
) -> Change:
    """Open a recommendation (检察建议, a draft) to the respondent agency, linked to the
    dispute; it is approved and served on its own lifecycle."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        if rec_type not in SPAWNABLE_TYPES:
            raise ValidationFailed("公益诉讼检察建议应在公益诉讼案件中制发", field="recType")
        new = NewRecommendation(
            doc_no=doc_no, title=title, rec_type=rec_type,
            addressee_unit_id=checks.respondent(ctx.parties).unit_id, issues=issues,
            suggestions=suggestions, legal_basis=legal_basis, source_case_id=ctx.case.id,
        )  # fmt: skip
        spawned = await create_recommendation(actor, new, now=ctx.at)
        return {"recommendationId": spawned.case.id, "docNo": spawned.case.case_no}

    return await step(actor, dispute_id, version, Action.ISSUE_RECOMMENDATION, apply=apply,
                      now=now)  # fmt: skip


def _no_pending_aid(ctx: StepContext) -> None:
    if AID_PENDING in flags_of(ctx.case):
        raise ValidationFailed("司法救助申请尚待检察长决定，请决定后再办理")


async def resolve(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    outcome: Outcome,
    resolved_on: date,
    summary: str,
    now: datetime | None = None,
) -> Change:
    """The dispute is resolved; the 30-day follow-up clock starts at the resolution date."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        flags = flags_of(ctx.case)
        _no_pending_aid(ctx)
        if outcome is Outcome.RECOMMENDATION_ISSUED and RECOMMENDATION_LINKED not in flags:
            raise ValidationFailed("本案尚未制发检察建议，不能选择“制发检察建议化解”",
                                   field="outcome")  # fmt: skip
        if outcome is Outcome.JUDICIAL_AID and AID_GRANTED not in flags:
            raise ValidationFailed("本案司法救助尚未批准，不能选择“司法救助化解”",
                                   field="outcome")  # fmt: skip
        detail = await detail_of(ctx)
        detail.outcome = outcome
        detail.resolved_on = checks.not_after(resolved_on, ctx.today, "resolvedOn", "化解日期")
        detail.resolution_summary = clean_text(summary, "summary")
        fields = ["outcome", "resolved_on", "resolution_summary"]
        await detail.save(using_db=ctx.conn, update_fields=fields)
        deadline = await start_clock(ctx, FOLLOW_UP, resolved_on)
        return {"outcome": outcome.value, "resolvedOn": resolved_on.isoformat(),
                "followUpDue": deadline.due_on.isoformat()}  # fmt: skip

    return await step(actor, dispute_id, version, Action.RESOLVE, apply=apply, now=now)


async def declare_not_resolved(
    actor: Actor, dispute_id: int, version: int, *, reasons: str, now: datetime | None = None
) -> Change:
    """The prosecutor reports that the dispute could not be resolved; the chief decides."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        _no_pending_aid(ctx)
        detail = await detail_of(ctx)
        detail.not_resolved_reason = clean_text(reasons, "reasons")
        await detail.save(using_db=ctx.conn, update_fields=["not_resolved_reason"])
        return {"reasons": detail.not_resolved_reason}

    return await step(actor, dispute_id, version, Action.DECLARE_NOT_RESOLVED, apply=apply,
                      now=now)  # fmt: skip


async def record_follow_up(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    result: FollowUpResult,
    checked_on: date,
    finding: str,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """The follow-up check: performed closes the case, not performed reopens mediation."""
    performed = result is FollowUpResult.PERFORMED
    action = Action.CLOSE_AFTER_FOLLOW_UP if performed else Action.REOPEN_MEDIATION

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        checks.not_after(checked_on, ctx.today, "checkedOn", "核查日期")
        checks.not_before(checked_on, detail.resolved_on, "checkedOn", "核查日期", "化解日期")
        row = await DisputeFollowUp.create(
            using_db=ctx.conn, case_id=ctx.case.id, checked_on=checked_on, performed=performed,
            finding=clean_text(finding, "finding"), recorded_by=actor.label, recorded_at=ctx.at,
        )  # fmt: skip
        if not performed:
            detail.outcome, detail.resolved_on = None, None
            await detail.save(using_db=ctx.conn, update_fields=["outcome", "resolved_on"])
        return {"followUpId": row.id, "result": result.value,
                "checkedOn": checked_on.isoformat()}  # fmt: skip

    return await step(actor, dispute_id, version, action, apply=apply, comment=comment, now=now)
