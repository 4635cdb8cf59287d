"""The special action's steps: each receives its form's checked values (hub.services.forms)."""

from __future__ import annotations

from typing import Any

from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.special_action.models import SpecialActionDetail, SpecialActionReport
from hub.kinds.special_action.spec import Action
from hub.services.cases import Change, NewCase, StepContext, create_case
from hub.services.forms import KindSteps, Values

KIND = CaseKind.SPECIAL_ACTION


def _period(values: Values, detail: SpecialActionDetail | None = None) -> None:
    starts = values.get("startsOn") or (detail.starts_on if detail else None)
    ends = values.get("endsOn") or (detail.ends_on if detail else None)
    if starts is not None and ends is not None and ends < starts:
        raise ValidationFailed("结束日期不能早于开始日期", field="endsOn")


async def create(actor: Actor, values: Values) -> Change:
    """The author's unit leads the action; the units chosen take part in it."""
    _period(values)
    participants = tuple(
        Party(PartyRole.PARTICIPANT, unit_id)
        for unit_id in values["participantUnitIds"]
        if unit_id != actor.unit_id
    )

    async def detail(ctx: StepContext) -> dict[str, Any]:
        await SpecialActionDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, theme=values["theme"],
            starts_on=values["startsOn"], ends_on=values["endsOn"],
        )  # fmt: skip
        return {"participants": len(participants)}

    new = NewCase(values["caseNo"], values["title"], participants, values["internalNote"])
    return await create_case(actor, KIND, new, detail)


async def update(ctx: StepContext, values: Values) -> dict[str, Any]:
    detail = await SpecialActionDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()
    _period(values, detail)
    for name, column in (("theme", "theme"), ("startsOn", "starts_on"), ("endsOn", "ends_on")):
        if name in values:
            setattr(detail, column, values[name])
    await detail.save(using_db=ctx.conn)
    return {}


async def report_progress(ctx: StepContext, values: Values) -> dict[str, Any]:
    await SpecialActionReport.create(
        using_db=ctx.conn, case_id=ctx.case.id, unit_id=ctx.actor.unit_id,
        reported_on=values["reportedOn"], progress=values["progress"],
        cases_found=values["casesFound"], reported_by=ctx.actor.name, recorded_at=ctx.at,
    )  # fmt: skip
    return {"reportedOn": values["reportedOn"].isoformat()}


async def summarise(ctx: StepContext, values: Values) -> dict[str, Any]:
    if values["casesRectified"] > values["casesFound"]:
        raise ValidationFailed("整改到位的件数不能多于发现问题的件数", field="casesRectified")
    await SpecialActionDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).update(
        summary=values["summary"], cases_found=values["casesFound"],
        cases_rectified=values["casesRectified"],
    )  # fmt: skip
    return {"casesFound": values["casesFound"], "casesRectified": values["casesRectified"]}


async def cancel(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        SpecialActionDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(cancel_reason=values["reason"])
    )
    return {}


STEPS = KindSteps(
    kind=KIND,
    create=create,
    update=update,
    editable=("title", "theme", "startsOn", "endsOn", "internalNote"),
    steps={
        Action.REPORT_PROGRESS: report_progress,
        Action.SUMMARISE: summarise,
        Action.CANCEL: cancel,
    },
)
