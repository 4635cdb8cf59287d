"""The PIL steps tied to the pre-suit recommendation (诉前检察建议), which is its own case.

Drafting the recommendation opens a public-interest recommendation (flag ``linked_pil``,
``source`` = the PIL case) in the same transaction as the PIL step; entering litigation
review converts a still-open recommendation in the same transaction, whichever card the
chief acts on. Each step's events are announced only after that one commit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from hub.domain.errors import InvalidTransition
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.pil_case.inputs import day_between, detail_of, text
from hub.kinds.pil_case.models import PilFollowUp
from hub.kinds.pil_case.spec import (
    LITIGATION_REVIEW,
    Action,
    FollowUpMethod,
    Outcome,
    State,
    TerminationReason,
)
from hub.kinds.recommendation.models import Reply
from hub.kinds.recommendation.spec import LINKED_PIL, REPLY, RecommendationType
from hub.kinds.recommendation.spec import Action as RecAction
from hub.kinds.recommendation.steps import NewRecommendation, create_recommendation
from hub.kinds.registry import spec_of
from hub.models import Case, CaseClock
from hub.services.cases import Apply, Change, StepContext, steps_together, take_step
from hub.services.clocks import start_clock

KIND = CaseKind.PIL_CASE
REC = CaseKind.RECOMMENDATION


async def linked_recommendation(case_id: int, conn: BaseDBAsyncClient | None = None) -> Case | None:
    """The latest recommendation opened from the PIL case ``case_id``."""
    query = Case.filter(source_id=case_id, kind=REC).order_by("-id")
    return await (query.using_db(conn) if conn is not None else query).first()


def _is_open(rec: Case) -> bool:
    return rec.state not in spec_of(rec.kind).closed


async def _reply_due(rec: Case, conn: BaseDBAsyncClient) -> date | None:
    clock = await CaseClock.filter(case_id=rec.id, name=REPLY).using_db(conn).first()
    return clock.due_on if clock is not None else None


async def draft_recommendation(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    doc_no: str,
    title: str,
    issues: str,
    suggestions: str,
    legal_basis: str = "",
    now: datetime | None = None,
) -> Change:
    """Draft the pre-suit recommendation to the same agency; the PIL case waits on it."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        agency = next(p.unit_id for p in ctx.parties if p.role is PartyRole.ADDRESSEE)
        new = NewRecommendation(
            doc_no=doc_no, title=title, rec_type=RecommendationType.PUBLIC_INTEREST,
            addressee_unit_id=agency, issues=text(issues, "issues"),
            suggestions=text(suggestions, "suggestions"),
            legal_basis=text(legal_basis, "legalBasis", required=False),
            source_case_id=ctx.case.id, flags=frozenset({LINKED_PIL}),
        )  # fmt: skip
        # LINKED_PIL: its conversion to litigation review needs to know it belongs to a PIL case.
        rec = (await create_recommendation(ctx.actor, new, now=ctx.at)).case
        return {"recommendationId": rec.id, "docNo": rec.case_no}

    async with steps_together():
        return await take_step(actor, case_id, version, Action.DRAFT_RECOMMENDATION, kind=KIND,
                               apply=apply, now=now)  # fmt: skip


async def record_follow_up(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    method: FollowUpMethod,
    investigated_on: date,
    finding: str,
    now: datetime | None = None,
) -> Change:
    """A 跟进调查 record; the first needs the recommendation replied to or its period expired."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        if ctx.case.state == State.RECOMMENDED:
            rec = await linked_recommendation(ctx.case.id, ctx.conn)
            due = await _reply_due(rec, ctx.conn) if rec is not None else None
            replied = (
                rec is not None and await Reply.filter(case_id=rec.id).using_db(ctx.conn).exists()
            )
            if not replied and (due is None or due >= ctx.today):
                raise InvalidTransition("诉前检察建议尚未回复且回复期限未届满，不能开始跟进调查")
        detail = await detail_of(ctx)
        record = await PilFollowUp.create(
            using_db=ctx.conn, case_id=ctx.case.id, method=method,
            investigated_on=day_between(investigated_on, "investigatedOn", "调查日期",
                                        after=detail.filing_served_on,
                                        after_label="立案决定书送达日期", today=ctx.today),
            finding=text(finding, "finding"), recorded_by=actor.label, recorded_at=ctx.at,
        )  # fmt: skip
        return {"followUpId": record.id, "method": method.value,
                "investigatedOn": investigated_on.isoformat()}  # fmt: skip

    return await take_step(actor, case_id, version, Action.RECORD_FOLLOW_UP, kind=KIND,
                           apply=apply, now=now)  # fmt: skip


async def terminate(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    reason: TerminationReason,
    decided_on: date,
    note: str = "",
    now: datetime | None = None,
    action: Action = Action.TERMINATE,
) -> Change:
    """The chief closes the case (终结), once no recommendation of it is still open."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        rec = await linked_recommendation(ctx.case.id, ctx.conn)
        if rec is not None and _is_open(rec):
            raise InvalidTransition(f"诉前检察建议 {rec.case_no} 尚未办结，不能终结案件")
        detail = await detail_of(ctx)
        detail.outcome_note = text(note, "note", required=reason is TerminationReason.OTHER)
        detail.decided_on = day_between(decided_on, "decidedOn", "决定日期", after=detail.filed_on,
                                        after_label="立案日期", today=ctx.today)  # fmt: skip
        detail.outcome, detail.termination_reason = Outcome.TERMINATED, reason
        await detail.save(using_db=ctx.conn)
        return {"reason": reason.value, "decidedOn": decided_on.isoformat()}

    return await take_step(actor, case_id, version, action, kind=KIND, apply=apply, now=now)


def _review(comment: str) -> Apply:
    """Start the review clock, converting a still-open recommendation first."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        rec = await linked_recommendation(ctx.case.id, ctx.conn)
        payload: dict[str, Any] = {}
        if rec is not None and _is_open(rec):
            await take_step(ctx.actor, rec.id, rec.version, RecAction.CONVERT_TO_LITIGATION,
                            kind=REC, comment=comment, now=ctx.at)  # fmt: skip
            payload["convertedRecommendationId"] = rec.id
        due = await _reply_due(rec, ctx.conn) if rec is not None else None
        started = due if due is not None and due <= ctx.today else ctx.today
        deadline = await start_clock(ctx, LITIGATION_REVIEW, started)
        since = "reply_period_expired" if started == due else "decision"
        return payload | {"startedOn": started.isoformat(), "since": since,
                          "reviewDue": deadline.due_on.isoformat()}  # fmt: skip

    return apply


async def start_litigation_review(
    actor: Actor, case_id: int, version: int, *, comment: str = "", now: datetime | None = None
) -> Change:
    """The chief sends the case to 起诉审查 after the follow-up found the agency did not act."""
    async with steps_together():
        return await take_step(actor, case_id, version, Action.START_LITIGATION_REVIEW,
                               kind=KIND, apply=_review(comment), comment=comment,
                               now=now)  # fmt: skip


async def convert_recommendation_to_litigation(
    actor: Actor, rec_id: int, version: int, *, comment: str = "", now: datetime | None = None
) -> tuple[Change, Change]:
    """The recommendation's ``convert_to_litigation`` and its PIL case's entry into 起诉审查,
    in one transaction: both happen or neither does. Returns (recommendation, PIL case)."""
    async with steps_together():
        rec = await take_step(actor, rec_id, version, RecAction.CONVERT_TO_LITIGATION, kind=REC,
                              comment=comment, now=now)  # fmt: skip
        source = rec.case.source_id
        pil = await Case.get_or_none(id=source, kind=KIND) if source is not None else None
        if pil is None:
            raise InvalidTransition("该检察建议没有关联的行政公益诉讼案件")
        change = await take_step(actor, pil.id, pil.version, Action.START_LITIGATION_REVIEW,
                                 kind=KIND, apply=_review(comment), comment=comment,
                                 now=now)  # fmt: skip
    return rec, change
