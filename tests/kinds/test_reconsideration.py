"""行政复议陪议 / 旁听: the invitation of 市司法局, the chief's acceptance, the chief assigning (and
reassigning) the prosecutor through a USER field, attendance, the written opinion, the result;
the 60-day decision clock (+30) with its alert; visibility and refusals — through the generated
mutations and adjustClock."""

from __future__ import annotations

from datetime import date
from typing import Any

from hub.alerts.decide import decide_alerts
from hub.domain.roles import Role, Side, UnitKind
from hub.models import Case, CaseEvent, CaseParty, OutboxEmail, Unit, User
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api, GraphQLClient
from tests.kinds.gql_steps import CLOCKS, LISTS, NODE, add_unit, add_user, clock, gid, run, snapshot

FIELDS = "... on Reconsideration { %s }" % (
    "id version state column caseNo mode result decisionType availableActions { action } "
    "parties { roleLabel unit { name } } details { title facts { label value } } " + CLOCKS
)
ADJUST = """mutation($i: AdjustClockInput!) { adjustClock(input: $i) { __typename
  ... on CaseStepSuccess { case { %s } } ... on Error { code message field } } }""".replace(
    "%s", FIELDS
)


def _new(no: str, accepted_on: str = "2025-09-01") -> dict[str, Any]:
    return {
        "caseNo": no, "title": "王某不服市市场监管局行政处罚决定复议案",
        "reconsiderationNo": "宿司复〔2025〕31号", "applicant": "王某", "respondent": "市市场监督管理局",
        "matter": "请求撤销罚款五万元的行政处罚决定", "acceptedOn": accepted_on,
        "sessionAt": "2025-09-20T09:30:00+08:00", "requestedMode": "CO_DELIBERATION",
    }  # fmt: skip


async def _justice(api: Api) -> None:
    await add_unit("justice", "市司法局", "liaison_justice", world=api.world)


async def _assign(
    chief: GraphQLClient, case: dict[str, Any], user_id: int, *, again: bool = False
) -> dict[str, Any]:
    mutation = "reassignReconsiderationProsecutor" if again else "assignReconsiderationProsecutor"
    return await run(chief, mutation, {"id": case["id"], "version": case["version"],
                                       "prosecutor": gid("User", user_id)}, FIELDS)  # fmt: skip


async def test_main_path_with_the_60_day_clock_and_its_extension(api: Api) -> None:
    await _justice(api)
    async with api.as_user("liaison_justice") as body:
        case = await run(body, "createReconsideration", _new("宿司复邀〔2025〕5号"), FIELDS)
        assert [(p["roleLabel"], p["unit"]["name"]) for p in case["parties"]] == [
            ("复议机构", "市司法局"), ("复议机构承办人", "市司法局"), ("受邀检察院", "宿州市人民检察院")]  # fmt: skip
        # 60 days from 1 September end on 31 October.
        assert clock(case, "decision")["dueOn"] == "2025-10-31"
        case = (await body(ADJUST, {"i": {
            "id": case["id"], "version": case["version"], "action": "EXTEND_DECISION",
            "on": "2025-10-20", "reason": "案情复杂，经负责人批准",
            "period": {"amount": 30, "unit": "DAYS"}}}))["data"]["adjustClock"]["case"]  # fmt: skip
        assert clock(case, "decision")["dueOn"] == "2025-12-01"  # 30 Nov is a Sunday
        too_long = await body(
            ADJUST,
            {
                "i": {
                    "id": case["id"],
                    "version": case["version"],
                    "action": "EXTEND_DECISION",
                    "on": "2025-10-21",
                    "reason": "再次延长",
                    "period": {"amount": 1, "unit": "DAYS"},
                }
            },
        )
        assert too_long["data"]["adjustClock"]["code"] == "VALIDATION_FAILED"
    pk = int((await Case.get(case_no="宿司复邀〔2025〕5号")).id)
    async with api.as_user("prosecutor") as prosecutor:  # only the chief answers the invitation
        seen = (await prosecutor(NODE, {"id": case["id"]}))["data"]["node"]
        assert seen["caseNo"] == "宿司复邀〔2025〕5号"
        denied = await run(prosecutor, "acceptReconsiderationInvitation", {
            "id": case["id"], "version": case["version"], "mode": "CO_DELIBERATION"}, "id")  # fmt: skip
        assert denied["code"] == "PERMISSION_DENIED"
    async with api.as_user("chief") as chief:
        case = await run(chief, "acceptReconsiderationInvitation", {
            "id": case["id"], "version": case["version"], "mode": "CO_DELIBERATION"}, FIELDS)  # fmt: skip
        assert (case["state"], case["mode"]) == ("ACCEPTED", "CO_DELIBERATION")
        case = await _assign(chief, case, api.world.prosecutor.id)
        assert case["state"] == "ASSIGNED"
    async with api.as_user("prosecutor") as prosecutor:
        case = await run(prosecutor, "attendReconsideration", {
            "id": case["id"], "version": case["version"], "attendedAt": "2025-09-20T09:30:00+08:00",
            "sessionKind": "HEARING", "notes": "参加听证并发表意见"}, FIELDS)  # fmt: skip
        assert [a["action"] for a in case["availableActions"]] == ["SUBMIT_OPINION"]
        case = await run(prosecutor, "submitReconsiderationOpinion", {
            "id": case["id"], "version": case["version"], "submittedOn": "2025-09-25",
            "opinion": "处罚裁量明显不当，建议变更"}, FIELDS)  # fmt: skip
        assert case["state"] == "OPINION_GIVEN"
    async with api.as_user("liaison_justice") as body:
        base = {"id": case["id"], "version": case["version"], "result": "DECISION",
                "decidedOn": "2025-10-30", "summary": "变更为罚款二万元"}  # fmt: skip
        before = await snapshot(pk)
        bad = await run(body, "recordReconsiderationResult", base, "id")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "decisionType")
        assert await snapshot(pk) == before
        case = await run(body, "recordReconsiderationResult",
                         {**base, "decisionType": "CHANGE", "documentNo": "宿政复决〔2025〕31号"},
                         FIELDS)  # fmt: skip
        assert (case["state"], case["result"], case["decisionType"]) == (
            "CLOSED",
            "DECISION",
            "CHANGE",
        )
        assert clock(case, "decision")["status"] == "STOPPED"
        facts = {f["label"]: f["value"] for s in case["details"] for f in s["facts"]}
        assert facts["承办检察官"] == "prosecutor-姓名" and facts["复议决定类型"] == "变更"
    prosecutor_party = await CaseParty.get(case_id=pk, role="handling_prosecutor")
    assert prosecutor_party.user_id == api.world.prosecutor.id
    actions = list(
        await CaseEvent.filter(case_id=pk).order_by("seq").values_list("action", flat=True)
    )
    assert [str(a) for a in actions] == ["create", "extend_decision", "accept", "assign", "attend",
                       "submit_opinion", "record_result"]  # fmt: skip


async def test_observation_needs_no_opinion_and_a_decline_closes(api: Api) -> None:
    await _justice(api)
    async with api.as_user("liaison_justice") as body:
        one = await run(body, "createReconsideration", _new("宿司复邀〔2025〕6号"), FIELDS)
        two = await run(body, "createReconsideration", _new("宿司复邀〔2025〕7号"), FIELDS)
    async with api.as_user("chief") as chief:
        one = await run(chief, "acceptReconsiderationInvitation", {
            "id": one["id"], "version": one["version"], "mode": "OBSERVATION"}, FIELDS)  # fmt: skip
        two = await run(chief, "declineReconsiderationInvitation", {
            "id": two["id"], "version": two["version"], "reason": "与本院在办案件存在利害关系"}, FIELDS)  # fmt: skip
        assert (two["state"], clock(two, "decision")["status"]) == ("DECLINED", "STOPPED")
        one = await _assign(chief, one, api.world.prosecutor.id)
    async with api.as_user("prosecutor") as prosecutor:
        one = await run(prosecutor, "attendReconsideration", {
            "id": one["id"], "version": one["version"], "attendedAt": "2025-09-20T09:30:00+08:00",
            "sessionKind": "DELIBERATION"}, FIELDS)  # fmt: skip
        assert [a["action"] for a in one["availableActions"]] == ["RECORD_RESULT"]


async def test_a_unit_that_is_no_party_sees_nothing_and_every_step_is_not_found(api: Api) -> None:
    await _justice(api)
    async with api.as_user("liaison_justice") as body:
        case = await run(body, "createReconsideration", _new("宿司复邀〔2025〕8号"), FIELDS)
    pk = int((await Case.get(case_no="宿司复邀〔2025〕8号")).id)
    before = await snapshot(pk)
    async with api.as_user("liaison_a") as other:
        got = await other(LISTS, {"no": case["caseNo"], "kind": "RECONSIDERATION"})
        assert got["data"] == {"cases": {"edges": []}, "caseByNo": None, "board": {"cards": []}}
        assert (await other(NODE, {"id": case["id"]}))["data"]["node"] is None
        base = {"id": case["id"], "version": case["version"]}
        for mutation, extra in (
            ("acceptReconsiderationInvitation", {"mode": "OBSERVATION"}),
            ("assignReconsiderationProsecutor", {"prosecutor": gid("User", api.world.prosecutor.id)}),
            ("recordReconsiderationResult", {"result": "MEDIATION", "decidedOn": "2025-10-01",
                                             "summary": "x"}),
        ):  # fmt: skip
            assert (await run(other, mutation, {**base, **extra}, "id"))["code"] == "NOT_FOUND"
        adjust = await other(ADJUST, {"i": {**base, "action": "EXTEND_DECISION", "on": "2025-10-01",
                                            "reason": "x", "period": {"amount": 5, "unit": "DAYS"}}})  # fmt: skip
        assert adjust["data"]["adjustClock"]["code"] == "NOT_FOUND"
    assert await snapshot(pk) == before


async def test_the_decision_clock_alerts_the_body_once_when_overdue(api: Api) -> None:
    await _justice(api)
    async with api.as_user("liaison_justice") as body:
        await run(body, "createReconsideration", _new("宿司复邀〔2025〕9号"), FIELDS)
    settings = alert_settings()
    for day in (date(2025, 10, 30), date(2025, 11, 1), date(2025, 11, 1), date(2025, 12, 1)):
        await decide_alerts(settings, now=on_day(day))
    rows = [(r.level.value, r.recipient_email) for r in await OutboxEmail.all().order_by("id")]
    assert rows == [("due_soon", "liaison_justice@example.test"),
                    ("overdue", "liaison_justice@example.test")]  # fmt: skip
    assert Role.UNIT_LIAISON  # the body's liaison owes the decision


ACTIONS = """query($id: ID!) { node(id: $id) { ... on Case { availableActions { action
  form { fields { name type required options { value label } } } } } } }"""


async def _actions(client: GraphQLClient, case_id: str) -> dict[str, Any]:
    node = (await client(ACTIONS, {"id": case_id}))["data"]["node"]
    return {a["action"]: a["form"] for a in node["availableActions"]}


async def _accepted(api: Api, no: str) -> tuple[dict[str, Any], int]:
    """An invitation the chief has accepted (陪议), and its database id."""
    await _justice(api)
    async with api.as_user("liaison_justice") as body:
        case = await run(body, "createReconsideration", _new(no), FIELDS)
    async with api.as_user("chief") as chief:
        case = await run(chief, "acceptReconsiderationInvitation", {
            "id": case["id"], "version": case["version"], "mode": "CO_DELIBERATION"}, FIELDS)  # fmt: skip
    return case, int((await Case.get(case_no=no)).id)


async def _prosecutors(api: Api) -> list[tuple[str, Any, Any]]:
    """The handling prosecutor parties of the case: (role, unit, user) rows."""
    return list(
        await CaseParty.filter(role="handling_prosecutor").values_list("role", "unit_id", "user_id")
    )


async def test_the_chief_assigns_a_prosecutor_the_form_offers(api: Api) -> None:
    world = api.world
    case, pk = await _accepted(api, "宿司复邀〔2025〕11号")
    second = await add_user("prosecutor2", Role.PROSECUTOR, world.procuratorate, world)
    retired = await add_user("prosecutor3", Role.PROSECUTOR, world.procuratorate, world)
    await User.filter(id=retired.id).update(is_active=False)
    county = await Unit.create(code="county_proc", name="某县人民检察院",
                               kind=UnitKind.PROCURATORATE, side=Side.PROCURATORATE)  # fmt: skip
    elsewhere = await add_user("prosecutor_county", Role.PROSECUTOR, county, world)
    async with api.as_user("chief") as chief:
        form = (await _actions(chief, case["id"]))["ASSIGN"]
        (field,) = [f for f in form["fields"] if f["name"] == "prosecutor"]
        # The chief's own unit's active prosecutors, by name: not the chief, the Office, a
        # retired prosecutor or one of another procuratorate.
        assert (field["type"], field["required"]) == ("USER", True)
        assert field["options"] == [
            {"value": gid("User", world.prosecutor.id), "label": "prosecutor-姓名"},
            {"value": gid("User", second.id), "label": "prosecutor2-姓名"},
        ]
        before = await snapshot(pk)
        liaison = world.users["liaison_a"].id
        justice = (await User.get(username="liaison_justice")).id
        for bad in (
            gid("User", justice), gid("User", liaison), gid("User", elsewhere.id),
            gid("User", retired.id), gid("User", world.chief.id), gid("User", 999_999),
            gid("Unit", world.procuratorate.id),
        ):  # fmt: skip
            refused = await run(chief, "assignReconsiderationProsecutor", {
                "id": case["id"], "version": case["version"], "prosecutor": bad}, "id")  # fmt: skip
            assert (refused["code"], refused["field"]) == ("VALIDATION_FAILED", "prosecutor"), bad
            assert "承办检察官" in refused["message"]
        assert await snapshot(pk) == before
    async with api.as_user("prosecutor") as prosecutor:  # only the chief assigns
        assert "ASSIGN" not in await _actions(prosecutor, case["id"])
        denied = await _assign(prosecutor, case, world.prosecutor.id)
        assert denied["code"] == "PERMISSION_DENIED"
        assert await snapshot(pk) == before
    async with api.as_user("chief") as chief:
        case = await _assign(chief, case, second.id)
    assert case["state"] == "ASSIGNED"
    facts = {f["label"]: f["value"] for s in case["details"] for f in s["facts"]}
    assert facts["承办检察官"] == "prosecutor2-姓名"
    assert await _prosecutors(api) == [("handling_prosecutor", world.procuratorate.id, second.id)]
    attend = {"id": case["id"], "version": case["version"], "sessionKind": "HEARING",
              "attendedAt": "2025-09-20T09:30:00+08:00"}  # fmt: skip
    async with api.as_user("prosecutor") as prosecutor:  # the other prosecutor may not attend
        assert "ATTEND" not in await _actions(prosecutor, case["id"])
        before = await snapshot(pk)
        denied = await run(prosecutor, "attendReconsideration", attend, "id")
        assert denied["code"] == "PERMISSION_DENIED"
        assert await snapshot(pk) == before
    async with api.as_user("prosecutor2") as assigned:
        assert "ATTEND" in await _actions(assigned, case["id"])
        case = await run(assigned, "attendReconsideration", attend, FIELDS)
        assert case["state"] == "ATTENDED"


async def test_the_chief_reassigns_and_the_new_prosecutor_replaces_the_old(api: Api) -> None:
    world = api.world
    case, pk = await _accepted(api, "宿司复邀〔2025〕12号")
    second = await add_user("prosecutor2", Role.PROSECUTOR, world.procuratorate, world)
    async with api.as_user("chief") as chief:
        case = await _assign(chief, case, world.prosecutor.id)
        assert "REASSIGN" in await _actions(chief, case["id"])
        before = await snapshot(pk)
        same = await _assign(chief, case, world.prosecutor.id, again=True)
        assert (same["code"], same["field"]) == ("VALIDATION_FAILED", "prosecutor")
        foreign = await _assign(chief, case, world.users["liaison_a"].id, again=True)
        assert (foreign["code"], foreign["field"]) == ("VALIDATION_FAILED", "prosecutor")
        assert await snapshot(pk) == before
        case = await _assign(chief, case, second.id, again=True)
    assert case["state"] == "ASSIGNED"  # the step records, the state stays
    assert await _prosecutors(api) == [("handling_prosecutor", world.procuratorate.id, second.id)]
    attend = {"id": case["id"], "version": case["version"], "sessionKind": "DELIBERATION",
              "attendedAt": "2025-09-20T09:30:00+08:00"}  # fmt: skip
    async with api.as_user("prosecutor") as former:
        before = await snapshot(pk)
        assert (await run(former, "attendReconsideration", attend, "id"))["code"] == (
            "PERMISSION_DENIED"
        )
        assert await snapshot(pk) == before
    async with api.as_user("prosecutor2") as assigned:
        case = await run(assigned, "attendReconsideration", attend, FIELDS)
    assert case["state"] == "ATTENDED"
    events = await CaseEvent.filter(case_id=pk).order_by("seq").values_list("action", "payload")
    assert [(str(a), p) for a, p in events][2:4] == [
        ("assign", {"prosecutor": "prosecutor-姓名"}),
        ("reassign", {"prosecutor": "prosecutor2-姓名"}),
    ]
