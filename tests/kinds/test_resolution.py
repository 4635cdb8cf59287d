"""The resolution (议定事项): a card a meeting opens; its units report, its lead unit claims it
done, the Office checks it; its due date is the date the meeting fixed (no moving off rest
days), it shows overdue after that date and alerts the units' liaisons, then the Office."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hub import clock
from hub.alerts.decide import decide_alerts
from hub.domain.dates import text_date
from hub.domain.engine import ClockStatus
from hub.domain.kinds import CaseKind
from hub.domain.visibility import audience_of
from hub.kinds.resolution.models import ResolutionRecord
from hub.models import Case, CaseClock, CaseEvent, OutboxEmail
from hub.services.visibility import visible_events
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api
from tests.factories import World
from tests.kinds.meetings import gid, held_meeting, mutation, outcome, police, record, snapshot

FIELDS = """
  ... on Resolution { id version state column columnLabel caseNo dueOn
    availableActions { action }
    records { kind kindLabel text unit { name } }
    clocks { name dueOn status level }
    details { title facts { label value } items { heading } emptyText } }
"""
REPORT = mutation("reportResolutionProgress", FIELDS)
CLAIM = mutation("claimResolutionDone", FIELDS)
ACCEPT = mutation("acceptResolution", FIELDS)
RETURN = mutation("returnResolution", FIELDS)
URGE = mutation("urgeResolution", FIELDS)
READ = "query($id: ID!) { node(id: $id) { " + FIELDS + " } }"

# 2026: the National Day holiday runs 10-01 to 10-07; a date the meeting fixed stays put.
HELD = date(2026, 9, 21)
NATIONAL_DAY = date(2026, 10, 1)


def _ids(case: dict[str, Any]) -> dict[str, Any]:
    return {"id": case["id"], "version": case["version"]}


async def test_units_report_the_lead_claims_the_office_returns_then_accepts(api: Api) -> None:
    world = api.world
    today = clock.today()
    meeting = await held_meeting(world, today - timedelta(days=5))
    due = today + timedelta(days=30)
    res = await record(world, meeting, due, lead=world.unit_a)
    node = gid("Resolution", res.id)
    async with api.as_user("liaison_b") as helper:
        case = outcome(await helper(READ, {"id": node}), "node")
        assert (case["state"], case["column"]) == ("IN_PROGRESS", "IN_PROGRESS")
        assert [a["action"] for a in case["availableActions"]] == ["REPORT_PROGRESS"]
        report = {**_ids(case), "reportedOn": today.isoformat(), "progress": "已完成排查",
                  "evidence": "排查台账"}  # fmt: skip
        early = {**report, "reportedOn": (today - timedelta(days=6)).isoformat()}
        before = await snapshot(res.id)
        bad = outcome(await helper(REPORT, {"input": early}), "reportResolutionProgress")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "reportedOn")
        claim = {**_ids(case), "completedOn": today.isoformat(), "summary": "完成"}
        denied = outcome(await helper(CLAIM, {"input": claim}), "claimResolutionDone")
        assert denied["code"] == "PERMISSION_DENIED"  # only the lead unit claims it
        assert await snapshot(res.id) == before
        case = outcome(await helper(REPORT, {"input": report}), "reportResolutionProgress")["case"]
        assert case["records"] == [{"kind": "PROGRESS", "kindLabel": "落实进展", "text": "已完成排查",
                                    "unit": {"name": world.unit_b.name}}]  # fmt: skip
    async with api.as_user("liaison_a") as lead:
        case = outcome(await lead(READ, {"id": node}), "node")
        assert [a["action"] for a in case["availableActions"]] == ["REPORT_PROGRESS", "CLAIM_DONE"]
        claim = {**_ids(case), "completedOn": today.isoformat(), "summary": "整治完成，已验收"}
        case = outcome(await lead(CLAIM, {"input": claim}), "claimResolutionDone")["case"]
        assert (case["state"], case["columnLabel"]) == ("PENDING_CHECK", "待核查")
        accept = {**_ids(case), "opinion": "ok"}
        denied = outcome(await lead(ACCEPT, {"input": accept}), "acceptResolution")
        assert denied["code"] == "PERMISSION_DENIED"
    async with api.as_user("office") as office:
        case = outcome(await office(READ, {"id": node}), "node")
        assert [a["action"] for a in case["availableActions"]] == ["ACCEPT", "RETURN"]
        back = {**_ids(case), "reason": "缺少验收材料"}
        case = outcome(await office(RETURN, {"input": back}), "returnResolution")["case"]
        assert case["state"] == "IN_PROGRESS"
        stale = {**back, "version": case["version"] - 1}
        before = await snapshot(res.id)
        refused = outcome(await office(RETURN, {"input": stale}), "returnResolution")
        assert refused["code"] == "VERSION_CONFLICT"
        refused = outcome(
            await office(RETURN, {"input": {**back, **_ids(case)}}), "returnResolution"
        )
        assert refused["code"] == "INVALID_TRANSITION"
        urge = {**_ids(case), "opinion": "请抓紧办理"}
        refused = outcome(await office(URGE, {"input": urge}), "urgeResolution")
        assert refused["code"] == "INVALID_TRANSITION"  # not overdue yet
        assert await snapshot(res.id) == before
    async with api.as_user("liaison_a") as lead:
        claim = {**claim, **_ids(case), "evidence": "验收报告"}
        case = outcome(await lead(CLAIM, {"input": claim}), "claimResolutionDone")["case"]
    async with api.as_user("office") as office:
        case = outcome(await office(ACCEPT, {"input": {**_ids(case), "opinion": "材料齐全"}}),
                       "acceptResolution")["case"]  # fmt: skip
        assert (case["state"], case["column"]) == ("DONE", "DONE")
        assert [(c["name"], c["status"]) for c in case["clocks"]] == [("due", "STOPPED")]
        assert [r["kind"] for r in case["records"]] == [
            "PROGRESS",
            "CLAIM",
            "RETURNED",
            "CLAIM",
            "ACCEPTED",
        ]
        (facts_section, records_section) = case["details"]
        facts = {f["label"]: f["value"] for f in facts_section["facts"]}
        assert facts["牵头单位"] == world.unit_a.name and facts["完成时限"] == text_date(due)
        assert len(records_section["items"]) == 5
    actions: list[Any] = (
        await CaseEvent.filter(case_id=res.id).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["create", "report_progress", "claim_done", "return", "claim_done", "accept"]


async def test_the_due_date_is_the_date_fixed_and_overdue_after_it(api: Api) -> None:
    world = api.world
    meeting = await held_meeting(world, HELD)
    res = await record(world, meeting, NATIONAL_DAY, units=(world.unit_b,))
    row = await CaseClock.get(case_id=res.id, name="due")
    assert (row.rule, row.started_on, row.due_on) == ("assigned_date", HELD, NATIONAL_DAY)
    assert row.due_on == NATIONAL_DAY  # a holiday, and it does not move to 10-08
    node = gid("Resolution", res.id)
    async with api.as_user("liaison_b") as unit:
        case = outcome(await unit(READ, {"id": node}), "node")
        assert (case["column"], case["columnLabel"]) == ("OVERDUE", "逾期未完成")
        assert case["clocks"][0]["level"] == "RED"
        # No lead unit: any responsible unit claims it done.
        assert [a["action"] for a in case["availableActions"]] == ["REPORT_PROGRESS", "CLAIM_DONE"]
        denied = outcome(
            await unit(URGE, {"input": {**_ids(case), "opinion": "x"}}), "urgeResolution"
        )
        assert denied["code"] == "PERMISSION_DENIED"
    async with api.as_user("office") as office:
        urge = {**_ids(case), "opinion": "已逾期，请于一周内办结"}
        case = outcome(await office(URGE, {"input": urge}), "urgeResolution")["case"]
        assert (case["state"], case["column"]) == ("IN_PROGRESS", "OVERDUE")
        assert await ResolutionRecord.filter(case_id=res.id, kind="urged").count() == 1
    # Waiting for the Office's check, it is not overdue (the clock counts only in progress).
    async with api.as_user("liaison_b") as unit:
        claim = {**_ids(case), "completedOn": clock.today().isoformat(), "summary": "已完成"}
        case = outcome(await unit(CLAIM, {"input": claim}), "claimResolutionDone")["case"]
        assert case["column"] == "PENDING_CHECK"


async def test_a_unit_that_is_no_party_sees_nothing_and_may_do_nothing(api: Api) -> None:
    world = api.world
    other = await police(world)
    meeting = await held_meeting(world, clock.today() - timedelta(days=3))
    res = await record(world, meeting, clock.today() + timedelta(days=20), units=(world.unit_a,))
    node = gid("Resolution", res.id)
    async with api.as_user("liaison_a") as unit:
        case = outcome(await unit(READ, {"id": node}), "node")
    lists = """query { cases(filter: {kinds: [RESOLUTION]}) { edges { node { caseNo } } }
      board(kind: RESOLUTION) { cards { caseNo } } }"""
    by_no = "query($no: String!) { caseByNo(caseNo: $no) { caseNo } }"
    today = clock.today().isoformat()
    steps = [
        (REPORT, "reportResolutionProgress", {**_ids(case), "reportedOn": today, "progress": "x"}),
        (CLAIM, "claimResolutionDone", {**_ids(case), "completedOn": today, "summary": "x"}),
        (ACCEPT, "acceptResolution", {**_ids(case)}),
        (RETURN, "returnResolution", {**_ids(case), "reason": "x"}),
        (URGE, "urgeResolution", {**_ids(case), "opinion": "x"}),
    ]
    for who in ("liaison_b", "liaison_c"):
        async with api.as_user(who) as user:
            assert outcome(await user(READ, {"id": node}), "node") is None
            assert outcome(await user(by_no, {"no": res.case_no}), "caseByNo") is None
            body = await user(lists)
            assert body["data"]["cases"]["edges"] == [] and body["data"]["board"]["cards"] == []
            before = await snapshot(res.id)
            for query, name, values in steps:
                assert outcome(await user(query, {"input": values}), name)["code"] == "NOT_FOUND"
            assert await snapshot(res.id) == before
    assert await visible_events(audience_of(other)).filter(case_id=res.id).count() == 0
    assert await Case.filter(kind=CaseKind.RESOLUTION).count() == 1


async def test_its_overdue_clock_alerts_the_units_liaisons_once_then_the_office(
    world: World,
) -> None:
    due = date(2026, 11, 20)
    meeting = await held_meeting(world, HELD)
    res = await record(world, meeting, due, lead=world.unit_a)
    settings = alert_settings()

    async def decide(day: date) -> int:
        return (await decide_alerts(settings, now=on_day(day))).inserted

    assert await decide(due - timedelta(days=4)) == 0
    assert await decide(due - timedelta(days=3)) == 2  # both units' liaisons
    assert await decide(due) == 0
    assert await decide(due + timedelta(days=1)) == 2
    assert await decide(due + timedelta(days=2)) == 0
    assert await decide(due + timedelta(days=7)) == 3  # escalated: the Office as well
    assert await decide(due + timedelta(days=30)) == 0
    rows = [(r.level.value, r.recipient_role.value, r.recipient_email)
            for r in await OutboxEmail.all().order_by("id")]  # fmt: skip
    assert sorted(rows) == sorted([
        ("due_soon", "liaison", "liaison_a@example.test"),
        ("due_soon", "liaison", "liaison_b@example.test"),
        ("overdue", "liaison", "liaison_a@example.test"),
        ("overdue", "liaison", "liaison_b@example.test"),
        ("escalation", "liaison", "liaison_a@example.test"),
        ("escalation", "liaison", "liaison_b@example.test"),
        ("escalation", "office", "office@example.test"),
    ])  # fmt: skip
    overdue = await OutboxEmail.filter(level="overdue").first()
    assert overdue is not None and overdue.case_id == res.id
    assert overdue.subject == f"【府检联动】议定事项完成时限已逾期：{res.case_no}"
    assert "您收到本邮件，是因为您是该议定事项的责任单位联络员。" in overdue.body.splitlines()
    # Accepted as done, it alerts no more.
    await CaseClock.filter(case_id=res.id).update(status=ClockStatus.STOPPED)
    assert await decide(due + timedelta(days=40)) == 0
