"""Comments on any case as GraphQL shows them (``Case.comments``, ``Case.mentionableUsers``,
``Case.commenting``), and what a comment event shows once retracted.

The rules are ``hub.domain.comments``'; the reads are ``hub.services.comments``'. Nothing here
imports ``hub.schema.case`` (which imports this module for its Case fields).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from strawberry.relay import to_base64

from hub.domain.comments import (
    COMMENT_MAX_LENGTH,
    INTERNAL_LABEL,
    MAX_MENTIONS,
    RETRACTED_TEXT,
    may_comment,
    may_comment_internally,
)
from hub.domain.kinds import COMMENT_STEP
from hub.domain.roles import ROLE_LABELS
from hub.models import CaseEvent as CaseEventModel
from hub.resolvers.cases import CaseData
from hub.schema.context import Context
from hub.schema.types import Unit
from hub.services.auth import Scope
from hub.services.comments import (
    Mentionable,
    ShownComment,
    mentionable_users,
    retractions,
    shown_comments,
    shown_payload,
)

USER_TYPE = "User"  # the type the users' global IDs name (as a USER form field's options)
T = TypeVar("T")


@strawberry.type(description="评论中提及的人")
class MentionedUser:
    id: strawberry.ID = strawberry.field(description="用户的全局 ID（提交 mentionIds 时使用）")
    name: str


@strawberry.type(description="可以在本案评论中 @ 提及的人：在岗、可查看本案的人员（不含您自己）")
class MentionableUser:
    id: strawberry.ID = strawberry.field(description="用户的全局 ID（提交 mentionIds 时使用）")
    name: str
    label: str = strawberry.field(description="姓名（单位 · 身份），供选择器显示")
    unit_name: str
    role_label: str
    sees_internal: bool = strawberry.field(description="检察院一方的人员：也可在内部评论中提及")


def mentionable(person: Mentionable) -> MentionableUser:
    return MentionableUser(
        id=strawberry.ID(to_base64(USER_TYPE, person.id)),
        name=person.name,
        label=person.label,
        unit_name=person.unit_name,
        role_label=ROLE_LABELS[person.role],
        sees_internal=person.sees_internal,
    )


@strawberry.type(description="当前身份在本案的评论权限与规则（看板据此显示评论框）")
class CommentPolicy:
    can_comment: bool = strawberry.field(
        description="可以发表评论：可查看本案的当事方人员和府检联动办公室；只读身份不能"
    )
    can_comment_internally: bool = strawberry.field(
        description="可以发表内部评论（仅检察院一方可见）"
    )
    internal_label: str = strawberry.field(description="内部评论选项的文字")
    max_length: int = strawberry.field(description="评论的最多字数")
    max_mentions: int = strawberry.field(description="一条评论最多提及的人数")


def _may_comment(data: CaseData, ctx: Context) -> bool:
    """The rule, for a credential that may write at all (a read-scope token never does)."""
    actor, credential = ctx.require_actor(), ctx.credential
    if credential is not None and Scope.WRITE not in credential.scopes:
        return False
    return may_comment(actor, data.spec, data.facts)


def comment_policy(data: CaseData, ctx: Context) -> CommentPolicy:
    actor = ctx.require_actor()
    allowed = _may_comment(data, ctx)
    return CommentPolicy(
        can_comment=allowed,
        can_comment_internally=allowed and may_comment_internally(actor),
        internal_label=INTERNAL_LABEL,
        max_length=COMMENT_MAX_LENGTH,
        max_mentions=MAX_MENTIONS,
    )


async def mentionable_field(data: CaseData, ctx: Context) -> list[MentionableUser]:
    """The @ picker's people; none for a viewer who may not comment."""
    actor = ctx.require_actor()
    if not _may_comment(data, ctx):
        return []
    return [mentionable(p) for p in await mentionable_users(actor, data.spec, data.facts)]


class CommentView:
    """The root of CaseComment: one comment as the request's viewer is shown it."""

    __slots__ = ("ctx", "shown")

    def __init__(self, shown: ShownComment, ctx: Context) -> None:
        self.shown, self.ctx = shown, ctx

    @property
    def seq(self) -> int:
        return int(self.shown.event.seq)

    @property
    def text(self) -> str | None:
        return self.shown.text

    @property
    def display_text(self) -> str:
        text = self.shown.text
        return RETRACTED_TEXT if text is None else text

    @property
    def internal(self) -> bool:
        return bool(self.shown.event.internal)

    @property
    def author_name(self) -> str:
        return self.shown.event.actor_name

    @property
    def author_unit(self) -> Any:
        return self.ctx.unit(self.shown.event.actor_unit_id)

    @property
    def created_at(self) -> datetime:
        return self.shown.event.created_at

    @property
    def retracted(self) -> bool:
        return self.shown.retraction is not None

    @property
    def retracted_at(self) -> datetime | None:
        r = self.shown.retraction
        return r.created_at if r is not None else None

    @property
    def retracted_by_name(self) -> str | None:
        r = self.shown.retraction
        return r.actor_name if r is not None else None

    @property
    def can_retract(self) -> bool:
        actor, event = self.ctx.actor, self.shown.event
        return (
            actor is not None
            and not self.retracted
            and event.actor_kind == actor.kind
            and event.actor_id == actor.id
        )

    async def mentions(self) -> list[MentionedUser]:
        ids = self.shown.mentions
        names = await self.ctx.loaders.user_name_by_id.load_many(ids)
        return [
            MentionedUser(id=strawberry.ID(to_base64(USER_TYPE, pk)), name=name or "")
            for pk, name in zip(ids, names, strict=True)
        ]


@strawberry.type(description="案件的一条评论（共享或内部）；撤回后只留痕迹，不再显示原文")
class CaseComment:
    seq: int = strawberry.field(description="评论事件的序号；撤回时作为 commentSeq 提交")
    text: str | None = strawberry.field(description="评论内容；已撤回为 null")
    display_text: str = strawberry.field(description="显示的文字：评论内容，或“（已撤回）”")
    internal: bool = strawberry.field(description="内部评论：仅检察院一方可见")
    author_name: str
    author_unit: Unit | None
    created_at: datetime
    retracted: bool
    retracted_at: datetime | None
    retracted_by_name: str | None
    can_retract: bool = strawberry.field(description="您是作者且尚未撤回")

    @strawberry.field(description="提及的人；已撤回的评论为空")
    async def mentions(self) -> list[MentionedUser]:
        return await _comment(self).mentions()


def _comment(root: object) -> CommentView:
    return root  # type: ignore[return-value]


def comment_views(events: list[CaseEventModel], ctx: Context, last: int) -> list[CaseComment]:
    """The last ``last`` comments of a case the viewer may read, oldest first."""
    shown = shown_comments(events, sees_internal=ctx.audience.sees_internal)
    picked = shown[len(shown) - last :] if last else []
    return [CommentView(c, ctx) for c in picked]  # type: ignore[misc]


# ---- what a comment event shows (CaseEvent.comment and .payload) -------------------------


def shown_event_field(
    event: CaseEventModel,
    ctx: Context,
    retracted: frozenset[int] | None,
    pick: Callable[[CaseEventModel, bool], T],
) -> T | Any:
    """``pick(event, retracted?)`` for a comment event: at once when the caller knows the
    case's retractions, else after reading the case's events (a board event, a step's result)."""
    if retracted is not None:
        return pick(event, event.seq in retracted)

    async def later() -> T:
        events = await ctx.loaders.events_by_case_id.load(event.case_id)
        return pick(event, event.seq in retractions(events))

    return later()


def comment_text(event: CaseEventModel, retracted: bool) -> str:
    return RETRACTED_TEXT if retracted else str(event.payload.get("text", ""))


def comment_payload(event: CaseEventModel, retracted: bool) -> dict[str, Any]:
    return shown_payload(event, retracted)


def is_comment(event: CaseEventModel) -> bool:
    return event.action == COMMENT_STEP


def retracted_in(events: list[CaseEventModel]) -> frozenset[int]:
    return frozenset(retractions(events))
