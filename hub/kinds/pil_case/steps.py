"""The PIL case's steps that carry data; the engine decides whether each may be taken.

Every check of the input runs inside the step's transaction, after the engine allowed the
step, so a refusal changes nothing and an unknown or invisible case answers NotFound first.
The steps that involve the pre-suit recommendation are in ``hub.kinds.pil_case.presuit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hub.domain.engine import Party
from hub.domain.errors import PermissionDenied, ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor, ActorKind
from hub.kinds.pil_case.inputs import day_between, detail_of, domain_by_code, text
from hub.kinds.pil_case.models import PilConsultation, PilDetail
from hub.kinds.pil_case.presuit import (
    convert_recommendation_to_litigation,
    draft_recommendation,
    linked_recommendation,
    record_follow_up,
    start_litigation_review,
    terminate,
)
from hub.kinds.pil_case.spec import (
    AWAITING_CONFIRMATION,
    FILING_SERVICE,
    Action,
    ClueSource,
    ConsultationForm,
    LitigationResult,
    Outcome,
    TerminationReason,
)
from hub.kinds.recommendation.steps import government_unit
from hub.models import CaseParty
from hub.services.cases import (
    Change,
    NewCase,
    StepContext,
    create_case,
    ensure_may_create,
    take_step,
    update_draft,
)
from hub.services.clocks import start_clock
from hub.services.visibility import flags_of

__all__ = [
    "NewPilCase", "assess_clue", "close_litigation", "confirm_consultation",
    "convert_recommendation_to_litigation", "create_pil_case", "decide_not_to_sue",
    "draft_recommendation", "file_case", "file_suit", "linked_recommendation",
    "propose_filing", "record_consultation", "record_follow_up", "reject_clue",
    "return_for_revision", "serve_filing_decision", "start_litigation_review", "terminate",
    "update_pil_case",
]  # fmt: skip

KIND = CaseKind.PIL_CASE
AGENCY_FIELD, AGENCY_LABEL = "agencyUnitId", "被监督行政机关"


@dataclass(frozen=True, slots=True)
class NewPilCase:
    case_no: str
    title: str
    agency_unit_id: int
    clue_source: ClueSource
    clue_received_on: date
    domain_code: str
    harm_description: str
    duty_basis: str = ""
    department: str = ""
    urgent: bool = False
    internal_note: str = ""
    source_case_id: int | None = None  # the case it came from, e.g. a transferred PIL lead


async def create_pil_case(actor: Actor, new: NewPilCase, *, now: datetime | None = None) -> Change:
    """A prosecutor receives a clue about an agency; they become its handling prosecutor."""
    ensure_may_create(actor, KIND)  # before the agency: a refusal says nothing about units
    if actor.kind is not ActorKind.USER:
        raise PermissionDenied("行政公益诉讼线索须由承办检察官本人受理")
    agency = await government_unit(new.agency_unit_id, AGENCY_FIELD, AGENCY_LABEL)
    domain = await domain_by_code(new.domain_code)

    async def detail(ctx: StepContext) -> dict[str, Any]:
        received = day_between(new.clue_received_on, "clueReceivedOn", "线索受理日期",
                               after=None, after_label="", today=ctx.today)  # fmt: skip
        await PilDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, clue_source=new.clue_source,
            clue_received_on=received, domain_id=domain.id,
            department=text(new.department, "department", required=False, limit=64),
            harm_description=text(new.harm_description, "harmDescription"),
            duty_basis=text(new.duty_basis, "dutyBasis", required=False), urgent=new.urgent,
        )  # fmt: skip
        return {"clueSource": new.clue_source.value, "domain": domain.code}

    case = NewCase(
        case_no=new.case_no,
        title=new.title,
        parties=(Party(PartyRole.ADDRESSEE, agency.id),),
        internal_note=new.internal_note,
        source_id=new.source_case_id,
    )
    return await create_case(actor, KIND, case, detail, now=now)


async def update_pil_case(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    title: str | None = None,
    internal_note: str | None = None,
    agency_unit_id: int | None = None,
    clue_source: ClueSource | None = None,
    clue_received_on: date | None = None,
    domain_code: str | None = None,
    department: str | None = None,
    harm_description: str | None = None,
    duty_basis: str | None = None,
    urgent: bool | None = None,
    assessment: str | None = None,
    now: datetime | None = None,
) -> Change:
    """The author edits a clue before it is proposed for filing, or after it was returned."""
    texts = {"department": department, "harm_description": harm_description,
             "duty_basis": duty_basis, "assessment": assessment}  # fmt: skip
    fields = {"department": "department", "harm_description": "harmDescription",
              "duty_basis": "dutyBasis", "assessment": "assessment"}  # fmt: skip

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        changed = []
        for name, value in texts.items():
            if value is not None:
                limit = 64 if name == "department" else 20_000
                required = name == "harm_description"
                setattr(detail, name, text(value, fields[name], required=required, limit=limit))
                changed.append(fields[name])
        if clue_source is not None:
            detail.clue_source = clue_source
            changed.append("clueSource")
        if clue_received_on is not None:
            detail.clue_received_on = day_between(
                clue_received_on, "clueReceivedOn", "线索受理日期", after=None, after_label="",
                today=ctx.today)  # fmt: skip
            changed.append("clueReceivedOn")
        if domain_code is not None:
            detail.domain_id = (await domain_by_code(domain_code, ctx.conn)).id
            changed.append("domainCode")
        if urgent is not None:
            detail.urgent = urgent
            changed.append("urgent")
        if agency_unit_id is not None:
            await _move_agency(ctx, agency_unit_id)
            changed.append(AGENCY_FIELD)
        await detail.save(using_db=ctx.conn)
        return {"fields": changed}

    return await update_draft(actor, case_id, version, KIND, title=title,
                              internal_note=internal_note, apply=apply, now=now)  # fmt: skip


async def _move_agency(ctx: StepContext, unit_id: int) -> None:
    agency = await government_unit(unit_id, AGENCY_FIELD, AGENCY_LABEL)
    await (
        CaseParty.filter(case_id=ctx.case.id, role=PartyRole.ADDRESSEE)
        .using_db(ctx.conn)
        .update(unit_id=agency.id)
    )


async def _step(actor: Actor, case_id: int, version: int, action: Action, **kw: Any) -> Change:
    return await take_step(actor, case_id, version, action, kind=KIND, **kw)


async def propose_filing(actor: Actor, case_id: int, version: int, **kw: Any) -> Change:
    return await _step(actor, case_id, version, Action.PROPOSE_FILING, **kw)


async def return_for_revision(actor: Actor, case_id: int, version: int, **kw: Any) -> Change:
    return await _step(actor, case_id, version, Action.RETURN_FOR_REVISION, **kw)


async def assess_clue(
    actor: Actor, case_id: int, version: int, *, assessment: str, now: datetime | None = None
) -> Change:
    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        detail.assessment = text(assessment, "assessment")
        await detail.save(using_db=ctx.conn, update_fields=["assessment"])
        return {}

    return await _step(actor, case_id, version, Action.ASSESS, apply=apply, now=now)


async def reject_clue(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    reason: str,
    decided_on: date,
    now: datetime | None = None,
) -> Change:
    """The clue is closed without filing (不予立案), with the reason."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        detail.outcome = Outcome.NOT_FILED
        detail.outcome_note = text(reason, "reason")
        detail.decided_on = day_between(decided_on, "decidedOn", "决定日期",
                                        after=detail.clue_received_on, after_label="线索受理日期",
                                        today=ctx.today)  # fmt: skip
        await detail.save(using_db=ctx.conn)
        return {"outcome": Outcome.NOT_FILED.value, "decidedOn": decided_on.isoformat()}

    return await _step(actor, case_id, version, Action.REJECT_CLUE, apply=apply, now=now)


async def file_case(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    filing_decision_no: str,
    filed_on: date,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """The chief decides to file (立案); the 7-day service clock starts on the filing date."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        number = text(filing_decision_no, "filingDecisionNo", limit=64)
        taken = PilDetail.filter(filing_decision_no=number).exclude(case_id=ctx.case.id)
        if await taken.using_db(ctx.conn).exists():
            raise ValidationFailed(f"立案决定书文号 {number} 已存在", field="filingDecisionNo")
        day = day_between(filed_on, "filedOn", "立案日期", after=detail.clue_received_on,
                          after_label="线索受理日期", today=ctx.today)  # fmt: skip
        detail.filing_decision_no, detail.filed_on = number, day
        await detail.save(using_db=ctx.conn, update_fields=["filing_decision_no", "filed_on"])
        deadline = await start_clock(ctx, FILING_SERVICE, day)
        return {"filingDecisionNo": number, "filedOn": day.isoformat(),
                "serviceDue": deadline.due_on.isoformat()}  # fmt: skip

    return await _step(actor, case_id, version, Action.FILE, apply=apply, comment=comment,
                       now=now)  # fmt: skip


async def serve_filing_decision(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    served_on: date,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """The 立案决定书 is served on the agency: from now on the agency sees the case."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        detail.filing_served_on = day_between(served_on, "servedOn", "送达日期",
                                              after=detail.filed_on, after_label="立案日期",
                                              today=ctx.today)  # fmt: skip
        await detail.save(using_db=ctx.conn, update_fields=["filing_served_on"])
        return {"servedOn": served_on.isoformat()}

    return await _step(actor, case_id, version, Action.SERVE_FILING_DECISION, apply=apply,
                       comment=comment, now=now)  # fmt: skip


async def record_consultation(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    form: ConsultationForm,
    held_on: date,
    participants: str,
    agreed_measures: str = "",
    minutes: str = "",
    now: datetime | None = None,
) -> Change:
    """One 诉前磋商 record; it awaits the confirmation of the agency's liaison."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        record = await PilConsultation.create(
            using_db=ctx.conn, case_id=ctx.case.id, form=form,
            held_on=day_between(held_on, "heldOn", "磋商日期", after=detail.filing_served_on,
                                after_label="立案决定书送达日期", today=ctx.today),
            participants=text(participants, "participants"),
            agreed_measures=text(agreed_measures, "agreedMeasures", required=False),
            minutes=text(minutes, "minutes", required=False),
            recorded_by=actor.label, recorded_at=ctx.at,
        )  # fmt: skip
        return {"consultationId": record.id, "form": form.value, "heldOn": held_on.isoformat()}

    return await _step(actor, case_id, version, Action.RECORD_CONSULTATION, apply=apply, now=now)


async def confirm_consultation(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    consultation_id: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Change:
    """The agency's liaison confirms one record awaiting confirmation, or all of them."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        waiting = PilConsultation.filter(case_id=ctx.case.id, confirmed_at__isnull=True)
        records = list(await waiting.using_db(ctx.conn).order_by("id"))
        if consultation_id is not None:
            records = [r for r in records if r.id == consultation_id]
            if not records:
                raise ValidationFailed("该磋商记录不存在或已确认", field="consultationId")
        remark = text(note, "note", required=False)
        for record in records:
            record.confirmed_by, record.confirmed_at = actor.label, ctx.at
            record.confirmation_note = remark
            fields = ["confirmed_by", "confirmed_at", "confirmation_note"]
            await record.save(using_db=ctx.conn, update_fields=fields)
        left = await waiting.using_db(ctx.conn).count()
        if not left:
            ctx.case.flags = ",".join(sorted(flags_of(ctx.case) - {AWAITING_CONFIRMATION}))
        return {"consultationIds": [r.id for r in records], "awaiting": left}

    return await _step(actor, case_id, version, Action.CONFIRM_CONSULTATION, apply=apply, now=now)


async def file_suit(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    court: str,
    suit_filed_on: date,
    indictment_no: str,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """The chief decides to sue (提起行政公益诉讼); the review clock stops."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        detail.court = text(court, "court", limit=128)
        detail.indictment_no = text(indictment_no, "indictmentNo", limit=64)
        detail.suit_filed_on = day_between(suit_filed_on, "suitFiledOn", "起诉日期",
                                           after=detail.filed_on, after_label="立案日期",
                                           today=ctx.today)  # fmt: skip
        await detail.save(using_db=ctx.conn,
                          update_fields=["court", "indictment_no", "suit_filed_on"])  # fmt: skip
        return {"court": detail.court, "suitFiledOn": suit_filed_on.isoformat(),
                "indictmentNo": detail.indictment_no}  # fmt: skip

    return await _step(actor, case_id, version, Action.FILE_SUIT, apply=apply, comment=comment,
                       now=now)  # fmt: skip


async def decide_not_to_sue(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    reason: TerminationReason,
    decided_on: date,
    note: str = "",
    now: datetime | None = None,
) -> Change:
    """The chief ends the litigation review without suing (终结审查)."""
    return await terminate(actor, case_id, version, reason=reason, decided_on=decided_on,
                           note=note, now=now, action=Action.DECIDE_NOT_TO_SUE)  # fmt: skip


async def close_litigation(
    actor: Actor,
    case_id: int,
    version: int,
    *,
    result: LitigationResult,
    decided_on: date,
    note: str = "",
    now: datetime | None = None,
) -> Change:
    """Judgment or withdrawal (公益诉讼解释第二十四条) ends the case."""

    async def apply(ctx: StepContext) -> dict[str, Any]:
        detail = await detail_of(ctx)
        detail.decided_on = day_between(decided_on, "decidedOn", "裁判或撤诉日期",
                                        after=detail.suit_filed_on, after_label="起诉日期",
                                        today=ctx.today)  # fmt: skip
        detail.outcome, detail.litigation_result = Outcome.LITIGATED, result
        detail.outcome_note = text(note, "note", required=False)
        await detail.save(using_db=ctx.conn)
        return {"result": result.value, "decidedOn": decided_on.isoformat()}

    return await _step(actor, case_id, version, Action.CLOSE_LITIGATION, apply=apply, now=now)
