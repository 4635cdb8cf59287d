# mypy: disable-error-code="untyped-decorator"
"""The meeting in GraphQL: its type and view; its steps' mutations are generated from the
spec's forms (``KindSchema(steps=STEPS)``). Its resolutions and its liaison meeting are its
``linkedCases`` (their ``sourceCase`` is the meeting)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import strawberry

from hub.domain.kinds import PartyRole
from hub.kinds.meeting.models import MeetingAgendaItem, MeetingDetail
from hub.kinds.meeting.spec import MATTER_LABELS, MEETING_TYPE_LABELS, Matter, MeetingType
from hub.kinds.meeting.steps import STEPS
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit

strawberry.enum(MeetingType, name="MeetingType", description="会议类型")
strawberry.enum(Matter, name="MeetingMatter", description="联席会议共同研究决定的事项类别（七类）")


@strawberry.type(name="MeetingAgendaItem", description="一项议题")
class AgendaItem:
    id: strawberry.ID
    topic: str = strawberry.field(description="议题")
    matter: Matter = strawberry.field(description="事项类别")

    @strawberry.field(description="事项类别（中文）")
    def matter_label(self) -> str:
        return MATTER_LABELS[cast("Any", self).matter]

    @strawberry.field(description="提出单位")
    def proposer_unit(self, info: Info) -> Unit:
        return info.context.unit(cast("Any", self).proposer_unit_id)  # type: ignore[return-value]


class MeetingView(CaseView):
    __slots__ = ()

    def _d(self, name: str) -> Any:
        return self.detail[name]

    @property
    def meeting_type(self) -> MeetingType:
        return MeetingType(self._d("meeting_type"))

    @property
    def meeting_type_label(self) -> str:
        return MEETING_TYPE_LABELS[self._d("meeting_type")]

    @property
    def scheduled_on(self) -> date:
        return cast("date", self._d("scheduled_on"))

    @property
    def place(self) -> str:
        return str(self._d("place"))

    @property
    def held_on(self) -> date | None:
        return cast("date | None", self._d("held_on"))

    @property
    def chair(self) -> str:
        return str(self._d("chair"))

    @property
    def minutes_no(self) -> str:
        return str(self._d("minutes_no"))

    @property
    def minutes(self) -> str:
        return str(self._d("minutes"))

    @property
    def minutes_on(self) -> date | None:
        return cast("date | None", self._d("minutes_on"))

    @property
    def cancel_reason(self) -> str:
        return str(self._d("cancel_reason"))

    @property
    def attendees(self) -> list[Any]:
        return [self.ctx.unit(u) for u in self.units_of(PartyRole.PARTICIPANT)]

    async def details(self) -> list[DetailSection]:
        d = self.detail
        facts = [
            fact("会议类型", MEETING_TYPE_LABELS[d["meeting_type"]]),
            fact("组织单位", await self.unit_names(self.units_of(PartyRole.ISSUER))),
            fact("参会单位", await self.unit_names(self.units_of(PartyRole.PARTICIPANT))),
            fact("拟召开日期", d["scheduled_on"]),
            fact("会议地点", d["place"]),
            fact("召开日期", d["held_on"] or ""),
            fact("主持人", d["chair"]),
        ]
        if d["cancel_reason"]:
            facts.append(fact("取消原因", d["cancel_reason"]))
        agenda = await child_rows(self.ctx.loaders, MeetingAgendaItem, self.id)
        items = [
            DetailItem(
                heading=f"{n}. {item.topic}",
                facts=[
                    fact("提出单位", await self.unit_names([item.proposer_unit_id])),
                    fact("事项类别", MATTER_LABELS[item.matter]),
                ],
            )
            for n, item in enumerate(agenda, 1)
        ]
        minutes = [
            fact("纪要文号", d["minutes_no"]),
            fact("印发日期", d["minutes_on"] or ""),
            fact("会议纪要", d["minutes"]),
        ]
        return [
            DetailSection(title="会议要素", facts=facts, items=[], empty_text=""),
            DetailSection(title="议程", facts=[], items=items, empty_text="尚未确定议程"),
            DetailSection(title="会议纪要", facts=minutes if d["minutes"] else [], items=[],
                          empty_text="尚未印发纪要"),
        ]  # fmt: skip


@strawberry.type(
    description="会议（联席会议、专题会议、联络员会议、通报会等）：议程、参会单位、纪要与议定事项"
)
class Meeting(Case):
    meeting_type: MeetingType = strawberry.field(description="会议类型")
    meeting_type_label: str
    scheduled_on: date = strawberry.field(description="拟召开日期")
    place: str = strawberry.field(description="会议地点")
    held_on: date | None = strawberry.field(description="召开日期")
    chair: str = strawberry.field(description="主持人")
    minutes_no: str = strawberry.field(description="纪要文号")
    minutes: str = strawberry.field(description="会议纪要（正文）")
    minutes_on: date | None = strawberry.field(description="纪要印发日期")
    cancel_reason: str
    attendees: list[Unit] = strawberry.field(description="参会单位")

    @strawberry.field(description="议程")
    async def agenda(self, info: Info) -> list[AgendaItem]:
        rows = await child_rows(info.context.loaders, MeetingAgendaItem, view_of(self).id)
        return cast("list[AgendaItem]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=Meeting,
    view=MeetingView,
    types=(AgendaItem,),
    detail=MeetingDetail,
    reads={
        "meetingType": _reads("meeting_type"), "meetingTypeLabel": _reads("meeting_type"),
        "scheduledOn": _reads("scheduled_on"), "place": _reads("place"),
        "heldOn": _reads("held_on"), "chair": _reads("chair"),
        "minutesNo": _reads("minutes_no"), "minutes": _reads("minutes"),
        "minutesOn": _reads("minutes_on"), "cancelReason": _reads("cancel_reason"),
        "attendees": Reads(), "agenda": Reads(),
    },
    steps=STEPS,
)  # fmt: skip
