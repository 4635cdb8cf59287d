# mypy: disable-error-code="untyped-decorator"
"""The training in GraphQL: its type and view; its steps' mutations are generated from the
spec's forms (``KindSchema(steps=STEPS)``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import strawberry

from hub.domain.kinds import PartyRole
from hub.kinds.training.models import TrainingDetail, TrainingEnrolment
from hub.kinds.training.steps import STEPS
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit


@strawberry.type(
    name="TrainingEnrolment", description="一个单位的报名：人数与人员；退回后 returnedAt 有值"
)
class TrainingEnrolmentType:
    count: int
    attendees: str
    taken_by: str
    taken_at: datetime
    returned_at: datetime | None
    return_reason: str

    @strawberry.field(description="报名单位")
    def unit(self, info: Info) -> Unit:
        return info.context.unit(cast("Any", self).unit_id)  # type: ignore[return-value]


class TrainingView(CaseView):
    __slots__ = ()

    @property
    def topic(self) -> str:
        return str(self.detail["topic"])

    @property
    def held_on(self) -> date:
        return cast("date", self.detail["held_on"])

    @property
    def venue(self) -> str:
        return str(self.detail["venue"])

    @property
    def places(self) -> int:
        return int(self.detail["places"])

    @property
    def registration_deadline(self) -> date:
        return cast("date", self.detail["registration_deadline"])

    @property
    def attendance(self) -> int | None:
        return cast("int | None", self.detail["attendance"])

    @property
    def summary(self) -> str:
        return str(self.detail["summary"])

    @property
    def invited_units(self) -> list[Any]:
        return [self.ctx.unit(u) for u in self.units_of(PartyRole.RECIPIENT)]

    async def enrolments(self) -> list[TrainingEnrolment]:
        return cast(
            "list[TrainingEnrolment]",
            await child_rows(self.ctx.loaders, TrainingEnrolment, self.id),
        )

    async def places_taken(self) -> int:
        return sum(e.count for e in await self.enrolments() if e.returned_at is None)

    async def details(self) -> list[DetailSection]:
        d = self.detail
        taken = await self.places_taken()
        facts = [
            fact("主办单位", await self.unit_names(self.units_of(PartyRole.ISSUER))),
            fact("受邀单位", await self.unit_names(self.units_of(PartyRole.RECIPIENT))),
            fact("举办日期", d["held_on"]),
            fact("地点", d["venue"]),
            fact("培训内容", d["topic"]),
            fact(
                "名额", f"预留 {d['places']} 个，已报名 {taken} 个，尚余 {d['places'] - taken} 个"
            ),
            fact("报名截止", d["registration_deadline"]),
        ]
        if d["attendance"] is not None:
            facts.append(fact("实到人数", f"{d['attendance']} 人"))
            if d["summary"]:
                facts.append(fact("举办情况", d["summary"]))
        if d["cancel_reason"]:
            facts.append(fact("取消原因", d["cancel_reason"]))
        items = []
        for e in await self.enrolments():
            rows = [fact("人数", f"{e.count} 人"), fact("参训人员", e.attendees),
                    fact("报名人", e.taken_by)]  # fmt: skip
            if e.returned_at is not None:
                rows.append(fact("已退回", e.return_reason or "（未说明原因）"))
            heading = f"{await self.unit_names([e.unit_id])} · {e.count} 人"
            items.append(DetailItem(heading=heading, facts=rows))
        return [
            DetailSection(title="培训要素", facts=facts, items=[], empty_text=""),
            DetailSection(title="报名情况", facts=[], items=items, empty_text="尚无单位报名"),
        ]


@strawberry.type(description="交流培训：主办单位为其他单位预留名额，各单位报名")
class Training(Case):
    topic: str = strawberry.field(description="培训内容")
    held_on: date
    venue: str
    places: int = strawberry.field(description="为其他单位预留的名额")
    registration_deadline: date
    attendance: int | None = strawberry.field(description="实到人数（举办后）")
    summary: str
    invited_units: list[Unit] = strawberry.field(description="受邀单位")

    @strawberry.field(description="已报名的名额（不含已退回的）")
    async def places_taken(self, info: Info) -> int:
        return await cast("TrainingView", view_of(self)).places_taken()

    @strawberry.field(description="各单位的报名，按时间排列")
    async def enrolments(self, info: Info) -> list[TrainingEnrolmentType]:
        rows = await cast("TrainingView", view_of(self)).enrolments()
        return cast("list[TrainingEnrolmentType]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=Training,
    view=TrainingView,
    types=(TrainingEnrolmentType,),
    detail=TrainingDetail,
    reads={
        "topic": _reads("topic"), "heldOn": _reads("held_on"), "venue": _reads("venue"),
        "places": _reads("places"), "registrationDeadline": _reads("registration_deadline"),
        "attendance": _reads("attendance"), "summary": _reads("summary"),
        "invitedUnits": Reads(), "placesTaken": Reads(), "enrolments": Reads(),
    },
    steps=STEPS,
)  # fmt: skip
