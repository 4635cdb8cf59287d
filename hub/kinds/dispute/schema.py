# mypy: disable-error-code="untyped-decorator"
"""The dispute in GraphQL: its type implementing Case and the records it shows.

Its typed steps are in ``hub.kinds.dispute.mutations``; data-less steps go through the
generic ``takeStep``. Judicial aid and the rejection reason are null for the government side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import strawberry

from hub.domain.kinds import PartyRole
from hub.kinds.dispute.enums import registered
from hub.kinds.dispute.models import DisputeApplicant as ApplicantModel
from hub.kinds.dispute.models import DisputeDetail
from hub.kinds.dispute.models import DisputeFollowUp as FollowUpModel
from hub.kinds.dispute.models import DisputeHearing as HearingModel
from hub.kinds.dispute.models import DisputeInvestigation as InvestigationModel
from hub.kinds.dispute.models import DisputeJudicialAid as AidModel
from hub.kinds.dispute.models import DisputeMaterial as MaterialModel
from hub.kinds.dispute.models import DisputePlan as PlanModel
from hub.kinds.dispute.mutations import Mutation
from hub.kinds.dispute.spec import (
    ACT_TYPE_LABELS,
    AID_STATUS_LABELS,
    APPLICANT_KIND_LABELS,
    METHOD_LABELS,
    OUTCOME_LABELS,
    RISK_LABELS,
    SPEC,
    STAGE_LABELS,
    ActType,
    AidStatus,
    ApplicantKind,
    InvestigationMethod,
    Outcome,
    RiskLevel,
    Stage,
)
from hub.schema.case import Case, view_of
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads, edit_form_of
from hub.schema.types import Unit

assert registered  # the enums carry their GraphQL names before any type uses them


@strawberry.type(name="DisputeApplicant", description="申请人（不是平台用户）")
class ApplicantType:
    name: str
    kind: ApplicantKind
    contact: str

    @strawberry.field
    def kind_label(self) -> str:
        return APPLICANT_KIND_LABELS[self.kind]


@strawberry.type(description="调查核实记录")
class DisputeInvestigation:
    investigated_on: date
    method: InvestigationMethod
    finding: str
    recorded_by: str
    recorded_at: datetime

    @strawberry.field
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]


@strawberry.type(description="听证：安排的日期、听证员、是否公开，举行后的结果")
class DisputeHearing:
    hearing_on: date = strawberry.field(description="安排的听证日期")
    hearing_officers: str = strawberry.field(description="听证员")
    public: bool
    venue: str
    held_on: date | None = strawberry.field(description="举行日期；尚未举行为 null")
    result: str
    recorded_by: str


@strawberry.type(description="化解方案；最后一项为现行方案")
class DisputePlan:
    content: str
    parties: str = strawberry.field(description="参与各方")
    agreed_on: date
    agreed_by: str = strawberry.field(description="同意方案的各方")
    recorded_by: str
    confirmed_by: str = strawberry.field(description="被申请行政机关确认人；未确认为空")
    confirmed_at: datetime | None


@strawberry.type(description="司法救助：申请、检察长决定、发放（仅检察院可见）")
class JudicialAid:
    amount: Decimal = strawberry.field(description="申请金额（元）")
    approved_amount: Decimal | None = strawberry.field(description="核定金额（元）")
    reason: str
    applied_on: date
    status: AidStatus
    decided_on: date | None
    decided_by: str
    decision_note: str
    paid_on: date | None

    @strawberry.field
    def status_label(self) -> str:
        return AID_STATUS_LABELS[self.status]


@strawberry.type(description="化解后的跟进核查")
class DisputeFollowUp:
    checked_on: date
    finding: str
    performed: bool = strawberry.field(description="已履行化解方案")
    recorded_by: str


@strawberry.type(description="被申请行政机关提交的材料")
class DisputeMaterial:
    content: str
    submitted_by: str
    submitted_at: datetime


def _grouped(model: Any, name: str) -> Callable[[Sequence[int]], Awaitable[list[list[Any]]]]:
    async def load(ids: Sequence[int]) -> list[list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in await model.filter(case_id__in=set(ids)).order_by("id"):
            grouped[row.case_id].append(row)
        return [grouped[i] for i in ids]

    load.__name__ = name
    return load


_LOADERS = {
    name: _grouped(model, name)
    for name, model in (
        ("dispute_applicants", ApplicantModel), ("dispute_investigations", InvestigationModel),
        ("dispute_hearings", HearingModel), ("dispute_plans", PlanModel),
        ("dispute_aids", AidModel), ("dispute_follow_ups", FollowUpModel),
        ("dispute_materials", MaterialModel),
    )
}  # fmt: skip


def _rows(root: object, info: Info, name: str) -> Any:
    return info.context.loaders.get(name, _LOADERS[name]).load(view_of(root).id)


def _detail(root: object, name: str) -> Any:
    return view_of(root).detail[name]


@strawberry.type(description="行政争议实质性化解案件（看板上的一张卡片）")
class Dispute(Case):
    @strawberry.field(description="争议所处阶段")
    def stage(self) -> Stage:
        return Stage(_detail(self, "stage"))

    @strawberry.field
    def stage_label(self) -> str:
        return STAGE_LABELS[Stage(_detail(self, "stage"))]

    @strawberry.field(description="被诉（被申请）行政行为的类型")
    def act_type(self) -> ActType:
        return ActType(_detail(self, "act_type"))

    @strawberry.field
    def act_type_label(self) -> str:
        return ACT_TYPE_LABELS[ActType(_detail(self, "act_type"))]

    @strawberry.field(description="被申请行政机关（当事方 RESPONDENT）")
    def agency_unit(self, info: Info) -> Unit:
        return info.context.unit(view_of(self).unit_of(PartyRole.RESPONDENT) or 0)  # type: ignore[return-value]

    @strawberry.field(description="承办检察官的姓名")
    def prosecutor_name(self, info: Info) -> str | None:
        user_id = view_of(self).person_of(PartyRole.HANDLING_PROSECUTOR)
        if user_id is None:
            return None
        return info.context.loaders.user_name_by_id.load(user_id)  # type: ignore[return-value]

    @strawberry.field
    def applicants(self, info: Info) -> list[ApplicantType]:
        return _rows(self, info, "dispute_applicants")  # type: ignore[no-any-return]

    @strawberry.field(description="第三人")
    def third_parties(self) -> str:
        return str(_detail(self, "third_parties"))

    @strawberry.field(description="核心诉求")
    def core_demand(self) -> str:
        return str(_detail(self, "core_demand"))

    @strawberry.field(description="涉案金额（元）")
    def amount(self) -> Decimal | None:
        return cast("Decimal | None", _detail(self, "amount"))

    @strawberry.field(description="信访风险等级")
    def petition_risk(self) -> RiskLevel:
        return RiskLevel(_detail(self, "petition_risk"))

    @strawberry.field
    def petition_risk_label(self) -> str:
        return RISK_LABELS[RiskLevel(_detail(self, "petition_risk"))]

    @strawberry.field(description="关联行政复议案号")
    def reconsideration_no(self) -> str:
        return str(_detail(self, "reconsideration_no"))

    @strawberry.field(description="不予受理的理由；对政府一方为 null")
    def rejection_reason(self, info: Info) -> str | None:
        if not info.context.audience.sees_internal:
            return None
        return str(_detail(self, "rejection_reason"))

    @strawberry.field(description="化解方式（化解后）")
    def outcome(self) -> Outcome | None:
        value = _detail(self, "outcome")
        return Outcome(value) if value else None

    @strawberry.field
    def outcome_label(self) -> str | None:
        value = _detail(self, "outcome")
        return OUTCOME_LABELS[Outcome(value)] if value else None

    @strawberry.field
    def resolved_on(self) -> date | None:
        return cast("date | None", _detail(self, "resolved_on"))

    @strawberry.field(description="化解情况")
    def resolution_summary(self) -> str:
        return str(_detail(self, "resolution_summary"))

    @strawberry.field(description="未能化解的理由（提请终结审查时）")
    def not_resolved_reason(self) -> str:
        return str(_detail(self, "not_resolved_reason"))

    @strawberry.field
    def investigations(self, info: Info) -> list[DisputeInvestigation]:
        return _rows(self, info, "dispute_investigations")  # type: ignore[no-any-return]

    @strawberry.field
    def hearings(self, info: Info) -> list[DisputeHearing]:
        return _rows(self, info, "dispute_hearings")  # type: ignore[no-any-return]

    @strawberry.field(description="化解方案，最后一项为现行方案")
    def plans(self, info: Info) -> list[DisputePlan]:
        return _rows(self, info, "dispute_plans")  # type: ignore[no-any-return]

    @strawberry.field(description="司法救助；对政府一方为 null")
    def judicial_aids(self, info: Info) -> list[JudicialAid] | None:
        if not info.context.audience.sees_internal:
            return None
        return _rows(self, info, "dispute_aids")  # type: ignore[no-any-return]

    @strawberry.field(description="跟进核查")
    def follow_ups(self, info: Info) -> list[DisputeFollowUp]:
        return _rows(self, info, "dispute_follow_ups")  # type: ignore[no-any-return]

    @strawberry.field(description="被申请行政机关提交的材料")
    def materials(self, info: Info) -> list[DisputeMaterial]:
        return _rows(self, info, "dispute_materials")  # type: ignore[no-any-return]


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


# The draft-edit form: every registration field but the case number.
_EDITABLE = tuple(
    f.name for f in (SPEC.create_form.fields if SPEC.create_form else ()) if f.name != "caseNo"
)

SCHEMA = KindSchema(
    case_type=Dispute,
    types=(ApplicantType, DisputeInvestigation, DisputeHearing, DisputePlan, JudicialAid,
           DisputeFollowUp, DisputeMaterial),
    mutation=Mutation,
    detail=DisputeDetail,
    reads={
        "stage": _reads("stage"), "stageLabel": _reads("stage"), "actType": _reads("act_type"),
        "actTypeLabel": _reads("act_type"), "agencyUnit": Reads(), "prosecutorName": Reads(),
        "applicants": Reads(), "thirdParties": _reads("third_parties"),
        "coreDemand": _reads("core_demand"), "amount": _reads("amount"),
        "petitionRisk": _reads("petition_risk"), "petitionRiskLabel": _reads("petition_risk"),
        "reconsiderationNo": _reads("reconsideration_no"),
        "rejectionReason": _reads("rejection_reason"), "outcome": _reads("outcome"),
        "outcomeLabel": _reads("outcome"), "resolvedOn": _reads("resolved_on"),
        "resolutionSummary": _reads("resolution_summary"),
        "notResolvedReason": _reads("not_resolved_reason"), "investigations": Reads(),
        "hearings": Reads(), "plans": Reads(), "judicialAids": Reads(), "followUps": Reads(),
        "materials": Reads(),
    },
    edit_form=edit_form_of(SPEC, "updateDispute", "UpdateDisputeInput", _EDITABLE),
)  # fmt: skip
