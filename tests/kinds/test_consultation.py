"""The consultation (会商咨询) on real databases: routed by the Office, answered by each
responder, accepted; converted into a coordination meeting or referred to the joint meeting;
its answer clock (10 working days across the National Day holiday; 3 for 紧急事项); who sees
what; refusals that change nothing; its alert."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from strawberry.relay import to_base64

from hub.alerts.decide import decide_alerts
from hub.domain.engine import board_column
from hub.domain.errors import (
    HubError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    VersionConflict,
)
from hub.domain.kinds import CaseKind
from hub.domain.visibility import audience_of
from hub.kinds.consultation.models import ConsultationAnswer, ConsultationDetail
from hub.kinds.consultation.spec import SPEC, Action, Topic
from hub.kinds.consultation.steps import STEPS
from hub.kinds.meeting.spec import Action as MeetingAction
from hub.kinds.meeting.steps import STEPS as MEETING_STEPS
from hub.models import Case, CaseClock, CaseEvent, CaseParty, OutboxEmail, Unit
from hub.services.cases import Change, take_step
from hub.services.forms import create_from_form, take_form_step
from hub.services.visibility import visible_cases, visible_events
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api
from tests.factories import World, facts

_numbers = iter(range(1, 10_000))
ROUTED = date(2026, 9, 28)  # a Monday before the National Day holiday (10-01 to 10-07)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


def new(w: World, **over: Any) -> dict[str, Any]:
    return {
        "caseNo": f"宿府检询〔2026〕{next(_numbers)}号", "title": "非法倾倒固体废物案立案追诉标准咨询",
        "topic": Topic.PROSECUTION_STANDARD.value,
        "question": "跨区倾倒一般工业固废20吨，是否达到污染环境罪立案追诉标准？",
        "suggestedUnitIds": [w.procuratorate.id], **over,
    }  # fmt: skip


async def step(actor: Any, case: Case, action: str, day: date, **raw: Any) -> Case:
    change = await take_form_step(STEPS, actor, case.id, case.version, action, raw, now=at(day))
    return change.case


async def routed(w: World, day: date = ROUTED, **over: Any) -> Case:
    case = (await create_from_form(STEPS, w.liaison_a, new(w, **over))).case
    return await step(w.office, case, Action.ROUTE, day,
                      responderUnitIds=[w.procuratorate.id, w.unit_b.id])  # fmt: skip


async def snapshot(case_id: int) -> tuple[Any, ...]:
    case = await Case.get(id=case_id)
    d = await ConsultationDetail.get(case_id=case_id)
    return (
        case.state, case.version, case.flags, await CaseEvent.filter(case_id=case_id).count(),
        sorted(await CaseParty.filter(case_id=case_id).values_list("role", "unit_id")),
        await ConsultationAnswer.filter(case_id=case_id).count(),
        sorted(await CaseClock.filter(case_id=case_id).values_list("name", "status", "due_on")),
        d.meeting_type, d.meeting_case_id, d.meeting_conclusion, d.referral_reason,
        d.accepted_at, await Case.filter(source_id=case_id).count(),
        await Case.filter(kind=CaseKind.MEETING).count(), await CaseEvent.all().count(),
    )  # fmt: skip


async def refused(error: type[HubError], case_id: int, take: Awaitable[Change]) -> HubError:
    before = await snapshot(case_id)
    with pytest.raises(error) as caught:
        await take
    assert await snapshot(case_id) == before
    return caught.value


_FIELDS = """
  ... on Consultation { id version state stateLabel column topic topicLabel question
    responders { name } answers { answer basis unit { name } } acceptedAt
    clocks { name dueOn rule explanation legalBasis }
    availableActions { action form { mutation fields { name type rules { id } } } }
    details { title facts { label value } items { heading facts { label value } } }
    parties { roleLabel unit { name } } }
"""
_RESULT = "__typename ... on CaseStepSuccess { case { %s } } ... on Error { code message field }"


def _m(name: str) -> str:
    input_type = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {_RESULT % _FIELDS} }} }}"


_READ = f"query($id: ID!) {{ node(id: $id) {{ {_FIELDS} }} }}"


def gid(unit: Unit) -> str:
    return to_base64("Unit", unit.id)


def _out(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


async def test_main_path_requested_routed_answered_and_accepted(api: Api) -> None:
    w = api.world
    request = {"caseNo": "宿环询〔2026〕1号", "title": "固废倾倒案证据固定咨询",
               "topic": "EVIDENCE", "question": "现场固废如何取样固定？",
               "suggestedUnitIds": [gid(w.procuratorate)]}  # fmt: skip
    async with api.as_user("liaison_a") as liaison:
        bad = _out(await liaison(_m("createConsultation"),
                                 {"input": {**request, "suggestedUnitIds": [gid(w.unit_a)]}}),
                   "createConsultation")  # fmt: skip
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "suggestedUnitIds")
        case = _out(await liaison(_m("createConsultation"), {"input": request}),
                    "createConsultation")["case"]  # fmt: skip
        assert (case["state"], case["topicLabel"]) == ("REQUESTED", "证据收集固定保全")
        assert case["availableActions"] == [{"action": "WITHDRAW", "form": {
            "mutation": "takeStep", "fields": [{"name": "comment", "type": "TEXTAREA",
                                                "rules": []}]}}]  # fmt: skip
    async with api.as_user("office") as office:
        seen = (await office(_READ, {"id": case["id"]}))["data"]["node"]
        (route,) = seen["availableActions"]
        rule_field = next(f for f in route["form"]["fields"] if f["name"] == "answerRule")
        assert [o["id"] for o in rule_field["rules"]] == [
            "consultation_answer_10wd", "consultation_urgent_3wd"]  # fmt: skip
        body = {"id": case["id"], "version": case["version"],
                "responderUnitIds": [gid(w.unit_a)]}  # fmt: skip
        bad = _out(await office(_m("routeConsultation"), {"input": body}), "routeConsultation")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "responderUnitIds")
        body["responderUnitIds"] = [gid(w.procuratorate), gid(w.unit_b)]
        case = _out(await office(_m("routeConsultation"), {"input": body}),
                    "routeConsultation")["case"]  # fmt: skip
        assert case["state"] == "ASSIGNED"
        (answer_clock,) = case["clocks"]
        assert answer_clock["rule"] == "consultation_answer_10wd"
        assert "10个工作日为本平台默认期限" in answer_clock["legalBasis"]
    async with api.as_user("liaison_b") as responder:
        body = {"id": case["id"], "version": case["version"], "answer": "按《固体废物鉴别标准》取样",
                "basis": "《中华人民共和国固体废物污染环境防治法》"}  # fmt: skip
        case = _out(await responder(_m("answerConsultation"), {"input": body}),
                    "answerConsultation")["case"]  # fmt: skip
        assert case["state"] == "ASSIGNED" and case["availableActions"] == []
        facts_ = {f["label"]: f["value"] for f in case["details"][0]["facts"]}
        assert facts_["尚未答复"] == "宿州市人民检察院"
    async with api.as_user("prosecutor") as prosecutor:
        body = {"id": case["id"], "version": case["version"], "answer": "建议同步委托鉴定"}
        case = _out(await prosecutor(_m("answerConsultation"), {"input": body}),
                    "answerConsultation")["case"]  # fmt: skip
        assert case["state"] == "ANSWERED"
        assert [a["unit"]["name"] for a in case["answers"]] == ["市交通运输局", "宿州市人民检察院"]
    async with api.as_user("liaison_a") as liaison:
        body = {"id": case["id"], "version": case["version"], "note": "已采纳"}
        case = _out(await liaison(_m("acceptConsultation"), {"input": body}),
                    "acceptConsultation")["case"]  # fmt: skip
        assert case["state"] == "CLOSED" and case["acceptedAt"] is not None
    pk = (await Case.get(case_no="宿环询〔2026〕1号")).id
    actions = [e.action for e in await CaseEvent.filter(case_id=pk).order_by("seq")]
    assert actions == ["create", "route", "answer", "answer", "accept"]


async def test_the_answer_clock_10_working_days_across_national_day(world: World) -> None:
    case = await routed(world)
    row = await CaseClock.get(case_id=case.id, name="answer")
    # 09-29, 09-30, then 10-08, 10-09, 10-10 (a make-up working Saturday), 10-12 … 10-16.
    assert (row.rule, row.started_on, row.due_on) == ("consultation_answer_10wd", ROUTED,
                                                      date(2026, 10, 16))  # fmt: skip
    assert row.explanation == "2026年9月28日分办，期限10个工作日，届满日为2026年10月16日。"
    stored = await facts(case.id)
    assert board_column(SPEC, stored, date(2026, 10, 16)).id == "ASSIGNED"
    assert board_column(SPEC, stored, date(2026, 10, 17)).id == "ANSWER_OVERDUE"
    # 紧急事项 defaults to 3 working days: 09-30, 10-08, 10-09.
    urgent = await routed(world, date(2026, 9, 29), topic=Topic.URGENT.value)
    row = await CaseClock.get(case_id=urgent.id, name="answer")
    assert (row.rule, row.due_on) == ("consultation_urgent_3wd", date(2026, 10, 9))
    # The Office may choose the rule: an urgent topic answered in 10 working days.
    chosen = (await create_from_form(STEPS, world.liaison_a, new(world, topic="urgent"))).case
    chosen = await step(world.office, chosen, Action.ROUTE, ROUTED, answerRule="consultation_answer_10wd",
                        responderUnitIds=[world.unit_b.id])  # fmt: skip
    assert (await CaseClock.get(case_id=chosen.id, name="answer")).due_on == date(2026, 10, 16)


async def test_converted_into_a_meeting_then_referred_to_the_joint_meeting(world: World) -> None:
    w = world
    case = await routed(w, topic=Topic.LAW_APPLICATION.value)
    case = await step(w.office, case, Action.CONVENE, date(2026, 9, 30), meetingType="coordination",
                      meetingOn=date(2026, 10, 12), place="市检察院第一会议室", reason="认识分歧")  # fmt: skip
    assert case.state == "meeting"
    assert board_column(SPEC, await facts(case.id), date(2026, 10, 20)).id == "MEETING"
    meeting = await Case.get(source_id=case.id, kind=CaseKind.MEETING)
    await hold(w, meeting, date(2026, 10, 12))
    case = await step(w.office, case, Action.RECORD_MEETING, date(2026, 10, 12),
                      conclusion="统一按司法解释第一条适用")  # fmt: skip
    assert case.state == "answered"
    case = await step(w.office, case, Action.REFER, date(2026, 10, 13), reason="涉及多部门职责")
    assert case.state == "referred" and case.closed_at is not None
    d = await ConsultationDetail.get(case_id=case.id)
    assert (d.meeting_type, d.meeting_on, d.meeting_place) == ("coordination", date(2026, 10, 12),
                                                               "市检察院第一会议室")  # fmt: skip
    assert (d.meeting_case_id, d.meeting_conclusion, d.referral_reason) == (
        meeting.id,
        "统一按司法解释第一条适用",
        "涉及多部门职责",
    )


async def hold(w: World, meeting: Case, day: date) -> Case:
    """Hold the coordination meeting the conversion opened (its agenda is set), on ``day``."""
    meeting = await Case.get(id=meeting.id)
    change = await take_form_step(MEETING_STEPS, w.office, meeting.id, meeting.version,
                                  MeetingAction.HOLD, {"heldOn": day, "chair": "办公室主任"},
                                  now=at(day))  # fmt: skip
    return change.case


def every_step(case: Case) -> dict[str, Callable[[Any], Awaitable[Change]]]:
    now = at(date(2026, 10, 12))

    def form(action: str, **raw: Any) -> Callable[[Any], Awaitable[Change]]:
        return lambda a: take_form_step(STEPS, a, case.id, case.version, action, raw, now=now)

    return {
        "route": form(Action.ROUTE, responderUnitIds=[1]), "answer": form(Action.ANSWER, answer="答"),
        "accept": form(Action.ACCEPT), "refer": form(Action.REFER, reason="理由"),
        "convene": form(Action.CONVENE, meetingType="coordination", meetingOn=date(2026, 10, 20),
                        place="会议室"),
        "record": form(Action.RECORD_MEETING, conclusion="结论"),
        "withdraw": lambda a: take_step(a, case.id, case.version, Action.WITHDRAW,
                                        kind=SPEC.kind, now=now),
    }  # fmt: skip


_LISTS = """query($no: String!) {
  cases(first: 50) { edges { node { caseNo } } }
  caseByNo(caseNo: $no) { caseNo }
  board(kind: CONSULTATION) { cards { caseNo } }
}"""


async def test_a_unit_that_is_no_party_sees_nothing_and_every_step_is_not_found(api: Api) -> None:
    w = api.world
    requested = (await create_from_form(STEPS, w.liaison_a, new(w))).case
    case = await step(w.office, (await create_from_form(STEPS, w.liaison_a, new(w))).case,
                      Action.ROUTE, ROUTED, responderUnitIds=[w.procuratorate.id])  # fmt: skip
    for c in (requested, case):
        for name, take in every_step(c).items():
            refusal = await refused(NotFound, c.id, take(w.liaison_b))
            assert refusal.message == "会商咨询不存在", name
    outsider = audience_of(w.liaison_b)
    assert await visible_cases(outsider).count() == 0
    assert await visible_events(outsider).count() == 0
    async with api.as_user("liaison_b") as other:
        body = await other(_LISTS, {"no": case.case_no})
        assert body["data"] == {"cases": {"edges": []}, "caseByNo": None,
                                "board": {"cards": []}}  # fmt: skip
        assert (await other(_READ, {"id": to_base64("Consultation", case.id)}))["data"][
            "node"] is None  # fmt: skip
    # The procuratorate sees only the case it was routed.
    mine = audience_of(w.prosecutor)
    assert [c.id for c in await visible_cases(mine)] == [case.id]


async def test_wrong_state_wrong_role_stale_version_and_bad_input_change_nothing(
    world: World,
) -> None:
    w = world
    case = await routed(w)
    steps = every_step(case)
    await refused(InvalidTransition, case.id, steps["route"](w.office))
    await refused(InvalidTransition, case.id, steps["accept"](w.liaison_a))
    await refused(PermissionDenied, case.id, steps["answer"](w.liaison_a))  # the requester
    await refused(PermissionDenied, case.id, steps["convene"](w.prosecutor))
    await refused(VersionConflict, case.id, take_form_step(
        STEPS, w.liaison_b, case.id, case.version - 1, Action.ANSWER, {"answer": "答"}))  # fmt: skip
    error = await refused(ValidationFailed, case.id, take_form_step(
        STEPS, w.liaison_b, case.id, case.version, Action.ANSWER, {"answer": " "}))  # fmt: skip
    assert error.field == "answer"
    error = await refused(ValidationFailed, case.id, take_form_step(
        STEPS, w.office, case.id, case.version, Action.CONVENE,
        {"meetingType": "banquet", "meetingOn": date(2026, 10, 20), "place": "会议室"}))  # fmt: skip
    assert error.field == "meetingType"
    answered = await step(w.liaison_b, case, Action.ANSWER, date(2026, 9, 30), answer="答复")
    again = take_form_step(STEPS, w.liaison_b, case.id, answered.version, Action.ANSWER,
                           {"answer": "再答"})  # fmt: skip
    await refused(PermissionDenied, case.id, again)


async def test_an_overdue_answer_alerts_the_responders_liaisons_once_then_the_office(
    world: World,
) -> None:
    case = await routed(world)  # due 2026-10-16
    settings = alert_settings()

    async def decide(day: date) -> int:
        return (await decide_alerts(settings, now=on_day(day))).inserted

    assert await decide(date(2026, 10, 13)) == 0
    assert await decide(date(2026, 10, 14)) == 1  # 2 days before: 市交通运输局's liaison
    assert await decide(date(2026, 10, 17)) == 1
    assert await decide(date(2026, 10, 17)) == 0
    assert await decide(date(2026, 10, 19)) == 2  # 3 days past: and the Office
    assert await decide(date(2026, 10, 25)) == 0
    rows = [(r.level.value, r.recipient_role.value, r.recipient_email)
            for r in await OutboxEmail.filter(case_id=case.id).order_by("id")]  # fmt: skip
    assert rows == [
        ("due_soon", "liaison", "liaison_b@example.test"),
        ("overdue", "liaison", "liaison_b@example.test"),
        ("escalation", "liaison", "liaison_b@example.test"),
        ("escalation", "office", "office@example.test"),
    ]
    overdue = await OutboxEmail.get(case_id=case.id, level="overdue")
    assert overdue.subject == f"【府检联动】会商咨询答复期限已逾期：{case.case_no}"
    assert "您收到本邮件，是因为您是该会商咨询的答复单位联络员。" in overdue.body


async def test_demo_consultations_are_made_through_the_steps(db: str) -> None:
    from hub.kinds.consultation.demo import load_demo
    from hub.services.demo import load_accounts, load_units

    units = await load_units()
    users = await load_accounts(units, "demo-password-1")
    assert await load_demo(units, users) == 4
    cases = await Case.filter(kind=SPEC.kind).order_by("id")
    assert [c.state for c in cases] == ["assigned", "requested", "meeting"]
    assert await ConsultationAnswer.filter(case_id=cases[0].id).count() == 1
    # The converted one opened its coordination meeting through the same step.
    (meeting,) = await Case.filter(kind=CaseKind.MEETING)
    assert (meeting.source_id, meeting.state) == (cases[2].id, "agenda_set")
    d = await ConsultationDetail.get(case_id=cases[2].id)
    assert d.meeting_case_id == meeting.id
