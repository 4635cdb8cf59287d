# mypy: disable-error-code="untyped-decorator"
"""The task measure in GraphQL: its type and view; its steps' mutations are generated from
the spec's forms (``KindSchema(steps=STEPS)``). Its card sits in its category's lane."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import strawberry

from hub.domain.dates import text_date
from hub.domain.kinds import PartyRole
from hub.kinds.task_measure.models import (
    TaskMeasureDetail,
    TaskMeasureInspection,
    TaskMeasureReport,
)
from hub.kinds.task_measure.report_schema import Query
from hub.kinds.task_measure.spec import CATEGORY_LABELS, Category
from hub.kinds.task_measure.steps import STEPS
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, Fact, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit

strawberry.enum(Category, name="TaskCategory", description="任务清单的类别")


@strawberry.type(name="TaskMeasureReport", description="责任单位的一次进展报告")
class Report:
    id: strawberry.ID
    reported_on: date
    progress: str
    evidence: str = strawberry.field(description="佐证材料")
    reported_by: str
    recorded_at: datetime

    @strawberry.field(description="报告单位")
    def unit(self, info: Info) -> Unit:
        return info.context.unit(cast("Any", self).unit_id)  # type: ignore[return-value]


@strawberry.type(name="TaskMeasureInspection", description="办公室的一次督查或联合督导调研")
class Inspection:
    id: strawberry.ID
    joint: bool = strawberry.field(description="联合督导调研（否则为督查）")
    held_on: date
    participants: str = strawberry.field(description="参加单位")
    findings: str
    requirements: str = strawberry.field(description="督办意见")
    recorded_by: str


class TaskMeasureView(CaseView):
    __slots__ = ()

    def lane_of(self) -> str | None:
        return str(self.detail["category"])

    @property
    def year(self) -> int:
        return int(self.detail["year"])

    @property
    def category(self) -> Category:
        return Category(self.detail["category"])

    @property
    def seq(self) -> str:
        return str(self.detail["seq"])

    @property
    def text(self) -> str:
        return str(self.detail["text"])

    @property
    def deadline_raw(self) -> str:
        return str(self.detail["deadline_raw"])

    @property
    def due_on(self) -> date | None:
        return cast("date | None", self.detail["due_on"])

    @property
    def ongoing(self) -> bool:
        return bool(self.detail["ongoing"])

    @property
    def lead_unit(self) -> Any:
        unit_id = self.unit_of(PartyRole.LEAD)
        return None if unit_id is None else self.ctx.unit(unit_id)

    @property
    def responsible_units(self) -> list[Any]:
        return [self.ctx.unit(u) for u in self.units_of(PartyRole.RESPONSIBLE)]

    async def details(self) -> list[DetailSection]:
        d = self.detail
        facts = [
            fact("任务类别", CATEGORY_LABELS[d["category"]]),
            fact("年度", f"{d['year']} 年"),
            fact("具体措施", d["text"]),
            fact("完成时限", d["deadline_raw"]),
            fact("牵头单位", await self.unit_names(self.units_of(PartyRole.LEAD))),
            fact("责任单位", await self.unit_names(self.units_of(PartyRole.RESPONSIBLE))),
        ]
        if d["unmapped"]:
            facts.append(fact("清单所列其他责任主体", d["unmapped"]))
        if d["claimed_on"] is not None:
            facts += [
                fact("申报完成日期", d["claimed_on"]),
                fact("完成情况", d["claim_summary"]),
                fact("佐证材料", d["claim_evidence"]),
            ]
        if d["return_reason"]:
            facts.append(fact("退回理由", d["return_reason"]))
        if d["year_end_note"]:
            facts.append(fact("年终评估意见", d["year_end_note"]))
        reports = await child_rows(self.ctx.loaders, TaskMeasureReport, self.id)
        report_items = [
            DetailItem(
                heading=f"{text_date(r.reported_on)} {await self.unit_names([r.unit_id])}",
                facts=[
                    fact("进展情况", r.progress),
                    *_evidence(r.evidence),
                    fact("报告人", r.reported_by),
                ],
            )
            for r in reports
        ]
        inspections = await child_rows(self.ctx.loaders, TaskMeasureInspection, self.id)
        inspection_items = [
            DetailItem(
                heading=f"{text_date(i.held_on)} {'联合督导调研' if i.joint else '督查'}",
                facts=[
                    *([fact("参加单位", i.participants)] if i.joint else []),
                    fact("情况", i.findings),
                    *([fact("督办意见", i.requirements)] if i.requirements else []),
                    fact("记录人", i.recorded_by),
                ],
            )
            for i in inspections
        ]
        return [
            DetailSection(title="措施要素", facts=facts, items=[], empty_text=""),
            DetailSection(title="进展报告", facts=[], items=report_items,
                          empty_text="尚无进展报告"),
            DetailSection(title="督查与督导调研", facts=[], items=inspection_items,
                          empty_text="尚无督查记录"),
        ]  # fmt: skip


def _evidence(text: str) -> list[Fact]:
    return [fact("佐证材料", text)] if text else []


@strawberry.type(description="年度重点工作任务清单的一项措施：任务、类别、责任单位、完成时限与进展")
class TaskMeasure(Case):
    year: int = strawberry.field(description="清单年度")
    category: Category = strawberry.field(description="任务类别")
    seq: str = strawberry.field(description="措施序号，如 ①")
    text: str = strawberry.field(description="具体措施")
    deadline_raw: str = strawberry.field(description="完成时限（清单原文），如 12月底前、长期坚持")
    due_on: date | None = strawberry.field(description="完成时限的日期；长期坚持为 null")
    ongoing: bool = strawberry.field(description="长期坚持")
    lead_unit: Unit | None = strawberry.field(description="牵头单位")
    responsible_units: list[Unit] = strawberry.field(description="其他责任单位")

    @strawberry.field(description="任务（清单中的第几项及其名称）")
    async def task_title(self, info: Info) -> str:
        from hub.kinds.task_measure.models import TaskListTask

        task = await TaskListTask.get(id=view_of(self).detail["task_id"])
        return f"{task.no}. {task.title}"

    @strawberry.field(description="责任单位的进展报告")
    async def reports(self, info: Info) -> list[Report]:
        rows = await child_rows(info.context.loaders, TaskMeasureReport, view_of(self).id)
        return cast("list[Report]", rows)

    @strawberry.field(description="办公室的督查与联合督导调研")
    async def inspections(self, info: Info) -> list[Inspection]:
        rows = await child_rows(info.context.loaders, TaskMeasureInspection, view_of(self).id)
        return cast("list[Inspection]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=TaskMeasure,
    view=TaskMeasureView,
    types=(Report, Inspection),
    detail=TaskMeasureDetail,
    reads={
        "lane": _reads("category"), "laneLabel": _reads("category"), "year": _reads("year"),
        "category": _reads("category"), "seq": _reads("seq"), "text": _reads("text"),
        "deadlineRaw": _reads("deadline_raw"), "dueOn": _reads("due_on"),
        "ongoing": _reads("ongoing"), "leadUnit": Reads(), "responsibleUnits": Reads(),
        "taskTitle": _reads("task_id"), "reports": Reads(), "inspections": Reads(),
    },
    steps=STEPS,
    query=Query,
)  # fmt: skip
