"""The inputs of the dispute's typed steps; field names are the spec's form field names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry import relay

from hub.kinds.dispute.enums import registered
from hub.kinds.dispute.spec import (
    ActType,
    AidDecision,
    ApplicantKind,
    FollowUpResult,
    InvestigationMethod,
    Outcome,
    RiskLevel,
    Stage,
)
from hub.kinds.recommendation.spec import RecommendationType

assert registered  # the enums carry their GraphQL names before any input uses them


@strawberry.input(description="一名申请人")
class DisputeApplicantInput:
    name: str
    kind: ApplicantKind
    contact: str = ""


@strawberry.input(description="登记一件行政争议（承办检察官）；登记后提请检察长批准受理")
class CreateDisputeInput:
    case_no: str
    title: str
    stage: Stage
    agency_unit_id: relay.GlobalID = strawberry.field(description="被申请行政机关（单位 ID）")
    act_type: ActType
    applicants: list[DisputeApplicantInput]
    core_demand: str
    petition_risk: RiskLevel
    third_parties: str = ""
    amount: Decimal | None = None
    reconsideration_no: str = ""
    internal_note: str = ""


@strawberry.input(
    description="修改登记信息（仅登记人，登记状态）；未给出的字段不变，amount 给 null 即清除"
)
class UpdateDisputeInput:
    id: relay.GlobalID
    version: int
    title: str | None = None
    stage: Stage | None = None
    agency_unit_id: relay.GlobalID | None = None
    act_type: ActType | None = None
    applicants: list[DisputeApplicantInput] | None = None
    third_parties: str | None = None
    core_demand: str | None = None
    amount: Decimal | None = strawberry.UNSET
    petition_risk: RiskLevel | None = None
    reconsideration_no: str | None = None
    internal_note: str | None = None


@strawberry.input(description="不予受理（检察长），须说明理由")
class RejectDisputeInput:
    id: relay.GlobalID
    version: int
    reasons: str


@strawberry.input(description="一条调查核实记录（承办检察官）")
class RecordDisputeInvestigationInput:
    id: relay.GlobalID
    version: int
    investigated_on: date
    method: InvestigationMethod
    finding: str


@strawberry.input(description="被申请行政机关提交材料（联络员）")
class SubmitDisputeMaterialsInput:
    id: relay.GlobalID
    version: int
    content: str


@strawberry.input(description="安排听证（承办检察官）；不公开听证须在 comment 中写明理由")
class ScheduleDisputeHearingInput:
    id: relay.GlobalID
    version: int
    hearing_on: date
    hearing_officers: str
    public: bool = True
    venue: str = ""
    comment: str = ""


@strawberry.input(description="记录听证结果（承办检察官）")
class RecordDisputeHearingInput:
    id: relay.GlobalID
    version: int
    held_on: date
    result: str


@strawberry.input(description="制定化解方案（承办检察官）；新方案取代原方案")
class ProposeDisputePlanInput:
    id: relay.GlobalID
    version: int
    content: str
    parties: str
    agreed_on: date
    agreed_by: str


@strawberry.input(description="确认化解方案（被申请行政机关）")
class ConfirmDisputePlanInput:
    id: relay.GlobalID
    version: int
    comment: str = ""


@strawberry.input(description="提请司法救助（承办检察官）")
class ApplyJudicialAidInput:
    id: relay.GlobalID
    version: int
    amount: Decimal
    applied_on: date
    reason: str


@strawberry.input(description="决定司法救助（检察长）：批准时可核定金额，不予救助须说明理由")
class DecideJudicialAidInput:
    id: relay.GlobalID
    version: int
    decision: AidDecision
    decided_on: date
    amount: Decimal | None = None
    reasons: str = ""
    comment: str = ""


@strawberry.input(description="记录救助金发放（承办检察官）")
class RecordJudicialAidPaymentInput:
    id: relay.GlobalID
    version: int
    paid_on: date
    comment: str = ""


@strawberry.input(
    description="制发检察建议（承办检察官）：被建议单位为被申请行政机关，另行审批、送达"
)
class IssueDisputeRecommendationInput:
    id: relay.GlobalID
    version: int
    rec_type: RecommendationType
    doc_no: str
    title: str
    issues: str = ""
    suggestions: str = ""
    legal_basis: str = ""


@strawberry.input(description="确认化解（承办检察官），自化解日起 30 日内跟进核查")
class ResolveDisputeInput:
    id: relay.GlobalID
    version: int
    outcome: Outcome
    resolved_on: date
    summary: str


@strawberry.input(description="化解未果，提请检察长决定终结审查（承办检察官）")
class DeclareDisputeNotResolvedInput:
    id: relay.GlobalID
    version: int
    reasons: str


@strawberry.input(description="跟进核查（承办检察官）：已履行即结案，未履行回到协调化解")
class RecordDisputeFollowUpInput:
    id: relay.GlobalID
    version: int
    result: FollowUpResult
    checked_on: date
    finding: str
    comment: str = ""
