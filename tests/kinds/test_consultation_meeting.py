"""A consultation converted into a coordination meeting (转协调会商) on real databases: the step
opens a MEETING case (``source`` = the consultation) in its own transaction, with the
requester and the responders attending and the consultation as its agenda item, seen by them
and by no other unit; the consultation's conclusion is recorded once that meeting is held,
taken from its minutes when not written; a refused conversion opens no meeting and changes
nothing."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any

import pytest
from strawberry.relay import to_base64

from hub.domain.errors import (
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
    VersionConflict,
)
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.visibility import audience_of
from hub.kinds.consultation.models import ConsultationDetail
from hub.kinds.consultation.spec import Action, Topic
from hub.kinds.consultation.steps import STEPS
from hub.kinds.meeting.models import MeetingAgendaItem, MeetingDetail
from hub.kinds.meeting.spec import Action as MeetingAction
from hub.kinds.meeting.steps import STEPS as MEETING_STEPS
from hub.models import Case, CaseEvent, CaseParty
from hub.services.cases import Change
from hub.services.events import append_event
from hub.services.forms import create_from_form, take_form_step
from hub.services.visibility import visible_cases
from tests.app_clients import Api
from tests.factories import World
from tests.kinds.meetings import police
from tests.kinds.test_consultation import at, hold, new, refused, routed, step

CONVERTED = date(2026, 9, 30)
CONVERT = {"meetingType": "coordination", "meetingOn": date(2026, 10, 12),
           "place": "市检察院第一会议室", "reason": "书面答复认识不一"}  # fmt: skip
TITLE = "非法倾倒固体废物案立案追诉标准咨询"  # tests.kinds.test_consultation.new's


async def convened(w: World, **over: Any) -> tuple[Case, Case]:
    """A consultation on 法律适用不一致 routed to the procuratorate and unit_b, then converted."""
    case = await routed(w, topic=Topic.LAW_APPLICATION.value)
    case = await step(w.office, case, Action.CONVENE, CONVERTED, **{**CONVERT, **over})
    return case, await Case.get(source_id=case.id, kind=CaseKind.MEETING)


_LINKS = "linkedCases { kind caseNo title stateLabel }"
_MEETING = """... on Meeting { caseNo title state meetingType meetingTypeLabel scheduledOn place
    attendees { name } agenda { topic matter proposerUnit { name } } sourceCase { caseNo } }"""
_CONVERT = """mutation($input: ConvertConsultationToMeetingInput!) {
  convertConsultationToMeeting(input: $input) { __typename
    ... on CaseStepSuccess { case { state LINKS details { title facts { label value } } } }
    ... on Error { code message field } } }""".replace("LINKS", _LINKS)
_READ = (
    "query($id: ID!) { node(id: $id) { id ... on Case { caseNo LINKS } MEETING } }"
    .replace("LINKS", _LINKS).replace("MEETING", _MEETING)
)  # fmt: skip
_BOARD = "{ board(kind: MEETING) { cards { caseNo } } }"


async def test_the_conversion_opens_a_meeting_the_parties_see_and_no_other_unit(api: Api) -> None:
    w = api.world
    outsider = await police(w)
    case = await routed(w, topic=Topic.LAW_APPLICATION.value)
    consultation = to_base64("Consultation", case.id)
    async with api.as_user("office") as office:
        body = await office(_CONVERT, {"input": {
            "id": consultation, "version": case.version, "meetingType": "COORDINATION",
            "meetingOn": "2026-10-12", "place": "市检察院第一会议室", "reason": "书面答复认识不一",
        }})  # fmt: skip
    assert "errors" not in body, body
    result = body["data"]["convertConsultationToMeeting"]
    assert result["__typename"] == "CaseStepSuccess", result
    meeting = await Case.get(source_id=case.id)
    no = f"{case.case_no}-会1"
    assert (meeting.kind, meeting.case_no, meeting.title, meeting.state) == (
        "meeting", no, f"协调会：{TITLE}", "agenda_set")  # fmt: skip
    assert result["case"]["state"] == "MEETING"
    assert result["case"]["linkedCases"] == [{"kind": "MEETING", "caseNo": no,
                                              "title": f"协调会：{TITLE}",
                                              "stateLabel": "议程已定"}]  # fmt: skip
    section = next(s for s in result["case"]["details"] if s["title"] == "协调会商")
    assert section["facts"][0] == {
        "label": "协调会议",
        "value": f"{no} 协调会：{TITLE}（议程已定）",
    }
    d = await MeetingDetail.get(case_id=meeting.id)
    assert (d.meeting_type, d.scheduled_on, d.place) == ("coordination", date(2026, 10, 12),
                                                         "市检察院第一会议室")  # fmt: skip
    # The Office's unit (here the procuratorate, also a responder) organises; the others attend.
    parties = sorted(await CaseParty.filter(case_id=meeting.id).values_list("role", "unit_id"))
    assert parties == sorted([(PartyRole.ISSUER, w.procuratorate.id),
                              (PartyRole.HANDLER, w.procuratorate.id),
                              (PartyRole.PARTICIPANT, w.unit_a.id),
                              (PartyRole.PARTICIPANT, w.unit_b.id)])  # fmt: skip
    agenda = await MeetingAgendaItem.filter(case_id=meeting.id).values_list(
        "topic", "proposer_unit_id", "matter")  # fmt: skip
    assert agenda == [(TITLE, w.unit_a.id, "unify_standards")]
    events = [e.action for e in await CaseEvent.filter(case_id=meeting.id).order_by("seq")]
    assert events == ["create", "set_agenda"]
    assert (await ConsultationDetail.get(case_id=case.id)).meeting_case_id == meeting.id
    convene = await CaseEvent.get(case_id=case.id, action="convene")
    assert (convene.payload["meetingId"], convene.payload["meetingNo"]) == (meeting.id, no)

    meeting_id = to_base64("Meeting", meeting.id)
    for username in ("liaison_a", "liaison_b", "prosecutor"):  # requester, responders
        async with api.as_user(username) as viewer:
            seen = (await viewer(_READ, {"id": meeting_id}))["data"]["node"]
            assert seen["caseNo"] == no and seen["sourceCase"] == {"caseNo": case.case_no}
            assert (seen["meetingType"], seen["meetingTypeLabel"], seen["scheduledOn"]) == (
                "COORDINATION", "协调会", "2026-10-12")  # fmt: skip
            assert sorted(a["name"] for a in seen["attendees"]) == ["市交通运输局", "市生态环境局"]
            assert seen["agenda"] == [{"topic": TITLE, "matter": "UNIFY_STANDARDS",
                                       "proposerUnit": {"name": "市生态环境局"}}]  # fmt: skip
            linked = (await viewer(_READ, {"id": consultation}))["data"]["node"]["linkedCases"]
            assert [c["caseNo"] for c in linked] == [no], username
            cards = (await viewer(_BOARD))["data"]["board"]["cards"]
            assert [c["caseNo"] for c in cards] == [no], username
    assert await visible_cases(audience_of(outsider)).count() == 0
    async with api.as_user("liaison_c") as other:
        assert (await other(_READ, {"id": meeting_id}))["data"]["node"] is None
        assert (await other(_BOARD))["data"]["board"]["cards"] == []


async def test_the_conclusion_waits_for_the_meeting_then_takes_its_minutes(world: World) -> None:
    w = world
    case, meeting = await convened(w)
    record = take_form_step(STEPS, w.office, case.id, case.version, Action.RECORD_MEETING,
                            {"conclusion": "结论"}, now=at(date(2026, 10, 12)))  # fmt: skip
    refusal = await refused(InvalidTransition, case.id, record)
    assert refusal.message == f"协调会 {meeting.case_no} 尚未召开，召开后再记录会商意见"
    held = await hold(w, meeting, date(2026, 10, 12))
    blank = take_form_step(STEPS, w.office, case.id, case.version, Action.RECORD_MEETING, {},
                           now=at(date(2026, 10, 12)))  # fmt: skip
    refusal = await refused(ValidationFailed, case.id, blank)
    assert refusal.field == "conclusion"
    minutes = "会议认为，未批先建应以是否取得建设用地批准文件为准，统一适用。"
    await take_form_step(MEETING_STEPS, w.office, meeting.id, held.version,
                         MeetingAction.PUBLISH_MINUTES, {"minutesNo": "宿府检纪〔2026〕3号",
                         "publishedOn": date(2026, 10, 14), "minutes": minutes},
                         now=at(date(2026, 10, 14)))  # fmt: skip
    case = await step(w.office, case, Action.RECORD_MEETING, date(2026, 10, 14))
    d = await ConsultationDetail.get(case_id=case.id)
    assert (case.state, d.meeting_conclusion) == ("answered", minutes)
    event = await CaseEvent.get(case_id=case.id, action="record_meeting")
    assert event.payload == {"meetingId": meeting.id, "fromMinutes": True}

    # Converted again (a 会商会, held as the meeting kind's 协调会): a second meeting, -会2;
    # cancelled, it has no minutes, so the Office writes the conclusion.
    case = await step(w.office, case, Action.CONVENE, date(2026, 10, 15),
                      **{**CONVERT, "meetingType": "consultation"})  # fmt: skip
    second = await Case.get(source_id=case.id, case_no=f"{case.case_no}-会2")
    assert (second.title, (await MeetingDetail.get(case_id=second.id)).meeting_type) == (
        f"会商会：{TITLE}", "coordination")  # fmt: skip
    assert (await ConsultationDetail.get(case_id=case.id)).meeting_case_id == second.id
    await take_form_step(MEETING_STEPS, w.office, second.id, second.version, MeetingAction.CANCEL,
                         {"reason": "各方已达成一致"}, now=at(date(2026, 10, 16)))  # fmt: skip
    blank = take_form_step(STEPS, w.office, case.id, case.version, Action.RECORD_MEETING, {},
                           now=at(date(2026, 10, 16)))  # fmt: skip
    assert (await refused(ValidationFailed, case.id, blank)).field == "conclusion"
    case = await step(w.office, case, Action.RECORD_MEETING, date(2026, 10, 16),
                      conclusion="各方同意按自然资源部门标准执行")  # fmt: skip
    assert case.state == "answered"


async def test_a_refused_conversion_opens_no_meeting_and_changes_nothing(world: World) -> None:
    w = world
    requested = (await create_from_form(STEPS, w.liaison_a, new(w))).case
    case = await routed(w)

    def convert(actor: Any, target: Case = case, *, stale: bool = False,
                missing: str = "") -> Awaitable[Change]:  # fmt: skip
        raw = {k: v for k, v in CONVERT.items() if k != missing}
        version = target.version - 1 if stale else target.version
        return take_form_step(STEPS, actor, target.id, version, Action.CONVENE, raw,
                              now=at(CONVERTED))  # fmt: skip

    await refused(InvalidTransition, requested.id, convert(w.office, requested))
    for actor in (w.prosecutor, w.liaison_a, w.liaison_b):  # a responder, the requester
        await refused(PermissionDenied, case.id, convert(actor))
    await refused(VersionConflict, case.id, convert(w.office, stale=True))
    for name in ("meetingOn", "place"):
        error = await refused(ValidationFailed, case.id, convert(w.office, missing=name))
        assert error.field == name
    assert await Case.filter(kind=CaseKind.MEETING).count() == 0


async def test_a_conversion_that_fails_after_opening_the_meeting_leaves_none(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The meeting is opened in the consultation step's transaction: when the step's own
    write fails afterwards, the meeting, its agenda and its events are rolled back too."""
    w = world
    case = await routed(w)

    async def failing(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("action") == Action.CONVENE:
            raise VersionConflict("并发修改", current_version=case.version)
        return await append_event(*args, **kwargs)

    monkeypatch.setattr("hub.services.cases.append_event", failing)
    take = take_form_step(STEPS, w.office, case.id, case.version, Action.CONVENE, CONVERT,
                          now=at(CONVERTED))  # fmt: skip
    await refused(VersionConflict, case.id, take)
    assert await Case.filter(kind=CaseKind.MEETING).count() == 0
    assert await MeetingDetail.all().count() == 0 and await MeetingAgendaItem.all().count() == 0
    monkeypatch.undo()
    case = await step(w.office, case, Action.CONVENE, CONVERTED, **CONVERT)
    assert await Case.filter(kind=CaseKind.MEETING, source_id=case.id).count() == 1
