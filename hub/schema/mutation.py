"""The root Mutation type: one field per lifecycle step, each returning a result union."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated

import strawberry

from hub.domain.deadlines import Period
from hub.domain.errors import HubError
from hub.domain.roles import Actor
from hub.models import ObjectionDecision, ReplyDecision
from hub.resolvers.mutations import attempt, recommendation_pk
from hub.schema.context import Info
from hub.schema.errors import (
    AuthenticationError,
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    VersionConflictError,
    as_error_member,
)
from hub.schema.inputs import (
    CreateRecommendationInput,
    DecideObjectionInput,
    LoginInput,
    RaiseObjectionInput,
    ReviewReplyInput,
    ServeRecommendationInput,
    StepInput,
    SubmitReplyInput,
)
from hub.schema.types import CaseEvent, Recommendation, Viewer
from hub.services import auth
from hub.services import recommendations as recs
from hub.services.recommendations import Change


@strawberry.type(description="一步已提交：检察建议的新状态和记录它的事件")
class RecommendationStepSuccess:
    recommendation: Recommendation
    event: CaseEvent


@strawberry.type
class LoginSuccess:
    viewer: Viewer


_Outcome = (
    RecommendationStepSuccess
    | NotFoundError
    | PermissionDeniedError
    | InvalidTransitionError
    | VersionConflictError
    | ValidationError
)
CreateRecommendationResult = Annotated[_Outcome, strawberry.union("CreateRecommendationResult")]
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
LoginResult = Annotated[LoginSuccess | AuthenticationError, strawberry.union("LoginResult")]


async def _run(info: Info, step: Callable[[Actor], Awaitable[Change]]) -> _Outcome:
    actor = info.context.require_actor()
    outcome = await attempt(lambda: step(actor))
    if isinstance(outcome, HubError):
        return as_error_member(outcome)  # type: ignore[return-value]
    return RecommendationStepSuccess(
        recommendation=outcome.recommendation,  # type: ignore[arg-type]
        event=outcome.event,  # type: ignore[arg-type]
    )


def _simple(
    action: Callable[..., Awaitable[Change]],
) -> Callable[[Info, StepInput], Awaitable[_Outcome]]:
    async def run(info: Info, input: StepInput) -> _Outcome:
        return await _run(
            info,
            lambda a: action(a, recommendation_pk(input.id), input.version, comment=input.comment),
        )

    return run


@strawberry.type
class Mutation:
    @strawberry.mutation(description="用户名密码登录；成功后设置会话 Cookie")
    async def login(self, info: Info, input: LoginInput) -> LoginResult:
        ttl = timedelta(hours=info.context.settings.session_ttl_hours)
        try:
            result = await auth.login(input.username, input.password, ttl=ttl)
        except HubError as error:
            return as_error_member(error)  # type: ignore[return-value]
        if info.context.response is not None:
            info.context.response.set_cookie(
                auth.SESSION_COOKIE,
                result.session_secret,
                max_age=int(ttl.total_seconds()),
                httponly=True,
                samesite="lax",
                secure=info.context.settings.base_url.startswith("https://"),
            )
        actor = result.actor
        return LoginSuccess(
            viewer=Viewer(
                name=actor.name, role=actor.role, kind=actor.kind.value, unit_id=actor.unit_id
            )
        )

    @strawberry.mutation(description="退出登录")
    async def logout(self, info: Info) -> bool:
        secret = info.context.request.cookies.get(auth.SESSION_COOKIE)
        if secret:
            await auth.logout(secret)
        if info.context.response is not None:
            info.context.response.delete_cookie(auth.SESSION_COOKIE)
        return secret is not None

    @strawberry.mutation(description="起草检察建议（承办检察官）")
    async def create_recommendation(
        self, info: Info, input: CreateRecommendationInput
    ) -> CreateRecommendationResult:
        def step(actor: Actor) -> Awaitable[Change]:
            unit = input.addressee_unit
            unit_id = (
                int(unit.node_id) if unit.type_name == "Unit" and unit.node_id.isdigit() else -1
            )
            new = recs.NewRecommendation(
                doc_no=input.doc_no,
                title=input.title,
                rec_type=input.type,
                addressee_unit_id=unit_id,
                issues=input.issues,
                suggestions=input.suggestions,
                legal_basis=input.legal_basis,
                internal_note=input.internal_note,
            )
            return recs.create_recommendation(actor, new)

        return await _run(info, step)

    @strawberry.mutation(description="提请检察长审批（承办检察官）")
    async def submit_for_approval(self, info: Info, input: StepInput) -> SubmitForApprovalResult:
        return await _simple(recs.submit_for_approval)(info, input)

    @strawberry.mutation(description="批准检察建议（检察长）")
    async def approve_recommendation(
        self, info: Info, input: StepInput
    ) -> ApproveRecommendationResult:
        return await _simple(recs.approve)(info, input)

    @strawberry.mutation(description="退回修改（检察长）")
    async def return_for_revision(self, info: Info, input: StepInput) -> ReturnForRevisionResult:
        return await _simple(recs.return_for_revision)(info, input)

    @strawberry.mutation(description="送达检察建议书（承办检察官），并依法计算回复期限")
    async def serve_recommendation(
        self, info: Info, input: ServeRecommendationInput
    ) -> ServeRecommendationResult:
        def step(actor: Actor) -> Awaitable[Change]:
            custom = None
            if input.custom_period is not None:
                if input.custom_period.amount < 1:
                    raise_validation("期限必须至少为 1", "customPeriod")
                custom = Period(input.custom_period.amount, input.custom_period.unit)
            return recs.serve(
                actor,
                recommendation_pk(input.id),
                input.version,
                served_on=input.served_on,
                method=input.service_method,
                rule=input.rule,
                custom_period=custom,
                comment=input.comment,
            )

        return await _run(info, step)

    @strawberry.mutation(description="签收检察建议并开始整改（被建议单位）")
    async def acknowledge_recommendation(
        self, info: Info, input: StepInput
    ) -> AcknowledgeRecommendationResult:
        return await _simple(recs.acknowledge)(info, input)

    @strawberry.mutation(description="提交书面整改回复（被建议单位）")
    async def submit_reply(self, info: Info, input: SubmitReplyInput) -> SubmitReplyResult:
        return await _run(
            info,
            lambda a: recs.submit_reply(
                a,
                recommendation_pk(input.id),
                input.version,
                content=input.content,
                measures=input.measures,
                completeness=input.completeness,
            ),
        )

    @strawberry.mutation(description="审查整改回复（承办检察官）")
    async def review_reply(self, info: Info, input: ReviewReplyInput) -> ReviewReplyResult:
        return await _run(
            info,
            lambda a: recs.review_reply(
                a,
                recommendation_pk(input.id),
                input.version,
                decision=ReplyDecision(input.decision),
                comment=input.comment,
            ),
        )

    @strawberry.mutation(description="提出异议（被建议单位）")
    async def raise_objection(self, info: Info, input: RaiseObjectionInput) -> RaiseObjectionResult:
        return await _run(
            info,
            lambda a: recs.raise_objection(
                a, recommendation_pk(input.id), input.version, grounds=input.grounds
            ),
        )

    @strawberry.mutation(description="对异议作出决定（检察长）")
    async def decide_objection(
        self, info: Info, input: DecideObjectionInput
    ) -> DecideObjectionResult:
        return await _run(
            info,
            lambda a: recs.decide_objection(
                a,
                recommendation_pk(input.id),
                input.version,
                decision=ObjectionDecision(input.decision),
                reasons=input.reasons,
                amended_suggestions=input.amended_suggestions,
                served_on=input.served_on,
            ),
        )

    @strawberry.mutation(description="督促逾期回复（府检联动办公室或承办检察官）")
    async def urge_reply(self, info: Info, input: StepInput) -> UrgeReplyResult:
        return await _simple(recs.urge)(info, input)


def raise_validation(message: str, field: str) -> None:
    from hub.domain.errors import ValidationFailed

    raise ValidationFailed(message, field=field)
