"""The annual task list (重点工作任务清单): the real 2022 file imported, a measure's lifecycle
through the generated mutations, its deadline clock, visibility, refusals and alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from strawberry.relay import to_base64

from hub import clock as hub_clock
from hub.alerts.decide import decide_alerts
from hub.clock import BUSINESS_TZ
from hub.domain.errors import InvalidTransition, PermissionDenied, ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.visibility import audience_of
from hub.kinds.task_measure.models import (
    TaskList,
    TaskListTask,
    TaskMeasureDetail,
    TaskMeasureInspection,
    TaskMeasureReport,
)
from hub.kinds.task_measure.spec import Action, Category
from hub.kinds.task_measure.steps import STEPS, NewMeasure, open_measure
from hub.kinds.task_measure.tasklist import import_tasklist
from hub.models import Case, CaseClock, CaseEvent, CaseParty, Unit
from hub.services.cases import take_step
from hub.services.demo import load_tasklist, load_units
from hub.services.events import events_after
from hub.services.forms import take_form_step
from tests.app_clients import Api
from tests.factories import World

KIND = CaseKind.TASK_MEASURE


def on_day(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BUSINESS_TZ).astimezone(UTC)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The API runs on Monday 2026-03-02, 10:00 in Asia/Shanghai."""
    monkeypatch.setattr(hub_clock, "now", lambda: on_day(date(2026, 3, 2)))
    return date(2026, 3, 2)


async def snapshot(case_id: int) -> dict[str, Any]:
    return {
        "row": await Case.filter(id=case_id).values(),
        "detail": await TaskMeasureDetail.filter(case_id=case_id).values(),
        "parties": await CaseParty.filter(case_id=case_id).order_by("id").values(),
        "clocks": await CaseClock.filter(case_id=case_id).order_by("id").values(),
        "reports": await TaskMeasureReport.filter(case_id=case_id).count(),
        "inspections": await TaskMeasureInspection.filter(case_id=case_id).count(),
        "events": await CaseEvent.all().count(),
    }


# ---- the import of the real 2022 file ---------------------------------------------------


async def test_the_2022_list_imports_45_measures_mapping_every_body_or_reporting_it(
    world: World,
) -> None:
    units = await load_units()  # the city's 35 units with their aliases
    assert len(units) == 35
    data = load_tasklist()
    report = await import_tasklist(data, now=on_day(date(2022, 5, 10)))
    assert (report.year, report.created, report.existing) == (2022, 45, 0)
    assert report.unmapped == ["任务3①：相关行政执法机关", "任务11②：相关行政执法机关"]
    assert await Case.filter(kind=KIND).count() == 45
    assert await TaskListTask.all().count() == 14
    assert {t.category for t in await TaskListTask.all()} == set(Category)
    tasks = await TaskList.get(year=2022)
    assert (tasks.doc_no, tasks.issued_on) == ("宿政秘〔2022〕31号", date(2022, 5, 10))

    # every body of the file: a party of its measure, or reported
    members = {u.id for u in units.values() if u.kind.value == "member"}
    for task in data["tasks"]:
        for m in task["measures"]:
            case = await Case.get(case_no=f"2022-任务{task['no']:02d}-{m['seq']}")
            parties = await CaseParty.filter(case_id=case.id).exclude(role=PartyRole.ISSUER)
            held = {p.unit_id for p in parties}
            for code in m["unit_ids"]:
                if code == "ALL_MEMBERS":
                    assert members <= held
                elif code == "RELEVANT_ENFORCERS":
                    detail = await TaskMeasureDetail.get(case_id=case.id)
                    assert detail.unmapped == "相关行政执法机关"
                else:
                    assert units[code].id in held, (case.case_no, code)

    async def measure(no: str) -> tuple[Case, list[CaseParty], CaseClock | None]:
        case = await Case.get(case_no=f"2022-任务{no}")
        parties = list(await CaseParty.filter(case_id=case.id).order_by("id"))
        return case, parties, await CaseClock.get_or_none(case_id=case.id, name="due")

    # 市检察院牵头, 10月底前: the procuratorate leads; the clock runs from the list's date
    case, parties, due = await measure("01-④")
    assert [(p.role, p.unit_id) for p in parties if p.role is PartyRole.LEAD] == [
        (PartyRole.LEAD, units["procuratorate"].id)
    ]
    assert due is not None
    assert (due.rule, due.started_on, due.due_on) == ("assigned_date", date(2022, 5, 10),
                                                      date(2022, 10, 31))  # fmt: skip
    # 4月底前, before the list's date: counted from 1 January, the Saturday end not moved
    # (2022-04-30 was a rest day before the Labour Day holiday)
    _, _, due = await measure("02-②")
    assert due is not None and (due.started_on, due.due_on) == (date(2022, 1, 1), date(2022, 4, 30))
    # 12月底前完成并长期坚持: dated and ongoing
    case, _, due = await measure("09-①")
    assert due is not None and due.due_on == date(2022, 12, 31)
    assert set(case.flags.split(",")) == {"dated", "ongoing"}
    # 长期坚持: no clock
    case, _, due = await measure("01-①")
    assert due is None and case.flags == "ongoing"
    # 各成员单位: every member unit responsible, none leads
    _, parties, _ = await measure("07-①")
    assert sum(p.role is PartyRole.RESPONSIBLE for p in parties) == 28
    assert not any(p.role is PartyRole.LEAD for p in parties)
    # the first body leads when none is marked 牵头
    _, parties, _ = await measure("06-①")
    lead = [p.unit_id for p in parties if p.role is PartyRole.LEAD]
    assert lead == [units["ecology_env"].id]

    before = (
        await Case.all().count(),
        await CaseEvent.all().count(),
        await CaseParty.all().count(),
    )
    again = await import_tasklist(data)
    assert (again.created, again.existing) == (0, 45)
    assert again.lines()[0] == "2022 年度任务清单已导入（45 项措施），未作更改"
    after = (await Case.all().count(), await CaseEvent.all().count(), await CaseParty.all().count())
    assert after == before
    with pytest.raises(ValidationFailed) as refused:
        await import_tasklist(data, year=2023)
    assert refused.value.field == "year"


# ---- the lifecycle through the API ------------------------------------------------------

_FIELDS = """
  ... on TaskMeasure { id version state stateLabel column caseNo lane laneLabel year category
    seq text deadlineRaw dueOn ongoing taskTitle leadUnit { name } responsibleUnits { name }
    reports { progress evidence unit { name } } inspections { joint findings }
    clocks { name dueOn startedOn level }
    availableActions { action form { mutation } }
    details { title facts { label value } items { heading } }
    parties { role roleLabel unit { name } } }
"""
_RESULT = "__typename ... on CaseStepSuccess { case { %s } } ... on Error { code message field }"
_M = {
    "create": "createTaskMeasure(input: $input)",
    "report": "reportTaskMeasureProgress(input: $input)",
    "claim": "claimTaskMeasureComplete(input: $input)",
    "return": "returnTaskMeasureClaim(input: $input)",
    "inspect": "recordTaskMeasureInspection(input: $input)",
    "take": "takeStep(input: $input)",
}
_INPUTS = {
    "create": "CreateTaskMeasureInput", "report": "ReportTaskMeasureProgressInput",
    "claim": "ClaimTaskMeasureCompleteInput", "return": "ReturnTaskMeasureClaimInput",
    "inspect": "RecordTaskMeasureInspectionInput", "take": "TakeStepInput",
}  # fmt: skip
_READ = f"query($id: ID!) {{ node(id: $id) {{ {_FIELDS} }} }}"


def _q(name: str) -> str:
    result = _RESULT % _FIELDS
    return f"mutation($input: {_INPUTS[name]}!) {{ {_M[name]} {{ {result} }} }}"


async def _run(client: Any, name: str, values: dict[str, Any]) -> dict[str, Any]:
    body = await client(_q(name), {"input": values})
    assert "errors" not in body, body
    result: dict[str, Any] = next(iter(body["data"].values()))
    return result


def _uid(unit: Unit) -> str:
    return to_base64("Unit", unit.id)


async def test_main_path_with_refusals_and_what_each_unit_sees(api: Api, today: date) -> None:
    world = api.world
    new = {
        "year": 2026, "taskNo": 1, "taskTitle": "完善行政执法与行政检察双向衔接机制",
        "category": "REFORM", "seq": "①", "text": "建立生态环境领域行政执法与检察监督信息共享机制",
        "leadUnitId": _uid(world.unit_a), "responsibleUnitIds": [_uid(world.procuratorate)],
        "dueOn": "2026-05-31",
    }  # fmt: skip
    async with api.as_user("liaison_a") as liaison:
        denied = await _run(liaison, "create", new)
        assert denied["code"] == "PERMISSION_DENIED"
    async with api.as_user("office") as office:
        bad = await _run(office, "create", {**new, "dueOn": None})
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "dueOn")
        bad = await _run(office, "create", {**new, "responsibleUnitIds": [to_base64("Unit", 999)]})
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "responsibleUnitIds")
        assert not await Case.filter(kind=KIND).exists() and not await TaskList.exists()
        case = (await _run(office, "create", new))["case"]
        assert (case["state"], case["column"], case["caseNo"]) == ("NOT_STARTED", "NOT_STARTED",
                                                                   "2026-任务01-①")  # fmt: skip
        assert (case["lane"], case["laneLabel"], case["category"]) == ("REFORM", "重大改革推进",
                                                                       "REFORM")  # fmt: skip
        assert (
            case["deadlineRaw"] == "5月底前"
            and case["taskTitle"] == "1. 完善行政执法与行政检察双向衔接机制"
        )
        assert [(p["roleLabel"], p["unit"]["name"]) for p in case["parties"]] == [
            ("府检联动办公室", "宿州市人民检察院"), ("牵头单位", "市生态环境局"),
            ("责任单位", "宿州市人民检察院"),
        ]  # fmt: skip
        # the list's date is today; 2026-05-31 is a Sunday and stays the last day
        assert case["clocks"] == [{"name": "due", "dueOn": "2026-05-31",
                                   "startedOn": "2026-03-02", "level": "GREEN"}]  # fmt: skip
        other_task = {**new, "seq": "②", "category": "RISK"}
        bad = await _run(office, "create", other_task)
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "category")
        board = await office("{ board(kind: TASK_MEASURE) { lanes { id label } cards { id } } }")
        assert [lane["label"] for lane in board["data"]["board"]["lanes"]] == [
            "重大改革推进", "重大矛盾化解", "重大项目建设", "重大风险防控", "重大利益保护"]  # fmt: skip
    pk = (await Case.get(kind=KIND)).id
    gid = case["id"]

    # a unit that is no party sees nothing and may take no step
    async with api.as_user("liaison_b") as other:
        before = await snapshot(pk)
        assert (await other(_READ, {"id": gid}))["data"]["node"] is None
        listed = await other("{ cases(first: 50) { totalCount } }")
        assert listed["data"]["cases"]["totalCount"] == 0
        by_no = await other('{ caseByNo(caseNo: "2026-任务01-①") { id } }')
        assert by_no["data"]["caseByNo"] is None
        board = await other("{ board(kind: TASK_MEASURE) { cards { id } } }")
        assert board["data"]["board"]["cards"] == []
        assert await events_after(audience_of(world.liaison_b), 0) == []
        v = case["version"]
        for name, values in (
            ("take", {"action": "START"}), ("take", {"action": "ACCEPT"}),
            ("report", {"reportedOn": "2026-03-02", "progress": "x"}),
            ("claim", {"completedOn": "2026-03-02", "summary": "x", "evidence": "x"}),
            ("return", {"reason": "x"}),
            ("inspect", {"heldOn": "2026-03-02", "findings": "x"}),
        ):  # fmt: skip
            refused = await _run(other, name, {"id": gid, "version": v, **values})
            assert refused["code"] == "NOT_FOUND", (name, refused)
        assert await snapshot(pk) == before

    async with api.as_user("liaison_a") as liaison:
        seen = (await liaison(_READ, {"id": gid}))["data"]["node"]
        assert [a["action"] for a in seen["availableActions"]] == ["START", "REPORT_PROGRESS"]
        before = await snapshot(pk)
        wrong_state = await _run(liaison, "claim", {"id": gid, "version": v, "completedOn":
                                 "2026-03-02", "summary": "完成", "evidence": "文件"})  # fmt: skip
        assert wrong_state["code"] == "INVALID_TRANSITION"
        future = await _run(liaison, "report", {"id": gid, "version": v, "reportedOn": "2026-03-03",
                                                "progress": "进展"})  # fmt: skip
        assert (future["code"], future["field"]) == ("VALIDATION_FAILED", "reportedOn")
        assert await snapshot(pk) == before
        case = (await _run(liaison, "take", {"id": gid, "version": v, "action": "START"}))["case"]
        assert case["state"] == "IN_PROGRESS"
        stale = await _run(liaison, "take", {"id": gid, "version": v, "action": "START"})
        assert stale["code"] == "VERSION_CONFLICT"
        report = {"id": gid, "version": case["version"], "reportedOn": "2026-03-02",
                  "progress": "已建立信息共享台账", "evidence": "台账（第一期）"}  # fmt: skip
        case = (await _run(liaison, "report", report))["case"]
        assert case["reports"] == [{"progress": "已建立信息共享台账", "evidence": "台账（第一期）",
                                    "unit": {"name": "市生态环境局"}}]  # fmt: skip
    async with api.as_user("prosecutor") as prosecutor:
        seen = (await prosecutor(_READ, {"id": gid}))["data"]["node"]
        assert [a["action"] for a in seen["availableActions"]] == ["REPORT_PROGRESS"]
        claim = {"id": gid, "version": case["version"], "completedOn": "2026-03-02",
                 "summary": "完成", "evidence": "文件"}  # fmt: skip
        before = await snapshot(pk)
        not_lead = await _run(prosecutor, "claim", claim)
        assert not_lead["code"] == "PERMISSION_DENIED"
        assert await snapshot(pk) == before
    async with api.as_user("liaison_a") as liaison:
        case = (await _run(liaison, "claim", claim))["case"]
        assert (case["state"], case["column"]) == ("PENDING_CHECK", "PENDING_CHECK")
        accept = {"id": gid, "version": case["version"], "action": "ACCEPT"}
        assert (await _run(liaison, "take", accept))["code"] == "PERMISSION_DENIED"
    async with api.as_user("office") as office:
        bad = await _run(office, "return", {"id": gid, "version": case["version"], "reason": " "})
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "reason")
        case = (await _run(office, "return", {"id": gid, "version": case["version"],
                                              "reason": "缺少共享机制文件"}))["case"]  # fmt: skip
        assert case["state"] == "IN_PROGRESS"
        inspect = {"id": gid, "version": case["version"], "heldOn": "2026-03-02",
                   "findings": "现场督查共享台账", "requirements": "补充机制文件"}  # fmt: skip
        case = (await _run(office, "inspect", inspect))["case"]
        assert case["inspections"] == [{"joint": False, "findings": "现场督查共享台账"}]
    async with api.as_user("liaison_a") as liaison:
        case = (await _run(liaison, "claim", {**claim, "version": case["version"]}))["case"]
    async with api.as_user("office") as office:
        accept = {"id": gid, "version": case["version"], "action": "ACCEPT"}
        case = (await _run(office, "take", accept))["case"]
        assert (case["state"], case["stateLabel"]) == ("COMPLETED", "已完成")
        assert case["availableActions"] == []
        sections = {s["title"]: s for s in case["details"]}
        facts = {f["label"]: f["value"] for f in sections["措施要素"]["facts"]}
        assert facts["牵头单位"] == "市生态环境局" and facts["退回理由"] == "缺少共享机制文件"
        assert [i["heading"] for i in sections["督查与督导调研"]["items"]] == ["2026年3月2日 督查"]
    actions = [e.action for e in await CaseEvent.filter(case_id=pk).order_by("seq")]
    assert actions == ["create", "start", "report_progress", "claim_complete", "return_claim",
                       "record_inspection", "claim_complete", "accept"]  # fmt: skip
    clock_row = await CaseClock.get(case_id=pk, name="due")
    assert clock_row.status.value == "stopped"


# ---- ongoing measures, the overdue column, the year-end review ---------------------------


async def _measure(world: World, seq: str, due_on: date | None, ongoing: bool) -> Case:
    m = NewMeasure(
        year=2026, task_no=2, task_title="加强金融风险防控", category=Category.RISK, seq=seq,
        text=f"措施{seq}", due_on=due_on, ongoing=ongoing, deadline_raw="", lead=world.unit_a.id,
        responsible=(world.procuratorate.id,),
    )  # fmt: skip
    change = await open_measure(world.office, m, issued_on=date(2026, 3, 2),
                                now=on_day(date(2026, 3, 2)))  # fmt: skip
    return change.case


async def _step(who: Any, case_id: int, action: str, day: date, raw: Any = None) -> Case:
    case = await Case.get(id=case_id)
    if raw is None:
        change = await take_step(who, case_id, case.version, action, kind=KIND, now=on_day(day))
    else:
        change = await take_form_step(STEPS, who, case_id, case.version, action, raw,
                                      now=on_day(day))  # fmt: skip
    return change.case


async def test_overdue_column_and_ongoing_measures_at_year_end(api: Api) -> None:
    world = api.world
    dated = await _measure(world, "①", date(2026, 4, 30), ongoing=False)
    both = await _measure(world, "②", date(2026, 4, 30), ongoing=True)
    ongoing = await _measure(world, "③", None, ongoing=True)
    assert await CaseClock.filter(case_id=ongoing.id).count() == 0
    assert {r["deadline_raw"] for r in await TaskMeasureDetail.all().values("deadline_raw")} == {
        "4月底前", "4月底前完成并长期坚持", "长期坚持"}  # fmt: skip

    async def column(case: Case, day: date) -> str:
        from hub.domain.engine import board_column
        from hub.kinds.task_measure.spec import SPEC
        from tests.factories import facts

        return board_column(SPEC, await facts(case.id), day).id

    assert await column(dated, date(2026, 4, 30)) == "NOT_STARTED"
    assert await column(dated, date(2026, 5, 1)) == "OVERDUE"
    assert await column(ongoing, date(2027, 6, 1)) == "NOT_STARTED"  # never overdue

    # the dated part of a dated-and-ongoing measure is claimed and accepted; it goes on
    claim = {"completedOn": date(2026, 4, 20), "summary": "已建立预警机制", "evidence": "文件"}
    await _step(world.liaison_a, both.id, Action.START, date(2026, 4, 1))
    await _step(world.liaison_a, both.id, Action.CLAIM_COMPLETE, date(2026, 4, 20), claim)
    both = await _step(world.office, both.id, Action.ACCEPT, date(2026, 4, 25))
    assert both.state == "in_progress" and "milestone_met" in both.flags
    with pytest.raises(InvalidTransition):
        await _step(world.liaison_a, both.id, Action.CLAIM_COMPLETE, date(2026, 5, 2), claim)
    assert await column(both, date(2026, 6, 1)) == "IN_PROGRESS"  # its clock stopped
    # an ongoing-only measure is never claimed
    with pytest.raises(InvalidTransition):
        await _step(world.liaison_a, ongoing.id, Action.CLAIM_COMPLETE, date(2026, 5, 2), claim)

    # the year-end review: not before 1 December; ongoing → closed for the year, dated →
    # carried over only
    note = {"note": "全年运行良好"}
    before = await snapshot(ongoing.id)
    with pytest.raises(ValidationFailed) as early:
        await _step(world.office, ongoing.id, Action.CLOSE_FOR_YEAR, date(2026, 11, 30), note)
    assert early.value.field == "id"
    with pytest.raises(PermissionDenied):
        await _step(world.liaison_a, ongoing.id, Action.CLOSE_FOR_YEAR, date(2026, 12, 5), note)
    assert await snapshot(ongoing.id) == before
    closed = await _step(world.office, ongoing.id, Action.CLOSE_FOR_YEAR, date(2026, 12, 5), note)
    assert closed.state == "closed_for_year" and closed.closed_at is not None
    with pytest.raises(InvalidTransition):
        await _step(world.office, dated.id, Action.CLOSE_FOR_YEAR, date(2026, 12, 5), note)
    carried = await _step(world.office, dated.id, Action.CARRY_OVER, date(2026, 12, 5), note)
    assert carried.state == "carried_over"
    assert (await TaskMeasureDetail.get(case_id=dated.id)).year_end_note == "全年运行良好"


# ---- the alert policy --------------------------------------------------------------------


async def test_the_overdue_deadline_alerts_the_units_liaisons_once_then_the_office(
    world: World,
) -> None:
    from hub.models import OutboxEmail
    from tests.alerts.conftest import alert_settings

    case = await _measure(world, "①", date(2026, 5, 31), ongoing=False)
    settings = alert_settings()

    async def decide(day: date) -> int:
        return (await decide_alerts(settings, now=on_day(day))).inserted

    assert await decide(date(2026, 5, 23)) == 0
    assert await decide(date(2026, 5, 24)) == 1  # 7 days before
    assert await decide(date(2026, 5, 31)) == 0
    assert await decide(date(2026, 6, 1)) == 1  # overdue
    assert await decide(date(2026, 6, 2)) == 0  # once
    assert await decide(date(2026, 6, 7)) == 2  # 7 days after: the liaison and the Office
    assert await decide(date(2026, 6, 30)) == 0
    rows = [(r.level.value, r.recipient_role.value, r.recipient_email)
            for r in await OutboxEmail.filter(case_id=case.id).order_by("id")]  # fmt: skip
    assert rows == [
        ("due_soon", "liaison", "liaison_a@example.test"),
        ("overdue", "liaison", "liaison_a@example.test"),
        ("escalation", "liaison", "liaison_a@example.test"),
        ("escalation", "office", "office@example.test"),
    ]
    overdue = await OutboxEmail.get(case_id=case.id, level="overdue")
    assert overdue.subject == "【府检联动】重点工作任务完成时限已逾期：2026-任务02-①"
