"""The consultation's steps: each receives its form's checked values (hub.services.forms)."""

from __future__ import annotations

from typing import Any

from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.consultation.models import ConsultationAnswer, ConsultationDetail
from hub.kinds.consultation.spec import ANSWER, TOPIC_RULES, Action, State
from hub.models import Unit
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
    """Recorded here until the MEETING kind links it (see the spec's docstring)."""
    await ConsultationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).update(
        meeting_type=values["meetingType"], meeting_on=values["meetingOn"],
        meeting_place=values["place"], meeting_reason=values["reason"],
    )  # fmt: skip
    return {"meetingType": values["meetingType"].value,
            "meetingOn": values["meetingOn"].isoformat(), "place": values["place"]}  # fmt: skip


async def record_meeting(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        ConsultationDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(meeting_conclusion=values["conclusion"])
    )
    return {}


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
)
