"""``addComment`` and ``retractComment``: comments on a case of any kind (hub.services.comments)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, cast

import strawberry
from strawberry.relay import GlobalID

from hub.domain.errors import HubError
from hub.domain.ids import database_id
from hub.domain.roles import Actor
from hub.models import CaseEvent as CaseEventModel
from hub.resolvers.mutations import case_of
from hub.schema.case import Case, CaseEvent
from hub.schema.comments import USER_TYPE, CaseComment, CommentView
from hub.schema.context import Info
from hub.schema.errors import NotFoundError, PermissionDeniedError, ValidationError
from hub.schema.mutation import Done, run_step
from hub.services import comments
from hub.services.cases import Change


@strawberry.input(description="在案件上发表评论（任一类案件）")
class AddCommentInput:
    case_id: GlobalID
    text: str = strawberry.field(description="评论内容（见 Case.commenting.maxLength）")
    internal: bool = strawberry.field(
        default=False, description="内部评论：仅检察院一方可见，只能提及检察院一方的人员"
    )
    mention_ids: list[GlobalID] = strawberry.field(
        default_factory=list, description="提及的人（Case.mentionableUsers 的 id）"
    )


@strawberry.input(description="撤回自己的一条评论：留下撤回记录，原文不再显示；评论不能修改")
class RetractCommentInput:
    case_id: GlobalID
    comment_seq: int = strawberry.field(description="评论的 seq（CaseComment.seq）")


@strawberry.type(description="评论已记录：评论、案件（版本不变）和记录它的事件")
class CommentSuccess:
    done: strawberry.Private[Done]
    shown: strawberry.Private[comments.ShownComment]

    @strawberry.field
    def comment(self) -> CaseComment:
        return cast("CaseComment", CommentView(self.shown, self.done.ctx))

    @strawberry.field
    def case(self) -> Case:
        return self.done.case

    @strawberry.field
    def event(self) -> CaseEvent:
        return self.done.event_view


_Outcome = CommentSuccess | NotFoundError | PermissionDeniedError | ValidationError
AddCommentResult = Annotated[_Outcome, strawberry.union("AddCommentResult")]
RetractCommentResult = Annotated[_Outcome, strawberry.union("RetractCommentResult")]


def _user_pk(global_id: GlobalID) -> int:
    """The user a mention names; another type is a user that does not exist (-1)."""
    pk = database_id(global_id.node_id)
    return pk if global_id.type_name == USER_TYPE and pk is not None else -1


async def _run(
    info: Info,
    step: Callable[[Actor], Awaitable[Change]],
    shown: Callable[[CaseEventModel], Awaitable[comments.ShownComment]],
) -> _Outcome:
    """Run the step; the case's id is the input's ``caseId`` in an error's ``field``."""

    async def named(actor: Actor) -> Change:
        try:
            return await step(actor)
        except HubError as error:
            if error.field == "id":
                error.field = "caseId"
            raise

    done = await run_step(info, named)
    if not isinstance(done, Done):
        return done  # type: ignore[return-value]
    return CommentSuccess(done=done, shown=await shown(done.event))


@strawberry.type
class CommentMutations:
    @strawberry.mutation(
        description="在任一类案件上发表评论，可 @ 提及可查看本案的人；评论不改变案件的版本号"
    )
    async def add_comment(self, info: Info, input: AddCommentInput) -> AddCommentResult:
        async def step(actor: Actor) -> Change:
            _, case_id = case_of(input.case_id)
            mentions = [_user_pk(g) for g in input.mention_ids]
            return await comments.add_comment(
                actor, case_id, input.text, internal=input.internal, mention_ids=mentions
            )

        async def shown(event: CaseEventModel) -> comments.ShownComment:
            return comments.ShownComment(event, None)

        return await _run(info, step, shown)

    @strawberry.mutation(description="撤回自己的一条评论（只有作者可以撤回）")
    async def retract_comment(self, info: Info, input: RetractCommentInput) -> RetractCommentResult:
        async def step(actor: Actor) -> Change:
            _, case_id = case_of(input.case_id)
            return await comments.retract_comment(actor, case_id, input.comment_seq)

        async def shown(event: CaseEventModel) -> comments.ShownComment:
            original = await CaseEventModel.get(case_id=event.case_id, seq=input.comment_seq)
            return comments.ShownComment(original, event)

        return await _run(info, step, shown)
