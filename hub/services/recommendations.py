"""Every change to a recommendation: one transaction with its event, then a publish."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from hub import clock
from hub.domain.deadlines import Period, ReplyRule
from hub.domain.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from hub.domain.lifecycle import CLOSED, Action, State, Transition, choose_transition
from hub.domain.roles import Actor, Role, Side
from hub.domain.visibility import audience_of
from hub.models import (
    CaseEvent,
    Completeness,
    Objection,
    ObjectionDecision,
    Recommendation,
    RecommendationType,
    Reply,
    ReplyDecision,
    ServiceMethod,
    Unit,
)
from hub.services.deadlines import custom_period, set_deadline
from hub.services.events import append_event
from hub.services.publish import announce
from hub.services.visibility import facts_of, visible_recommendations

MAX_TEXT = 20_000
# The fields a step may change; the conditional UPDATE writes exactly these.
_MUTABLE = (
    "state",
    "title",
    "suggestions",
    "urgent",
    "reply_rule",
    "custom_period_amount",
    "custom_period_unit",
    "served_on",
    "service_method",
    "reply_due",
    "due_provisional",
    "due_explanation",
    "deadline_version",
    "version",
    "updated_at",
    "closed_at",
)


@dataclass(frozen=True, slots=True)
class Change:
    """A committed step: the case as it now is and the event that recorded it."""

    recommendation: Recommendation
    event: CaseEvent


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


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationFailed("此项不能为空", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"内容过长（最多 {limit} 字）", field=field)
    return value


async def create_recommendation(
    actor: Actor, new: NewRecommendation, *, now: datetime | None = None
) -> Change:
    """A prosecutor drafts a recommendation issued by their own procuratorate."""
    if actor.role is not Role.PROSECUTOR or actor.side is not Side.PROCURATORATE:
        raise PermissionDenied("只有承办检察官可以起草检察建议")
    at = now or clock.now()
    addressee = await Unit.get_or_none(id=new.addressee_unit_id)
    if addressee is None or addressee.side is not Side.GOVERNMENT:
        raise ValidationFailed("被建议单位不存在或不是行政机关", field="addresseeUnitId")
    fields = {
        "doc_no": _text(new.doc_no, "docNo", limit=64),
        "title": _text(new.title, "title", limit=200),
        "issues": _text(new.issues, "issues", required=False),
        "suggestions": _text(new.suggestions, "suggestions", required=False),
        "legal_basis": _text(new.legal_basis, "legalBasis", required=False),
        "internal_note": _text(new.internal_note, "internalNote", required=False),
    }
    try:
        async with in_transaction() as conn:
            rec = await Recommendation.create(
                using_db=conn,
                rec_type=new.rec_type,
                issuer_unit_id=actor.unit_id,
                addressee_unit_id=addressee.id,
                prosecutor_id=actor.id if actor.kind == "user" else None,
                state=State.DRAFT,
                created_at=at,
                updated_at=at,
                **fields,
            )
            event = await append_event(
                conn,
                recommendation_id=rec.id,
                action="create",
                from_state=None,
                to_state=State.DRAFT,
                version=rec.version,
                actor=actor,
                at=at,
                internal=True,
            )
    except IntegrityError as exc:
        raise ValidationFailed(f"文号 {fields['doc_no']} 已存在", field="docNo") from exc
    await announce(event.seq)
    return Change(rec, event)


Apply = Callable[[Recommendation, Transition, BaseDBAsyncClient], Awaitable[dict[str, Any]]]


async def _nothing(rec: Recommendation, t: Transition, conn: BaseDBAsyncClient) -> dict[str, Any]:
    return {}


async def _step(
    actor: Actor,
    rec_id: int,
    version: int,
    action: Action,
    *,
    apply: Apply = _nothing,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """Load what the actor may see, check version and rule, apply, save with the event."""
    at = now or clock.now()
    comment = _text(comment, "comment", required=False, limit=2000)
    async with in_transaction() as conn:
        rec = (
            await visible_recommendations(audience_of(actor)).using_db(conn).get_or_none(id=rec_id)
        )
        if rec is None:
            raise NotFound("检察建议不存在", field="id")
        if rec.version != version:
            raise VersionConflict(
                f"该检察建议已被他人修改（当前版本 {rec.version}），请刷新后重试",
                current_version=rec.version,
            )
        transition = choose_transition(action, actor, facts_of(rec), clock.business_date(at))
        from_state = rec.state
        payload = await apply(rec, transition, conn)
        if transition.target is not None:
            rec.state = transition.target
        if rec.state in CLOSED and rec.closed_at is None:
            rec.closed_at = at
        rec.version = version + 1
        rec.updated_at = at
        changed = {name: getattr(rec, name) for name in _MUTABLE}
        updated = (
            await Recommendation.filter(id=rec.id, version=version).using_db(conn).update(**changed)
        )
        if updated != 1:  # a concurrent writer got there first
            raise VersionConflict("该检察建议已被他人修改，请刷新后重试", current_version=version)
        event = await append_event(
            conn,
            recommendation_id=rec.id,
            action=action.value,
            from_state=from_state,
            to_state=rec.state,
            version=rec.version,
            actor=actor,
            at=at,
            comment=comment,
            payload=payload,
            internal=transition.internal,
        )
    await announce(event.seq)
    return Change(rec, event)


async def submit_for_approval(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _step(actor, rec_id, version, Action.SUBMIT_FOR_APPROVAL, **kw)


async def approve(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _step(actor, rec_id, version, Action.APPROVE, **kw)


async def return_for_revision(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _step(actor, rec_id, version, Action.RETURN_FOR_REVISION, **kw)


async def acknowledge(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _step(actor, rec_id, version, Action.ACKNOWLEDGE, **kw)


async def urge(actor: Actor, rec_id: int, version: int, **kw: Any) -> Change:
    return await _step(actor, rec_id, version, Action.URGE, **kw)


async def serve(
    actor: Actor,
    rec_id: int,
    version: int,
    *,
    served_on: date,
    method: ServiceMethod,
    rule: ReplyRule = ReplyRule.STATUTORY_2_MONTHS,
    custom_period: Period | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """Serve the 检察建议书; the reply deadline is computed from the service date."""
    at = now or clock.now()

    async def apply(rec: Recommendation, t: Transition, conn: BaseDBAsyncClient) -> dict[str, Any]:
        deadline = await set_deadline(rec, served_on, rule, custom_period, clock.business_date(at))
        rec.service_method = method
        return {"servedOn": served_on.isoformat(), "replyDue": deadline.due_on.isoformat()}

    return await _step(actor, rec_id, version, Action.SERVE, apply=apply, comment=comment, now=at)


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
    at = now or clock.now()

    async def apply(rec: Recommendation, t: Transition, conn: BaseDBAsyncClient) -> dict[str, Any]:
        reply = await Reply.create(
            using_db=conn,
            recommendation_id=rec.id,
            content=_text(content, "content"),
            measures=_text(measures, "measures", required=False),
            completeness=completeness,
            submitted_by=actor.name,
            submitted_at=at,
        )
        return {"replyId": reply.id, "completeness": completeness.value}

    return await _step(actor, rec_id, version, Action.SUBMIT_REPLY, apply=apply, now=at)


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
    at = now or clock.now()
    action = {
        ReplyDecision.ADOPTED: Action.ADOPT_REPLY,
        ReplyDecision.PARTIALLY_ADOPTED: Action.PARTIALLY_ADOPT_REPLY,
    }[decision]
    if decision is ReplyDecision.PARTIALLY_ADOPTED:
        _text(comment, "comment")  # the unit must be told what is still missing

    async def apply(rec: Recommendation, t: Transition, conn: BaseDBAsyncClient) -> dict[str, Any]:
        reply = await Reply.filter(recommendation_id=rec.id).using_db(conn).order_by("-id").first()
        if reply is None:  # pragma: no cover - REPLIED implies a reply exists
            raise ValidationFailed("没有可审查的回复")
        reply.decision = decision
        reply.review_comment = comment.strip()
        reply.reviewed_by = actor.name
        reply.reviewed_at = at
        await reply.save(using_db=conn)
        return {"replyId": reply.id, "decision": decision.value}

    return await _step(actor, rec_id, version, action, apply=apply, comment=comment, now=at)


async def raise_objection(
    actor: Actor, rec_id: int, version: int, *, grounds: str, now: datetime | None = None
) -> Change:
    at = now or clock.now()

    async def apply(rec: Recommendation, t: Transition, conn: BaseDBAsyncClient) -> dict[str, Any]:
        objection = await Objection.create(
            using_db=conn,
            recommendation_id=rec.id,
            grounds=_text(grounds, "grounds"),
            raised_by=actor.name,
            raised_at=at,
        )
        return {"objectionId": objection.id}

    return await _step(actor, rec_id, version, Action.RAISE_OBJECTION, apply=apply, now=at)


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
    at = now or clock.now()
    action = {
        ObjectionDecision.REJECTED: Action.REJECT_OBJECTION,
        ObjectionDecision.AMENDED: Action.AMEND_AND_RESERVE,
        ObjectionDecision.WITHDRAWN: Action.WITHDRAW,
    }[decision]

    async def apply(rec: Recommendation, t: Transition, conn: BaseDBAsyncClient) -> dict[str, Any]:
        payload: dict[str, Any] = {"decision": decision.value}
        if decision is ObjectionDecision.AMENDED:
            if served_on is None:
                raise ValidationFailed("修改后重新送达须填写送达日期", field="servedOn")
            rec.suggestions = _text(amended_suggestions or "", "amendedSuggestions")
            deadline = await set_deadline(
                rec, served_on, rec.reply_rule, custom_period(rec), clock.business_date(at)
            )
            payload |= {"servedOn": served_on.isoformat(), "replyDue": deadline.due_on.isoformat()}
        objection = (
            await Objection.filter(recommendation_id=rec.id, decision__isnull=True)
            .using_db(conn)
            .order_by("-id")
            .first()
        )
        if objection is not None:
            objection.decision = decision
            objection.reasons = _text(reasons, "reasons")
            objection.decided_by = actor.name
            objection.decided_at = at
            await objection.save(using_db=conn)
        return payload

    return await _step(actor, rec_id, version, action, apply=apply, comment=reasons, now=at)
