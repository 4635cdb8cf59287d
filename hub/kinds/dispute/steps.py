"""The dispute's steps that carry data; the engine decides whether each may be taken.

Every ``apply`` runs after the engine has allowed the step and inside its transaction, so a
refused input changes nothing. Judicial aid (``hub.kinds.dispute.aid``) and the outcome
(``hub.kinds.dispute.resolution``) have their own modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.dispute import checks
from hub.kinds.dispute.checks import Applicant
from hub.kinds.dispute.models import (
    DisputeApplicant,
    DisputeDetail,
    DisputeHearing,
    DisputeInvestigation,
    DisputeMaterial,
    DisputePlan,
)
from hub.kinds.dispute.spec import (
    PLAN_CONFIRMED,
    Action,
    ActType,
    InvestigationMethod,
    RiskLevel,
    Stage,
)
from hub.kinds.recommendation.steps import (
    government_unit,
)
from hub.services.cases import (
    Change,
    NewCase,
    StepContext,
    create_case,
    ensure_may_create,
    take_step,
    update_draft,
)
from hub.services.text import clean_text
from hub.services.visibility import flags_of

KIND = CaseKind.DISPUTE
AGENCY_LABEL = "被申请行政机关"


class Keep(Enum):
    """An update argument left as it is (where None is a value: clearing the amount)."""

    KEEP = 0


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class NewDispute:
    case_no: str
    title: str
    stage: Stage
    agency_unit_id: int
    act_type: ActType
    applicants: Sequence[Applicant]
    core_demand: str
    petition_risk: RiskLevel
    third_parties: str = ""
    amount: Decimal | None = None
    reconsideration_no: str = ""
    internal_note: str = ""


async def detail_of(ctx: StepContext) -> DisputeDetail:
    return await DisputeDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()


async def _add_applicants(ctx: StepContext, rows: Sequence[Applicant]) -> None:
    for row in rows:
        await DisputeApplicant.create(using_db=ctx.conn, case_id=ctx.case.id, name=row.name,
                                      kind=row.kind, contact=row.contact)  # fmt: skip


async def create_dispute(actor: Actor, new: NewDispute, *, now: datetime | None = None) -> Change:
    """A prosecutor registers a dispute (登记); it is handled by them, and the chief accepts it."""
    ensure_may_create(actor, KIND)  # before the inputs: a refusal says nothing about units
    applicants = checks.applicants(new.applicants)
    core_demand = clean_text(new.core_demand, "coreDemand")
    third_parties = checks.optional_text(new.third_parties, "thirdParties", 2000)
    reconsideration_no = checks.optional_text(new.reconsideration_no, "reconsiderationNo", 64)
    amount = None if new.amount is None else checks.money(new.amount, "amount")
    agency = await government_unit(new.agency_unit_id, "agencyUnitId", AGENCY_LABEL)

    async def detail(ctx: StepContext) -> dict[str, Any]:
        await DisputeDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, stage=new.stage, act_type=new.act_type,
            third_parties=third_parties, core_demand=core_demand, amount=amount,
            petition_risk=new.petition_risk, reconsideration_no=reconsideration_no,
        )  # fmt: skip
        await _add_applicants(ctx, applicants)
        return {"stage": new.stage.value, "actType": new.act_type.value,
                "applicants": len(applicants)}  # fmt: skip

    case = NewCase(
        case_no=new.case_no,
        title=new.title,
        parties=(Party(PartyRole.RESPONDENT, agency.id),),
        internal_note=new.internal_note,
    )
    return await create_case(actor, KIND, case, detail, now=now)


async def update_dispute(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    title: str | None = None,
    stage: Stage | None = None,
    agency_unit_id: int | None = None,
    act_type: ActType | None = None,
    applicants: Sequence[Applicant] | None = None,
    third_parties: str | None = None,
    core_demand: str | None = None,
    amount: Decimal | Keep | None = KEEP,
    petition_risk: RiskLevel | None = None,
    reconsideration_no: str | None = None,
    internal_note: str | None = None,
    now: datetime | None = None,
) -> Change:
    """The author edits the registration while in intake (also after a return for revision)."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        changed: list[str] = []

        def put(name: str, attr: str, value: object) -> None:
            setattr(detail, attr, value)
            changed.append(name)

        for name, attr, value in (("stage", "stage", stage), ("actType", "act_type", act_type),
                                  ("petitionRisk", "petition_risk", petition_risk)):  # fmt: skip
            if value is not None:
                put(name, attr, value)
        if core_demand is not None:
            put("coreDemand", "core_demand", clean_text(core_demand, "coreDemand"))
        if third_parties is not None:
            put("thirdParties", "third_parties",
                checks.optional_text(third_parties, "thirdParties", 2000))  # fmt: skip
        if reconsideration_no is not None:
            put("reconsiderationNo", "reconsideration_no",
                checks.optional_text(reconsideration_no, "reconsiderationNo", 64))  # fmt: skip
        if not isinstance(amount, Keep):
            put("amount", "amount", None if amount is None else checks.money(amount, "amount"))
        if agency_unit_id is not None:
            agency = await government_unit(agency_unit_id, "agencyUnitId", AGENCY_LABEL)
            party = checks.respondent(ctx.parties)
            party.unit_id = agency.id
            await party.save(using_db=ctx.conn, update_fields=["unit_id"])
            changed.append("agencyUnitId")
        if applicants is not None:
            rows = checks.applicants(applicants)
            await DisputeApplicant.filter(case_id=ctx.case.id).using_db(ctx.conn).delete()
            await _add_applicants(ctx, rows)
            changed.append("applicants")
        await detail.save(using_db=ctx.conn)
        return {"fields": changed}

    return await update_draft(actor, dispute_id, version, KIND, title=title,
                              internal_note=internal_note, apply=apply, now=now)  # fmt: skip


async def step(actor: Actor, dispute_id: int, version: int, action: Action, **kw: Any) -> Change:
    """A data-less step of a dispute (submit, accept, return, terminate, resume)."""
    return await take_step(actor, dispute_id, version, action, kind=KIND, **kw)


async def reject(
    actor: Actor, dispute_id: int, version: int, *, reasons: str, now: datetime | None = None
) -> Change:
    """The chief decides not to accept the dispute (不予受理), with reasons."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        detail.rejection_reason = clean_text(reasons, "reasons")
        await detail.save(using_db=ctx.conn, update_fields=["rejection_reason"])
        return {"reasons": detail.rejection_reason}

    return await step(actor, dispute_id, version, Action.REJECT, apply=apply, now=now)


async def record_investigation(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    investigated_on: date,
    method: InvestigationMethod,
    finding: str,
    now: datetime | None = None,
) -> Change:
    """One 调查核实 record; the first one starts the investigation."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        row = await DisputeInvestigation.create(
            using_db=ctx.conn, case_id=ctx.case.id, method=method,
            investigated_on=checks.not_after(investigated_on, ctx.today, "investigatedOn",
                                             "调查日期"),
            finding=clean_text(finding, "finding"), recorded_by=actor.label, recorded_at=ctx.at,
        )  # fmt: skip
        return {"investigationId": row.id, "method": method.value,
                "investigatedOn": investigated_on.isoformat()}  # fmt: skip

    return await step(actor, dispute_id, version, Action.RECORD_INVESTIGATION, apply=apply,
                      now=now)  # fmt: skip


async def submit_materials(
    actor: Actor, dispute_id: int, version: int, *, content: str, now: datetime | None = None
) -> Change:
    """The respondent agency's liaison hands in its materials (情况说明、证据)."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        row = await DisputeMaterial.create(
            using_db=ctx.conn, case_id=ctx.case.id, content=clean_text(content, "content"),
            submitted_by=actor.label, submitted_at=ctx.at,
        )  # fmt: skip
        return {"materialId": row.id}

    return await step(actor, dispute_id, version, Action.SUBMIT_MATERIALS, apply=apply, now=now)


async def schedule_hearing(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    hearing_on: date,
    hearing_officers: str,
    public: bool,
    venue: str = "",
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """A hearing (听证) is set; one held in private needs its reason in the comment."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        if not public and not comment.strip():
            raise ValidationFailed("不公开听证的，请在说明中写明理由", field="comment")
        row = await DisputeHearing.create(
            using_db=ctx.conn, case_id=ctx.case.id, hearing_on=hearing_on, public=public,
            hearing_officers=clean_text(hearing_officers, "hearingOfficers", limit=2000),
            venue=checks.optional_text(venue, "venue", 200), recorded_by=actor.label,
            recorded_at=ctx.at,
        )  # fmt: skip
        return {"hearingId": row.id, "hearingOn": hearing_on.isoformat(), "public": public}

    return await step(actor, dispute_id, version, Action.SCHEDULE_HEARING, apply=apply,
                      comment=comment, now=now)  # fmt: skip


async def record_hearing(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    held_on: date,
    result: str,
    now: datetime | None = None,
) -> Change:
    """The result of the scheduled hearing (听证员意见); the investigation goes on."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        hearing = (
            await DisputeHearing.filter(case_id=ctx.case.id, held_on__isnull=True)
            .using_db(ctx.conn)
            .order_by("-id")
            .first()
        )
        if hearing is None:  # pragma: no cover - HEARING implies a scheduled hearing
            raise ValidationFailed("没有待记录的听证")
        hearing.held_on = checks.not_after(held_on, ctx.today, "heldOn", "举行日期")
        hearing.result = clean_text(result, "result")
        await hearing.save(using_db=ctx.conn, update_fields=["held_on", "result"])
        return {"hearingId": hearing.id, "heldOn": held_on.isoformat()}

    return await step(actor, dispute_id, version, Action.RECORD_HEARING, apply=apply, now=now)


async def propose_plan(
    actor: Actor,
    dispute_id: int,
    version: int,
    *,
    content: str,
    parties: str,
    agreed_on: date,
    agreed_by: str,
    now: datetime | None = None,
) -> Change:
    """A resolution plan (化解方案) worked out with the parties; a new one replaces the last."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        row = await DisputePlan.create(
            using_db=ctx.conn, case_id=ctx.case.id, content=clean_text(content, "content"),
            parties=clean_text(parties, "parties", limit=2000),
            agreed_on=checks.not_after(agreed_on, ctx.today, "agreedOn", "商定日期"),
            agreed_by=clean_text(agreed_by, "agreedBy", limit=2000), recorded_by=actor.label,
            recorded_at=ctx.at,
        )  # fmt: skip
        ctx.case.flags = ",".join(sorted(flags_of(ctx.case) - {PLAN_CONFIRMED}))
        return {"planId": row.id, "agreedOn": agreed_on.isoformat()}

    return await step(actor, dispute_id, version, Action.PROPOSE_PLAN, apply=apply, now=now)


async def confirm_plan(
    actor: Actor, dispute_id: int, version: int, *, comment: str = "", now: datetime | None = None
) -> Change:
    """The respondent agency confirms the current plan."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        plan = await DisputePlan.filter(case_id=ctx.case.id).using_db(ctx.conn).order_by("-id")
        if not plan:  # pragma: no cover - MEDIATING implies a plan
            raise ValidationFailed("没有可确认的化解方案")
        plan[0].confirmed_by, plan[0].confirmed_at = actor.label, ctx.at
        await plan[0].save(using_db=ctx.conn, update_fields=["confirmed_by", "confirmed_at"])
        return {"planId": plan[0].id}

    return await step(actor, dispute_id, version, Action.CONFIRM_PLAN, apply=apply,
                      comment=comment, now=now)  # fmt: skip
