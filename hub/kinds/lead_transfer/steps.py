"""The lead transfer's steps: each receives its form's checked values (hub.services.forms) and
starts the clock the next step owes, from the date the step records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hub.clock import BUSINESS_TZ
from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor, Side, UnitKind
from hub.kinds.lead_transfer.clocks import Clock
from hub.kinds.lead_transfer.enums import (
    REQUIRED_MATERIALS,
    Direction,
    LeadOutcome,
    Material,
)
from hub.kinds.lead_transfer.models import LeadTransferDetail, LeadTransferRecord
from hub.kinds.lead_transfer.spec import Action, State
from hub.kinds.pil_case.spec import ClueSource
from hub.kinds.pil_case.steps import NewPilCase, create_pil_case
from hub.kinds.recommendation.steps import NewRecommendation, create_recommendation
from hub.models import Unit
from hub.services.cases import Change, NewCase, StepContext, create_case
from hub.services.clocks import start_clock
from hub.services.forms import KindSteps, Values

KIND = CaseKind.LEAD_TRANSFER
_GOV, _PROC = Side.GOVERNMENT, Side.PROCURATORATE
# Per direction: the sides the sender and the receiver may be on.
_SIDES: dict[Direction, tuple[frozenset[Side], frozenset[Side]]] = {
    Direction.CRIME_TO_POLICE: (frozenset({_GOV}), frozenset({_GOV})),
    Direction.REVERSE: (frozenset({_PROC}), frozenset({_GOV})),
    Direction.PIL_LEAD: (frozenset({_GOV}), frozenset({_PROC})),
    Direction.WORK_SAFETY: (frozenset({_GOV, _PROC}), frozenset({_GOV, _PROC})),
    Direction.SUPERVISION: (frozenset({_GOV}), frozenset({_GOV, _PROC})),
}
_SUPERVISED = frozenset({Direction.CRIME_TO_POLICE, Direction.SUPERVISION})
_SENDER_WORDS = {_GOV: "行政机关", _PROC: "检察院"}


async def create(actor: Actor, values: Values) -> Change:
    """The author's unit sends; the recipient is checked against the direction's sides; for
    (a) and (e) the city's procuratorate joins as the supervising party."""
    direction: Direction = values["direction"]
    senders, receivers = _SIDES[direction]
    if actor.side not in senders:
        who = "、".join(_SENDER_WORDS[s] for s in sorted(senders))
        raise ValidationFailed(f"该移送类型只能由{who}发起", field="direction")
    recipient = await Unit.get(id=values["recipientUnitId"])
    if recipient.side not in receivers or recipient.id == actor.unit_id:
        raise ValidationFailed("接收单位不适用于该移送类型", field="recipientUnitId")
    parties = [Party(PartyRole.RECIPIENT, recipient.id)]
    if direction in _SUPERVISED:
        procuratorate = await Unit.filter(kind=UnitKind.PROCURATORATE).first()
        if procuratorate is not None and procuratorate.id != recipient.id:
            parties.append(Party(PartyRole.COPIED, procuratorate.id))

    async def detail(ctx: StepContext) -> dict[str, Any]:
        await LeadTransferDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, direction=direction,
            subject=values["subject"], offence=values["offence"],
        )  # fmt: skip
        return {"direction": direction.value}

    new = NewCase(values["caseNo"], values["title"], tuple(parties), values["internalNote"],
                  flags=frozenset({direction.value}))  # fmt: skip
    return await create_case(actor, KIND, new, detail)


async def update(ctx: StepContext, values: Values) -> dict[str, Any]:
    await _detail(ctx).update(**{k: values[k] for k in ("subject", "offence") if k in values})
    return {}


def _detail(ctx: StepContext) -> Any:
    return LeadTransferDetail.filter(case_id=ctx.case.id).using_db(ctx.conn)


async def _record(ctx: StepContext, on: date, *, at: datetime | None = None, doc_no: str = "",
                  person: str = "", text: str = "") -> None:  # fmt: skip
    assert ctx.transition is not None
    await LeadTransferRecord.create(
        using_db=ctx.conn, case_id=ctx.case.id, action=ctx.transition.action,
        label=ctx.transition.label, on=on, at=at, doc_no=doc_no, person=person, text=text,
        recorded_by=ctx.actor.label, recorded_at=ctx.at,
    )  # fmt: skip


def _not_future(ctx: StepContext, moment: date | datetime, field: str) -> None:
    later = moment > ctx.at if isinstance(moment, datetime) else moment > ctx.today
    if later:
        raise ValidationFailed("日期不能晚于今天", field=field)


async def _started(ctx: StepContext, clock: str, on: date, field: str) -> dict[str, Any]:
    _not_future(ctx, on, field)
    deadline = await start_clock(ctx, clock, on)
    return {"clock": clock, "dueOn": deadline.due_on.isoformat()}


async def submit_report(ctx: StepContext, values: Values) -> dict[str, Any]:
    await _record(ctx, values["reportedOn"], text=values["report"])
    return await _started(ctx, Clock.DECIDE, values["reportedOn"], "reportedOn")


async def approve(ctx: StepContext, values: Values) -> dict[str, Any]:
    at: datetime = values["approvedAt"].astimezone(BUSINESS_TZ)
    _not_future(ctx, at, "approvedAt")
    await _detail(ctx).update(approved_by=values["approvedBy"], approved_at=at)
    await _record(ctx, at.date(), at=at, person=values["approvedBy"])
    deadline = await start_clock(ctx, Clock.TRANSFER, at)
    assert deadline.due_at is not None
    return {"clock": Clock.TRANSFER, "dueAt": deadline.due_at.isoformat()}


async def not_approve(ctx: StepContext, values: Values) -> dict[str, Any]:
    _not_future(ctx, values["decidedOn"], "decidedOn")
    await _detail(ctx).update(approved_by=values["approvedBy"])
    await _record(ctx, values["decidedOn"], person=values["approvedBy"], text=values["reason"])
    return {}


async def transfer(ctx: StepContext, values: Values) -> dict[str, Any]:
    at: datetime = values["transferredAt"].astimezone(BUSINESS_TZ)
    _not_future(ctx, at, "transferredAt")
    detail = await _detail(ctx).get()
    if detail.approved_at is not None and at < detail.approved_at:
        raise ValidationFailed("移送时间不能早于批准时间", field="transferredAt")
    chosen: list[Material] = values["materials"]
    missing = REQUIRED_MATERIALS - set(chosen)
    if missing:
        raise ValidationFailed("移送材料须包括移送书、调查报告和涉案物品清单", field="materials")
    await _detail(ctx).update(transferred_at=at, materials=",".join(m.value for m in chosen))
    await _record(ctx, at.date(), at=at, text=values["materialNote"])
    return {"materials": [m.value for m in chosen]}


async def sign_receipt(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["receivedOn"]
    detail = await _detail(ctx).get()
    if (
        detail.transferred_at is not None
        and on < detail.transferred_at.astimezone(BUSINESS_TZ).date()
    ):
        raise ValidationFailed("接受移送日期不能早于移送日期", field="receivedOn")
    await _detail(ctx).update(received_on=on)
    await _record(ctx, on, doc_no=values["receiptNo"])
    return await _started(ctx, Clock.POLICE_REVIEW, on, "receivedOn")


async def file_case(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["filedOn"]
    await _detail(ctx).update(decision="filed", decided_on=on)
    await _record(ctx, on, doc_no=values["filingNo"])
    return await _started(ctx, Clock.HANDOVER, on, "filedOn")


async def refuse_filing(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["notifiedOn"]
    returned = "（已退回案卷材料）" if values["materialsReturned"] else ""
    await _detail(ctx).update(decision="not_filed", decided_on=on)
    await _record(ctx, on, text=values["reasons"] + returned)
    first = ctx.case.state == State.RECEIVED  # the state before the step
    clock = Clock.RECONSIDER_REQUEST if first else Clock.SUPERVISION_REQUEST
    return await _started(ctx, clock, on, "notifiedOn")


async def request_reconsideration(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["requestedOn"]
    await _detail(ctx).update(reconsideration_requested_on=on)
    await _record(ctx, on, text=values["grounds"])
    return await _started(ctx, Clock.RECONSIDER_DECIDE, on, "requestedOn")


async def request_supervision(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["requestedOn"]
    _not_future(ctx, on, "requestedOn")
    await _detail(ctx).update(supervision_requested_on=on)
    await _record(ctx, on, text=values["grounds"])
    return {}


async def notify_filing(ctx: StepContext, values: Values) -> dict[str, Any]:
    _not_future(ctx, values["notifiedOn"], "notifiedOn")
    await _record(ctx, values["notifiedOn"], text=values["opinion"])
    return {}


async def note(ctx: StepContext, values: Values) -> dict[str, Any]:
    """A step whose only record is a text (its reason, measures or feedback)."""
    text = next(values[k] for k in ("reason", "measures", "feedback") if k in values)
    on: date = values.get("feedbackOn") or ctx.today
    _not_future(ctx, on, "feedbackOn")
    await _record(ctx, on, text=text)
    outcome = {Action.HANDLE_LEAD: LeadOutcome.HANDLED, Action.REJECT_LEAD: LeadOutcome.REJECTED}
    assert ctx.transition is not None
    if ctx.transition.action in outcome:
        await _detail(ctx).update(outcome=outcome[Action(ctx.transition.action)])
    return {}


async def hand_over(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["handedOverOn"]
    _not_future(ctx, on, "handedOverOn")
    await _detail(ctx).update(handed_over_on=on)
    await _record(ctx, on, text=values["items"])
    return {}


async def issue_opinion(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["issuedOn"]
    _not_future(ctx, on, "issuedOn")
    deadline = await start_clock(ctx, Clock.RESULT, on, values["deadlineRule"],
                                 values["customPeriod"])  # fmt: skip
    await _record(ctx, on, doc_no=values["nonProsecutionNo"], text=values["opinion"])
    return {"rule": values["deadlineRule"], "dueOn": deadline.due_on.isoformat()}


async def report_result(ctx: StepContext, values: Values) -> dict[str, Any]:
    _not_future(ctx, values["decidedOn"], "decidedOn")
    await _detail(ctx).update(result=values["result"], decided_on=values["decidedOn"])
    await _record(ctx, values["decidedOn"], doc_no=values["decisionNo"], text=values["content"])
    return {"result": values["result"].value}


async def open_pil_case(ctx: StepContext, values: Values) -> dict[str, Any]:
    """The procuratorate files the lead as a PIL clue (its own lifecycle, linked by source)."""
    detail = await _detail(ctx).get()
    new = NewPilCase(
        case_no=values["pilCaseNo"], title=ctx.case.title, agency_unit_id=values["agencyUnitId"],
        clue_source=ClueSource.MEMBER_TRANSFER, clue_received_on=ctx.today,
        domain_code=values["domainCode"],
        harm_description=values["harmDescription"] or detail.subject, source_case_id=ctx.case.id,
    )  # fmt: skip
    spawned = await create_pil_case(ctx.actor, new, now=ctx.at)
    await _detail(ctx).update(outcome=LeadOutcome.PIL_CASE)
    await _record(ctx, ctx.today, doc_no=spawned.case.case_no)
    return {"pilCaseId": spawned.case.id, "caseNo": spawned.case.case_no}


async def open_recommendation(ctx: StepContext, values: Values) -> dict[str, Any]:
    """The procuratorate drafts a recommendation from the lead (approved on its own path)."""
    new = NewRecommendation(
        doc_no=values["docNo"], title=ctx.case.title, rec_type=values["recType"],
        addressee_unit_id=values["addresseeUnitId"], suggestions=values["suggestions"],
        source_case_id=ctx.case.id,
    )  # fmt: skip
    spawned = await create_recommendation(ctx.actor, new, now=ctx.at)
    await _detail(ctx).update(outcome=LeadOutcome.RECOMMENDATION)
    await _record(ctx, ctx.today, doc_no=spawned.case.case_no)
    return {"recommendationId": spawned.case.id, "docNo": spawned.case.case_no}


A = Action
STEPS = KindSteps(
    kind=KIND,
    create=create,
    update=update,
    editable=("title", "subject", "offence", "internalNote"),
    together=frozenset({A.OPEN_PIL_CASE, A.OPEN_RECOMMENDATION}),  # they open another case
    steps={
        A.SUBMIT_REPORT: submit_report, A.APPROVE: approve, A.NOT_APPROVE: not_approve,
        A.TRANSFER: transfer, A.SIGN_RECEIPT: sign_receipt, A.FILE_CASE: file_case,
        A.REFUSE_FILING: refuse_filing, A.REQUEST_RECONSIDERATION: request_reconsideration,
        A.REQUEST_SUPERVISION: request_supervision, A.NOTIFY_FILING: notify_filing,
        A.UPHOLD_REFUSAL: note, A.HAND_OVER: hand_over, A.ISSUE_OPINION: issue_opinion,
        A.REPORT_RESULT: report_result, A.OPEN_PIL_CASE: open_pil_case,
        A.OPEN_RECOMMENDATION: open_recommendation, A.HANDLE_LEAD: note, A.REJECT_LEAD: note,
        A.SEND_FEEDBACK: note,
    },
)  # fmt: skip
