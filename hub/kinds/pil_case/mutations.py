# mypy: disable-error-code="untyped-decorator"
"""The PIL case's typed steps in GraphQL: one mutation per step that carries data, each
answering ``CaseStepSuccess`` or a typed error. Input field names are the spec's form fields.

Data-less steps (提请立案, 退回修改) go through the generic ``takeStep``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

import strawberry
from strawberry import relay

from hub.domain.ids import database_id
from hub.domain.roles import Actor
from hub.kinds.pil_case import steps as pil
from hub.kinds.pil_case.enums import registered
from hub.kinds.pil_case.spec import (
    SPEC,
    ClueSource,
    ConsultationForm,
    FollowUpMethod,
    LitigationResult,
    TerminationReason,
)
from hub.kinds.recommendation.spec import SPEC as REC_SPEC
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

assert registered  # the enums carry their GraphQL names before any input uses them


@strawberry.input(description="受理一条行政公益诉讼线索（承办检察官本人）")
class CreatePilCaseInput:
    case_no: str = strawberry.field(description="案件编号，如 宿检公线〔2026〕3号")
    title: str
    agency_unit_id: relay.GlobalID = strawberry.field(description="被监督行政机关（单位 ID）")
    clue_source: ClueSource
    clue_received_on: date
    domain_code: str = strawberry.field(description="领域代码（见 pilDomains）")
    harm_description: str
    duty_basis: str = ""
    department: str = ""
    urgent: bool = False
    internal_note: str = ""


@strawberry.input(description="修改线索（仅受理人，评估阶段或被退回后）；未给出的字段不变")
class UpdatePilCaseInput:
    id: relay.GlobalID
    version: int
    title: str | None = None
    agency_unit_id: relay.GlobalID | None = None
    clue_source: ClueSource | None = None
    clue_received_on: date | None = None
    domain_code: str | None = None
    department: str | None = None
    harm_description: str | None = None
    duty_basis: str | None = None
    urgent: bool | None = None
    assessment: str | None = None
    internal_note: str | None = None


@strawberry.input(description="评估线索（承办检察官）")
class AssessPilClueInput:
    id: relay.GlobalID
    version: int
    assessment: str


@strawberry.input(description="不予立案（承办检察官），须说明理由")
class RejectPilClueInput:
    id: relay.GlobalID
    version: int
    reason: str
    decided_on: date


@strawberry.input(description="决定立案（检察长）；立案决定书应自立案之日起7日内送达")
class FilePilCaseInput:
    id: relay.GlobalID
    version: int
    filing_decision_no: str
    filed_on: date
    comment: str = ""


@strawberry.input(description="送达立案决定书（承办检察官）；此后行政机关可见本案")
class ServePilFilingDecisionInput:
    id: relay.GlobalID
    version: int
    served_on: date
    comment: str = ""


@strawberry.input(description="记录一次诉前磋商（承办检察官），待行政机关联络员确认")
class RecordPilConsultationInput:
    id: relay.GlobalID
    version: int
    form: ConsultationForm
    held_on: date
    participants: str
    agreed_measures: str = ""
    minutes: str = ""


@strawberry.input(description="确认磋商记录（行政机关联络员）；不指定记录时确认全部待确认记录")
class ConfirmPilConsultationInput:
    id: relay.GlobalID
    version: int
    consultation_id: relay.GlobalID | None = None
    note: str = ""


@strawberry.input(description="起草诉前检察建议（承办检察官）：新建一件关联的公益诉讼检察建议草稿")
class DraftPilRecommendationInput:
    id: relay.GlobalID
    version: int
    doc_no: str
    title: str
    issues: str
    suggestions: str
    legal_basis: str = ""


@strawberry.input(description="终结案件（检察长）；理由为“其他”时须说明")
class TerminatePilCaseInput:
    id: relay.GlobalID
    version: int
    reason: TerminationReason
    decided_on: date
    note: str = ""


@strawberry.input(description="终结审查，决定不起诉（检察长）；理由为“其他”时须说明")
class DecidePilNotToSueInput:
    id: relay.GlobalID
    version: int
    reason: TerminationReason
    decided_on: date
    note: str = ""


@strawberry.input(description="记录跟进调查（承办检察官）")
class RecordPilFollowUpInput:
    id: relay.GlobalID
    version: int
    method: FollowUpMethod
    investigated_on: date
    finding: str


@strawberry.input(description="转入起诉审查（检察长）；尚未办结的诉前检察建议同时转入")
class StartPilLitigationReviewInput:
    id: relay.GlobalID
    version: int
    comment: str = ""


@strawberry.input(description="检察建议转入公益诉讼起诉审查（检察长）；其行政公益诉讼案件同时转入")
class ConvertRecommendationToLitigationInput:
    id: relay.GlobalID = strawberry.field(description="检察建议 ID")
    version: int
    comment: str = ""


@strawberry.input(description="提起行政公益诉讼（检察长）")
class FilePilSuitInput:
    id: relay.GlobalID
    version: int
    court: str
    suit_filed_on: date
    indictment_no: str
    comment: str = ""


@strawberry.input(description="诉讼结案（承办检察官）：判决或撤回起诉")
class ClosePilLitigationInput:
    id: relay.GlobalID
    version: int
    result: LitigationResult
    decided_on: date
    note: str = ""


_Outcome = (
    CaseStepSuccess
    | NotFoundError
    | PermissionDeniedError
    | InvalidTransitionError
    | VersionConflictError
    | ValidationError
)
CreatePilCaseResult = Annotated[_Outcome, strawberry.union("CreatePilCaseResult")]
UpdatePilCaseResult = Annotated[_Outcome, strawberry.union("UpdatePilCaseResult")]
AssessPilClueResult = Annotated[_Outcome, strawberry.union("AssessPilClueResult")]
RejectPilClueResult = Annotated[_Outcome, strawberry.union("RejectPilClueResult")]
FilePilCaseResult = Annotated[_Outcome, strawberry.union("FilePilCaseResult")]
ServePilFilingDecisionResult = Annotated[_Outcome, strawberry.union("ServePilFilingDecisionResult")]
RecordPilConsultationResult = Annotated[_Outcome, strawberry.union("RecordPilConsultationResult")]
ConfirmPilConsultationResult = Annotated[_Outcome, strawberry.union("ConfirmPilConsultationResult")]
DraftPilRecommendationResult = Annotated[_Outcome, strawberry.union("DraftPilRecommendationResult")]
TerminatePilCaseResult = Annotated[_Outcome, strawberry.union("TerminatePilCaseResult")]
RecordPilFollowUpResult = Annotated[_Outcome, strawberry.union("RecordPilFollowUpResult")]
StartPilLitigationReviewResult = Annotated[
    _Outcome, strawberry.union("StartPilLitigationReviewResult")
]
ConvertRecommendationToLitigationResult = Annotated[
    _Outcome, strawberry.union("ConvertRecommendationToLitigationResult")
]
FilePilSuitResult = Annotated[_Outcome, strawberry.union("FilePilSuitResult")]
DecidePilNotToSueResult = Annotated[_Outcome, strawberry.union("DecidePilNotToSueResult")]
ClosePilLitigationResult = Annotated[_Outcome, strawberry.union("ClosePilLitigationResult")]


async def _run(info: Info, step: Callable[[Actor], Awaitable[Change]]) -> _Outcome:
    done: Done | StepError = await run_step(info, step)
    return CaseStepSuccess(done=done) if isinstance(done, Done) else done


def _pk(global_id: relay.GlobalID) -> int:
    return pk_of(global_id, SPEC)


def _record_pk(global_id: relay.GlobalID | None) -> int | None:
    """A consultation record's id; another type names a record that does not exist (-1)."""
    if global_id is None:
        return None
    pk = database_id(global_id.node_id)
    return pk if global_id.type_name == "PilConsultation" and pk is not None else -1


def _create(input: CreatePilCaseInput) -> Callable[[Actor], Awaitable[Change]]:
    new = pil.NewPilCase(
        case_no=input.case_no, title=input.title,
        agency_unit_id=unit_pk(input.agency_unit_id) or -1, clue_source=input.clue_source,
        clue_received_on=input.clue_received_on, domain_code=input.domain_code,
        harm_description=input.harm_description, duty_basis=input.duty_basis,
        department=input.department, urgent=input.urgent, internal_note=input.internal_note,
    )  # fmt: skip
    return lambda actor: pil.create_pil_case(actor, new)


def _update(input: UpdatePilCaseInput) -> Callable[[Actor], Awaitable[Change]]:
    return lambda a: pil.update_pil_case(
        a, _pk(input.id), input.version, title=input.title,
        agency_unit_id=unit_pk(input.agency_unit_id), clue_source=input.clue_source,
        clue_received_on=input.clue_received_on, domain_code=input.domain_code,
        department=input.department, harm_description=input.harm_description,
        duty_basis=input.duty_basis, urgent=input.urgent, assessment=input.assessment,
        internal_note=input.internal_note,
    )  # fmt: skip


async def _convert(actor: Actor, input: ConvertRecommendationToLitigationInput) -> Change:
    rec, _ = await pil.convert_recommendation_to_litigation(
        actor, pk_of(input.id, REC_SPEC), input.version, comment=input.comment)  # fmt: skip
    return rec


@strawberry.type
class Mutation:
    @strawberry.mutation(description="受理行政公益诉讼线索（承办检察官）")
    async def create_pil_case(self, info: Info, input: CreatePilCaseInput) -> CreatePilCaseResult:
        return await _run(info, _create(input))

    @strawberry.mutation(description="修改线索（仅受理人，评估阶段或被退回后）")
    async def update_pil_case(self, info: Info, input: UpdatePilCaseInput) -> UpdatePilCaseResult:
        return await _run(info, _update(input))

    @strawberry.mutation(description="评估线索（承办检察官）")
    async def assess_pil_clue(self, info: Info, input: AssessPilClueInput) -> AssessPilClueResult:
        return await _run(info, lambda a: pil.assess_clue(
            a, _pk(input.id), input.version, assessment=input.assessment))  # fmt: skip

    @strawberry.mutation(description="不予立案（承办检察官）")
    async def reject_pil_clue(self, info: Info, input: RejectPilClueInput) -> RejectPilClueResult:
        return await _run(info, lambda a: pil.reject_clue(
            a, _pk(input.id), input.version, reason=input.reason,
            decided_on=input.decided_on))  # fmt: skip

    @strawberry.mutation(description="决定立案（检察长），开始立案决定书送达期限")
    async def file_pil_case(self, info: Info, input: FilePilCaseInput) -> FilePilCaseResult:
        return await _run(info, lambda a: pil.file_case(
            a, _pk(input.id), input.version, filing_decision_no=input.filing_decision_no,
            filed_on=input.filed_on, comment=input.comment))  # fmt: skip

    @strawberry.mutation(description="送达立案决定书（承办检察官）")
    async def serve_pil_filing_decision(
        self, info: Info, input: ServePilFilingDecisionInput
    ) -> ServePilFilingDecisionResult:
        return await _run(info, lambda a: pil.serve_filing_decision(
            a, _pk(input.id), input.version, served_on=input.served_on,
            comment=input.comment))  # fmt: skip

    @strawberry.mutation(description="记录诉前磋商（承办检察官）")
    async def record_pil_consultation(
        self, info: Info, input: RecordPilConsultationInput
    ) -> RecordPilConsultationResult:
        return await _run(info, lambda a: pil.record_consultation(
            a, _pk(input.id), input.version, form=input.form, held_on=input.held_on,
            participants=input.participants, agreed_measures=input.agreed_measures,
            minutes=input.minutes))  # fmt: skip

    @strawberry.mutation(description="确认磋商记录（行政机关联络员）")
    async def confirm_pil_consultation(
        self, info: Info, input: ConfirmPilConsultationInput
    ) -> ConfirmPilConsultationResult:
        return await _run(info, lambda a: pil.confirm_consultation(
            a, _pk(input.id), input.version, consultation_id=_record_pk(input.consultation_id),
            note=input.note))  # fmt: skip

    @strawberry.mutation(description="起草诉前检察建议（承办检察官），另行审批、送达")
    async def draft_pil_recommendation(
        self, info: Info, input: DraftPilRecommendationInput
    ) -> DraftPilRecommendationResult:
        return await _run(info, lambda a: pil.draft_recommendation(
            a, _pk(input.id), input.version, doc_no=input.doc_no, title=input.title,
            issues=input.issues, suggestions=input.suggestions,
            legal_basis=input.legal_basis))  # fmt: skip

    @strawberry.mutation(description="终结案件（检察长）")
    async def terminate_pil_case(
        self, info: Info, input: TerminatePilCaseInput
    ) -> TerminatePilCaseResult:
        return await _run(info, lambda a: pil.terminate(
            a, _pk(input.id), input.version, reason=input.reason, decided_on=input.decided_on,
            note=input.note))  # fmt: skip

    @strawberry.mutation(description="记录跟进调查（承办检察官）")
    async def record_pil_follow_up(
        self, info: Info, input: RecordPilFollowUpInput
    ) -> RecordPilFollowUpResult:
        return await _run(info, lambda a: pil.record_follow_up(
            a, _pk(input.id), input.version, method=input.method,
            investigated_on=input.investigated_on, finding=input.finding))  # fmt: skip

    @strawberry.mutation(description="转入起诉审查（检察长），开始起诉审查期限")
    async def start_pil_litigation_review(
        self, info: Info, input: StartPilLitigationReviewInput
    ) -> StartPilLitigationReviewResult:
        return await _run(info, lambda a: pil.start_litigation_review(
            a, _pk(input.id), input.version, comment=input.comment))  # fmt: skip

    @strawberry.mutation(
        description="检察建议转入公益诉讼起诉审查（检察长）；结果中的 case 为该检察建议"
    )
    async def convert_recommendation_to_litigation(
        self, info: Info, input: ConvertRecommendationToLitigationInput
    ) -> ConvertRecommendationToLitigationResult:
        return await _run(info, lambda a: _convert(a, input))

    @strawberry.mutation(description="提起行政公益诉讼（检察长）")
    async def file_pil_suit(self, info: Info, input: FilePilSuitInput) -> FilePilSuitResult:
        return await _run(info, lambda a: pil.file_suit(
            a, _pk(input.id), input.version, court=input.court,
            suit_filed_on=input.suit_filed_on, indictment_no=input.indictment_no,
            comment=input.comment))  # fmt: skip

    @strawberry.mutation(description="终结审查，决定不起诉（检察长）")
    async def decide_pil_not_to_sue(
        self, info: Info, input: DecidePilNotToSueInput
    ) -> DecidePilNotToSueResult:
        return await _run(info, lambda a: pil.decide_not_to_sue(
            a, _pk(input.id), input.version, reason=input.reason, decided_on=input.decided_on,
            note=input.note))  # fmt: skip

    @strawberry.mutation(description="诉讼结案（承办检察官）")
    async def close_pil_litigation(
        self, info: Info, input: ClosePilLitigationInput
    ) -> ClosePilLitigationResult:
        return await _run(info, lambda a: pil.close_litigation(
            a, _pk(input.id), input.version, result=input.result, decided_on=input.decided_on,
            note=input.note))  # fmt: skip
