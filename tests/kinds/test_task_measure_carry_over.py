"""The year-end carry-over (结转下一年度) opens the measure again in the next year's list, once,
in the step's transaction; refused carry-overs create nothing; the next year's list, imported
afterwards, does not enter a carried measure again and moves a carried task out of its way."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from strawberry.relay import to_base64

from hub import clock as hub_clock
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind
from hub.kinds.task_measure.models import TaskList, TaskListTask, TaskMeasureDetail
from hub.kinds.task_measure.spec import Action, Category
from hub.kinds.task_measure.steps import NewMeasure, open_measure
from hub.kinds.task_measure.tasklist import import_tasklist
from hub.models import Case, CaseClock, CaseEvent, CaseParty
from hub.services.demo import load_tasklist, load_units
from tests.app_clients import Api
from tests.factories import World
from tests.kinds.test_task_measure import _measure, _step, on_day, snapshot

KIND = CaseKind.TASK_MEASURE
NOTE = {"note": "已完成大部分工作，结转下一年度继续推进。"}

_CARRY = """mutation($input: CarryOverTaskMeasureInput!) { carryOverTaskMeasure(input: $input) {
  __typename ... on CaseStepSuccess { case { id version state linkedCases { id caseNo kind } } }
  ... on Error { code message field } } }"""
_READ = """query($id: ID!) { node(id: $id) { ... on TaskMeasure {
  caseNo state column year category seq text ongoing dueOn deadlineRaw taskTitle
  leadUnit { name } responsibleUnits { name } clocks { name } reports { progress }
  parties { role unit { name } } sourceCase { id caseNo stateLabel } linkedCases { id }
  availableActions { action } } } }"""


async def everything() -> tuple[int, ...]:
    """What a refused carry-over must leave as it was."""
    return (
        await Case.all().count(),
        await TaskList.all().count(),
        await TaskListTask.all().count(),
        await TaskMeasureDetail.all().count(),
        await CaseParty.all().count(),
        await CaseEvent.all().count(),
    )


def _gid(case: Case) -> str:
    return to_base64("TaskMeasure", case.id)


async def test_carrying_over_opens_the_same_measure_once_in_next_years_list(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = api.world
    old = await _measure(world, "①", date(2026, 10, 31), ongoing=False)  # task 2, 2026
    report = {"reportedOn": date(2026, 6, 1), "progress": "已建立季度会商机制", "evidence": ""}
    old = await _step(world.liaison_a, old.id, Action.REPORT_PROGRESS, date(2026, 6, 1), report)
    carry = {"id": _gid(old), "version": old.version, **NOTE}

    async def carry_as(username: str, values: dict[str, Any]) -> dict[str, Any]:
        async with api.as_user(username) as who:
            body = await who(_CARRY, {"input": values})
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]["carryOverTaskMeasure"]
        return result

    # refused: before 1 December, by a unit, by a unit that is no party, on a stale version
    monkeypatch.setattr(hub_clock, "now", lambda: on_day(date(2026, 11, 30)))
    before, kept = await everything(), await snapshot(old.id)
    early = await carry_as("office", carry)
    assert (early["code"], early["field"]) == ("VALIDATION_FAILED", "id")
    monkeypatch.setattr(hub_clock, "now", lambda: on_day(date(2026, 12, 5)))
    assert (await carry_as("liaison_a", carry))["code"] == "PERMISSION_DENIED"
    assert (await carry_as("liaison_b", carry))["code"] == "NOT_FOUND"
    stale = await carry_as("office", {**carry, "version": old.version - 1})
    assert stale["code"] == "VERSION_CONFLICT"
    assert await everything() == before and await snapshot(old.id) == kept
    assert not await TaskList.filter(year=2027).exists()

    done = await carry_as("office", carry)
    assert done["__typename"] == "CaseStepSuccess", done
    assert done["case"]["state"] == "CARRIED_OVER"
    [link] = done["case"]["linkedCases"]
    assert (link["caseNo"], link["kind"]) == ("2027-任务02-①", "TASK_MEASURE")
    assert await Case.filter(kind=KIND).count() == 2

    async with api.as_user("office") as office:
        new = (await office(_READ, {"id": link["id"]}))["data"]["node"]
    assert new == {
        "caseNo": "2027-任务02-①", "state": "NOT_STARTED", "column": "NOT_STARTED",
        "year": 2027, "category": "RISK", "seq": "①", "text": "措施①", "ongoing": True,
        "dueOn": None, "deadlineRaw": "长期坚持", "taskTitle": "2. 加强金融风险防控",
        "leadUnit": {"name": "市生态环境局"}, "responsibleUnits": [{"name": "宿州市人民检察院"}],
        "clocks": [], "reports": [],
        "parties": [
            {"role": "ISSUER", "unit": {"name": "宿州市人民检察院"}},
            {"role": "LEAD", "unit": {"name": "市生态环境局"}},
            {"role": "RESPONSIBLE", "unit": {"name": "宿州市人民检察院"}},
        ],
        "sourceCase": {"id": _gid(old), "caseNo": "2026-任务02-①", "stateLabel": "结转下一年度"},
        "linkedCases": [],
        "availableActions": [{"action": a} for a in ("RECORD_INSPECTION", "RECORD_JOINT_VISIT",
                                                     "CARRY_OVER", "CLOSE_FOR_YEAR")],
    }  # fmt: skip
    listed = await TaskList.get(year=2027)
    assert (listed.doc_no, listed.issued_on) == ("", date(2027, 1, 1))
    task = await TaskListTask.get(task_list_id=2027)
    assert (task.no, task.category, task.title) == (2, Category.RISK, "加强金融风险防控")
    new_case = await Case.get(case_no="2027-任务02-①")
    assert (new_case.source_id, new_case.flags) == (old.id, "ongoing")
    assert not await CaseClock.filter(case_id=new_case.id).exists()
    carried = await CaseEvent.filter(case_id=old.id).order_by("-seq").first()
    assert carried is not None and carried.action == "carry_over"
    assert carried.payload == {"year": 2026, "carriedToId": new_case.id, "caseNo": "2027-任务02-①"}
    assert [e.action for e in await CaseEvent.filter(case_id=new_case.id)] == ["create"]
    async with api.as_user("liaison_a") as liaison:  # the lead unit starts it next year
        seen = (await liaison(_READ, {"id": link["id"]}))["data"]["node"]
        assert [a["action"] for a in seen["availableActions"]] == ["START", "REPORT_PROGRESS"]
    async with api.as_user("liaison_b") as other:
        assert (await other(_READ, {"id": link["id"]}))["data"]["node"] is None

    # carried over once: again is refused by the lifecycle and opens nothing
    before = await everything()
    again = await carry_as("office", {**carry, "version": done["case"]["version"]})
    assert again["code"] == "INVALID_TRANSITION"
    assert await everything() == before


async def _entered(world: World, year: int, task_no: int, title: str, seq: str) -> Case:
    m = NewMeasure(
        year=year, task_no=task_no, task_title=title, category=Category.RISK, seq=seq,
        text=f"{year}年措施{seq}", due_on=None, ongoing=True, deadline_raw="",
        lead=world.unit_b.id, responsible=(),
    )  # fmt: skip
    return (await open_measure(world.office, m, issued_on=date(year, 1, 1))).case


async def test_carry_over_numbers_around_next_years_tasks_or_is_refused(world: World) -> None:
    first = await _measure(world, "①", None, ongoing=True)
    second = await _measure(world, "②", None, ongoing=True)
    # the 2027 list was entered early, its task 2 another task: the carried task goes to
    # the first free number
    await _entered(world, 2027, 2, "防范化解重大风险", "①")
    day = date(2026, 12, 10)
    await _step(world.office, first.id, Action.CARRY_OVER, day, NOTE)
    moved = await Case.get(source_id=first.id)
    assert moved.case_no == "2027-任务03-①"
    task = await TaskListTask.get(task_list_id=2027, no=3)
    assert task.title == "加强金融风险防控"
    # the next one joins the task of its name there; its number taken: refused, nothing made
    await _entered(world, 2027, 3, "加强金融风险防控", "②")
    before, kept = await everything(), await snapshot(second.id)
    with pytest.raises(ValidationFailed) as taken:
        await _step(world.office, second.id, Action.CARRY_OVER, day, NOTE)
    assert taken.value.message == "2027 年度清单已有措施 2027-任务03-②，不能结转"
    assert await everything() == before and await snapshot(second.id) == kept


def _next_year(data: dict[str, Any], *, renumber: bool) -> dict[str, Any]:
    """The 2022 file as 2023's list; ``renumber``: each task one number on (14 → 1), task 5
    renamed."""
    out = copy.deepcopy(data)
    out["document"].update(year=2023, date="2023-03-01", doc_no="宿政秘〔2023〕8号")
    if renumber:
        for task in out["tasks"]:
            if task["no"] == 5:
                task["title_zh"] = "实质性化解行政争议。"
            task["no"] = task["no"] % 14 + 1
    return out


async def _carry_2022(world: World) -> tuple[Case, Case]:
    """2022's 1① (ongoing) and 5① (12月底前, so carried over only) carried into 2023."""
    await load_units()
    await import_tasklist(load_tasklist(), now=on_day(date(2022, 5, 10)))
    carried = []
    for case_no in ("2022-任务01-①", "2022-任务05-①"):
        case = await Case.get(case_no=case_no)
        await _step(world.office, case.id, Action.CARRY_OVER, date(2022, 12, 20), NOTE)
        carried.append(await Case.get(source_id=case.id))
    assert [c.case_no for c in carried] == ["2023-任务01-①", "2023-任务05-①"]
    return carried[0], carried[1]


async def test_next_years_import_maps_carried_measures_by_number(world: World) -> None:
    ongoing, dated = await _carry_2022(world)
    report = await import_tasklist(_next_year(load_tasklist(), renumber=False),
                                   now=on_day(date(2023, 3, 1)))  # fmt: skip
    assert (report.created, report.existing, report.moved) == (43, 0, [])
    assert report.carried == ["任务1①：2023-任务01-①", "任务5①：2023-任务05-①"]
    assert report.lines()[0] == "已导入 2023 年度任务清单：新建 43 项措施"
    assert await TaskMeasureDetail.filter(year=2023).count() == 45
    for case in (ongoing, dated):  # neither moved nor changed
        assert (await Case.get(id=case.id)).version == case.version
    # the list opened by the carry-over took the document's number and date
    listed = await TaskList.get(year=2023)
    assert (listed.doc_no, listed.issued_on) == ("宿政秘〔2023〕8号", date(2023, 3, 1))
    due = await CaseClock.get(case__case_no="2023-任务04-①", name="due")
    assert due.started_on == date(2023, 3, 1)

    again = await import_tasklist(_next_year(load_tasklist(), renumber=False))
    assert (again.created, again.existing, len(again.carried)) == (0, 43, 2)
    assert again.lines()[0] == "2023 年度任务清单已导入（45 项措施），未作更改"


async def test_next_years_import_moves_carried_tasks_out_of_its_way(world: World) -> None:
    ongoing, dated = await _carry_2022(world)
    data = _next_year(load_tasklist(), renumber=True)
    before = await CaseEvent.all().count()
    report = await import_tasklist(data, now=on_day(date(2023, 3, 1)))
    # task 1 is now number 2: the carried task follows; task 5 was renamed and its number
    # given to task 4: the carried one moves past the file's 14 tasks
    assert report.moved == ["2023-任务01-① → 2023-任务02-①", "2023-任务05-① → 2023-任务15-①"]
    assert report.carried == ["任务2①：2023-任务02-①", "任务6①：2023-任务15-①"]
    assert report.created == 43
    assert await TaskMeasureDetail.filter(year=2023).count() == 45
    rows = {t.no: t.title for t in await TaskListTask.filter(task_list_id=2023)}
    assert sorted(rows) == list(range(1, 16))
    assert rows[2].startswith("依法妥善处理") and rows[15] == "诉前化解行政争议矛盾。"
    assert rows[6] == "实质性化解行政争议。"
    for case, no in ((ongoing, "2023-任务02-①"), (dated, "2023-任务15-①")):
        now = await Case.get(id=case.id)
        assert (now.case_no, now.version, now.state) == (no, case.version + 1, case.state)
        event = await CaseEvent.filter(case_id=case.id).order_by("-seq").first()
        assert event is not None and event.action == "renumber"
        assert event.payload == {"from": case.case_no, "to": no}
    assert await CaseEvent.all().count() == before + 2 + 43

    again = await import_tasklist(data)
    assert (again.created, again.moved, len(again.carried)) == (0, [], 2)


async def test_a_task_number_the_list_entered_for_another_task_refuses_the_whole_file(
    world: World,
) -> None:
    await load_units()
    await _entered(world, 2023, 3, "另一项任务", "①")
    before = await everything()
    with pytest.raises(ValidationFailed) as clash:
        await import_tasklist(_next_year(load_tasklist(), renumber=False))
    assert clash.value.message == "任务3属于“重大风险防控”类别"
    assert await everything() == before
