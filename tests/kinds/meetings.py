"""Shared by the meeting and resolution tests: a third unit that is party to nothing, GraphQL
helpers, snapshots, and a meeting taken to the point where it records resolutions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from strawberry.relay import to_base64

from hub.domain.roles import Actor, Role, Side, UnitKind
from hub.kinds.meeting.models import MeetingAgendaItem, MeetingDetail
from hub.kinds.meeting.spec import Action as MeetingAction
from hub.kinds.meeting.steps import STEPS as MEETING_STEPS
from hub.kinds.resolution.models import ResolutionDetail, ResolutionRecord
from hub.models import Case, CaseClock, CaseEvent, CaseParty, Unit, User
from hub.services.auth import actor_for_user, hash_password
from hub.services.forms import create_from_form, take_form_step
from tests.factories import PASSWORD, World

RESULT = "__typename ... on CaseStepSuccess { case { %s } } ... on Error { code message field }"
TAKE = "mutation($input: TakeStepInput!) { takeStep(input: $input) { %s } }"


def mutation(name: str, fields: str) -> str:
    input_type = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {RESULT % fields} }} }}"


def outcome(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


async def police(world: World) -> Actor:
    """市公安局 and its liaison ``liaison_c``: a unit that attends and answers for nothing."""
    unit = await Unit.create(
        code="public_security", name="市公安局", kind=UnitKind.MEMBER, side=Side.GOVERNMENT
    )
    user = await User.create(
        username="liaison_c", display_name="liaison_c-姓名", password_hash=hash_password(PASSWORD),
        role=Role.UNIT_LIAISON, unit_id=unit.id, email="liaison_c@example.test",
    )  # fmt: skip
    return actor_for_user(user, unit)


async def snapshot(case_id: int) -> dict[str, Any]:
    """Everything a meeting or resolution step could change, and the cases it could open."""
    children = (MeetingAgendaItem, ResolutionRecord)
    return {
        "row": await Case.filter(id=case_id).values(),
        "meeting": await MeetingDetail.filter(case_id=case_id).values(),
        "resolution": await ResolutionDetail.filter(case_id=case_id).values(),
        "parties": await CaseParty.filter(case_id=case_id).order_by("id").values(),
        "clocks": await CaseClock.filter(case_id=case_id).order_by("id").values(),
        **{m.__name__: await m.filter(case_id=case_id).order_by("id").values() for m in children},
        "all_events": await CaseEvent.all().count(),
        "all_cases": await Case.all().count(),
    }


def at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def held_meeting(
    world: World, held_on: date, *, case_no: str = "宿府检会〔2026〕5号"
) -> Case:
    """A 协调会 of the Office with unit_a and unit_b, held on ``held_on`` (through its steps)."""
    office = world.office
    change = await create_from_form(MEETING_STEPS, office, {
        "caseNo": case_no, "title": "城区黑臭水体整治协调会", "meetingType": "coordination",
        "scheduledOn": held_on, "attendeeUnitIds": [world.unit_a.id, world.unit_b.id],
    })  # fmt: skip
    case = change.case
    agenda = {"agenda": [{"topic": "黑臭水体整治分工", "proposerUnitId": world.unit_a.id,
                          "matter": "pil_support"}]}  # fmt: skip
    step = MeetingAction.SET_AGENDA
    v = (
        await take_form_step(MEETING_STEPS, office, case.id, case.version, step, agenda)
    ).case.version
    hold = {"heldOn": held_on, "chair": "市政府分管负责同志"}
    await take_form_step(MEETING_STEPS, office, case.id, v, MeetingAction.HOLD, hold)
    return await Case.get(id=case.id)


async def record(
    world: World,
    meeting: Case,
    due_on: date,
    *,
    lead: Unit | None = None,
    units: tuple[Unit, ...] = (),
    now: datetime | None = None,
) -> Case:
    """Record a resolution on ``meeting`` (through its step); returns the resolution's card."""
    meeting = await Case.get(id=meeting.id)
    values = {
        "title": "完成城区黑臭水体整治", "content": "各责任单位按分工完成整治并报送情况",
        "matter": "pil_support",
        "responsibleUnitIds": [u.id for u in (units or (world.unit_a, world.unit_b))],
        "leadUnitId": lead.id if lead is not None else None, "dueOn": due_on,
    }  # fmt: skip
    change = await take_form_step(MEETING_STEPS, world.office, meeting.id, meeting.version,
                                  MeetingAction.RECORD_RESOLUTION, values, now=now)  # fmt: skip
    resolution_id = change.event.payload["resolutionId"]
    return await Case.get(id=resolution_id)
