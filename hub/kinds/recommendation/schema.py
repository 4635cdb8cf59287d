# mypy: disable-error-code="untyped-decorator"
"""The recommendation in GraphQL: its type implementing Case, its queries and typed steps.

Everything agency systems used before the engine keeps its name and meaning: the
``recommendations`` connection (with its filter and cursors), ``recommendationByDocNo``, the
step mutations and ``RecommendationStepSuccess`` (which now also carries ``case``). The reply
deadline keeps its legacy ``rule`` enum, derived from the clock's rule id (``ruleId``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self, cast

import strawberry
from strawberry import relay
from tortoise.expressions import Subquery

from hub.domain.clock_rules import RULES
from hub.domain.deadlines import Period, ReplyRule
from hub.domain.engine import deadline_level, is_clock_overdue
from hub.domain.errors import NotFound
from hub.domain.kinds import PartyRole
from hub.domain.roles import Actor
from hub.kinds.recommendation import steps
from hub.kinds.recommendation.models import (
    Completeness,
    ObjectionDecision,
    RecommendationDetail,
    ReplyDecision,
    ServiceMethod,
)
from hub.kinds.recommendation.models import (
    Escalation as EscalationModel,
)
from hub.kinds.recommendation.models import (
    Objection as ObjectionModel,
)
from hub.kinds.recommendation.models import (
    Reply as ReplyModel,
)
from hub.kinds.recommendation.spec import (
    ESCALATION_LABELS,
    REPLY,
    SPEC,
    TYPE_LABELS,
    EscalationTarget,
    RecommendationType,
    State,
)
from hub.models import Unit as UnitModel
from hub.resolvers import queries
from hub.resolvers.mutations import pk_of, unit_pk
from hub.schema.case import Case, CaseEvent, CaseView
from hub.schema.context import Info
from hub.schema.enums import DeadlineLevel
from hub.schema.errors import (
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    StepError,
    ValidationError,
    VersionConflictError,
)
from hub.schema.inputs import PeriodInput, StepInput
from hub.schema.kinds import KindSchema, Reads, edit_form_of
from hub.schema.mutation import Done, period_of, run_step
from hub.schema.query import connection, one_case
from hub.schema.types import Unit, in_order, node_pks
from hub.services.cases import Change
from hub.services.visibility import visible_cases

for enum, name in (
    (State, "RecommendationState"), (RecommendationType, "RecommendationType"),
    (ServiceMethod, "ServiceMethod"), (Completeness, "Completeness"),
    (ReplyDecision, "ReplyDecision"), (ObjectionDecision, "ObjectionDecision"),
    (ReplyRule, "ReplyRule"), (EscalationTarget, "EscalationTarget"),
):  # fmt: skip
    strawberry.enum(enum, name=name)
BoardColumn = StrEnum("BoardColumn", {c.id.upper(): c.id for c in SPEC.columns})  # type: ignore[misc]
strawberry.enum(BoardColumn, description="检察建议看板的列（筛选用）")
# The legacy reply-rule names, from the clock's rule id (the rest are the two-month rules).
_LEGACY_RULES = {"ji21_15d": ReplyRule.URGENT_15_DAYS, "jy_custom": ReplyRule.CUSTOM}


@strawberry.type(description="被建议单位的书面整改回复及检察院的审查结果")
class Reply(relay.Node):
    id: relay.NodeID[int]
    content: str
    measures: str
    completeness: Completeness
    submitted_by: str
    submitted_at: datetime
    decision: ReplyDecision | None
    review_comment: str
    reviewed_by: str
    reviewed_at: datetime | None

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, ReplyModel)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        visible = visible_cases(info.context.audience).filter(kind=SPEC.kind).values("id")
        wanted = node_pks(node_ids)
        known = [i for i in wanted if i is not None]
        rows = await ReplyModel.filter(id__in=known, case_id__in=Subquery(visible))
        return in_order(wanted, rows)


@strawberry.type(description="被建议单位提出的异议及检察长的决定")
class Objection:
    grounds: str
    raised_by: str
    raised_at: datetime
    decision: ObjectionDecision | None
    reasons: str
    decided_by: str
    decided_at: datetime | None


@strawberry.type(description="督促后仍未整改时检察长决定的报告或通报；被建议单位同样可见")
class Escalation:
    target: EscalationTarget
    decided_on: date
    decided_by: str
    note: str

    @strawberry.field
    def target_label(self) -> str:
        return ESCALATION_LABELS[self.target]


@strawberry.type(description="回复期限：依法计算，从不手工填写")
class Deadline:
    served_on: date = strawberry.field(description="送达日（不计入期间）")
    due_on: date = strawberry.field(description="回复期限的最后一日")
    provisional: bool = strawberry.field(description="该年节假日安排尚未公布，按周末推算")
    explanation: str = strawberry.field(description="一句话说明期限如何得出")
    rule: ReplyRule = strawberry.field(description="兼容字段：规则的旧名称；请改用 ruleId")
    rule_id: str = strawberry.field(description="期限规则代码，如 jy_2m、ji21_15d")
    rule_label: str
    legal_basis: str
    days_left: int = strawberry.field(description="距期限的天数，负数为已逾期天数")
    level: DeadlineLevel


def _grouped(model: Any, name: str) -> Callable[[Sequence[int]], Awaitable[list[list[Any]]]]:
    async def load(ids: Sequence[int]) -> list[list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in await model.filter(case_id__in=set(ids)).order_by("id"):
            grouped[row.case_id].append(row)
        return [grouped[i] for i in ids]

    load.__name__ = name
    return load


_replies = _grouped(ReplyModel, "replies_by_case_id")
_objections = _grouped(ObjectionModel, "objections_by_case_id")
_escalations = _grouped(EscalationModel, "escalations_by_case_id")


class RecommendationView(CaseView):
    """A recommendation as one viewer sees it: the Recommendation type's own fields."""

    __slots__ = ()

    @property
    def doc_no(self) -> str:
        return self.case_no

    @property
    def rec_type(self) -> RecommendationType:
        return RecommendationType(self.data.detail["rec_type"])

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.rec_type]

    @property
    def issues(self) -> str:
        return str(self.data.detail["issues"])

    @property
    def suggestions(self) -> str:
        return str(self.data.detail["suggestions"])

    @property
    def legal_basis(self) -> str:
        return str(self.data.detail["legal_basis"])

    @property
    def served_on(self) -> date | None:
        return cast("date | None", self.data.detail["served_on"])

    @property
    def service_method(self) -> ServiceMethod | None:
        return cast("ServiceMethod | None", self.data.detail["service_method"])

    # The unit now when preloaded (lists), else its loader's future.
    @property
    def issuer_unit(self) -> Any:
        return self.ctx.unit(self.data.unit_of(PartyRole.ISSUER) or 0)

    @property
    def addressee_unit(self) -> Any:
        return self.ctx.unit(self.data.unit_of(PartyRole.ADDRESSEE) or 0)

    @property
    def prosecutor_name(self) -> Any:
        user_id = self.data.person_of(PartyRole.HANDLING_PROSECUTOR)
        return None if user_id is None else self.ctx.loaders.user_name_by_id.load(user_id)

    @property
    def deadline(self) -> Deadline | None:
        data, today = self.data, self.ctx.today
        clock = data.clock(REPLY)
        if clock is None or clock.due_on is None:
            return None
        rule = RULES[clock.rule]
        return Deadline(
            served_on=clock.started_on,
            due_on=clock.due_on,
            provisional=clock.provisional,
            explanation=clock.explanation,
            rule=_LEGACY_RULES.get(clock.rule, ReplyRule.STATUTORY_2_MONTHS),
            rule_id=clock.rule,
            rule_label=rule.label,
            legal_basis=rule.basis,
            days_left=(clock.due_on - today).days,
            level=deadline_level(data.facts.clocks.get(REPLY), today, REPLY_DUE_SOON_DAYS),
        )

    @property
    def is_overdue(self) -> bool:
        return is_clock_overdue(self.data.facts, REPLY, self.ctx.today)

    @property
    def replies(self) -> Any:
        return self.ctx.loaders.get("replies", _replies).load(self.id)

    @property
    def objections(self) -> Any:
        return self.ctx.loaders.get("objections", _objections).load(self.id)

    @property
    def escalations(self) -> Any:
        return self.ctx.loaders.get("escalations", _escalations).load(self.id)


REPLY_DUE_SOON_DAYS = SPEC.clock(REPLY).due_soon_days


@strawberry.type(description="检察建议（看板上的一张卡片）")
class Recommendation(Case):
    doc_no: str = strawberry.field(description="文号，如 宿检行建〔2026〕3号（即 caseNo）")
    rec_type: RecommendationType = strawberry.field(name="type")
    type_label: str
    issues: str
    suggestions: str
    legal_basis: str
    served_on: date | None
    service_method: ServiceMethod | None
    issuer_unit: Unit
    addressee_unit: Unit
    prosecutor_name: str | None = strawberry.field(description="承办检察官的姓名")
    deadline: Deadline | None = strawberry.field(description="回复期限（送达后）")
    is_overdue: bool = strawberry.field(description="已逾期未回复")
    replies: list[Reply]
    objections: list[Objection]
    escalations: list[Escalation] = strawberry.field(description="督促后决定的报告或通报")


# ---- the legacy list ---------------------------------------------------------------------


@strawberry.input(description="检察建议列表的筛选条件（均为可选，同时给出时取交集）")
class RecommendationFilter:
    states: list[State] | None = None
    addressee_unit: relay.GlobalID | None = strawberry.field(
        default=None, description="被建议单位 ID"
    )
    addressee_unit_code: str | None = strawberry.field(default=None, description="被建议单位代码")
    overdue: bool | None = strawberry.field(default=None, description="true：只看逾期未回复")
    due_before: date | None = strawberry.field(default=None, description="回复期限不晚于此日")
    column: BoardColumn | None = None


async def _legacy_query(f: RecommendationFilter | None) -> queries.CaseQuery:
    if f is None:
        return queries.CaseQuery(specs=(SPEC,))
    units: set[int] = set()
    if f.addressee_unit is not None:
        if unit_pk(f.addressee_unit) == -1:
            raise NotFound("单位不存在", field="addresseeUnit")
        units.add(int(f.addressee_unit.node_id))
    if f.addressee_unit_code is not None:
        unit = await UnitModel.get_or_none(code=f.addressee_unit_code)
        units.add(unit.id if unit else -1)
    return queries.CaseQuery(
        specs=(SPEC,),
        states=[s.value for s in f.states] if f.states else None,
        column=f.column.value if f.column is not None else None,
        unit_id=(units.pop() if len(units) == 1 else -1) if units else None,
        party_roles=(PartyRole.ADDRESSEE,),
        overdue=f.overdue,
        overdue_clocks=(REPLY,),
        due_before=f.due_before,
        due_clock=REPLY,
    )


@strawberry.type
class RecommendationEdge:
    node: Recommendation

    @strawberry.field
    def cursor(self) -> str:
        return queries.encode_cursor(self.node.id, "rec")


@strawberry.type(description="Relay 分页连接；totalCount 只计您可见的检察建议")
class RecommendationConnection:
    edges: list[RecommendationEdge]
    page_info: relay.PageInfo
    total_count: int


@strawberry.type
class Query:
    @strawberry.field(description="您可见的检察建议，按创建顺序，Relay 游标分页（亦可用 cases）")
    async def recommendations(
        self,
        info: Info,
        filter: RecommendationFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> RecommendationConnection:
        audience = info.context.audience
        await info.context.preload_units()
        page = await queries.list_cases(
            audience, await _legacy_query(filter), today=info.context.today, first=first,
            after=after, max_page=info.context.settings.max_page_size, cursor_prefix="rec",
        )  # fmt: skip
        generic = connection(info, page, "rec")
        return RecommendationConnection(
            edges=[RecommendationEdge(node=cast("Recommendation", e.node)) for e in generic.edges],
            page_info=generic.page_info,
            total_count=generic.total_count,
        )

    @strawberry.field(description="按文号读取一件您可见的检察建议（亦可用 caseByNo）")
    async def recommendation_by_doc_no(self, info: Info, doc_no: str) -> Recommendation | None:
        found = await one_case(info, case_no=doc_no, kind=SPEC.kind)
        return cast("Recommendation | None", found)


# ---- steps ---------------------------------------------------------------------------------


@strawberry.input(description="起草一件检察建议（承办检察官）")
class CreateRecommendationInput:
    doc_no: str
    title: str
    type: RecommendationType
    addressee_unit: relay.GlobalID
    issues: str = ""
    suggestions: str = ""
    legal_basis: str = ""
    internal_note: str = ""


@strawberry.input(description="修改草稿（仅起草人，草稿状态）；未给出的字段不变")
class UpdateRecommendationInput:
    id: relay.GlobalID
    version: int
    title: str | None = None
    issues: str | None = None
    suggestions: str | None = None
    legal_basis: str | None = None
    internal_note: str | None = None


@strawberry.input(description="送达检察建议书；回复期限由送达日依法计算")
class ServeRecommendationInput:
    id: relay.GlobalID
    version: int
    served_on: date
    service_method: ServiceMethod = ServiceMethod.WRITTEN
    rule: ReplyRule = strawberry.field(
        default=ReplyRule.STATUTORY_2_MONTHS,
        description="兼容字段：两个月（默认）；公益诉讼紧急情形 15 日；非公益诉讼可自定义",
    )
    deadline_rule: str | None = strawberry.field(
        default=None, description="期限规则代码（见送达表单的 rules）；给出时优先于 rule"
    )
    custom_period: PeriodInput | None = None
    comment: str = ""


@strawberry.input(description="提交书面整改回复（被建议单位）")
class SubmitReplyInput:
    id: relay.GlobalID
    version: int
    content: str
    measures: str = ""
    completeness: Completeness = Completeness.FULL


@strawberry.input(description="审查整改回复：采纳并结案，或部分采纳继续整改（须说明）")
class ReviewReplyInput:
    id: relay.GlobalID
    version: int
    decision: ReplyDecision
    comment: str = ""


@strawberry.input(description="对检察建议提出异议（被建议单位）")
class RaiseObjectionInput:
    id: relay.GlobalID
    version: int
    grounds: str


@strawberry.input(description="对异议作出决定（检察长）；修改后重新送达须给出新的建议内容和送达日")
class DecideObjectionInput:
    id: relay.GlobalID
    version: int
    decision: ObjectionDecision
    reasons: str
    amended_suggestions: str | None = None
    served_on: date | None = None


@strawberry.input(description="督促后仍未整改：决定报告或通报（检察长）")
class EscalateRecommendationInput:
    id: relay.GlobalID
    version: int
    targets: list[EscalationTarget]
    decided_on: date
    comment: str = ""


@strawberry.type(description="一步已提交：检察建议的新状态和记录它的事件")
class RecommendationStepSuccess:
    done: strawberry.Private[Done]

    @strawberry.field
    def recommendation(self) -> Recommendation:
        return cast("Recommendation", self.done.case)

    @strawberry.field
    def case(self) -> Case:
        return self.done.case

    @strawberry.field
    def event(self) -> CaseEvent:
        return self.done.event_view


_Outcome = (
    RecommendationStepSuccess
    | NotFoundError
    | PermissionDeniedError
    | InvalidTransitionError
    | VersionConflictError
    | ValidationError
)


CreateRecommendationResult = Annotated[_Outcome, strawberry.union("CreateRecommendationResult")]
UpdateRecommendationResult = Annotated[_Outcome, strawberry.union("UpdateRecommendationResult")]
SubmitForApprovalResult = Annotated[_Outcome, strawberry.union("SubmitForApprovalResult")]
ApproveRecommendationResult = Annotated[_Outcome, strawberry.union("ApproveRecommendationResult")]
ReturnForRevisionResult = Annotated[_Outcome, strawberry.union("ReturnForRevisionResult")]
ServeRecommendationResult = Annotated[_Outcome, strawberry.union("ServeRecommendationResult")]
AcknowledgeRecommendationResult = Annotated[
    _Outcome, strawberry.union("AcknowledgeRecommendationResult")
]
SubmitReplyResult = Annotated[_Outcome, strawberry.union("SubmitReplyResult")]
ReviewReplyResult = Annotated[_Outcome, strawberry.union("ReviewReplyResult")]
RaiseObjectionResult = Annotated[_Outcome, strawberry.union("RaiseObjectionResult")]
DecideObjectionResult = Annotated[_Outcome, strawberry.union("DecideObjectionResult")]
UrgeReplyResult = Annotated[_Outcome, strawberry.union("UrgeReplyResult")]
EscalateRecommendationResult = Annotated[_Outcome, strawberry.union("EscalateRecommendationResult")]


async def _run(info: Info, step: Callable[[Actor], Awaitable[Change]]) -> _Outcome:
    done: Done | StepError = await run_step(info, step)
    return RecommendationStepSuccess(done=done) if isinstance(done, Done) else done


def _pk(global_id: relay.GlobalID) -> int:
    return pk_of(global_id, SPEC)


async def _simple(
    info: Info, action: Callable[..., Awaitable[Change]], input: StepInput
) -> _Outcome:
    return await _run(
        info, lambda a: action(a, _pk(input.id), input.version, comment=input.comment)
    )


def _serve(input: ServeRecommendationInput) -> Callable[[Actor], Awaitable[Change]]:
    def step(actor: Actor) -> Awaitable[Change]:
        custom: Period | None = period_of(input.custom_period)
        return steps.serve(
            actor, _pk(input.id), input.version, served_on=input.served_on,
            method=input.service_method, rule=input.deadline_rule or input.rule,
            custom_period=custom, comment=input.comment,
        )  # fmt: skip

    return step


def _create(input: CreateRecommendationInput) -> Callable[[Actor], Awaitable[Change]]:
    new = steps.NewRecommendation(
        doc_no=input.doc_no, title=input.title, rec_type=input.type,
        addressee_unit_id=unit_pk(input.addressee_unit) or -1, issues=input.issues,
        suggestions=input.suggestions, legal_basis=input.legal_basis,
        internal_note=input.internal_note,
    )  # fmt: skip
    return lambda actor: steps.create_recommendation(actor, new)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="起草检察建议（承办检察官）")
    async def create_recommendation(
        self, info: Info, input: CreateRecommendationInput
    ) -> CreateRecommendationResult:
        return await _run(info, _create(input))

    @strawberry.mutation(description="修改检察建议草稿（仅起草人，草稿状态）")
    async def update_recommendation(
        self, info: Info, input: UpdateRecommendationInput
    ) -> UpdateRecommendationResult:
        return await _run(info, lambda a: steps.update_recommendation(
            a, _pk(input.id), input.version, title=input.title, issues=input.issues,
            suggestions=input.suggestions, legal_basis=input.legal_basis,
            internal_note=input.internal_note,
        ))  # fmt: skip

    @strawberry.mutation(description="提请检察长审批（承办检察官）")
    async def submit_for_approval(self, info: Info, input: StepInput) -> SubmitForApprovalResult:
        return await _simple(info, steps.submit_for_approval, input)

    @strawberry.mutation(description="批准检察建议（检察长）")
    async def approve_recommendation(
        self, info: Info, input: StepInput
    ) -> ApproveRecommendationResult:
        return await _simple(info, steps.approve, input)

    @strawberry.mutation(description="退回修改（检察长）")
    async def return_for_revision(self, info: Info, input: StepInput) -> ReturnForRevisionResult:
        return await _simple(info, steps.return_for_revision, input)

    @strawberry.mutation(description="送达检察建议书（承办检察官），并依法计算回复期限")
    async def serve_recommendation(
        self, info: Info, input: ServeRecommendationInput
    ) -> ServeRecommendationResult:
        return await _run(info, _serve(input))

    @strawberry.mutation(description="签收检察建议并开始整改（被建议单位）")
    async def acknowledge_recommendation(
        self, info: Info, input: StepInput
    ) -> AcknowledgeRecommendationResult:
        return await _simple(info, steps.acknowledge, input)

    @strawberry.mutation(description="提交书面整改回复（被建议单位）")
    async def submit_reply(self, info: Info, input: SubmitReplyInput) -> SubmitReplyResult:
        return await _run(info, lambda a: steps.submit_reply(
            a, _pk(input.id), input.version, content=input.content, measures=input.measures,
            completeness=input.completeness,
        ))  # fmt: skip

    @strawberry.mutation(description="审查整改回复（承办检察官）")
    async def review_reply(self, info: Info, input: ReviewReplyInput) -> ReviewReplyResult:
        return await _run(info, lambda a: steps.review_reply(
            a, _pk(input.id), input.version, decision=input.decision, comment=input.comment
        ))  # fmt: skip

    @strawberry.mutation(description="提出异议（被建议单位）")
    async def raise_objection(self, info: Info, input: RaiseObjectionInput) -> RaiseObjectionResult:
        return await _run(info, lambda a: steps.raise_objection(
            a, _pk(input.id), input.version, grounds=input.grounds
        ))  # fmt: skip

    @strawberry.mutation(description="对异议作出决定（检察长）")
    async def decide_objection(
        self, info: Info, input: DecideObjectionInput
    ) -> DecideObjectionResult:
        return await _run(info, lambda a: steps.decide_objection(
            a, _pk(input.id), input.version, decision=input.decision, reasons=input.reasons,
            amended_suggestions=input.amended_suggestions, served_on=input.served_on,
        ))  # fmt: skip

    @strawberry.mutation(description="督促逾期回复（府检联动办公室或承办检察官）")
    async def urge_reply(self, info: Info, input: StepInput) -> UrgeReplyResult:
        return await _simple(info, steps.urge, input)

    @strawberry.mutation(description="督促后仍未整改，决定报告或通报（检察长）；被建议单位可见")
    async def escalate_recommendation(
        self, info: Info, input: EscalateRecommendationInput
    ) -> EscalateRecommendationResult:
        return await _run(info, lambda a: steps.escalate(
            a, _pk(input.id), input.version, targets=list(input.targets),
            decided_on=input.decided_on, comment=input.comment,
        ))  # fmt: skip


def _detail(*columns: str) -> Reads:
    return Reads(detail=columns)


# What each of Recommendation's own fields reads (the board loads only that).
_READS = {
    "docNo": Reads(("case_no",)), "type": _detail("rec_type"), "typeLabel": _detail("rec_type"),
    "issues": _detail("issues"), "suggestions": _detail("suggestions"),
    "legalBasis": _detail("legal_basis"), "servedOn": _detail("served_on"),
    "serviceMethod": _detail("service_method"), "issuerUnit": Reads(), "addresseeUnit": Reads(),
    "prosecutorName": Reads(), "deadline": Reads(), "isOverdue": Reads(), "replies": Reads(),
    "objections": Reads(), "escalations": Reads(),
}  # fmt: skip
_EDITABLE = ("title", "issues", "suggestions", "legalBasis", "internalNote")

SCHEMA = KindSchema(
    case_type=Recommendation,
    view=RecommendationView,
    types=(Reply, Objection, Escalation, Deadline),
    query=Query,
    mutation=Mutation,
    detail=RecommendationDetail,
    reads=_READS,
    edit_form=edit_form_of(SPEC, "updateRecommendation", "UpdateRecommendationInput", _EDITABLE),
)
