# mypy: disable-error-code="untyped-decorator"
"""The resolution in GraphQL: its type and view; its steps' mutations are generated from the
spec's forms (``KindSchema(steps=STEPS)``). Its meeting is its ``sourceCase``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import strawberry

from hub.domain.dates import text_date
from hub.domain.kinds import PartyRole
from hub.kinds.meeting.spec import MATTER_LABELS, Matter
from hub.kinds.resolution.models import ResolutionDetail, ResolutionRecord
from hub.kinds.resolution.spec import RECORD_LABELS, RecordKind
from hub.kinds.resolution.steps import STEPS
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit

strawberry.enum(RecordKind, name="ResolutionRecordKind", description="议定事项落实记录的类别")


@strawberry.type(name="ResolutionRecord", description="议定事项的一条落实记录")
class Record:
    id: strawberry.ID
    kind: RecordKind = strawberry.field(description="记录类别")
    on: date | None = strawberry.field(description="报告或完成日期")
    text: str = strawberry.field(description="内容")
    evidence: str = strawberry.field(description="佐证材料")
    recorded_by: str
    recorded_at: datetime

    @strawberry.field(description="记录类别（中文）")
    def kind_label(self) -> str:
        return RECORD_LABELS[cast("Any", self).kind]

    @strawberry.field(description="记录单位")
    def unit(self, info: Info) -> Unit:
        return info.context.unit(cast("Any", self).unit_id)  # type: ignore[return-value]


class ResolutionView(CaseView):
    __slots__ = ()

    @property
    def matter(self) -> Matter:
        return Matter(self.detail["matter"])

    @property
    def matter_label(self) -> str:
        return MATTER_LABELS[self.detail["matter"]]

    @property
    def content(self) -> str:
        return str(self.detail["content"])

    @property
    def decided_on(self) -> date:
        return cast("date", self.detail["decided_on"])

    @property
    def due_on(self) -> date:
        return cast("date", self.detail["due_on"])

    @property
    def lead_unit(self) -> Any:
        unit_id = self.unit_of(PartyRole.LEAD)
        return self.ctx.unit(unit_id) if unit_id is not None else None

    @property
    def responsible_units(self) -> list[Any]:
        return [self.ctx.unit(u) for u in self.units_of(PartyRole.RESPONSIBLE)]

    async def details(self) -> list[DetailSection]:
        d = self.detail
        facts = [
            fact("事项类别", MATTER_LABELS[d["matter"]]),
            fact("议定内容", d["content"]),
            fact("牵头单位", await self.unit_names(self.units_of(PartyRole.LEAD))),
            fact("责任单位", await self.unit_names(self.units_of(PartyRole.RESPONSIBLE))),
            fact("会议议定日期", d["decided_on"]),
            fact("完成时限", d["due_on"]),
        ]
        records = await child_rows(self.ctx.loaders, ResolutionRecord, self.id)
        items = [
            DetailItem(
                heading=f"{text_date(r.on or r.recorded_at)} {await self.unit_names([r.unit_id])}"
                f" {RECORD_LABELS[r.kind]}",
                facts=[
                    fact("内容", r.text),
                    fact("佐证材料", r.evidence),
                    fact("记录人", r.recorded_by),
                ],
            )
            for r in records
        ]
        return [
            DetailSection(title="议定事项", facts=facts, items=[], empty_text=""),
            DetailSection(title="落实记录", facts=[], items=items, empty_text="尚无落实记录"),
        ]


@strawberry.type(description="会议议定事项：责任单位、完成时限、落实进展、申报办结与办公室核查")
class Resolution(Case):
    matter: Matter = strawberry.field(description="事项类别")
    matter_label: str
    content: str = strawberry.field(description="议定内容")
    decided_on: date = strawberry.field(description="会议议定日期")
    due_on: date = strawberry.field(description="完成时限")
    lead_unit: Unit | None = strawberry.field(description="牵头单位")
    responsible_units: list[Unit] = strawberry.field(description="责任单位（牵头单位除外）")

    @strawberry.field(description="落实记录：进展、申报办结、核查、督办")
    async def records(self, info: Info) -> list[Record]:
        rows = await child_rows(info.context.loaders, ResolutionRecord, view_of(self).id)
        return cast("list[Record]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=Resolution,
    view=ResolutionView,
    types=(Record,),
    detail=ResolutionDetail,
    reads={
        "matter": _reads("matter"), "matterLabel": _reads("matter"),
        "content": _reads("content"), "decidedOn": _reads("decided_on"),
        "dueOn": _reads("due_on"), "leadUnit": Reads(), "responsibleUnits": Reads(),
        "records": Reads(),
    },
    steps=STEPS,
)  # fmt: skip
