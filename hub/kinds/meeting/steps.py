"""The meeting's steps: each receives its form's checked values (hub.services.forms). Opening
the liaison meeting and recording a resolution open another card in the step's transaction
(``together``); ``open_meeting`` lets another kind's step open a meeting the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hub.domain.dates import text_date
from hub.domain.engine import Party
from hub.domain.errors import InvalidTransition, ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.meeting.models import MeetingAgendaItem, MeetingDetail
from hub.kinds.meeting.spec import HELD_STATES, JOINT, Action, Matter, MeetingType
from hub.kinds.resolution.steps import NewResolution, open_resolution
from hub.models import Case
from hub.services.cases import Change, NewCase, StepContext, create_case, take_step
from hub.services.forms import KindSteps, Values
from hub.services.visibility import flags_of

KIND = CaseKind.MEETING


async def _detail(ctx: StepContext) -> MeetingDetail:
    return await MeetingDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()


def _not_after_today(ctx: StepContext, day: date, name: str, label: str) -> None:
    if day > ctx.today:
        raise ValidationFailed(
            f"{label}{text_date(day)}晚于今天（{text_date(ctx.today)}）", field=name
        )


async def create(actor: Actor, values: Values, *, now: datetime | None = None) -> Change:
    """The Office's unit organises the meeting; the units chosen attend it."""
    meeting_type = MeetingType(values["meetingType"])
    attendees = tuple(
        Party(PartyRole.PARTICIPANT, unit_id)
        for unit_id in values["attendeeUnitIds"]
        if unit_id != actor.unit_id
    )

    async def detail(ctx: StepContext) -> dict[str, Any]:
        await MeetingDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, meeting_type=meeting_type,
            scheduled_on=values["scheduledOn"], place=values["place"],
        )  # fmt: skip
        return {"meetingType": meeting_type.value, "attendees": len(attendees)}

    flags = frozenset({JOINT}) if meeting_type is MeetingType.JOINT else frozenset()
    new = NewCase(values["caseNo"], values["title"], attendees, values["internalNote"], flags)
    return await create_case(actor, KIND, new, detail, now=now)


async def update(ctx: StepContext, values: Values) -> dict[str, Any]:
    detail = await _detail(ctx)
    for name, column in (("scheduledOn", "scheduled_on"), ("place", "place")):
        if name in values:
            setattr(detail, column, values[name])
    await detail.save(using_db=ctx.conn)
    return {}


async def prepare(ctx: StepContext, values: Values) -> dict[str, Any]:
    """Open the liaison meeting (联络员会议) that prepares this joint meeting: its own card,
    ``source`` = this meeting, with the same attending units."""
    joint = await _detail(ctx)
    if values["scheduledOn"] > joint.scheduled_on:
        raise ValidationFailed(
            f"联络员会议应在联席会议（{text_date(joint.scheduled_on)}）之前召开",
            field="scheduledOn",
        )
    attendees = tuple(
        Party(PartyRole.PARTICIPANT, p.unit_id)
        for p in ctx.parties
        if p.role is PartyRole.PARTICIPANT
    )

    async def detail(pctx: StepContext) -> dict[str, Any]:
        await MeetingDetail.create(
            using_db=pctx.conn, case_id=pctx.case.id, meeting_type=MeetingType.LIAISON,
            scheduled_on=values["scheduledOn"], place=joint.place,
        )  # fmt: skip
        return {"meetingType": MeetingType.LIAISON.value, "prepares": ctx.case.id}

    new = NewCase(values["caseNo"], values["title"], attendees, source_id=ctx.case.id)
    prep = (await create_case(ctx.actor, KIND, new, detail, now=ctx.at)).case
    return {"liaisonMeetingId": prep.id, "caseNo": prep.case_no}


async def set_agenda(ctx: StepContext, values: Values) -> dict[str, Any]:
    if JOINT in flags_of(ctx.case):
        prep = (
            await Case.filter(source_id=ctx.case.id, kind=KIND)
            .using_db(ctx.conn)
            .order_by("-id")
            .first()
        )
        if prep is None or prep.state not in HELD_STATES:
            raise InvalidTransition("联络员会议尚未召开，不能确定联席会议议程")
    await MeetingAgendaItem.filter(case_id=ctx.case.id).using_db(ctx.conn).delete()
    for item in values["agenda"]:
        await MeetingAgendaItem.create(
            using_db=ctx.conn, case_id=ctx.case.id, topic=item["topic"],
            proposer_unit_id=item["proposerUnitId"], matter=item["matter"],
        )  # fmt: skip
    return {"items": len(values["agenda"])}


async def hold(ctx: StepContext, values: Values) -> dict[str, Any]:
    held_on: date = values["heldOn"]
    _not_after_today(ctx, held_on, "heldOn", "召开日期")
    await (
        MeetingDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(held_on=held_on, chair=values["chair"])
    )
    return {"heldOn": held_on.isoformat()}


async def publish_minutes(ctx: StepContext, values: Values) -> dict[str, Any]:
    on: date = values["publishedOn"]
    _not_after_today(ctx, on, "publishedOn", "印发日期")
    detail = await _detail(ctx)
    if detail.held_on is not None and on < detail.held_on:
        raise ValidationFailed(
            f"印发日期不能早于召开日期{text_date(detail.held_on)}", field="publishedOn"
        )
    await (
        MeetingDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(minutes_no=values["minutesNo"], minutes=values["minutes"], minutes_on=on)
    )
    return {"minutesNo": values["minutesNo"]}


async def record_resolution(ctx: StepContext, values: Values) -> dict[str, Any]:
    """Open the resolution's own card (``source`` = this meeting), numbered after it."""
    detail = await _detail(ctx)
    assert detail.held_on is not None  # recorded only once the meeting was held
    count = await Case.filter(source_id=ctx.case.id, kind=CaseKind.RESOLUTION).using_db(
        ctx.conn
    ).count()  # fmt: skip
    new = NewResolution(
        case_no=f"{ctx.case.case_no}-{count + 1}", title=values["title"],
        content=values["content"], matter=values["matter"],
        responsible_unit_ids=tuple(values["responsibleUnitIds"]),
        lead_unit_id=values["leadUnitId"], decided_on=detail.held_on, due_on=values["dueOn"],
    )  # fmt: skip
    resolution = await open_resolution(ctx, new)
    return {"resolutionId": resolution.id, "caseNo": resolution.case_no}


async def cancel(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        MeetingDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(cancel_reason=values["reason"])
    )
    return {}


@dataclass(frozen=True, slots=True)
class AgendaTopic:
    """One agenda item of a meeting another step opens."""

    topic: str
    proposer_unit_id: int
    matter: Matter


@dataclass(frozen=True, slots=True)
class NewMeeting:
    """A meeting as another kind's step opens it (a consultation's coordination meeting)."""

    case_no: str
    title: str
    meeting_type: MeetingType
    scheduled_on: date
    place: str
    attendee_unit_ids: tuple[int, ...]
    agenda: tuple[AgendaTopic, ...] = ()


async def open_meeting(ctx: StepContext, new: NewMeeting) -> Case:
    """Open a meeting's card from the step ``ctx`` of another case (its ``source``), in that
    step's transaction (the step is in its kind's ``together``): planned, or with ``agenda``
    set by this kind's own step. Not for a 全体联席会议, which its liaison meeting prepares."""
    if new.meeting_type is MeetingType.JOINT:
        raise ValueError("a joint meeting is opened with createMeeting and prepared")
    attendees = tuple(
        Party(PartyRole.PARTICIPANT, unit_id)
        for unit_id in dict.fromkeys(new.attendee_unit_ids)
        if unit_id != ctx.actor.unit_id
    )

    async def detail(mctx: StepContext) -> dict[str, Any]:
        await MeetingDetail.create(
            using_db=mctx.conn, case_id=mctx.case.id, meeting_type=new.meeting_type,
            scheduled_on=new.scheduled_on, place=new.place,
        )  # fmt: skip
        return {"meetingType": new.meeting_type.value, "attendees": len(attendees),
                "sourceId": ctx.case.id}  # fmt: skip

    case = NewCase(new.case_no, new.title, attendees, source_id=ctx.case.id)
    meeting = (await create_case(ctx.actor, KIND, case, detail, now=ctx.at)).case
    if not new.agenda:
        return meeting
    agenda = {"agenda": [
        {"topic": a.topic, "proposerUnitId": a.proposer_unit_id, "matter": a.matter}
        for a in new.agenda
    ]}  # fmt: skip

    async def apply(mctx: StepContext) -> dict[str, Any]:
        return await set_agenda(mctx, agenda)

    change = await take_step(ctx.actor, meeting.id, meeting.version, Action.SET_AGENDA,
                             kind=KIND, apply=apply, now=ctx.at)  # fmt: skip
    return change.case


STEPS = KindSteps(
    kind=KIND,
    create=create,
    update=update,
    editable=("title", "scheduledOn", "place", "internalNote"),
    steps={
        Action.PREPARE: prepare,
        Action.SET_AGENDA: set_agenda,
        Action.HOLD: hold,
        Action.PUBLISH_MINUTES: publish_minutes,
        Action.RECORD_RESOLUTION: record_resolution,
        Action.CANCEL: cancel,
    },
    together=frozenset({Action.PREPARE, Action.RECORD_RESOLUTION}),
)
