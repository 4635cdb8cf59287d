"""Object types. Resolvers receive model instances as ``self``; fields read them directly."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Self, cast

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from hub.domain import lifecycle
from hub.domain.deadlines import RULE_BASIS
from hub.domain.roles import ROLE_LABELS
from hub.domain.visibility import Audience
from hub.models import CaseEvent as CaseEventModel
from hub.models import Recommendation as RecommendationModel
from hub.models import Reply as ReplyModel
from hub.models import Unit as UnitModel
from hub.resolvers.queries import encode_cursor
from hub.schema.context import Info
from hub.schema.enums import (
    BoardColumn,
    Completeness,
    DeadlineLevel,
    LifecycleAction,
    ObjectionDecision,
    RecommendationState,
    RecommendationType,
    ReplyDecision,
    ReplyRule,
    Role,
    ServiceMethod,
    Side,
    UnitKind,
)
from hub.services.visibility import facts_of, visible_recommendations

TYPE_LABELS = {
    RecommendationType.RETRIAL: "再审检察建议",
    RecommendationType.CORRECTION: "纠正违法检察建议",
    RecommendationType.PUBLIC_INTEREST: "公益诉讼检察建议",
    RecommendationType.SOCIAL_GOVERNANCE: "社会治理检察建议",
    RecommendationType.OTHER: "其他检察建议",
}


def _ids(node_ids: Iterable[str]) -> list[int | None]:
    return [int(i) if i.isdigit() else None for i in node_ids]


def _known(ids: list[int | None]) -> list[int]:
    return [i for i in ids if i is not None]


def _in_order(ids: list[int | None], rows: Iterable[Any]) -> list[Any]:
    """Rows in the order of the requested ids; None where a row is unknown or not visible."""
    found = {row.id: row for row in rows}
    return [found.get(i) if i is not None else None for i in ids]


@strawberry.type(description="单位：两个召集单位、28 个成员单位及其他责任单位")
class Unit(relay.Node):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="稳定的单位代码，如 ecology_env")
    name: str
    kind: UnitKind
    side: Side

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, UnitModel)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        info.context.require_actor()
        loader = info.context.loaders.unit_by_id
        return [await loader.load(i) if i is not None else None for i in _ids(node_ids)]  # type: ignore[misc]


@strawberry.type(description="当前请求的身份：用户或 API 令牌，均属于一个单位")
class Viewer:
    name: str
    role: Role
    kind: str

    @strawberry.field
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    unit_id: strawberry.Private[int]

    @strawberry.field
    async def unit(self, info: Info) -> Unit:
        return await info.context.loaders.unit_by_id.load(self.unit_id)  # type: ignore[return-value]


@strawberry.type(description="回复期限：依法计算，从不手工填写")
class Deadline:
    served_on: date = strawberry.field(description="送达日（不计入期间）")
    due_on: date = strawberry.field(description="回复期限的最后一日")
    provisional: bool = strawberry.field(description="该年节假日安排尚未公布，按周末推算")
    explanation: str = strawberry.field(description="一句话说明期限如何得出")
    rule: ReplyRule
    legal_basis: str
    days_left: int = strawberry.field(description="距期限的天数，负数为已逾期天数")
    level: DeadlineLevel


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
        visible = visible_recommendations(info.context.audience).values_list("id", flat=True)
        wanted = _ids(node_ids)
        rows = await ReplyModel.filter(id__in=_known(wanted), recommendation_id__in=visible)
        return _in_order(wanted, rows)


@strawberry.type(description="被建议单位提出的异议及检察长的决定")
class Objection:
    grounds: str
    raised_by: str
    raised_at: datetime
    decision: ObjectionDecision | None
    reasons: str
    decided_by: str
    decided_at: datetime | None


@strawberry.type(description="该身份现在可以执行的一步，来自生命周期转换表")
class AvailableAction:
    action: LifecycleAction
    label: str
    target: BoardColumn | None = strawberry.field(description="执行后所在的看板列；为空则不移动")


@strawberry.type(description="事件日志中的一条：谁、何时、做了什么、状态从何到何")
class CaseEvent:
    seq: int = strawberry.field(description="全局单调递增的序号；订阅游标即此数")
    action: str
    from_state: RecommendationState | None
    to_state: RecommendationState
    version: int = strawberry.field(description="该步之后检察建议的版本号")
    actor_name: str
    comment: str
    payload: JSON
    created_at: datetime

    @strawberry.field
    def cursor(self) -> str:
        return str(self.seq)

    @strawberry.field
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @strawberry.field
    async def recommendation(self, info: Info) -> Recommendation | None:
        rec_id = cast("CaseEventModel", self).recommendation_id
        return await info.context.loaders.recommendation_by_id.load(rec_id)  # type: ignore[return-value]


ACTION_LABELS = {t.action.value: t.label for t in lifecycle.TRANSITIONS} | {
    "create": "起草",
    "recompute_deadline": "节假日安排公布，重新计算期限",
}


@strawberry.type(description="检察建议（看板上的一张卡片）")
class Recommendation(relay.Node):
    id: relay.NodeID[int]
    doc_no: str = strawberry.field(description="文号，如 宿检行建〔2026〕3号")
    title: str
    rec_type: RecommendationType = strawberry.field(name="type")
    issues: str
    suggestions: str
    legal_basis: str
    state: RecommendationState
    served_on: date | None
    service_method: ServiceMethod | None
    version: int = strawberry.field(description="乐观锁版本号：每个变更须带上读取到的版本")
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, RecommendationModel)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        wanted = _ids(node_ids)
        rows = await visible_recommendations(info.context.audience).filter(id__in=_known(wanted))
        return _in_order(wanted, rows)

    @strawberry.field
    def type_label(self) -> str:
        return TYPE_LABELS[self.rec_type]

    @strawberry.field
    def state_label(self) -> str:
        return lifecycle.STATE_LABELS[self.state]

    @strawberry.field(description="看板列：逾期由期限推导，不是存储的状态")
    def column(self, info: Info) -> BoardColumn:
        return lifecycle.board_column(_facts(self), info.context.today)

    @strawberry.field
    def is_overdue(self, info: Info) -> bool:
        return lifecycle.is_overdue(_facts(self), info.context.today)

    @strawberry.field(description="检察院内部备注；对被建议单位一方为 null")
    def internal_note(self, info: Info) -> str | None:
        return _rec(self).internal_note if info.context.audience.sees_internal else None

    # Sync resolvers that may return an awaitable: on a preloaded list they resolve without a
    # coroutine per card, which was a third of the 500-card board query.
    @strawberry.field
    def issuer_unit(self, info: Info) -> Unit:
        return info.context.unit(_rec(self).issuer_unit_id)  # type: ignore[return-value]

    @strawberry.field
    def addressee_unit(self, info: Info) -> Unit:
        return info.context.unit(_rec(self).addressee_unit_id)  # type: ignore[return-value]

    @strawberry.field
    async def prosecutor_name(self, info: Info) -> str | None:
        prosecutor_id = _rec(self).prosecutor_id
        if prosecutor_id is None:
            return None
        return await info.context.loaders.user_name_by_id.load(prosecutor_id)

    @strawberry.field
    def deadline(self, info: Info) -> Deadline | None:
        rec = _rec(self)
        if rec.reply_due is None or rec.served_on is None:
            return None
        return Deadline(
            served_on=rec.served_on,
            due_on=rec.reply_due,
            provisional=rec.due_provisional,
            explanation=rec.due_explanation,
            rule=rec.reply_rule,
            legal_basis=RULE_BASIS[rec.reply_rule],
            days_left=(rec.reply_due - info.context.today).days,
            level=lifecycle.deadline_level(_facts(self), info.context.today),
        )

    @strawberry.field
    async def replies(self, info: Info) -> list[Reply]:
        return await info.context.loaders.replies_by_recommendation_id.load(self.id)  # type: ignore[return-value]

    @strawberry.field
    async def objections(self, info: Info) -> list[Objection]:
        return await info.context.loaders.objections_by_recommendation_id.load(self.id)  # type: ignore[return-value]

    @strawberry.field(description="该检察建议的事件（审计轨迹），按序号排列")
    async def events(self, info: Info) -> list[CaseEvent]:
        events = await info.context.loaders.events_by_recommendation_id.load(self.id)
        return [e for e in events if visible_event(e, info.context.audience)]  # type: ignore[misc]

    @strawberry.field(description="当前身份现在可以执行的步骤；看板据此决定可放置的列")
    def available_actions(self, info: Info) -> list[AvailableAction]:
        actor = info.context.require_actor()
        return [
            AvailableAction(
                action=t.action,
                label=t.label,
                target=lifecycle.Column(t.target.value) if t.target else None,
            )
            for t in lifecycle.available_transitions(actor, _facts(self), info.context.today)
        ]


def visible_event(event: CaseEventModel, audience: Audience) -> bool:
    return audience.sees_internal or not event.internal


@strawberry.type
class RecommendationEdge:
    node: Recommendation

    @strawberry.field
    def cursor(self) -> str:
        return encode_cursor(self.node.id)


@strawberry.type(description="Relay 分页连接；totalCount 只计您可见的检察建议")
class RecommendationConnection:
    edges: list[RecommendationEdge]
    page_info: relay.PageInfo
    total_count: int


@strawberry.type(description="看板的一列")
class BoardColumnInfo:
    column: BoardColumn
    label: str


@strawberry.type(description="看板：列（来自生命周期表）与您可见的卡片")
class Board:
    columns: list[BoardColumnInfo]
    cards: list[Recommendation]
    cursor: str = strawberry.field(description="读取看板时的事件游标：订阅从此处继续")


def _facts(root: object) -> lifecycle.CaseFacts:
    return facts_of(_rec(root))


def _rec(root: object) -> RecommendationModel:
    """Resolvers on ``Recommendation`` receive the model instance as ``self``."""
    return cast("RecommendationModel", root)
