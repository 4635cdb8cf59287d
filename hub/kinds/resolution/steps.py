"""The resolution's steps (each receives its form's checked values, ``hub.services.forms``) and
``open_resolution``, which the meeting's record step calls to open a resolution's card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hub.domain.dates import text_date
from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.kinds.meeting.spec import Matter
from hub.kinds.resolution.models import ResolutionDetail, ResolutionRecord
from hub.kinds.resolution.spec import DUE, HAS_LEAD, Action, RecordKind
from hub.models import Case
from hub.services.cases import NewCase, StepContext, create_case
from hub.services.clocks import start_clock_until
from hub.services.forms import KindSteps, Values

KIND = CaseKind.RESOLUTION


@dataclass(frozen=True, slots=True)
class NewResolution:
    """A resolution as its meeting records it."""

    case_no: str
    title: str
    content: str
    matter: Matter
    responsible_unit_ids: tuple[int, ...]
    lead_unit_id: int | None
    decided_on: date
    due_on: date


async def open_resolution(ctx: StepContext, new: NewResolution) -> Case:
    """Open the resolution's card from the meeting step ``ctx`` (its source), in that step's
    transaction: in progress, its due-date clock counting from the meeting's date."""
    if new.lead_unit_id is not None and new.lead_unit_id not in new.responsible_unit_ids:
        raise ValidationFailed("牵头单位须为责任单位之一", field="leadUnitId")
    parties = tuple(
        Party(PartyRole.LEAD if unit_id == new.lead_unit_id else PartyRole.RESPONSIBLE, unit_id)
        for unit_id in new.responsible_unit_ids
    )
    flags = frozenset({HAS_LEAD}) if new.lead_unit_id is not None else frozenset()

    async def detail(rctx: StepContext) -> dict[str, Any]:
        await ResolutionDetail.create(
            using_db=rctx.conn, case_id=rctx.case.id, matter=new.matter, content=new.content,
            decided_on=new.decided_on, due_on=new.due_on,
        )  # fmt: skip
        await start_clock_until(rctx, DUE, new.decided_on, new.due_on, field="dueOn")
        return {"meetingId": ctx.case.id, "dueOn": new.due_on.isoformat()}

    case = NewCase(new.case_no, new.title, parties, flags=flags, source_id=ctx.case.id)
    return (await create_case(ctx.actor, KIND, case, detail, now=ctx.at)).case


async def _detail(ctx: StepContext) -> ResolutionDetail:
    return await ResolutionDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()


async def _day(ctx: StepContext, values: Values, name: str, label: str) -> date:
    """A reported date: not before the meeting decided it, not after today."""
    day: date = values[name]
    decided = (await _detail(ctx)).decided_on
    if day < decided or day > ctx.today:
        raise ValidationFailed(f"{label}须在会议议定日期{text_date(decided)}至今天之间", field=name)
    return day


async def _record(
    ctx: StepContext, kind: RecordKind, text: str, *, on: date | None = None, evidence: str = ""
) -> ResolutionRecord:
    return await ResolutionRecord.create(
        using_db=ctx.conn, case_id=ctx.case.id, kind=kind, unit_id=ctx.actor.unit_id, on=on,
        text=text, evidence=evidence, recorded_by=ctx.actor.label, recorded_at=ctx.at,
    )  # fmt: skip


async def report_progress(ctx: StepContext, values: Values) -> dict[str, Any]:
    on = await _day(ctx, values, "reportedOn", "报告日期")
    await _record(ctx, RecordKind.PROGRESS, values["progress"], on=on, evidence=values["evidence"])
    return {"reportedOn": on.isoformat()}


async def claim_done(ctx: StepContext, values: Values) -> dict[str, Any]:
    on = await _day(ctx, values, "completedOn", "完成日期")
    await _record(ctx, RecordKind.CLAIM, values["summary"], on=on, evidence=values["evidence"])
    return {"completedOn": on.isoformat()}


async def accept(ctx: StepContext, values: Values) -> dict[str, Any]:
    await _record(ctx, RecordKind.ACCEPTED, values["opinion"], on=ctx.today)
    return {}


async def return_(ctx: StepContext, values: Values) -> dict[str, Any]:
    await _record(ctx, RecordKind.RETURNED, values["reason"], on=ctx.today)
    return {}


async def urge(ctx: StepContext, values: Values) -> dict[str, Any]:
    await _record(ctx, RecordKind.URGED, values["opinion"], on=ctx.today)
    return {}


STEPS = KindSteps(
    kind=KIND,
    steps={
        Action.REPORT_PROGRESS: report_progress,
        Action.CLAIM_DONE: claim_done,
        Action.ACCEPT: accept,
        Action.RETURN: return_,
        Action.URGE: urge,
    },
)
