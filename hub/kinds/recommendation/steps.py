"""The recommendation's steps that carry data; the engine decides whether each may be taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hub.domain.deadlines import Period, ReplyRule
from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor, Side
from hub.kinds.recommendation.models import (
    Completeness,
    Escalation,
    Objection,
    ObjectionDecision,
    RecommendationDetail,
    Reply,
    ReplyDecision,
    ServiceMethod,
)
from hub.kinds.recommendation.spec import (
    PUBLIC_INTEREST,
    REPLY,
    Action,
    EscalationTarget,
    RecommendationType,
)
from hub.models import Unit
from hub.services.cases import (
    Change,
    NewCase,
    StepContext,
    create_case,
    ensure_may_create,
    take_step,
    update_draft,
)
from hub.services.clocks import custom_of, start_clock
from hub.services.text import clean_text
from hub.services.visibility import flags_of

KIND = CaseKind.RECOMMENDATION


@dataclass(frozen=True, slots=True)
class NewRecommendation:
    doc_no: str
    title: str
    rec_type: RecommendationType
    addressee_unit_id: int
    issues: str = ""
    suggestions: str = ""
    legal_basis: str = ""
    internal_note: str = ""
    source_case_id: int | None = None
    flags: frozenset[str] = frozenset()  # e.g. ``linked_pil`` when a PIL case opens it


async def government_unit(unit_id: int, field: str, label: str = "单位") -> Unit:
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None or unit.side is not Side.GOVERNMENT:
        raise ValidationFailed(f"{label}不存在或不是行政机关", field=field)
    return unit


async def create_recommendation(
    actor: Actor, new: NewRecommendation, *, now: datetime | None = None
) -> Change:
    """A prosecutor drafts a recommendation issued by their own procuratorate."""
    ensure_may_create(actor, KIND)  # before the addressee: a refusal says nothing about units
    addressee = await government_unit(new.addressee_unit_id, "addresseeUnitId", "被建议单位")
    flags = {PUBLIC_INTEREST} if new.rec_type is RecommendationType.PUBLIC_INTEREST else set()

    async def detail(ctx: StepContext) -> dict[str, Any]:
        await RecommendationDetail.create(
            using_db=ctx.conn,
            case_id=ctx.case.id,
            rec_type=new.rec_type,
            issues=clean_text(new.issues, "issues", required=False),
            suggestions=clean_text(new.suggestions, "suggestions", required=False),
            legal_basis=clean_text(new.legal_basis, "legalBasis", required=False),
        )
        return {"type": new.rec_type.value}

    case = NewCase(
        case_no=new.doc_no,
        title=new.title,
        parties=(Party(PartyRole.ADDRESSEE, addressee.id),),
        internal_note=new.internal_note,
        flags=frozenset(flags) | new.flags,
        source_id=new.source_case_id,
    )
    return await create_case(actor, KIND, case, detail, now=now)


async def update_recommendation(
    actor: Actor,
    rec_id: int,
    version: int,
    *,
    title: str | None = None,
    issues: str | None = None,
    suggestions: str | None = None,
    legal_basis: str | None = None,
    internal_note: str | None = None,
    now: datetime | None = None,
) -> Change:
    """The author edits a draft; ``None`` leaves a field as it is."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await RecommendationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()
        changed = []
        for attribute, field, value in (
            ("issues", "issues", issues),
            ("suggestions", "suggestions", suggestions),
            ("legal_basis", "legalBasis", legal_basis),
        ):
            if value is not None:
                setattr(detail, attribute, clean_text(value, field, required=False))
                changed.append(field)
        await detail.save(using_db=ctx.conn)
        return {"fields": changed}

    return await update_draft(actor, rec_id, version, KIND, title=title,
                              internal_note=internal_note, apply=apply, now=now)  # fmt: skip


async def _simple(actor: Actor, rec_id: int, version: int, action: Action, **kw: Any) -> Change:
    return await take_step(actor, rec_id, version, action, kind=KIND, **kw)


async def submit_for_approval(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _simple(actor, rec_id, version, Action.SUBMIT_FOR_APPROVAL, **kw)


async def approve(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _simple(actor, rec_id, version, Action.APPROVE, **kw)


async def return_for_revision(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _simple(actor, rec_id, version, Action.RETURN_FOR_REVISION, **kw)


async def acknowledge(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _simple(actor, rec_id, version, Action.ACKNOWLEDGE, **kw)


async def urge(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _simple(actor, rec_id, version, Action.URGE, **kw)


def reply_rule_id(rule: ReplyRule | str, public_interest: bool) -> str:
    """A rule id of the reply clock; the legacy ``ReplyRule`` names map by the type (the 15-day
    and custom rules exist for one type each: ``start_clock`` refuses them for the other)."""
    if not isinstance(rule, ReplyRule):
        return rule
    if rule is ReplyRule.URGENT_15_DAYS:
        return "ji21_15d"
    if rule is ReplyRule.CUSTOM:
        return "jy_custom"
    return "ji21_2m" if public_interest else "jy_2m"


async def serve(
    actor: Actor,
    rec_id: int,
    version: int,
    *,
    served_on: date,
    method: ServiceMethod,
    rule: ReplyRule | str = ReplyRule.STATUTORY_2_MONTHS,
    custom_period: Period | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """Serve the 检察建议书; the reply deadline is computed from the service date."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        rule_id = reply_rule_id(rule, PUBLIC_INTEREST in flags_of(ctx.case))
        deadline = await start_clock(ctx, REPLY, served_on, rule_id, custom_period)
        detail = await RecommendationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()
        detail.served_on, detail.service_method = served_on, method
        await detail.save(using_db=ctx.conn, update_fields=["served_on", "service_method"])
        return {"servedOn": served_on.isoformat(), "replyDue": deadline.due_on.isoformat(),
                "rule": rule_id}  # fmt: skip

    return await _simple(actor, rec_id, version, Action.SERVE, apply=apply, comment=comment,
                         now=now)  # fmt: skip


async def submit_reply(
    actor: Actor,
    rec_id: int,
    version: int,
    *,
    content: str,
    measures: str = "",
    completeness: Completeness,
    now: datetime | None = None,
) -> Change:
    """The addressee's written rectification reply (整改回复)."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        reply = await Reply.create(
            using_db=ctx.conn,
            case_id=ctx.case.id,
            content=clean_text(content, "content"),
            measures=clean_text(measures, "measures", required=False),
            completeness=completeness,
            submitted_by=actor.name,
            submitted_at=ctx.at,
        )
        return {"replyId": reply.id, "completeness": completeness.value}

    return await _simple(actor, rec_id, version, Action.SUBMIT_REPLY, apply=apply, now=now)


async def review_reply(
    actor: Actor,
    rec_id: int,
    version: int,
    *,
    decision: ReplyDecision,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """Adopt the latest reply (closing the case) or adopt it in part (rectification goes on)."""
    action = {
        ReplyDecision.ADOPTED: Action.ADOPT_REPLY,
        ReplyDecision.PARTIALLY_ADOPTED: Action.PARTIALLY_ADOPT_REPLY,
    }[decision]
    if decision is ReplyDecision.PARTIALLY_ADOPTED:
        clean_text(comment, "comment")  # the unit must be told what is still missing

    async def apply(ctx: StepContext) -> dict[str, Any]:
        reply = await Reply.filter(case_id=ctx.case.id).using_db(ctx.conn).order_by("-id").first()
        if reply is None:  # pragma: no cover - REPLIED implies a reply exists
            raise ValidationFailed("没有可审查的回复")
        reply.decision = decision
        reply.review_comment = comment.strip()
        reply.reviewed_by = actor.name
        reply.reviewed_at = ctx.at
        await reply.save(using_db=ctx.conn)
        return {"replyId": reply.id, "decision": decision.value}

    return await _simple(actor, rec_id, version, action, apply=apply, comment=comment, now=now)


async def raise_objection(
    actor: Actor, rec_id: int, version: int, *, grounds: str, now: datetime | None = None
) -> Change:
    async def apply(ctx: StepContext) -> dict[str, Any]:
        objection = await Objection.create(
            using_db=ctx.conn,
            case_id=ctx.case.id,
            grounds=clean_text(grounds, "grounds"),
            raised_by=actor.name,
            raised_at=ctx.at,
        )
        return {"objectionId": objection.id}

    return await _simple(actor, rec_id, version, Action.RAISE_OBJECTION, apply=apply, now=now)


async def decide_objection(
    actor: Actor,
    rec_id: int,
    version: int,
    *,
    decision: ObjectionDecision,
    reasons: str,
    amended_suggestions: str | None = None,
    served_on: date | None = None,
    now: datetime | None = None,
) -> Change:
    """Rejected: the recommendation stands. Amended: re-served with a new deadline. Withdrawn."""
    action = {
        ObjectionDecision.REJECTED: Action.REJECT_OBJECTION,
        ObjectionDecision.AMENDED: Action.AMEND_AND_RESERVE,
        ObjectionDecision.WITHDRAWN: Action.WITHDRAW,
    }[decision]

    async def apply(ctx: StepContext) -> dict[str, Any]:
        payload: dict[str, Any] = {"decision": decision.value}
        if decision is ObjectionDecision.AMENDED:
            if served_on is None:
                raise ValidationFailed("修改后重新送达须填写送达日期", field="servedOn")
            detail = await RecommendationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()
            detail.suggestions = clean_text(amended_suggestions or "", "amendedSuggestions")
            detail.served_on = served_on
            await detail.save(using_db=ctx.conn, update_fields=["suggestions", "served_on"])
            old = ctx.clocks.get(REPLY)
            rule_id = old.rule if old is not None else None
            custom = custom_of(old) if old is not None else None
            deadline = await start_clock(ctx, REPLY, served_on, rule_id, custom)
            payload |= {"servedOn": served_on.isoformat(), "replyDue": deadline.due_on.isoformat()}
        objection = (
            await Objection.filter(case_id=ctx.case.id, decision__isnull=True)
            .using_db(ctx.conn)
            .order_by("-id")
            .first()
        )
        if objection is not None:
            objection.decision = decision
            objection.reasons = clean_text(reasons, "reasons")
            objection.decided_by = actor.name
            objection.decided_at = ctx.at
            await objection.save(using_db=ctx.conn)
        return payload

    return await _simple(actor, rec_id, version, action, apply=apply, comment=reasons, now=now)


async def escalate(
    actor: Actor,
    rec_id: int,
    version: int,
    *,
    targets: list[EscalationTarget],
    decided_on: date,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """The chief's decision to report or notify after urging failed (D6), one row a target."""
    if not targets:
        raise ValidationFailed("请选择至少一个报告或通报对象", field="targets")

    async def apply(ctx: StepContext) -> dict[str, Any]:
        if decided_on > ctx.today:
            raise ValidationFailed("决定日期不能晚于今天", field="decidedOn")
        for target in dict.fromkeys(targets):
            await Escalation.create(
                using_db=ctx.conn, case_id=ctx.case.id, target=target, decided_on=decided_on,
                decided_by=actor.label, note=comment.strip(), recorded_at=ctx.at,
            )  # fmt: skip
        return {"targets": [t.value for t in dict.fromkeys(targets)],
                "decidedOn": decided_on.isoformat()}  # fmt: skip

    return await _simple(actor, rec_id, version, Action.ESCALATE, apply=apply, comment=comment,
                         now=now)  # fmt: skip
