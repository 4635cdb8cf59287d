"""The generic part of the root Mutation: signing in and out, data-less steps and clock steps
of any kind. Steps that carry a kind's data are that kind's typed mutations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, cast

import strawberry

from hub.domain.clock_rules import DEFAULT_MAX_CUSTOM
from hub.domain.deadlines import Period
from hub.domain.errors import HubError, InvalidTransition, NotFound, ValidationFailed
from hub.domain.kinds import TAKE_STEP, KindSpec
from hub.domain.roles import Actor
from hub.domain.visibility import audience_of
from hub.models import CaseEvent as CaseEventModel
from hub.resolvers.cases import CaseData
from hub.resolvers.mutations import CASE_NOT_FOUND, attempt, case_after, case_of
from hub.schema.board_query import BoardMutations
from hub.schema.case import Case, CaseEvent, EventView, view
from hub.schema.context import Context, Info
from hub.schema.errors import (
    AuthenticationError,
    ErrorCode,
    InvalidTransitionError,
    LoginThrottledError,
    NotFoundError,
    PermissionDeniedError,
    StepError,
    ValidationError,
    VersionConflictError,
    as_error_member,
)
from hub.schema.inputs import AdjustClockInput, LoginInput, PeriodInput, TakeStepInput
from hub.schema.notifications import NotificationMutations
from hub.schema.types import Viewer
from hub.security.throttle import LoginThrottled
from hub.services import auth
from hub.services import cases as case_steps
from hub.services.cases import Change
from hub.services.clocks import clock_apply
from hub.services.visibility import visible_cases


@dataclass(frozen=True, slots=True)
class Done:
    """A committed step: the case as the step left it and its event, for the request's viewer."""

    data: CaseData
    event: CaseEventModel
    ctx: Context

    @property
    def case(self) -> Case:
        return view(self.data, self.ctx)

    @property
    def event_view(self) -> CaseEvent:
        return cast("CaseEvent", EventView(self.event, self.data.spec, self.ctx, self.data))


async def run_step(info: Info, step: Callable[[Actor], Awaitable[Change]]) -> Done | StepError:
    """Run one service step as the request's actor: its result, or the typed error member."""
    actor = info.context.require_actor()
    outcome = await attempt(lambda: step(actor))
    if isinstance(outcome, HubError):
        return as_error_member(outcome)  # type: ignore[return-value]
    return Done(await case_after(outcome), outcome.event, info.context)


@strawberry.type(description="一步已提交：案件的新状态和记录它的事件")
class CaseStepSuccess:
    done: strawberry.Private[Done]

    @strawberry.field
    def case(self) -> Case:
        return self.done.case

    @strawberry.field
    def event(self) -> CaseEvent:
        return self.done.event_view


@strawberry.type
class LoginSuccess:
    viewer: Viewer


_Outcome = (
    CaseStepSuccess
    | NotFoundError
    | PermissionDeniedError
    | InvalidTransitionError
    | VersionConflictError
    | ValidationError
)
TakeStepResult = Annotated[_Outcome, strawberry.union("TakeStepResult")]
AdjustClockResult = Annotated[_Outcome, strawberry.union("AdjustClockResult")]
LoginResult = Annotated[
    LoginSuccess | AuthenticationError | LoginThrottledError | ValidationError,
    strawberry.union("LoginResult"),
]


async def _generic(info: Info, step: Callable[[Actor], Awaitable[Change]]) -> _Outcome:
    """A generic step: any not-found answers alike, whatever type the ID named."""

    async def normalized(actor: Actor) -> Change:
        try:
            return await step(actor)
        except NotFound:
            raise NotFound(CASE_NOT_FOUND, field="id") from None

    done = await run_step(info, normalized)
    return CaseStepSuccess(done=done) if isinstance(done, Done) else done


async def _refuse(actor: Actor, spec: KindSpec, case_id: int, error: HubError) -> None:
    """Raise ``error`` about a case the actor may see; an unknown or foreign one is not found."""
    visible = visible_cases(audience_of(actor)).filter(id=case_id, kind=spec.kind.value)
    if not await visible.exists():
        raise NotFound(CASE_NOT_FOUND, field="id")
    raise error


def period_of(period: PeriodInput | None) -> Period | None:
    if period is None:
        return None
    if period.amount < 1:
        raise ValidationFailed("期限必须至少为 1", field="period")
    longest = DEFAULT_MAX_CUSTOM[period.unit]
    if period.amount > longest:
        raise ValidationFailed(
            f"期限最长为{Period(longest, period.unit).describe()}，"
            f"收到{period.amount}{period.unit.zh}",
            field="period",
        )
    return Period(period.amount, period.unit)


@strawberry.type
class CaseMutations(NotificationMutations, BoardMutations):
    @strawberry.mutation(
        description="用户名密码登录；成功后设置会话 Cookie。按账号和地址限制失败次数；"
        "一个请求中只能出现一次，且不能使用别名"
    )
    async def login(self, info: Info, input: LoginInput) -> LoginResult:
        ctx = info.context
        ttl = timedelta(hours=ctx.settings.session_ttl_hours)
        address = ctx.request.client.host if ctx.request.client else None
        try:
            result = await auth.login(
                input.username, input.password, ttl=ttl, address=address, settings=ctx.settings
            )
        except LoginThrottled as refused:
            return LoginThrottledError(
                code=ErrorCode(refused.code), message=refused.message, field=refused.field,
                unlocks_at=refused.until, retry_after_seconds=refused.retry_after_s,
                locked=refused.locked,
            )  # fmt: skip
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

    @strawberry.mutation(
        description="任一类案件中不需要其他数据的一步（availableActions 中表单为 takeStep 的操作）"
    )
    async def take_step(self, info: Info, input: TakeStepInput) -> TakeStepResult:
        async def step(actor: Actor) -> Change:
            spec, case_id = case_of(input.id)
            action = input.action.lower()
            transition = spec.transition_for(action)
            if transition is not None and (
                transition.form.mutation != TAKE_STEP.mutation or transition.clock_op is not None
            ):
                await _refuse(actor, spec, case_id, ValidationFailed(
                    f"“{transition.label}”须通过 {transition.form.mutation} 提交", field="action"
                ))  # fmt: skip
            return await case_steps.take_step(
                actor, case_id, input.version, action, kind=spec.kind, comment=input.comment
            )

        return await _generic(info, step)

    @strawberry.mutation(description="期限的中止、恢复或延长（该类案件定义了此类步骤时）")
    async def adjust_clock(self, info: Info, input: AdjustClockInput) -> AdjustClockResult:
        async def step(actor: Actor) -> Change:
            spec, case_id = case_of(input.id)
            action = input.action.lower()
            transition = next(
                (t for t in spec.transitions if t.action == action and t.clock_op is not None),
                None,
            )
            if transition is None or transition.clock_op is None:
                refusal = InvalidTransition(f"{spec.label}没有期限操作“{input.action}”")
                await _refuse(actor, spec, case_id, refusal)
                raise refusal
            apply = clock_apply(
                transition.clock_op,
                on=input.on,
                reason=input.reason,
                period=period_of(input.period),
            )
            return await case_steps.take_step(
                actor, case_id, input.version, action, kind=spec.kind, apply=apply,
                comment=input.reason,
            )  # fmt: skip

        return await _generic(info, step)
