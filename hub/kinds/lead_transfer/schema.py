# mypy: disable-error-code="untyped-decorator"
"""The lead transfer in GraphQL: its type and view; its steps' mutations are generated from
the spec's forms (``KindSchema(steps=STEPS)``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import strawberry

from hub.domain.dates import text_date, text_time
from hub.domain.kinds import PartyRole
from hub.kinds.lead_transfer.enums import (
    DIRECTION_LABELS,
    MATERIAL_LABELS,
    OUTCOME_LABELS,
    SANCTION_LABELS,
    Direction,
)
from hub.kinds.lead_transfer.models import LeadTransferDetail, LeadTransferRecord
from hub.kinds.lead_transfer.steps import STEPS
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit

strawberry.enum(Direction, name="LeadTransferDirection", description="线索移送的类型")


@strawberry.type(name="LeadTransferRecord", description="移送链条中一步的记录")
class Record:
    id: strawberry.ID
    action: str
    label: str = strawberry.field(description="步骤名称，如 批准移送")
    on: date
    at: datetime | None = strawberry.field(description="按小时计算的步骤的时刻")
    doc_no: str
    person: str = strawberry.field(description="批准负责人等")
    text: str
    recorded_by: str
    recorded_at: datetime


def _instant(at: datetime | None) -> str:
    return "" if at is None else text_time(at)


class LeadTransferView(CaseView):
    __slots__ = ()

    @property
    def direction(self) -> Direction:
        return Direction(self.detail["direction"])

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS[self.detail["direction"]]

    @property
    def subject(self) -> str:
        return str(self.detail["subject"])

    @property
    def offence(self) -> str:
        return str(self.detail["offence"])

    @property
    def materials(self) -> list[str]:
        return [MATERIAL_LABELS[m] for m in str(self.detail["materials"]).split(",") if m]

    @property
    def recipient(self) -> Any:
        units = self.units_of(PartyRole.RECIPIENT)
        return self.ctx.unit(units[0]) if units else None

    async def details(self) -> list[DetailSection]:
        d = self.detail
        facts = [
            fact("移送类型", DIRECTION_LABELS[d["direction"]]),
            fact("移送单位", await self.unit_names(self.units_of(PartyRole.ISSUER))),
            fact("接收单位", await self.unit_names(self.units_of(PartyRole.RECIPIENT))),
            fact("案件（线索）概要", d["subject"]),
        ]
        if d["offence"]:
            facts.append(fact("涉嫌罪名或违法行为", d["offence"]))
        if d["materials"]:
            facts.append(fact("移送材料", "、".join(self.materials)))
        for label, value in (
            ("批准负责人", d["approved_by"]), ("批准时间", _instant(d["approved_at"])),
            ("移送时间", _instant(d["transferred_at"])), ("接受移送日期", d["received_on"]),
            ("处理结果", SANCTION_LABELS.get(d["result"] or "", "")),
            ("线索处理", OUTCOME_LABELS.get(d["outcome"] or "", "")),
        ):  # fmt: skip
            if value:
                facts.append(fact(label, value))
        rows = await child_rows(self.ctx.loaders, LeadTransferRecord, self.id)
        items = [
            DetailItem(
                heading=f"{_instant(r.at) or (text_date(r.on) if r.on else '')} {r.label}",
                facts=[f for f in (
                    fact("文号", r.doc_no) if r.doc_no else None,
                    fact("负责人", r.person) if r.person else None,
                    fact("内容", r.text) if r.text else None,
                    fact("记录人", r.recorded_by),
                ) if f is not None],
            )
            for r in rows
        ]  # fmt: skip
        return [
            DetailSection(title="移送要素", facts=facts, items=[], empty_text=""),
            DetailSection(title="办理经过", facts=[], items=items, empty_text="尚未报送"),
        ]


@strawberry.type(description="线索移送：两法衔接移送、反向衔接检察意见、公益诉讼与安全生产线索等")
class LeadTransfer(Case):
    direction: Direction = strawberry.field(description="移送类型")
    direction_label: str
    subject: str = strawberry.field(description="案件（线索）概要")
    offence: str = strawberry.field(description="涉嫌罪名或违法行为")
    materials: list[str] = strawberry.field(description="移送材料（第六条）")
    recipient: Unit | None = strawberry.field(description="接收单位")

    @strawberry.field(description="办理经过：每一步的日期、文号与内容")
    async def records(self, info: Info) -> list[Record]:
        rows = await child_rows(info.context.loaders, LeadTransferRecord, view_of(self).id)
        return cast("list[Record]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=LeadTransfer,
    view=LeadTransferView,
    types=(Record,),
    detail=LeadTransferDetail,
    reads={
        "direction": _reads("direction"), "directionLabel": _reads("direction"),
        "subject": _reads("subject"), "offence": _reads("offence"),
        "materials": _reads("materials"), "recipient": Reads(), "records": Reads(),
    },
    steps=STEPS,
)  # fmt: skip
