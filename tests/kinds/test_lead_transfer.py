"""线索移送 (lead transfer): the two-law chain of 《行政执法机关移送涉嫌犯罪案件的规定》 with each
clock on real dates and hours, the reverse 检察意见, leads spawning a PIL case or a
recommendation, visibility and refusals — all through the generated GraphQL mutations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hub.alerts.decide import decide_alerts
from hub.domain.kinds import CaseKind
from hub.domain.roles import Role
from hub.kinds.lead_transfer.models import LeadTransferDetail
from hub.kinds.pil_case.inputs import ensure_domains
from hub.models import Case, CaseEvent, OutboxEmail
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api
from tests.kinds.gql_steps import CLOCKS, LISTS, NODE, add_unit, add_user, clock, gid, run, snapshot

FIELDS = "... on LeadTransfer { %s }" % (
    "id version state stateLabel column caseNo direction directionLabel materials "
    "parties { role roleLabel unit { name } } availableActions { action } "
    "details { title facts { label value } items { heading } } linkedCases { __typename caseNo } "
    + CLOCKS
)
ALL_MATERIALS = ["TRANSFER_LETTER", "INVESTIGATION_REPORT", "EXHIBIT_LIST", "EXPERT_REPORT"]


async def _police_world(api: Api) -> Any:
    w = api.world
    police = await add_unit("public_security", "市公安局", "liaison_police", world=w)
    await add_user("leader_a", Role.UNIT_LEADER, w.unit_a, w)
    return police


def _new(direction: str, recipient: int, no: str) -> dict[str, Any]:
    return {
        "caseNo": no, "title": "某公司非法倾倒危险废物案", "direction": direction,
        "recipientUnitId": gid("Unit", recipient), "subject": "现场查获废矿物油约20吨，涉嫌污染环境罪",
        "offence": "污染环境罪",
    }  # fmt: skip


async def test_the_two_law_chain_each_clock_on_real_dates_and_hours(api: Api) -> None:
    police = await _police_world(api)
    async with api.as_user("liaison_a") as agency:
        case = await run(agency, "createLeadTransfer",
                         _new("CRIME_TO_POLICE", police.id, "宿环移〔2025〕3号"), FIELDS)  # fmt: skip
        assert case["state"] == "DRAFT"
        assert [(p["roleLabel"], p["unit"]["name"]) for p in case["parties"]] == [
            ("移送单位", "市生态环境局"), ("承办人", "市生态环境局"), ("接收单位", "市公安局"),
            ("立案监督检察院", "宿州市人民检察院")]  # fmt: skip
        case = await run(agency, "submitLeadTransferReport", {
            "id": case["id"], "version": case["version"], "reportedOn": "2025-09-22"}, FIELDS)  # fmt: skip
        assert (case["state"], clock(case, "decide")["dueOn"]) == ("PENDING_APPROVAL", "2025-09-25")
        assert [a["action"] for a in case["availableActions"]] == ["APPROVE", "NOT_APPROVE"]
    pk = int((await Case.get(case_no="宿环移〔2025〕3号")).id)
    async with api.as_user("liaison_police") as p:
        assert (await p(NODE, {"id": case["id"]}))["data"]["node"] is None  # not sent yet
    async with api.as_user("prosecutor") as prosecutor:  # 应移不移 supervision sees the report
        assert (await prosecutor(NODE, {"id": case["id"]}))["data"]["node"]["caseNo"]
    async with api.as_user("leader_a") as head:
        # 24 hours across midnight: approved 20:30 on 28 September, due 20:30 on the 29th.
        case = await run(head, "approveLeadTransfer", {
            "id": case["id"], "version": case["version"], "approvedBy": "张局长",
            "approvedAt": "2025-09-28T20:30:00+08:00"}, FIELDS)  # fmt: skip
        transfer = clock(case, "transfer")
        assert (transfer["dueOn"], transfer["dueAt"]) == ("2025-09-29", "2025-09-29T20:30:00+08:00")
        assert "届满时刻为2025年9月29日 20:30" in transfer["explanation"]
        assert clock(case, "decide")["status"] == "STOPPED"
        before = await snapshot(pk)
        bad = await run(head, "transferLeadTransfer", {
            "id": case["id"], "version": case["version"], "transferredAt": "2025-09-29T09:00:00+08:00",
            "materials": ["TRANSFER_LETTER"]}, FIELDS)  # fmt: skip
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "materials")
        assert await snapshot(pk) == before
        case = await run(head, "transferLeadTransfer", {
            "id": case["id"], "version": case["version"], "transferredAt": "2025-09-29T09:00:00+08:00",
            "materials": ALL_MATERIALS}, FIELDS)  # fmt: skip
        assert case["state"] == "TRANSFERRED" and len(case["materials"]) == 4
    async with api.as_user("liaison_police") as p:
        # 3 days from 29 September end on 2 October, in the National Day holiday: 9 October.
        case = await run(p, "signLeadTransferReceipt", {
            "id": case["id"], "version": case["version"], "receivedOn": "2025-09-29"}, FIELDS)  # fmt: skip
        review = clock(case, "police_review")
        assert review["dueOn"] == "2025-10-09" and "国庆节" in review["explanation"]
        case = await run(p, "refuseLeadTransferFiling", {
            "id": case["id"], "version": case["version"], "notifiedOn": "2025-10-10",
            "reasons": "证据不足", "materialsReturned": True}, FIELDS)  # fmt: skip
        assert (case["state"], clock(case, "reconsider_request")["dueOn"]) == (
            "NOT_FILED",
            "2025-10-13",
        )
    async with api.as_user("liaison_a") as agency:
        case = await run(agency, "requestLeadTransferReconsideration", {
            "id": case["id"], "version": case["version"], "requestedOn": "2025-10-11",
            "grounds": "鉴定意见已补充"}, FIELDS)  # fmt: skip
        assert clock(case, "reconsider_decide")["dueOn"] == "2025-10-14"
    async with api.as_user("liaison_police") as p:
        case = await run(p, "refuseLeadTransferFiling", {
            "id": case["id"], "version": case["version"], "notifiedOn": "2025-10-14",
            "reasons": "维持不予立案"}, FIELDS)  # fmt: skip
        assert case["state"] == "NOT_FILED_FINAL"
        assert clock(case, "supervision_request")["dueOn"] == "2025-10-17"
    async with api.as_user("liaison_a") as agency:
        case = await run(agency, "requestLeadTransferSupervision", {
            "id": case["id"], "version": case["version"], "requestedOn": "2025-10-15",
            "grounds": "涉案数量已达追诉标准"}, FIELDS)  # fmt: skip
        assert case["state"] == "SUPERVISION"
    async with api.as_user("prosecutor") as prosecutor:
        case = await run(prosecutor, "notifyLeadTransferFiling", {
            "id": case["id"], "version": case["version"], "notifiedOn": "2025-10-20",
            "opinion": "不立案理由不能成立，通知立案"}, FIELDS)  # fmt: skip
        assert case["state"] == "FILING_NOTIFIED"
    async with api.as_user("liaison_police") as p:
        case = await run(p, "fileLeadTransferCase", {
            "id": case["id"], "version": case["version"], "filedOn": "2025-10-24",
            "filingNo": "宿公立〔2025〕88号"}, FIELDS)  # fmt: skip
        assert (case["state"], clock(case, "handover")["dueOn"]) == ("FILED", "2025-10-27")
    async with api.as_user("liaison_a") as agency:
        case = await run(agency, "handOverLeadTransferExhibits", {
            "id": case["id"], "version": case["version"], "handedOverOn": "2025-10-27",
            "items": "废矿物油样品2份、检测报告1份"}, FIELDS)  # fmt: skip
        assert (case["state"], case["column"]) == ("CLOSED_TRANSFERRED", "CLOSED")
        (_, chain) = case["details"]
        assert chain["items"][1]["heading"] == "2025年9月28日 20:30 批准移送"
    actions = list(
        await CaseEvent.filter(case_id=pk).order_by("seq").values_list("action", flat=True)
    )
    assert [str(a) for a in actions] == ["create", "submit_report", "approve", "transfer", "sign_receipt",
                       "refuse_filing", "request_reconsideration", "refuse_filing",
                       "request_supervision", "notify_filing", "file_case", "hand_over"]  # fmt: skip
    assert (await LeadTransferDetail.get(case_id=pk)).approved_by == "张局长"


async def test_a_unit_that_is_no_party_sees_nothing_and_every_step_is_not_found(api: Api) -> None:
    police = await _police_world(api)
    async with api.as_user("liaison_a") as agency:
        case = await run(agency, "createLeadTransfer",
                         _new("CRIME_TO_POLICE", police.id, "宿环移〔2025〕9号"), FIELDS)  # fmt: skip
        case = await run(agency, "submitLeadTransferReport", {
            "id": case["id"], "version": case["version"], "reportedOn": "2025-09-22"}, FIELDS)  # fmt: skip
    pk = int((await Case.get(case_no="宿环移〔2025〕9号")).id)
    before = await snapshot(pk)
    async with api.as_user("liaison_b") as other:
        body = await other(LISTS, {"no": case["caseNo"], "kind": "LEAD_TRANSFER"})
        assert body["data"] == {"cases": {"edges": []}, "caseByNo": None, "board": {"cards": []}}
        assert (await other(NODE, {"id": case["id"]}))["data"]["node"] is None
        base = {"id": case["id"], "version": case["version"]}
        for mutation, extra in (
            ("approveLeadTransfer", {"approvedBy": "某", "approvedAt": "2025-09-23T10:00:00+08:00"}),
            ("signLeadTransferReceipt", {"receivedOn": "2025-09-23"}),
            ("handOverLeadTransferExhibits", {"handedOverOn": "2025-09-23", "items": "x"}),
            ("issueLeadTransferOpinion", {"nonProsecutionNo": "1", "issuedOn": "2025-09-23",
                                          "opinion": "x", "deadlineRule": "xs177_result_2m"}),
        ):  # fmt: skip
            refused = await run(other, mutation, {**base, **extra}, "id")
            assert refused["code"] == "NOT_FOUND", mutation
        take = await other("mutation($i: TakeStepInput!) { takeStep(input: $i) { __typename "
                           "... on Error { code } } }", {"i": {**base, "action": "CLOSE"}})  # fmt: skip
        assert take["data"]["takeStep"]["code"] == "NOT_FOUND"
    assert await snapshot(pk) == before
    events = await CaseEvent.filter(case_id=pk).count()
    assert events == 2


async def test_refusals_wrong_state_wrong_role_stale_version_bad_input(api: Api) -> None:
    police = await _police_world(api)
    async with api.as_user("liaison_a") as agency:
        bad = await run(agency, "createLeadTransfer",
                        _new("REVERSE", police.id, "宿环移〔2025〕5号"), "id")  # fmt: skip
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "direction")
        bad = await run(agency, "createLeadTransfer",
                        _new("PIL_LEAD", police.id, "宿环移〔2025〕5号"), "id")  # fmt: skip
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "recipientUnitId")
        assert not await Case.filter(kind=CaseKind.LEAD_TRANSFER).exists()
        case = await run(agency, "createLeadTransfer",
                         _new("CRIME_TO_POLICE", police.id, "宿环移〔2025〕5号"), FIELDS)  # fmt: skip
        pk = int((await Case.get(case_no="宿环移〔2025〕5号")).id)
        before = await snapshot(pk)
        stale = await run(agency, "submitLeadTransferReport", {
            "id": case["id"], "version": case["version"] - 1, "reportedOn": "2025-09-22"}, "id")  # fmt: skip
        assert stale["code"] == "VERSION_CONFLICT"
        wrong_state = await run(agency, "signLeadTransferReceipt", {
            "id": case["id"], "version": case["version"], "receivedOn": "2025-09-22"}, "id")  # fmt: skip
        assert wrong_state["code"] == "INVALID_TRANSITION"
        future = (date.today() + timedelta(days=2)).isoformat()
        bad = await run(agency, "submitLeadTransferReport", {
            "id": case["id"], "version": case["version"], "reportedOn": future}, "id")  # fmt: skip
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "reportedOn")
        assert await snapshot(pk) == before
        case = await run(agency, "submitLeadTransferReport", {
            "id": case["id"], "version": case["version"], "reportedOn": "2025-09-22"}, FIELDS)  # fmt: skip
    async with api.as_user("prosecutor") as prosecutor:  # sees it, may not approve it
        before = await snapshot(pk)
        denied = await run(prosecutor, "approveLeadTransfer", {
            "id": case["id"], "version": case["version"], "approvedBy": "某",
            "approvedAt": "2025-09-23T10:00:00+08:00"}, "id")  # fmt: skip
        assert denied["code"] == "PERMISSION_DENIED"
        assert await snapshot(pk) == before


async def test_reverse_opinion_with_a_set_result_deadline(api: Api) -> None:
    w = api.world
    async with api.as_user("prosecutor") as prosecutor:
        case = await run(prosecutor, "createLeadTransfer",
                         _new("REVERSE", w.unit_a.id, "宿检刑不诉意〔2025〕2号"), FIELDS)  # fmt: skip
        pk = int((await Case.get(case_no="宿检刑不诉意〔2025〕2号")).id)
        issue = {"id": case["id"], "version": case["version"], "nonProsecutionNo": "宿检刑不诉〔2025〕7号",
                 "issuedOn": "2025-09-01", "opinion": "建议给予行政处罚"}  # fmt: skip
        before = await snapshot(pk)
        for extra, field in (
            ({"deadlineRule": "xs177_result_2m", "customPeriod": {"amount": 1, "unit": "MONTHS"}},
             "customPeriod"),
            ({"deadlineRule": "xs177_result_custom", "customPeriod": {"amount": 3, "unit": "MONTHS"}},
             "customPeriod"),
            ({"deadlineRule": "ys_handover_3d"}, "deadlineRule"),
        ):  # fmt: skip
            bad = await run(prosecutor, "issueLeadTransferOpinion", {**issue, **extra}, "id")
            assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", field), extra
        assert await snapshot(pk) == before
        case = await run(prosecutor, "issueLeadTransferOpinion", {
            **issue, "deadlineRule": "xs177_result_custom",
            "customPeriod": {"amount": 30, "unit": "DAYS"}}, FIELDS)  # fmt: skip
        # 30 days from 1 September end on 1 October, in the holiday: 9 October.
        assert (case["state"], clock(case, "result")["dueOn"]) == ("OPINION_ISSUED", "2025-10-09")
    async with api.as_user("liaison_a") as agency:
        case = await run(agency, "reportLeadTransferResult", {
            "id": case["id"], "version": case["version"], "result": "PENALTY",
            "decidedOn": "2025-09-20", "decisionNo": "宿环罚〔2025〕12号", "content": "罚款十万元"},
            FIELDS)  # fmt: skip
        assert case["state"] == "RESULT_REPORTED" and clock(case, "result")["status"] == "STOPPED"


async def test_leads_spawn_a_pil_case_and_a_recommendation(api: Api) -> None:
    w = api.world
    await ensure_domains()
    take = "mutation($i: TakeStepInput!) { takeStep(input: $i) { __typename ... on CaseStepSuccess { case { version } } } }"
    async with api.as_user("liaison_a") as agency:
        lead = await run(agency, "createLeadTransfer",
                         _new("PIL_LEAD", w.procuratorate.id, "宿环线〔2025〕1号"), FIELDS)  # fmt: skip
        r = await agency(
            take, {"i": {"id": lead["id"], "version": lead["version"], "action": "SUBMIT_LEAD"}}
        )
        version = r["data"]["takeStep"]["case"]["version"]
    async with api.as_user("prosecutor") as prosecutor:
        r = await prosecutor(
            take, {"i": {"id": lead["id"], "version": version, "action": "ACKNOWLEDGE"}}
        )
        version = r["data"]["takeStep"]["case"]["version"]
        lead = await run(prosecutor, "openPilCaseFromLead", {
            "id": lead["id"], "version": version, "pilCaseNo": "宿检行公立〔2025〕4号",
            "agencyUnitId": gid("Unit", w.unit_a.id), "domainCode": "ecology_resources"},
            FIELDS)  # fmt: skip
        assert lead["state"] == "ASSESSED"
        assert lead["linkedCases"] == [{"__typename": "PilCase", "caseNo": "宿检行公立〔2025〕4号"}]
        lead = await run(prosecutor, "createLeadTransfer",
                         _new("WORK_SAFETY", w.unit_b.id, "宿检安线〔2025〕1号"), FIELDS)  # fmt: skip
    pil = await Case.get(case_no="宿检行公立〔2025〕4号")
    assert pil.kind == CaseKind.PIL_CASE and pil.source_id is not None
    async with api.as_user("liaison_b") as unit_b:
        assert (await unit_b(NODE, {"id": lead["id"]}))["data"]["node"] is None  # a draft


async def test_the_police_review_clock_alerts_the_police_once_then_escalates(api: Api) -> None:
    police = await _police_world(api)
    async with api.as_user("liaison_a") as agency:
        case = await run(agency, "createLeadTransfer",
                         _new("CRIME_TO_POLICE", police.id, "宿环移〔2025〕7号"), FIELDS)  # fmt: skip
        case = await run(agency, "submitLeadTransferReport", {
            "id": case["id"], "version": case["version"], "reportedOn": "2025-09-22"}, FIELDS)  # fmt: skip
    async with api.as_user("leader_a") as head:
        case = await run(head, "approveLeadTransfer", {
            "id": case["id"], "version": case["version"], "approvedBy": "张局长",
            "approvedAt": "2025-09-22T15:00:00+08:00"}, FIELDS)  # fmt: skip
        case = await run(head, "transferLeadTransfer", {
            "id": case["id"], "version": case["version"], "transferredAt": "2025-09-23T09:00:00+08:00",
            "materials": ALL_MATERIALS}, FIELDS)  # fmt: skip
    async with api.as_user("liaison_police") as p:
        case = await run(p, "signLeadTransferReceipt", {
            "id": case["id"], "version": case["version"], "receivedOn": "2025-10-20"}, FIELDS)  # fmt: skip
        assert clock(case, "police_review")["dueOn"] == "2025-10-23"
    settings = alert_settings()
    for day in (date(2025, 10, 22), date(2025, 10, 24), date(2025, 10, 24)):
        await decide_alerts(settings, now=on_day(day))
    rows = [(r.clock, r.level.value, r.recipient_email)
            for r in await OutboxEmail.filter(clock="police_review").order_by("id")]  # fmt: skip
    assert rows == [
        ("police_review", "due_soon", "liaison_police@example.test"),
        ("police_review", "overdue", "liaison_police@example.test"),
    ]
    for day in (date(2025, 10, 25), date(2025, 10, 26)):  # two days late: escalated once
        await decide_alerts(settings, now=on_day(day))
    escalated = {(r.level.value, r.recipient_role.value, r.recipient_email)
                 for r in await OutboxEmail.filter(clock="police_review", level="escalation")}  # fmt: skip
    assert escalated == {
        ("escalation", "liaison", "liaison_police@example.test"),
        ("escalation", "office", "office@example.test"),
        ("escalation", "approver", "chief@example.test"),
    }
