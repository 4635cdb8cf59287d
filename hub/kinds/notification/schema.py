# mypy: disable-error-code="untyped-decorator"
"""The notification item in GraphQL: its type and view; its steps' mutations are generated
from the spec's forms (``KindSchema(steps=STEPS)``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import strawberry

from hub.clock import BUSINESS_TZ
from hub.domain.kinds import PartyRole
from hub.kinds.notification.models import NotificationAcknowledgement, NotificationDetail
from hub.kinds.notification.spec import (
    CATEGORY_LABELS,
    DIRECTION_LABELS,
    PERIOD_LABELS,
    Category,
    Direction,
    Period,
)
from hub.kinds.notification.steps import STEPS, period_name
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit

strawberry.enum(Category, name="NotificationCategory", description="通报类别（实施意见所列14类）")
strawberry.enum(Direction, name="NotificationDirection", description="通报方向")
strawberry.enum(Period, name="NotificationPeriod", description="定期通报的报送周期")


@strawberry.type(name="NotificationAcknowledgement", description="一个接收单位的签收情况")
class Acknowledgement:
    delivered_at: datetime = strawberry.field(description="办公室转送时间")
    acknowledged_at: datetime | None = strawberry.field(description="签收时间；未签收为 null")
    acknowledged_by: str
    note: str = strawberry.field(description="签收意见")

    @strawberry.field(description="接收单位")
    def unit(self, info: Info) -> Unit:
        return info.context.unit(cast("Any", self).unit_id)  # type: ignore[return-value]

    @strawberry.field(description="是否已签收")
    def acknowledged(self) -> bool:
        return cast("Any", self).acknowledged_at is not None


class NotificationView(CaseView):
    __slots__ = ()

    @property
    def category(self) -> Category:
        return Category(self.detail["category"])

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.detail["category"]]

    @property
    def direction(self) -> Direction:
        return Direction(self.detail["direction"])

    @property
    def body(self) -> str:
        return str(self.detail["body"])

    @property
    def period(self) -> Period | None:
        value = self.detail["period"]
        return Period(value) if value else None

    @property
    def period_start(self) -> date | None:
        return cast("date | None", self.detail["period_start"])

    @property
    def next_due_on(self) -> date | None:
        return cast("date | None", self.detail["next_due_on"])

    @property
    def office_note(self) -> str:
        return str(self.detail["office_note"])

    @property
    def recipients(self) -> list[Any]:
        return [self.ctx.unit(u) for u in self.units_of(PartyRole.RECIPIENT)]

    def _period_text(self) -> str:
        d = self.detail
        if not d["period"]:
            return "不定期"
        period = Period(d["period"])
        return f"{PERIOD_LABELS[period]}（所属期 {period_name(d['period_start'], period)}）"

    async def details(self) -> list[DetailSection]:
        d = self.detail
        facts = [
            fact("通报方向", DIRECTION_LABELS[d["direction"]]),
            fact("通报类别", CATEGORY_LABELS[d["category"]]),
            fact("通报单位", await self.unit_names(self.units_of(PartyRole.ISSUER))),
            fact("接收单位", await self.unit_names(self.units_of(PartyRole.RECIPIENT))),
            fact("报送周期", self._period_text()),
            fact("通报内容", d["body"]),
        ]
        if d["next_due_on"]:
            done = "（下期已报送）" if d["successor_id"] else ""
            facts.append(fact("下期报送期限", f"{d['next_due_on']}{done}"))
        if d["office_note"]:
            facts.append(fact("办公室意见", d["office_note"]))
        rows = await child_rows(self.ctx.loaders, NotificationAcknowledgement, self.id)
        done_units = [r.unit_id for r in rows if r.acknowledged_at is not None]
        waiting = [r.unit_id for r in rows if r.acknowledged_at is None]
        summary = [
            fact("已签收", await self.unit_names(done_units) or "无"),
            fact("未签收", await self.unit_names(waiting) or "无"),
        ]
        items = [
            DetailItem(
                heading=await self.unit_names([r.unit_id]),
                facts=[
                    fact("签收情况", "已签收" if r.acknowledged_at else "未签收"),
                    fact("转送时间", f"{r.delivered_at.astimezone(BUSINESS_TZ):%Y-%m-%d %H:%M}"),
                    *(
                        [fact("签收人", r.acknowledged_by), fact("签收意见", r.note)]
                        if r.acknowledged_at
                        else []
                    ),
                ],
            )
            for r in rows
        ]
        return [
            DetailSection(title="通报要素", facts=facts, items=[], empty_text=""),
            DetailSection(
                title="签收情况",
                facts=summary if rows else [],
                items=items,
                empty_text="办公室尚未转送",
            ),
        ]


@strawberry.type(description="通报事项：通报单位经府检联动办公室向接收单位通报，各接收单位分别签收")
class Notification(Case):
    category: Category = strawberry.field(description="通报类别")
    category_label: str
    direction: Direction
    body: str = strawberry.field(description="通报内容")
    period: Period | None = strawberry.field(description="报送周期；不定期为 null")
    period_start: date | None = strawberry.field(description="所属期的第一日")
    next_due_on: date | None = strawberry.field(description="下期报送期限（定期通报）")
    office_note: str = strawberry.field(description="办公室转送意见")
    recipients: list[Unit] = strawberry.field(description="接收单位")

    @strawberry.field(description="各接收单位的签收情况（办公室转送后）")
    async def acknowledgements(self, info: Info) -> list[Acknowledgement]:
        rows = await child_rows(info.context.loaders, NotificationAcknowledgement, view_of(self).id)
        return cast("list[Acknowledgement]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=Notification,
    view=NotificationView,
    types=(Acknowledgement,),
    detail=NotificationDetail,
    reads={
        "category": _reads("category"), "categoryLabel": _reads("category"),
        "direction": _reads("direction"), "body": _reads("body"), "period": _reads("period"),
        "periodStart": _reads("period_start"), "nextDueOn": _reads("next_due_on"),
        "officeNote": _reads("office_note"), "recipients": Reads(), "acknowledgements": Reads(),
    },
    steps=STEPS,
)  # fmt: skip
