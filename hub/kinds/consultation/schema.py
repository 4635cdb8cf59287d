# mypy: disable-error-code="untyped-decorator"
"""The consultation in GraphQL: its type and view; its steps' mutations are generated from
the spec's forms (``KindSchema(steps=STEPS)``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import strawberry

from hub.clock import BUSINESS_TZ
from hub.domain.dates import text_date
from hub.domain.kinds import PartyRole
from hub.kinds.consultation.models import ConsultationAnswer, ConsultationDetail
from hub.kinds.consultation.spec import MEETING_LABELS, TOPIC_LABELS, MeetingType, Topic
from hub.kinds.consultation.steps import STEPS
from hub.resolvers.children import child_rows
from hub.schema.case import Case, CaseView, DetailItem, DetailSection, Fact, fact, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads
from hub.schema.types import Unit

strawberry.enum(Topic, name="ConsultationTopic", description="会商咨询事项类别")
strawberry.enum(MeetingType, name="ConsultationMeetingType", description="会商的会议形式")


@strawberry.type(name="ConsultationAnswer", description="一个答复单位的答复")
class Answer:
    id: strawberry.ID
    answer: str = strawberry.field(description="答复意见")
    basis: str = strawberry.field(description="依据")
    answered_by: str
    answered_at: datetime

    @strawberry.field(description="答复单位")
    def unit(self, info: Info) -> Unit:
        return info.context.unit(cast("Any", self).unit_id)  # type: ignore[return-value]


def local(at: datetime) -> datetime:
    return at.astimezone(BUSINESS_TZ)


class ConsultationView(CaseView):
    __slots__ = ()

    @property
    def topic(self) -> Topic:
        return Topic(self.detail["topic"])

    @property
    def topic_label(self) -> str:
        return TOPIC_LABELS[self.detail["topic"]]

    @property
    def question(self) -> str:
        return str(self.detail["question"])

    @property
    def meeting_type(self) -> MeetingType | None:
        value = self.detail["meeting_type"]
        return MeetingType(value) if value else None

    @property
    def meeting_on(self) -> date | None:
        return cast("date | None", self.detail["meeting_on"])

    @property
    def meeting_place(self) -> str:
        return str(self.detail["meeting_place"])

    @property
    def meeting_conclusion(self) -> str:
        return str(self.detail["meeting_conclusion"])

    @property
    def referral_reason(self) -> str:
        return str(self.detail["referral_reason"])

    @property
    def accepted_at(self) -> datetime | None:
        return cast("datetime | None", self.detail["accepted_at"])

    @property
    def responders(self) -> list[Any]:
        return [self.ctx.unit(u) for u in self.units_of(PartyRole.RECIPIENT)]

    async def _facts(self) -> list[Fact]:
        d = self.detail
        facts = [
            fact("事项类别", TOPIC_LABELS[d["topic"]]),
            fact("申请单位", await self.unit_names(self.units_of(PartyRole.ISSUER))),
            fact("咨询问题", d["question"]),
        ]
        if d["suggested_units"]:
            facts.append(fact("建议答复单位", d["suggested_units"]))
        responders = self.units_of(PartyRole.RECIPIENT)
        if responders:
            answered = set(self.units_of(PartyRole.RESPONDED))
            waiting = [u for u in responders if u not in answered]
            facts += [
                fact("答复单位", await self.unit_names(responders)),
                fact("尚未答复", await self.unit_names(waiting) or "无"),
            ]
        if d["office_note"]:
            facts.append(fact("分办意见", d["office_note"]))
        if d["accepted_at"]:
            facts.append(
                fact("采纳", f"{d['accepted_by']} {local(d['accepted_at']):%Y-%m-%d %H:%M}")
            )
            if d["acceptance_note"]:
                facts.append(fact("采纳意见", d["acceptance_note"]))
        return facts

    async def _meeting_case(self) -> str:
        """The linked MEETING case as the viewer may see it: its number, title and state."""
        meeting_id = self.detail["meeting_case_id"]
        linked = await self.ctx.loaders.cases_by_source_id.load(self.id)
        for data in linked:
            if data.id == meeting_id:
                row = data.row
                return f"{row['case_no']} {row['title']}（{data.spec.state_label(data.state)}）"
        return ""

    async def _meeting(self) -> list[Fact]:
        d = self.detail
        if not d["meeting_type"]:
            return []
        facts = [
            fact("会议形式", MEETING_LABELS[d["meeting_type"]]),
            fact("会议日期", d["meeting_on"]),
            fact("会议地点", d["meeting_place"]),
            fact("转会商理由", d["meeting_reason"]),
        ]
        meeting = await self._meeting_case()
        if meeting:
            facts.insert(0, fact("协调会议", meeting))
        if d["meeting_conclusion"]:
            facts.append(fact("会商意见（纪要）", d["meeting_conclusion"]))
        return facts

    async def details(self) -> list[DetailSection]:
        d = self.detail
        answers = await child_rows(self.ctx.loaders, ConsultationAnswer, self.id)
        items = [
            DetailItem(
                heading=f"{await self.unit_names([a.unit_id])} {text_date(a.answered_at)}",
                facts=[
                    fact("答复意见", a.answer),
                    *([fact("依据", a.basis)] if a.basis else []),
                    fact("答复人", a.answered_by),
                ],
            )
            for a in answers
        ]
        sections = [
            DetailSection(title="咨询要素", facts=await self._facts(), items=[], empty_text=""),
            DetailSection(title="答复", facts=[], items=items, empty_text="尚无答复"),
        ]
        meeting = await self._meeting()
        if meeting:
            sections.append(DetailSection(title="协调会商", facts=meeting, items=[],
                                          empty_text=""))  # fmt: skip
        if d["referral_reason"]:
            sections.append(DetailSection(
                title="提交联席会议", facts=[fact("提交理由", d["referral_reason"])], items=[],
                empty_text="",
            ))  # fmt: skip
        return sections


@strawberry.type(
    description="会商咨询：申请单位提出问题，府检联动办公室分办答复单位，答复后由申请单位采纳"
)
class Consultation(Case):
    topic: Topic = strawberry.field(description="咨询事项类别")
    topic_label: str
    question: str = strawberry.field(description="咨询问题")
    meeting_type: MeetingType | None = strawberry.field(description="转协调会商的会议形式")
    meeting_on: date | None
    meeting_place: str
    meeting_conclusion: str = strawberry.field(description="会商意见（纪要）")
    referral_reason: str = strawberry.field(description="提交联席会议的理由")
    accepted_at: datetime | None = strawberry.field(description="申请单位采纳答复的时间")
    responders: list[Unit] = strawberry.field(description="答复单位")

    @strawberry.field(description="各答复单位的答复")
    async def answers(self, info: Info) -> list[Answer]:
        rows = await child_rows(info.context.loaders, ConsultationAnswer, view_of(self).id)
        return cast("list[Answer]", rows)


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=Consultation,
    view=ConsultationView,
    types=(Answer,),
    detail=ConsultationDetail,
    reads={
        "topic": _reads("topic"), "topicLabel": _reads("topic"), "question": _reads("question"),
        "meetingType": _reads("meeting_type"), "meetingOn": _reads("meeting_on"),
        "meetingPlace": _reads("meeting_place"),
        "meetingConclusion": _reads("meeting_conclusion"),
        "referralReason": _reads("referral_reason"), "acceptedAt": _reads("accepted_at"),
        "responders": Reads(), "answers": Reads(),
    },
    steps=STEPS,
)  # fmt: skip
