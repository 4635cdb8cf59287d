"""Bulk steps (the board's 批量操作): the steps a viewer may take on many cards at once, and
``takeSteps``, which takes one on each case and answers case by case."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.relay import GlobalID

from hub.domain.errors import HubError, NotFound
from hub.domain.kinds import KindSpec
from hub.domain.roles import Actor
from hub.kinds import registry
from hub.resolvers.mutations import CASE_NOT_FOUND, case_after, case_of
from hub.schema.case import Case, view
from hub.schema.context import Info
from hub.schema.enums import CaseKind
from hub.schema.errors import ErrorCode, InvalidTransitionError, ValidationError, as_error_member
from hub.services import bulk
from hub.services.bulk import StepOutcome


@strawberry.type(description="可在看板上对多件案件一并办理的一步（批量操作）")
class BulkAction:
    action: str = strawberry.field(description="操作代码（大写），即 takeSteps 的 action")
    label: str = strawberry.field(description="如 督促回复")
    comment_label: str = strawberry.field(description="随附文字的名称，如 说明、督办意见")
    comment_required: bool = strawberry.field(description="随附文字必填")


def bulk_actions(spec: KindSpec, actor: Actor) -> list[BulkAction]:
    """The kind's bulk steps this viewer's role may take (each case is checked when taken)."""
    actions = []
    for transition in bulk.bulk_steps(spec, actor):
        field = bulk.bulk_text_field(transition)
        actions.append(
            BulkAction(
                action=transition.action.upper(),
                label=transition.label,
                comment_label=field.label if field else "说明",
                comment_required=field.required if field else False,
            )
        )
    return actions


@strawberry.input(
    description=f"批量办理：对同一类的多件案件办理同一步（最多 {bulk.MAX_CASES} 件）。"
    "逐件在各自的事务中办理，检查与单件办理相同；一件失败不影响其他各件"
)
class TakeStepsInput:
    kind: CaseKind
    action: str = strawberry.field(description="操作代码（大写），见 Board.bulkActions")
    case_ids: list[GlobalID] = strawberry.field(description="要办理的案件，按此顺序办理")
    versions: list[int] | None = strawberry.field(
        default=None, description="看板上各案件的版本，与 caseIds 一一对应；不给则按当前版本办理"
    )
    comment: str = strawberry.field(default="", description="随附文字（说明或督办意见等）")


@strawberry.type(description="批量办理中一件案件的结果")
class CaseStepOutcome:
    id: strawberry.ID = strawberry.field(description="案件 ID（即输入的 caseIds 之一）")
    ok: bool
    code: ErrorCode | None = strawberry.field(description="未办理时的错误代码")
    message: str | None = strawberry.field(description="未办理时的原因，可直接展示")
    case: Case | None = strawberry.field(description="办理后的案件；未办理时为 null")


@strawberry.type(description="批量办理已逐件执行：各件的结果，按输入顺序")
class TakeStepsSuccess:
    results: list[CaseStepOutcome]
    ok_count: int
    failed_count: int


TakeStepsResult = Annotated[
    TakeStepsSuccess | InvalidTransitionError | ValidationError,
    strawberry.union("TakeStepsResult"),
]


async def _outcome(info: Info, global_id: GlobalID, outcome: StepOutcome) -> CaseStepOutcome:
    if outcome.change is None:
        error = outcome.error or NotFound(CASE_NOT_FOUND)
        return CaseStepOutcome(
            id=strawberry.ID(str(global_id)), ok=False, code=ErrorCode(error.code),
            message=error.message, case=None,
        )  # fmt: skip
    data = await case_after(outcome.change)
    return CaseStepOutcome(
        id=strawberry.ID(str(global_id)), ok=True, code=None, message=None,
        case=view(data, info.context),
    )  # fmt: skip


def _pk(global_id: GlobalID, kind: CaseKind, missing: int) -> int:
    """The case's database id; for another kind's or any other type's ID, ``missing``."""
    try:
        spec, pk = case_of(global_id)
    except NotFound:
        return missing
    return pk if spec.kind is kind else missing


@strawberry.type
class BulkMutations:
    @strawberry.mutation(description="批量办理（看板的批量操作，如批量督促）：逐件办理，逐件回答")
    async def take_steps(self, info: Info, input: TakeStepsInput) -> TakeStepsResult:
        actor = info.context.require_actor()
        if registry.BY_KIND.get(input.kind) is None:
            return ValidationError(
                code=ErrorCode.VALIDATION_FAILED, message="平台尚未启用该类案件", field="kind"
            )
        # An ID of another kind or type is a case that does not exist: each its own (-n).
        ids = [_pk(global_id, input.kind, -(n + 1)) for n, global_id in enumerate(input.case_ids)]
        try:
            outcomes = await bulk.take_steps(
                actor, input.kind, input.action.lower(), ids, versions=input.versions,
                comment=input.comment,
            )  # fmt: skip
        except HubError as error:
            return as_error_member(error)  # type: ignore[return-value]
        results = [
            await _outcome(info, global_id, outcome)
            for global_id, outcome in zip(input.case_ids, outcomes, strict=True)
        ]
        ok = sum(1 for r in results if r.ok)
        return TakeStepsSuccess(results=results, ok_count=ok, failed_count=len(results) - ok)
