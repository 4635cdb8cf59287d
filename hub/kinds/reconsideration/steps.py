"""The reconsideration participation's steps: each receives its form's checked values."""

from __future__ import annotations

from typing import Any

from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor, UnitKind
from hub.kinds.reconsideration.models import ReconsiderationDetail
from hub.kinds.reconsideration.spec import CO_DELIBERATION, DECISION, Action, Mode, Result
from hub.models import CaseParty, Unit, User
from hub.services.cases import Change, NewCase, StepContext, add_parties, create_case
from hub.services.clocks import start_clock
from hub.services.forms import KindSteps, Values

KIND = CaseKind.RECONSIDERATION


def _detail(ctx: StepContext) -> Any:
    return ReconsiderationDetail.filter(case_id=ctx.case.id).using_db(ctx.conn)


async def create(actor: Actor, values: Values) -> Change:
    """The author's unit (the reconsideration body) invites the city's procuratorate; the
    decision clock starts from the acceptance date the invitation gives."""
    procuratorate = await Unit.filter(kind=UnitKind.PROCURATORATE).first()
    if procuratorate is None:
        raise ValidationFailed("未设置检察院，无法发出邀请", field="caseNo")

    async def detail(ctx: StepContext) -> dict[str, Any]:
        if values["acceptedOn"] > ctx.today:
            raise ValidationFailed("受理日期不能晚于今天", field="acceptedOn")
        await ReconsiderationDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id,
            **{column: values[name] for name, column in _COLUMNS},
            requested_mode=values["requestedMode"], accepted_on=values["acceptedOn"],
        )  # fmt: skip
        deadline = await start_clock(ctx, DECISION, values["acceptedOn"])
        return {"acceptedOn": values["acceptedOn"].isoformat(),
                "dueOn": deadline.due_on.isoformat()}  # fmt: skip

    parties = (Party(PartyRole.RECIPIENT, procuratorate.id),)
    new = NewCase(values["caseNo"], values["title"], parties, values["internalNote"])
    return await create_case(actor, KIND, new, detail)


_COLUMNS = (
    ("reconsiderationNo", "reconsideration_no"), ("applicant", "applicant"),
    ("respondent", "respondent"), ("matter", "matter"), ("sessionAt", "session_at"),
)  # fmt: skip


async def update(ctx: StepContext, values: Values) -> dict[str, Any]:
    changed = {column: values[name] for name, column in _COLUMNS if name in values}
    if changed:
        await _detail(ctx).update(**changed)
    return {}


async def accept(ctx: StepContext, values: Values) -> dict[str, Any]:
    mode: Mode = values["mode"]
    await _detail(ctx).update(mode=mode)
    if mode is Mode.CO_DELIBERATION:
        flags = set(filter(None, ctx.case.flags.split(","))) | {CO_DELIBERATION}
        ctx.case.flags = ",".join(sorted(flags))
    return {"mode": mode.value}


async def decline(ctx: StepContext, values: Values) -> dict[str, Any]:
    await _detail(ctx).update(decline_reason=values["reason"])
    return {}


HP = PartyRole.HANDLING_PROSECUTOR


async def assign(ctx: StepContext, values: Values) -> dict[str, Any]:
    """The prosecutor the chief chose (one the form offered: of the chief's unit, active, a
    prosecutor) becomes the handling prosecutor; the HP-only steps are then theirs alone."""
    return await _hand_to(ctx, values["prosecutor"])


async def reassign(ctx: StepContext, values: Values) -> dict[str, Any]:
    """Another prosecutor replaces the handling one; choosing the same one changes nothing."""
    previous = next((p.user_id for p in ctx.parties if p.role is HP), None)
    if values["prosecutor"] == previous:
        raise ValidationFailed("该检察官已是本案承办检察官，请选择另一名检察官", field="prosecutor")
    return await _hand_to(ctx, values["prosecutor"])


async def _hand_to(ctx: StepContext, user_id: int) -> dict[str, Any]:
    """The case's one HANDLING_PROSECUTOR party becomes ``user_id`` (of the actor's unit)."""
    await CaseParty.filter(case_id=ctx.case.id, role=HP).using_db(ctx.conn).delete()
    ctx.parties[:] = [p for p in ctx.parties if p.role is not HP]
    party = Party(HP, ctx.actor.unit_id, user_id)
    ctx.parties.extend(await add_parties(ctx.conn, ctx.case.id, [party]))
    user = await User.filter(id=user_id).using_db(ctx.conn).get()
    return {"prosecutor": user.display_name}


async def attend(ctx: StepContext, values: Values) -> dict[str, Any]:
    if values["attendedAt"] > ctx.at:
        raise ValidationFailed("参加时间不能晚于现在", field="attendedAt")
    await _detail(ctx).update(
        attended_at=values["attendedAt"], session_kind=values["sessionKind"],
        attendance_notes=values["notes"],
    )  # fmt: skip
    return {"sessionKind": values["sessionKind"].value}


async def submit_opinion(ctx: StepContext, values: Values) -> dict[str, Any]:
    if values["submittedOn"] > ctx.today:
        raise ValidationFailed("提出日期不能晚于今天", field="submittedOn")
    await _detail(ctx).update(opinion=values["opinion"], opinion_on=values["submittedOn"])
    return {}


async def record_result(ctx: StepContext, values: Values) -> dict[str, Any]:
    result: Result = values["result"]
    decision_type = values["decisionType"]
    if result is Result.DECISION and decision_type is None:
        raise ValidationFailed("请选择“复议决定类型”", field="decisionType")
    if result is not Result.DECISION:
        decision_type = None
    detail = await _detail(ctx).get()
    if not detail.accepted_on <= values["decidedOn"] <= ctx.today:
        raise ValidationFailed("决定日期须在受理日期之后、不晚于今天", field="decidedOn")
    await _detail(ctx).update(
        result=result, decision_type=decision_type, decided_on=values["decidedOn"],
        document_no=values["documentNo"], result_summary=values["summary"],
    )  # fmt: skip
    return {"result": result.value}


STEPS = KindSteps(
    kind=KIND,
    create=create,
    update=update,
    editable=("title", "reconsiderationNo", "applicant", "respondent", "matter", "sessionAt",
              "internalNote"),
    steps={
        Action.ACCEPT: accept, Action.DECLINE: decline, Action.ASSIGN: assign,
        Action.ATTEND: attend, Action.SUBMIT_OPINION: submit_opinion,
        Action.RECORD_RESULT: record_result, Action.REASSIGN: reassign,
    },
)  # fmt: skip
