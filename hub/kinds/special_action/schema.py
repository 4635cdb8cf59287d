# mypy: disable-error-code="untyped-decorator"
"""The special action in GraphQL: its type and view; its steps' mutations are generated from
the spec's forms (``KindSchema(steps=STEPS)``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import strawberry

from hub.domain.dates import text_date
from hub.domain.kinds import PartyRole
from hub.kinds.special_action.models import SpecialActionDetail, SpecialActionReport
from hub.kinds.special_action.steps import STEPS
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit


@strawberry.type(name="SpecialActionReport", description="一次进展报告")
class Report:
    id: strawberry.ID
    reported_on: date
    progress: str
    cases_found: int | None
    reported_by: str
    recorded_at: datetime

    @strawberry.field(description="报告单位")
    def unit(self, info: Info) -> Unit:
        return info.context.unit(cast("Any", self).unit_id)  # type: ignore[return-value]


class SpecialActionView(CaseView):
    __slots__ = ()

    @property
    def theme(self) -> str:
        return str(self.detail["theme"])

    @property
    def starts_on(self) -> date:
        return cast("date", self.detail["starts_on"])

    @property
    def ends_on(self) -> date:
        return cast("date", self.detail["ends_on"])

    @property
    def summary(self) -> str:
        return str(self.detail["summary"])

    @property
    def cases_found(self) -> int | None:
        return cast("int | None", self.detail["cases_found"])

    @property
    def cases_rectified(self) -> int | None:
        return cast("int | None", self.detail["cases_rectified"])

    @property
    def cancel_reason(self) -> str:
        return str(self.detail["cancel_reason"])

    @property
    def participants(self) -> list[Any]:
        return [self.ctx.unit(u) for u in self.units_of(PartyRole.PARTICIPANT)]

    async def details(self) -> list[DetailSection]:
        d = self.detail
        facts = [
            fact("牵头单位", await self.unit_names(self.units_of(PartyRole.ISSUER))),
            fact("参加单位", await self.unit_names(self.units_of(PartyRole.PARTICIPANT))),
            fact("行动期间", f"{d['starts_on']} 至 {d['ends_on']}"),
            fact("行动内容", d["theme"]),
        ]
        if d["summary"]:
            facts += [
                fact("总结", d["summary"]),
                fact("发现问题", f"{d['cases_found']} 件"),
                fact("整改到位", f"{d['cases_rectified']} 件"),
            ]
        if d["cancel_reason"]:
            facts.append(fact("取消原因", d["cancel_reason"]))
        reports = await child_rows(self.ctx.loaders, SpecialActionReport, self.id)
        items = [
            DetailItem(
                heading=f"{text_date(r.reported_on)} {await self.unit_names([r.unit_id])}",
                facts=[
                    fact("进展情况", r.progress),
                    fact("发现问题", "" if r.cases_found is None else f"{r.cases_found} 件"),
                    fact("报告人", r.reported_by),
                ],
            )
            for r in reports
        ]
        return [
            DetailSection(title="行动要素", facts=facts, items=[], empty_text=""),
            DetailSection(title="进展报告", facts=[], items=items, empty_text="尚无进展报告"),
        ]


@strawberry.type(description="专项行动：牵头单位、参加单位、期间、进展与总结")
class SpecialAction(Case):
    theme: str = strawberry.field(description="行动内容")
    starts_on: date
    ends_on: date
    summary: str = strawberry.field(description="总结（结束后）")
    cases_found: int | None = strawberry.field(description="发现问题件数")
    cases_rectified: int | None = strawberry.field(description="整改到位件数")
    cancel_reason: str
    participants: list[Unit] = strawberry.field(description="参加单位")

    @strawberry.field(description="各单位的进展报告")
    async def reports(self, info: Info) -> list[Report]:
        rows = await child_rows(info.context.loaders, SpecialActionReport, view_of(self).id)
        return cast("list[Report]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=SpecialAction,
    view=SpecialActionView,
    types=(Report,),
    detail=SpecialActionDetail,
    reads={
        "theme": _reads("theme"), "startsOn": _reads("starts_on"), "endsOn": _reads("ends_on"),
        "summary": _reads("summary"), "casesFound": _reads("cases_found"),
        "casesRectified": _reads("cases_rectified"), "cancelReason": _reads("cancel_reason"),
        "participants": Reads(), "reports": Reads(),
    },
    steps=STEPS,
)  # fmt: skip
