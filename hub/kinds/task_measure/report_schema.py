"""The task-list report's GraphQL: the year's list as the city document's table, with the
progress column from the units' latest reports (hub.kinds.task_measure.report)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.relay import GlobalID

from hub.kinds.task_measure.report import COLUMNS
from hub.kinds.task_measure.report import task_list_report as build_report
from hub.kinds.task_measure.spec import SPEC
from hub.schema.context import Info


@strawberry.type
class TaskReportMeasure:
    id: GlobalID
    seq: str
    text: str
    deadline: str = strawberry.field(description="完成时限（清单原文）")
    due_on: date | None
    units: str = strawberry.field(description="责任单位（牵头单位在前）")
    state_label: str
    overdue: bool
    progress: str = strawberry.field(description="进展情况：各责任单位最新一次报告")


@strawberry.type
class TaskReportTask:
    no: int
    title: str
    measures: list[TaskReportMeasure]


@strawberry.type
class TaskReportCategory:
    category: str
    label: str
    tasks: list[TaskReportTask]


@strawberry.type(description="年度重点工作任务清单（按市政府文件的表格）及进展情况")
class TaskListReport:
    year: int
    title: str
    doc_no: str
    issued_on: date
    as_of: date
    columns: list[str]
    categories: list[TaskReportCategory]


# How long the report's lists can be, for the cost model (hub.schema.guard).
COST_SIZES = {
    "TaskListReport.columns": 5,
    "TaskListReport.categories": 5,
    "TaskReportCategory.tasks": 20,
    "TaskReportTask.measures": 20,
}


@strawberry.type
class Query:
    @strawberry.field(description="年度重点工作任务清单及各措施的进展情况；没有该年度清单时为 null")
    async def task_list_report(self, info: Info, year: int) -> TaskListReport | None:
        ctx = info.context
        ctx.require_actor()
        report = await build_report(ctx.audience, year, today=ctx.today)
        if report is None:
            return None
        type_name = SPEC.graphql_type
        return TaskListReport(
            year=report.year, title=report.title, doc_no=report.doc_no,
            issued_on=report.issued_on, as_of=report.as_of, columns=list(COLUMNS),
            categories=[TaskReportCategory(
                category=c.category.value, label=c.label,
                tasks=[TaskReportTask(no=t.no, title=t.title, measures=[TaskReportMeasure(
                    id=GlobalID(type_name, str(m.case_id)), seq=m.seq, text=m.text,
                    deadline=m.deadline, due_on=m.due_on, units=m.units,
                    state_label=m.state_label, overdue=m.overdue, progress=m.progress,
                ) for m in t.measures]) for t in c.tasks],
            ) for c in report.categories],
        )  # fmt: skip
