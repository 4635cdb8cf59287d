"""The annual task list as the city document's own table (重点任务 / 具体措施 / 完成时限 / 责任单位
/ 进展情况), its progress column filled from each responsible unit's latest report.

Only the measures the viewer may see are listed (``hub.services.visibility``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hub.domain.dates import text_date
from hub.domain.kinds import PartyRole
from hub.domain.visibility import Audience
from hub.kinds.task_measure.models import (
    TaskList,
    TaskListTask,
    TaskMeasureDetail,
    TaskMeasureReport,
)
from hub.kinds.task_measure.spec import CATEGORY_LABELS, SPEC, Category
from hub.kinds.task_measure.steps import deadline_wording
from hub.models import Case, CaseParty, Unit
from hub.services.visibility import overdue_q, visible_cases

COLUMNS = ("重点任务", "具体措施", "完成时限", "责任单位", "进展情况")


@dataclass(frozen=True, slots=True)
class MeasureRow:
    case_id: int
    seq: str
    text: str
    deadline: str
    due_on: date | None
    units: str
    state_label: str
    overdue: bool
    progress: str


@dataclass(frozen=True, slots=True)
class TaskRow:
    no: int
    title: str
    measures: list[MeasureRow]


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: Category
    label: str
    tasks: list[TaskRow]


@dataclass(frozen=True, slots=True)
class TaskReport:
    year: int
    title: str
    doc_no: str
    issued_on: date
    as_of: date
    categories: list[CategoryRow]


async def task_list_report(audience: Audience, year: int, *, today: date) -> TaskReport | None:
    task_list = await TaskList.get_or_none(year=year)
    if task_list is None:
        return None
    visible = visible_cases(audience).filter(kind=SPEC.kind.value)
    cases = {c.id: c for c in await visible.filter(task_measure__year=year)}
    details = await TaskMeasureDetail.filter(case_id__in=list(cases)).order_by("task_id", "seq")
    overdue = Case.filter(id__in=list(cases)).filter(overdue_q(SPEC, "due", today, overdue=True))
    late = {int(row["id"]) for row in await overdue.values("id")}
    names = {u.id: u.name for u in await Unit.all()}
    parties: dict[int, list[tuple[int, str]]] = {}
    for p in await CaseParty.filter(
        case_id__in=list(cases), role__in=[PartyRole.LEAD, PartyRole.RESPONSIBLE]
    ).order_by("id"):
        order = 0 if p.role is PartyRole.LEAD else 1
        parties.setdefault(p.case_id, []).append((order, names.get(p.unit_id, "")))
    latest: dict[int, dict[int, TaskMeasureReport]] = {}
    for r in await TaskMeasureReport.filter(case_id__in=list(cases)).order_by("reported_on", "id"):
        latest.setdefault(r.case_id, {})[r.unit_id] = r
    by_task: dict[int, list[MeasureRow]] = {}
    for d in details:
        case = cases[d.case_id]
        units = "、".join(n for _, n in sorted(parties.get(d.case_id, [])))
        if d.unmapped:
            units = "、".join(x for x in (units, d.unmapped) if x)
        reports = sorted(latest.get(d.case_id, {}).values(), key=lambda r: r.unit_id)
        progress = "\n".join(
            f"{names.get(r.unit_id, '')}（{text_date(r.reported_on)}）：{r.progress}"
            for r in reports
        )
        row = MeasureRow(
            case_id=d.case_id,
            seq=d.seq,
            text=d.text,
            deadline=d.deadline_raw or deadline_wording(d.due_on, d.ongoing),
            due_on=d.due_on,
            units=units or d.responsible_raw,
            state_label=SPEC.state_label(case.state),
            overdue=d.case_id in late,
            progress=progress or f"（{SPEC.state_label(case.state)}，尚无进展报告）",
        )
        by_task.setdefault(d.task_id, []).append(row)
    tasks = await TaskListTask.filter(task_list_id=year).order_by("no")
    categories = []
    for category in Category:
        rows = [
            TaskRow(t.no, t.title, by_task[t.id])
            for t in tasks
            if t.category is category and t.id in by_task
        ]
        if rows:
            categories.append(CategoryRow(category, CATEGORY_LABELS[category], rows))
    return TaskReport(
        year, task_list.title, task_list.doc_no, task_list.issued_on, today, categories
    )
