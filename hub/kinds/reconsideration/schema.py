# mypy: disable-error-code="untyped-decorator"
"""The reconsideration participation in GraphQL: its type and view; its steps' mutations are
generated from the spec's forms, its extension is the generic ``adjustClock``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from hub.domain.dates import text_time
from hub.domain.kinds import PartyRole
from hub.kinds.reconsideration.models import ReconsiderationDetail
from hub.kinds.reconsideration.spec import (
    DECISION_LABELS,
    MODE_LABELS,
    RESULT_LABELS,
    SESSION_LABELS,
    DecisionType,
    Mode,
    Result,
    SessionKind,
)
from hub.kinds.reconsideration.steps import STEPS
from hub.schema.case import Case, CaseView, DetailSection, fact
from hub.schema.kinds import KindSchema, Reads

strawberry.enum(Mode, name="ReconsiderationMode", description="参与方式：陪议或旁听")
strawberry.enum(SessionKind, name="ReconsiderationSessionKind", description="参加的程序")
strawberry.enum(Result, name="ReconsiderationResult", description="复议结果")
strawberry.enum(DecisionType, name="ReconsiderationDecisionType", description="复议决定类型")


def _instant(at: datetime | None) -> str:
    return "" if at is None else text_time(at)


def _label(labels: Any, value: str | None) -> str:
    return "" if value is None else str(labels[value])


class ReconsiderationView(CaseView):
    __slots__ = ()

    def _get(self, name: str) -> Any:
        return self.detail[name]

    @property
    def reconsideration_no(self) -> str:
        return str(self._get("reconsideration_no"))

    @property
    def applicant(self) -> str:
        return str(self._get("applicant"))

    @property
    def respondent(self) -> str:
        return str(self._get("respondent"))

    @property
    def matter(self) -> str:
        return str(self._get("matter"))

    @property
    def accepted_on(self) -> date:
        return self._get("accepted_on")  # type: ignore[no-any-return]

    @property
    def session_at(self) -> datetime | None:
        return self._get("session_at")  # type: ignore[no-any-return]

    @property
    def requested_mode(self) -> Mode:
        return Mode(self._get("requested_mode"))

    @property
    def mode(self) -> Mode | None:
        value = self._get("mode")
        return None if value is None else Mode(value)

    @property
    def opinion(self) -> str:
        return str(self._get("opinion"))

    @property
    def result(self) -> Result | None:
        value = self._get("result")
        return None if value is None else Result(value)

    @property
    def decision_type(self) -> DecisionType | None:
        value = self._get("decision_type")
        return None if value is None else DecisionType(value)

    @property
    def decided_on(self) -> date | None:
        return self._get("decided_on")  # type: ignore[no-any-return]

    async def details(self) -> list[DetailSection]:
        d = self.detail
        invitation = [
            fact("复议机构", await self.unit_names(self.units_of(PartyRole.ISSUER))),
            fact("行政复议案号", d["reconsideration_no"]),
            fact("申请人", d["applicant"]),
            fact("被申请人", d["respondent"]),
            fact("复议事项与请求", d["matter"]),
            fact("受理日期", d["accepted_on"]),
            fact("拟定审理或听证时间", _instant(d["session_at"])),
            fact("邀请方式", _label(MODE_LABELS, d["requested_mode"])),
        ]
        answer = [fact("参与方式", _label(MODE_LABELS, d["mode"]))] if d["mode"] else []
        if d["decline_reason"]:
            answer.append(fact("婉拒理由", d["decline_reason"]))
        prosecutor = await self.person_name(PartyRole.HANDLING_PROSECUTOR)
        if prosecutor:
            answer.append(fact("承办检察官", prosecutor))
        if d["attended_at"]:
            answer += [fact("参加时间", _instant(d["attended_at"])),
                       fact("参加的程序", _label(SESSION_LABELS, d["session_kind"])),
                       fact("参加情况", d["attendance_notes"])]  # fmt: skip
        if d["opinion"]:
            answer += [fact("书面意见", d["opinion"]), fact("提出日期", d["opinion_on"])]
        result = []
        if d["result"]:
            result = [
                fact("复议结果", _label(RESULT_LABELS, d["result"])),
                fact("决定日期", d["decided_on"]), fact("文书编号", d["document_no"]),
                fact("结果摘要", d["result_summary"]),
            ]  # fmt: skip
            if d["decision_type"]:
                result.insert(1, fact("复议决定类型", _label(DECISION_LABELS, d["decision_type"])))
        return [
            DetailSection(title="邀请", facts=invitation, items=[], empty_text=""),
            DetailSection(title="检察院参与", facts=answer, items=[], empty_text="尚未答复邀请"),
            DetailSection(title="复议结果", facts=result, items=[], empty_text="尚未作出复议决定"),
        ]


@strawberry.type(description="行政复议陪议、旁听：复议机构的邀请、检察院的参与和复议结果")
class Reconsideration(Case):
    reconsideration_no: str = strawberry.field(description="行政复议案号")
    applicant: str
    respondent: str = strawberry.field(description="被申请人")
    matter: str = strawberry.field(description="复议事项与请求")
    accepted_on: date = strawberry.field(description="受理日期（60日决定期限自此起算）")
    session_at: datetime | None
    requested_mode: Mode = strawberry.field(description="邀请方式")
    mode: Mode | None = strawberry.field(description="检察院接受的参与方式")
    opinion: str = strawberry.field(description="书面意见（陪议）")
    result: Result | None
    decision_type: DecisionType | None
    decided_on: date | None


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


SCHEMA = KindSchema(
    case_type=Reconsideration,
    view=ReconsiderationView,
    detail=ReconsiderationDetail,
    reads={
        "reconsiderationNo": _reads("reconsideration_no"), "applicant": _reads("applicant"),
        "respondent": _reads("respondent"), "matter": _reads("matter"),
        "acceptedOn": _reads("accepted_on"), "sessionAt": _reads("session_at"),
        "requestedMode": _reads("requested_mode"), "mode": _reads("mode"),
        "opinion": _reads("opinion"), "result": _reads("result"),
        "decisionType": _reads("decision_type"), "decidedOn": _reads("decided_on"),
    },
    steps=STEPS,
)  # fmt: skip
