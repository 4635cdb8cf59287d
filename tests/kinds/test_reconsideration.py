"""行政复议陪议 / 旁听: the invitation of 市司法局, the chief's acceptance, the prosecutor taking it
on, attendance, the written opinion, the result; the 60-day decision clock (+30) with its
alert; visibility and refusals — through the generated mutations and adjustClock."""

from __future__ import annotations

from datetime import date
from typing import Any

from hub.alerts.decide import decide_alerts
from hub.domain.roles import Role
from hub.models import Case, CaseEvent, CaseParty, OutboxEmail
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api
from tests.kinds.gql_steps import CLOCKS, LISTS, NODE, add_unit, clock, run, snapshot

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
    async with api.as_user("prosecutor") as prosecutor:
        case = await run(prosecutor, "takeOnReconsideration",
                         {"id": case["id"], "version": case["version"]}, FIELDS)  # fmt: skip
        assert case["state"] == "ASSIGNED"
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
    assert [str(a) for a in actions] == ["create", "extend_decision", "accept", "take_on", "attend",
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
    async with api.as_user("prosecutor") as prosecutor:
        one = await run(prosecutor, "takeOnReconsideration",
                        {"id": one["id"], "version": one["version"]}, FIELDS)  # fmt: skip
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
            ("takeOnReconsideration", {}),
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
