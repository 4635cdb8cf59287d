"""The consultation's steps: each receives its form's checked values (hub.services.forms).
Converting into a meeting opens the MEETING case in the step's transaction (``together``)."""

from __future__ import annotations

from typing import Any

from hub.domain.engine import Party
from hub.domain.errors import InvalidTransition, ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.consultation.models import ConsultationAnswer, ConsultationDetail
from hub.kinds.consultation.spec import (
    ANSWER,
    MEETING_KIND_TYPES,
    MEETING_LABELS,
    TOPIC_MATTERS,
    TOPIC_RULES,
    Action,
    MeetingType,
    State,
)
from hub.kinds.meeting.models import MeetingDetail
from hub.kinds.meeting.spec import HELD_STATES
from hub.kinds.meeting.spec import State as MeetingState
from hub.kinds.meeting.steps import AgendaTopic, NewMeeting, open_meeting
from hub.models import Case, Unit
from hub.services.cases import Change, NewCase, StepContext, add_parties, create_case
from hub.services.clocks import start_clock
from hub.services.forms import KindSteps, Values

KIND = CaseKind.CONSULTATION


async def create(actor: Actor, values: Values) -> Change:
    """The author's unit requests; the units it suggests are only a hint to the Office."""
    suggested: list[int] = values["suggestedUnitIds"]
    if actor.unit_id in suggested:
        raise ValidationFailed("不能建议由本单位答复", field="suggestedUnitIds")
    names = {u.id: u.name for u in await Unit.filter(id__in=suggested)}

    async def detail(ctx: StepContext) -> dict[str, Any]:
        await ConsultationDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, topic=values["topic"],
            question=values["question"], suggested_units="、".join(names[u] for u in suggested),
        )  # fmt: skip
        return {"topic": values["topic"].value}

    return await create_case(actor, KIND, NewCase(values["caseNo"], values["title"]), detail)


async def _detail(ctx: StepContext) -> ConsultationDetail:
    return await ConsultationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()


async def route(ctx: StepContext, values: Values) -> dict[str, Any]:
    """The Office names the responders; the answer clock starts by the topic's rule."""
    requester = next(p.unit_id for p in ctx.parties if p.role is PartyRole.ISSUER)
    responders: list[int] = values["responderUnitIds"]
    if requester in responders:
        raise ValidationFailed("申请单位不能作为答复单位", field="responderUnitIds")
    detail = await _detail(ctx)
    rule = values["answerRule"] or TOPIC_RULES[detail.topic]
    ctx.parties += await add_parties(
        ctx.conn, ctx.case.id, [Party(PartyRole.RECIPIENT, u) for u in responders]
    )
    deadline = await start_clock(ctx, ANSWER, ctx.today, rule)
    detail.office_note = values["officeNote"]
    await detail.save(using_db=ctx.conn, update_fields=["office_note"])
    return {"responders": len(responders), "rule": rule, "dueOn": deadline.due_on.isoformat()}


async def answer(ctx: StepContext, values: Values) -> dict[str, Any]:
    """One responder answers; when every responder has, the consultation is 已答复."""
    await ConsultationAnswer.create(
        using_db=ctx.conn, case_id=ctx.case.id, unit_id=ctx.actor.unit_id,
        answer=values["answer"], basis=values["basis"], answered_by=ctx.actor.label,
        answered_at=ctx.at,
    )  # fmt: skip
    ctx.parties += await add_parties(
        ctx.conn, ctx.case.id, [Party(PartyRole.RESPONDED, ctx.actor.unit_id)]
    )
    responders = {p.unit_id for p in ctx.parties if p.role is PartyRole.RECIPIENT}
    answered = {p.unit_id for p in ctx.parties if p.role is PartyRole.RESPONDED}
    waiting = len(responders - answered)
    if waiting == 0:
        ctx.moves_to = State.ANSWERED
    return {"waiting": waiting}


async def accept(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        ConsultationDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(accepted_by=ctx.actor.label, accepted_at=ctx.at, acceptance_note=values["note"])
    )
    return {}


async def convene(ctx: StepContext, values: Values) -> dict[str, Any]:
    """Open the meeting's own card (``source`` = this consultation), the requester and the
    responders attending, this consultation its agenda item (the spec's docstring)."""
    detail = await _detail(ctx)
    kind_of: MeetingType = values["meetingType"]
    requester = next(p.unit_id for p in ctx.parties if p.role is PartyRole.ISSUER)
    responders = [p.unit_id for p in ctx.parties if p.role is PartyRole.RECIPIENT]
    before = await Case.filter(source_id=ctx.case.id, kind=CaseKind.MEETING).using_db(
        ctx.conn
    ).count()  # fmt: skip
    meeting = await open_meeting(ctx, NewMeeting(
        case_no=f"{ctx.case.case_no[:60]}-会{before + 1}",
        title=f"{MEETING_LABELS[kind_of]}：{ctx.case.title}"[:200],
        meeting_type=MEETING_KIND_TYPES[kind_of], scheduled_on=values["meetingOn"],
        place=values["place"], attendee_unit_ids=(requester, *responders),
        agenda=(AgendaTopic(ctx.case.title, requester, TOPIC_MATTERS[detail.topic]),),
    ))  # fmt: skip
    await ConsultationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).update(
        meeting_type=kind_of, meeting_on=values["meetingOn"], meeting_place=values["place"],
        meeting_reason=values["reason"], meeting_case_id=meeting.id,
    )  # fmt: skip
    return {"meetingType": kind_of.value, "meetingOn": values["meetingOn"].isoformat(),
            "place": values["place"], "meetingId": meeting.id,
            "meetingNo": meeting.case_no}  # fmt: skip


async def _conclusion(ctx: StepContext, detail: ConsultationDetail, written: str) -> str:
    """The conclusion as written, else the minutes the linked meeting published; refused
    while that meeting has not been held."""
    if detail.meeting_case_id is None:  # converted before meetings were cases of their own
        return written
    meeting = await Case.filter(id=detail.meeting_case_id).using_db(ctx.conn).get()
    if meeting.state not in HELD_STATES and meeting.state != MeetingState.CANCELLED:
        raise InvalidTransition(f"协调会 {meeting.case_no} 尚未召开，召开后再记录会商意见")
    if written:
        return written
    minutes = await MeetingDetail.filter(case_id=meeting.id).using_db(ctx.conn).get()
    return minutes.minutes


async def record_meeting(ctx: StepContext, values: Values) -> dict[str, Any]:
    detail = await _detail(ctx)
    conclusion = await _conclusion(ctx, detail, values["conclusion"])
    if not conclusion:
        raise ValidationFailed("协调会尚未印发会议纪要，请填写会商意见", field="conclusion")
    detail.meeting_conclusion = conclusion
    await detail.save(using_db=ctx.conn, update_fields=["meeting_conclusion"])
    return {"meetingId": detail.meeting_case_id, "fromMinutes": not values["conclusion"]}


async def refer(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        ConsultationDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(referral_reason=values["reason"])
    )
    return {}


STEPS = KindSteps(
    kind=KIND,
    create=create,
    steps={
        Action.ROUTE: route,
        Action.ANSWER: answer,
        Action.ACCEPT: accept,
        Action.CONVENE: convene,
        Action.RECORD_MEETING: record_meeting,
        Action.REFER: refer,
    },
    together=frozenset({Action.CONVENE}),  # it opens the meeting's card
)
