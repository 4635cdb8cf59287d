"""The training's steps: each receives its form's checked values (hub.services.forms)."""

from __future__ import annotations

from typing import Any

from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.training.models import TrainingDetail, TrainingEnrolment
from hub.kinds.training.spec import Action
from hub.services.cases import Change, NewCase, StepContext, create_case
from hub.services.forms import KindSteps, Values

KIND = CaseKind.TRAINING


def _dates(values: Values, detail: TrainingDetail | None = None) -> None:
    held = values.get("heldOn") or (detail.held_on if detail else None)
    deadline = values.get("registrationDeadline") or (
        detail.registration_deadline if detail else None
    )
    if held is not None and deadline is not None and deadline > held:
        raise ValidationFailed("报名截止日期不能晚于举办日期", field="registrationDeadline")


async def create(actor: Actor, values: Values) -> Change:
    """The author's unit hosts the training; places are offered to the units chosen."""
    _dates(values)
    invited = tuple(
        Party(PartyRole.RECIPIENT, unit_id)
        for unit_id in values["invitedUnitIds"]
        if unit_id != actor.unit_id
    )
    if not invited:
        raise ValidationFailed("请选择主办单位以外的受邀单位", field="invitedUnitIds")

    async def detail(ctx: StepContext) -> dict[str, Any]:
        await TrainingDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, topic=values["topic"],
            held_on=values["heldOn"], venue=values["venue"], places=values["places"],
            registration_deadline=values["registrationDeadline"],
        )  # fmt: skip
        return {"places": values["places"], "invited": len(invited)}

    new = NewCase(values["caseNo"], values["title"], invited)
    return await create_case(actor, KIND, new, detail)


async def update(ctx: StepContext, values: Values) -> dict[str, Any]:
    detail = await TrainingDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()
    _dates(values, detail)
    columns = {"topic": "topic", "heldOn": "held_on", "venue": "venue", "places": "places",
               "registrationDeadline": "registration_deadline"}  # fmt: skip
    for name, column in columns.items():
        if name in values:
            setattr(detail, column, values[name])
    if "places" in values and values["places"] < await _taken(ctx):
        raise ValidationFailed("预留名额不能少于已报名的人数", field="places")
    await detail.save(using_db=ctx.conn)
    return {}


async def _taken(ctx: StepContext) -> int:
    rows = TrainingEnrolment.filter(case_id=ctx.case.id, returned_at__isnull=True)
    counts: list[int] = await rows.using_db(ctx.conn).values_list("count", flat=True)  # type: ignore[assignment]
    return sum(counts)


async def take_places(ctx: StepContext, values: Values) -> dict[str, Any]:
    detail = await TrainingDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()
    if ctx.today > detail.registration_deadline:
        raise ValidationFailed(f"报名已于 {detail.registration_deadline} 截止", field="count")
    left = detail.places - await _taken(ctx)
    if values["count"] > left:
        raise ValidationFailed(f"名额不足：尚余 {left} 个", field="count")
    await TrainingEnrolment.create(
        using_db=ctx.conn, case_id=ctx.case.id, unit_id=ctx.actor.unit_id,
        count=values["count"], attendees=values["attendees"], taken_by=ctx.actor.name,
        taken_at=ctx.at,
    )  # fmt: skip
    return {"count": values["count"], "left": left - values["count"]}


async def return_places(ctx: StepContext, values: Values) -> dict[str, Any]:
    mine = TrainingEnrolment.filter(
        case_id=ctx.case.id, unit_id=ctx.actor.unit_id, returned_at__isnull=True
    ).using_db(ctx.conn)
    returned = await mine.update(returned_at=ctx.at, return_reason=values["reason"])
    if not returned:
        raise ValidationFailed("本单位没有可退回的名额", field="id")
    return {"enrolments": returned}


async def hold(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        TrainingDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(attendance=values["attendance"], summary=values["summary"])
    )
    return {"attendance": values["attendance"]}


async def cancel(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        TrainingDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(cancel_reason=values["reason"])
    )
    return {}


STEPS = KindSteps(
    kind=KIND,
    create=create,
    update=update,
    editable=("title", "topic", "heldOn", "venue", "places", "registrationDeadline"),
    steps={
        Action.TAKE_PLACES: take_places,
        Action.RETURN_PLACES: return_places,
        Action.HOLD: hold,
        Action.CANCEL: cancel,
    },
)
