# mypy: disable-error-code="untyped-decorator"
"""The dispute's typed steps in GraphQL: one mutation per step that carries data, each
answering ``CaseStepSuccess`` or a typed error. Input field names are the spec's form fields.

Data-less steps (提请受理, 批准受理, 退回修改, 决定终结审查, 退回继续化解) go through the generic
``takeStep``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

import strawberry
from strawberry import relay

from hub.domain.roles import Actor
from hub.kinds.dispute import aid, resolution
from hub.kinds.dispute import steps as disputes
from hub.kinds.dispute.checks import Applicant
from hub.kinds.dispute.inputs import (
    ApplyJudicialAidInput,
    ConfirmDisputePlanInput,
    CreateDisputeInput,
    DecideJudicialAidInput,
    DeclareDisputeNotResolvedInput,
    DisputeApplicantInput,
    IssueDisputeRecommendationInput,
    ProposeDisputePlanInput,
    RecordDisputeFollowUpInput,
    RecordDisputeHearingInput,
    RecordDisputeInvestigationInput,
    RecordJudicialAidPaymentInput,
    RejectDisputeInput,
    ResolveDisputeInput,
    ScheduleDisputeHearingInput,
    SubmitDisputeMaterialsInput,
    UpdateDisputeInput,
)
from hub.kinds.dispute.spec import SPEC
from hub.resolvers.mutations import pk_of, unit_pk
from hub.schema.context import Info
from hub.schema.errors import (
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    StepError,
    ValidationError,
    VersionConflictError,
)
from hub.schema.mutation import CaseStepSuccess, Done, run_step
from hub.services.cases import Change

_Outcome = (
    CaseStepSuccess
    | NotFoundError
    | PermissionDeniedError
    | InvalidTransitionError
    | VersionConflictError
    | ValidationError
)


CreateDisputeResult = Annotated[_Outcome, strawberry.union("CreateDisputeResult")]
UpdateDisputeResult = Annotated[_Outcome, strawberry.union("UpdateDisputeResult")]
RejectDisputeResult = Annotated[_Outcome, strawberry.union("RejectDisputeResult")]
RecordDisputeInvestigationResult = Annotated[
    _Outcome, strawberry.union("RecordDisputeInvestigationResult")
]
SubmitDisputeMaterialsResult = Annotated[_Outcome, strawberry.union("SubmitDisputeMaterialsResult")]
ScheduleDisputeHearingResult = Annotated[_Outcome, strawberry.union("ScheduleDisputeHearingResult")]
RecordDisputeHearingResult = Annotated[_Outcome, strawberry.union("RecordDisputeHearingResult")]
ProposeDisputePlanResult = Annotated[_Outcome, strawberry.union("ProposeDisputePlanResult")]
ConfirmDisputePlanResult = Annotated[_Outcome, strawberry.union("ConfirmDisputePlanResult")]
ApplyJudicialAidResult = Annotated[_Outcome, strawberry.union("ApplyJudicialAidResult")]
DecideJudicialAidResult = Annotated[_Outcome, strawberry.union("DecideJudicialAidResult")]
RecordJudicialAidPaymentResult = Annotated[
    _Outcome, strawberry.union("RecordJudicialAidPaymentResult")
]
IssueDisputeRecommendationResult = Annotated[
    _Outcome, strawberry.union("IssueDisputeRecommendationResult")
]
ResolveDisputeResult = Annotated[_Outcome, strawberry.union("ResolveDisputeResult")]
DeclareDisputeNotResolvedResult = Annotated[
    _Outcome, strawberry.union("DeclareDisputeNotResolvedResult")
]
RecordDisputeFollowUpResult = Annotated[_Outcome, strawberry.union("RecordDisputeFollowUpResult")]


async def _run(info: Info, step: Callable[[Actor], Awaitable[Change]]) -> _Outcome:
    done: Done | StepError = await run_step(info, step)
    return CaseStepSuccess(done=done) if isinstance(done, Done) else done


def _pk(global_id: relay.GlobalID) -> int:
    return pk_of(global_id, SPEC)


def _applicants(rows: Sequence[DisputeApplicantInput]) -> list[Applicant]:
    return [Applicant(r.name, r.kind, r.contact) for r in rows]


def _create(input: CreateDisputeInput) -> Callable[[Actor], Awaitable[Change]]:
    new = disputes.NewDispute(
        case_no=input.case_no, title=input.title, stage=input.stage,
        agency_unit_id=unit_pk(input.agency_unit_id) or -1, act_type=input.act_type,
        applicants=_applicants(input.applicants), core_demand=input.core_demand,
        petition_risk=input.petition_risk, third_parties=input.third_parties,
        amount=input.amount, reconsideration_no=input.reconsideration_no,
        internal_note=input.internal_note,
    )  # fmt: skip
    return lambda actor: disputes.create_dispute(actor, new)


def _update(input: UpdateDisputeInput) -> Callable[[Actor], Awaitable[Change]]:
    amount = disputes.KEEP if input.amount is strawberry.UNSET else input.amount
    applicants = None if input.applicants is None else _applicants(input.applicants)
    return lambda a: disputes.update_dispute(
        a, _pk(input.id), input.version, title=input.title, stage=input.stage,
        agency_unit_id=unit_pk(input.agency_unit_id), act_type=input.act_type,
        applicants=applicants, third_parties=input.third_parties, core_demand=input.core_demand,
        amount=amount, petition_risk=input.petition_risk,
        reconsideration_no=input.reconsideration_no, internal_note=input.internal_note,
    )  # fmt: skip


@strawberry.type
class Mutation:
    @strawberry.mutation(description="登记行政争议（承办检察官）")
    async def create_dispute(self, info: Info, input: CreateDisputeInput) -> CreateDisputeResult:
        return await _run(info, _create(input))

    @strawberry.mutation(description="修改行政争议登记信息（仅登记人，登记状态）")
    async def update_dispute(self, info: Info, input: UpdateDisputeInput) -> UpdateDisputeResult:
        return await _run(info, _update(input))

    @strawberry.mutation(description="不予受理（检察长）")
    async def reject_dispute(self, info: Info, input: RejectDisputeInput) -> RejectDisputeResult:
        return await _run(info, lambda a: disputes.reject(
            a, _pk(input.id), input.version, reasons=input.reasons))  # fmt: skip

    @strawberry.mutation(description="记录调查核实（承办检察官）")
    async def record_dispute_investigation(
        self, info: Info, input: RecordDisputeInvestigationInput
    ) -> RecordDisputeInvestigationResult:
        return await _run(info, lambda a: disputes.record_investigation(
            a, _pk(input.id), input.version, investigated_on=input.investigated_on,
            method=input.method, finding=input.finding))  # fmt: skip

    @strawberry.mutation(description="提交行政机关材料（被申请行政机关联络员）")
    async def submit_dispute_materials(
        self, info: Info, input: SubmitDisputeMaterialsInput
    ) -> SubmitDisputeMaterialsResult:
        return await _run(info, lambda a: disputes.submit_materials(
            a, _pk(input.id), input.version, content=input.content))  # fmt: skip

    @strawberry.mutation(description="安排听证（承办检察官）")
    async def schedule_dispute_hearing(
        self, info: Info, input: ScheduleDisputeHearingInput
    ) -> ScheduleDisputeHearingResult:
        return await _run(info, lambda a: disputes.schedule_hearing(
            a, _pk(input.id), input.version, hearing_on=input.hearing_on,
            hearing_officers=input.hearing_officers, public=input.public, venue=input.venue,
            comment=input.comment))  # fmt: skip

    @strawberry.mutation(description="记录听证结果（承办检察官）")
    async def record_dispute_hearing(
        self, info: Info, input: RecordDisputeHearingInput
    ) -> RecordDisputeHearingResult:
        return await _run(info, lambda a: disputes.record_hearing(
            a, _pk(input.id), input.version, held_on=input.held_on,
            result=input.result))  # fmt: skip

    @strawberry.mutation(description="制定化解方案（承办检察官）")
    async def propose_dispute_plan(
        self, info: Info, input: ProposeDisputePlanInput
    ) -> ProposeDisputePlanResult:
        return await _run(info, lambda a: disputes.propose_plan(
            a, _pk(input.id), input.version, content=input.content, parties=input.parties,
            agreed_on=input.agreed_on, agreed_by=input.agreed_by))  # fmt: skip

    @strawberry.mutation(description="确认化解方案（被申请行政机关联络员）")
    async def confirm_dispute_plan(
        self, info: Info, input: ConfirmDisputePlanInput
    ) -> ConfirmDisputePlanResult:
        return await _run(info, lambda a: disputes.confirm_plan(
            a, _pk(input.id), input.version, comment=input.comment))  # fmt: skip

    @strawberry.mutation(description="提请司法救助（承办检察官）")
    async def apply_judicial_aid(
        self, info: Info, input: ApplyJudicialAidInput
    ) -> ApplyJudicialAidResult:
        return await _run(info, lambda a: aid.apply_judicial_aid(
            a, _pk(input.id), input.version, amount=input.amount, applied_on=input.applied_on,
            reason=input.reason))  # fmt: skip

    @strawberry.mutation(description="决定是否给予司法救助（检察长）")
    async def decide_judicial_aid(
        self, info: Info, input: DecideJudicialAidInput
    ) -> DecideJudicialAidResult:
        return await _run(info, lambda a: aid.decide_judicial_aid(
            a, _pk(input.id), input.version, decision=input.decision,
            decided_on=input.decided_on, amount=input.amount, reasons=input.reasons,
            comment=input.comment))  # fmt: skip

    @strawberry.mutation(description="记录司法救助金发放（承办检察官）")
    async def record_judicial_aid_payment(
        self, info: Info, input: RecordJudicialAidPaymentInput
    ) -> RecordJudicialAidPaymentResult:
        return await _run(info, lambda a: aid.record_aid_payment(
            a, _pk(input.id), input.version, paid_on=input.paid_on,
            comment=input.comment))  # fmt: skip

    @strawberry.mutation(
        description="由行政争议制发检察建议（承办检察官）：新建一件关联的检察建议草稿"
    )
    async def issue_dispute_recommendation(
        self, info: Info, input: IssueDisputeRecommendationInput
    ) -> IssueDisputeRecommendationResult:
        return await _run(info, lambda a: resolution.issue_recommendation(
            a, _pk(input.id), input.version, rec_type=input.rec_type, doc_no=input.doc_no,
            title=input.title, issues=input.issues, suggestions=input.suggestions,
            legal_basis=input.legal_basis))  # fmt: skip

    @strawberry.mutation(description="确认行政争议已化解（承办检察官），开始跟进核查期限")
    async def resolve_dispute(self, info: Info, input: ResolveDisputeInput) -> ResolveDisputeResult:
        return await _run(info, lambda a: resolution.resolve(
            a, _pk(input.id), input.version, outcome=input.outcome,
            resolved_on=input.resolved_on, summary=input.summary))  # fmt: skip

    @strawberry.mutation(description="化解未果，提请终结审查（承办检察官）")
    async def declare_dispute_not_resolved(
        self, info: Info, input: DeclareDisputeNotResolvedInput
    ) -> DeclareDisputeNotResolvedResult:
        return await _run(info, lambda a: resolution.declare_not_resolved(
            a, _pk(input.id), input.version, reasons=input.reasons))  # fmt: skip

    @strawberry.mutation(description="记录跟进核查（承办检察官）：已履行结案，未履行继续化解")
    async def record_dispute_follow_up(
        self, info: Info, input: RecordDisputeFollowUpInput
    ) -> RecordDisputeFollowUpResult:
        return await _run(info, lambda a: resolution.record_follow_up(
            a, _pk(input.id), input.version, result=input.result, checked_on=input.checked_on,
            finding=input.finding, comment=input.comment))  # fmt: skip
