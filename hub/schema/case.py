"""The ``Case`` interface every kind's type implements, and what any case is made of.

Every Case type resolves from a ``CaseView``: one case's loaded data (``hub.resolvers.cases``)
as one viewer sees it. Most fields are plain attributes of the view (properties), which
strawberry reads without building an ``Info`` or running its resolver chain: on the 500-card
board that chain cost several times the work the fields do. Fields that need a query keep
resolvers. States, columns and actions are shown as their ids upper-cased (``served`` →
``SERVED``).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from graphql import GraphQLAbstractType
from strawberry import relay
from strawberry.relay import to_base64
from strawberry.scalars import JSON

from hub.clock import BUSINESS_TZ
from hub.domain.clock_rules import RULES
from hub.domain.dates import text_date, text_time
from hub.domain.engine import board_column, clock_facts, deadline_level
from hub.domain.errors import LimitExceeded
from hub.domain.kinds import CaseKind, Column, Form, KindSpec, Transition
from hub.models import CaseEvent as CaseEventModel
from hub.resolvers.actions import actions_for, may_edit, target_column
from hub.resolvers.cases import CaseData, ClockRow
from hub.schema import board_lanes
from hub.schema.board_filter import BoardFilter, BoardLane, BoardLaneBy
from hub.schema.comments import (
    CaseComment,
    CommentPolicy,
    MentionableUser,
    comment_payload,
    comment_policy,
    comment_text,
    comment_views,
    is_comment,
    mentionable_field,
    retracted_in,
    shown_event_field,
)
from hub.schema.context import Context, Info
from hub.schema.enums import CaseKind as CaseKindEnum
from hub.schema.enums import ClockStatus, DeadlineLevel, PartyRole
from hub.schema.forms import ActionForm, action_form
from hub.schema.types import GLOBAL_ID, Unit

if TYPE_CHECKING:
    from hub.kinds.recommendation.schema import Recommendation

# A kind's view class and draft-edit form (from its KindSchema), by kind (hub.schema.kinds).
VIEWS: dict[CaseKind, type[CaseView]] = {}
EDIT_FORMS: dict[CaseKind, Form] = {}
# The one type a legacy field (``recommendation`` on events) may name.
LEGACY_TYPE = "Recommendation"
LegacyRecommendation = Annotated[
    "Recommendation", strawberry.lazy("hub.kinds.recommendation.schema")
]


def upper(value: str | None) -> str | None:
    return value.upper() if value is not None else None


class PartyView:
    """The root of CaseParty."""

    __slots__ = ("ctx", "role", "role_label", "unit_id", "user_id")

    def __init__(
        self, role: PartyRole, role_label: str, unit_id: int, user_id: int | None, ctx: Context
    ):
        self.role, self.role_label, self.unit_id, self.user_id = role, role_label, unit_id, user_id
        self.ctx = ctx

    @property
    def unit(self) -> Any:  # the unit now, when preloaded, else its loader's future
        return self.ctx.unit(self.unit_id)

    @property
    def user_name(self) -> Any:
        return None if self.user_id is None else self.ctx.loaders.user_name_by_id.load(self.user_id)


@strawberry.type(description="案件当事方：一个单位（或其中一人）及其在案件中的身份")
class CaseParty:
    role: PartyRole
    role_label: str
    unit: Unit
    user_name: str | None = strawberry.field(description="承办人等具体人员的姓名；单位身份为 null")


@strawberry.type(description="案件的一个期限：依法计算，从不手工填写")
class CaseClock:
    name: str
    label: str = strawberry.field(description="如 回复期限")
    rule: str = strawberry.field(description="期限规则代码，如 jy_2m")
    rule_label: str
    legal_basis: str
    status: ClockStatus
    started_on: date | None = strawberry.field(description="起算日（不计入期间）")
    due_on: date | None = strawberry.field(description="期限的最后一日")
    due_at: datetime | None = strawberry.field(description="按小时计算的期限的届满时刻")
    provisional: bool = strawberry.field(description="该年节假日安排尚未公布，按周末推算")
    explanation: str = strawberry.field(description="一句话说明期限如何得出")
    days_left: int | None = strawberry.field(description="距最后一日的天数，负数为已逾期天数")
    level: DeadlineLevel


def case_clock(case: CaseData, row: ClockRow, today: date) -> CaseClock:
    spec = case.spec
    clock_spec = spec.clock(row.name)
    rule = RULES[row.rule]
    facts = clock_facts(spec, case.state, row.name, row.status, row.due_on)
    return CaseClock(
        name=row.name,
        label=clock_spec.label,
        rule=row.rule,
        rule_label=rule.label,
        legal_basis=rule.basis,
        status=facts.status,
        started_on=row.started_on,
        due_on=row.due_on,
        # In Beijing time whichever database stored it (PostgreSQL answers in UTC).
        due_at=None if row.due_at is None else row.due_at.astimezone(BUSINESS_TZ),
        provisional=row.provisional,
        explanation=row.explanation,
        days_left=(row.due_on - today).days if row.due_on is not None else None,
        level=deadline_level(facts, today, clock_spec.due_soon_days),
    )


class ActionView:
    """The root of AvailableAction; its form is built only when selected."""

    __slots__ = ("action", "flags", "label", "spec", "target", "transition")

    def __init__(self, spec: KindSpec, t: Transition, target: str | None, flags: frozenset[str]):
        self.action, self.label, self.target = t.action.upper(), t.label, upper(target)
        self.spec, self.transition, self.flags = spec, t, flags

    @property
    def form(self) -> ActionForm:
        return action_form(self.spec, self.transition.form, self.flags, self.transition.action)


@strawberry.type(description="该身份现在可以执行的一步，来自该类案件的转换表")
class AvailableAction:
    action: str = strawberry.field(description="操作代码（大写），如 SERVE")
    label: str
    target: str | None = strawberry.field(description="执行后卡片所在的看板列；为空则仍在原列")
    form: ActionForm = strawberry.field(description="执行该步骤的表单")


class CaseView:
    """The root of every Case type: ``data`` as the request's viewer (``ctx``) sees it. A
    kind's schema module subclasses it for its own fields (``KindSchema.view``)."""

    __slots__ = ("_column", "ctx", "data")

    def __init__(self, data: CaseData, ctx: Context) -> None:
        self.data, self.ctx = data, ctx
        self._column: Column | None = None

    @property
    def id(self) -> int:
        return self.data.id

    # Shorthands of ``data`` for resolvers that receive the view as ``self``.
    @property
    def detail(self) -> Mapping[str, Any]:
        return self.data.detail

    def unit_of(self, role: PartyRole) -> int | None:
        return self.data.unit_of(role)

    def person_of(self, role: PartyRole) -> int | None:
        return self.data.person_of(role)

    @property
    def _id(self) -> str:
        """The global ID as a plain field (relay's resolver per card was a tenth of a board)."""
        return to_base64(self.data.spec.graphql_type, self.data.id)

    @property
    def kind(self) -> CaseKind:
        return self.data.spec.kind

    @property
    def kind_label(self) -> str:
        return self.data.spec.label

    @property
    def case_no(self) -> str:
        return str(self.data.row["case_no"])

    @property
    def title(self) -> str:
        return str(self.data.row["title"])

    @property
    def state(self) -> str:
        return self.data.state.upper()

    @property
    def state_label(self) -> str:
        return self.data.spec.state_label(self.data.state)

    def board_column(self) -> Column:
        if self._column is None:
            self._column = board_column(self.data.spec, self.data.facts, self.ctx.today)
        return self._column

    @property
    def column(self) -> str:
        return self.board_column().id.upper()

    @property
    def column_label(self) -> str:
        return self.board_column().label

    @property
    def version(self) -> int:
        return int(self.data.row["version"])

    @property
    def parties(self) -> list[PartyView]:
        ctx, label = self.ctx, self.data.spec.party_label
        return [
            PartyView(p.role, label(p.role), p.unit_id, p.user_id, ctx) for p in self.data.parties
        ]

    @property
    def clocks(self) -> list[CaseClock]:
        data, today = self.data, self.ctx.today
        return [case_clock(data, row, today) for row in data.clocks]

    @property
    def available_actions(self) -> list[ActionView]:
        data, today, actor = self.data, self.ctx.today, self.ctx.require_actor()
        current = self.board_column().id
        return [
            ActionView(data.spec, t, target_column(data, t, today, current), data.flags)
            for t in actions_for(actor, data, today)
        ]

    @property
    def internal_note(self) -> str | None:
        if not self.ctx.audience.sees_internal:
            return None
        return str(self.data.row["internal_note"])

    @property
    def created_at(self) -> datetime:
        value: datetime = self.data.row["created_at"]
        return value

    @property
    def updated_at(self) -> datetime:
        value: datetime = self.data.row["updated_at"]
        return value

    @property
    def closed_at(self) -> datetime | None:
        value: datetime | None = self.data.row["closed_at"]
        return value

    async def details(self) -> list[DetailSection]:
        """The kind's facts and records for display (a kind's view overrides it)."""
        return []

    def lane_of(self) -> str | None:
        """The card's lane id when the kind has lanes (``KindSpec.lanes``; its view says)."""
        return None

    @property
    def lane(self) -> str | None:
        return upper(self.lane_of()) if self.data.spec.lanes is not None else None

    @property
    def lane_label(self) -> str | None:
        lanes, lane = self.data.spec.lanes, self.lane_of()
        return None if lanes is None or lane is None else lanes.labels.get(lane, lane)

    def units_of(self, role: PartyRole) -> list[int]:
        """Every unit holding ``role`` in the case, in party order."""
        return [p.unit_id for p in self.data.parties if p.role is role]

    async def unit_names(self, unit_ids: Iterable[int]) -> str:
        """The units' names joined with 、 (for a fact row)."""
        names = []
        for unit_id in unit_ids:
            unit = self.ctx.unit(unit_id)
            if inspect.isawaitable(unit):
                unit = await unit
            if unit is not None:
                names.append(unit.name)
        return "、".join(names)

    async def person_name(self, role: PartyRole) -> str:
        user_id = self.data.person_of(role)
        if user_id is None:
            return ""
        return str(await self.ctx.loaders.user_name_by_id.load(user_id) or "")

    @property
    def edit_form(self) -> ActionForm | None:
        data, actor = self.data, self.ctx.require_actor()
        form = EDIT_FORMS.get(data.spec.kind)
        if form is None or not may_edit(actor, data):
            return None
        return action_form(data.spec, form, data.flags, None)


def view(data: CaseData, ctx: Context) -> Case:
    """The case as the request's viewer sees it, typed as the schema says (Case)."""
    return cast("Case", VIEWS.get(data.kind, CaseView)(data, ctx))


def view_or_none(data: CaseData | None, ctx: Context) -> Case | None:
    return view(data, ctx) if data is not None else None


def view_of(root: object) -> CaseView:
    """Resolvers on a Case type receive its view as ``self``."""
    return cast("CaseView", root)


class EventView:
    """The root of CaseEvent: the event, its kind (for labels), its case when known, and
    the sequences of its case's retracted comments when known (else read when needed)."""

    __slots__ = ("case", "ctx", "event", "retracted", "spec")

    def __init__(
        self,
        event: CaseEventModel,
        spec: KindSpec,
        ctx: Context,
        case: CaseData | None = None,
        retracted: frozenset[int] | None = None,
    ) -> None:
        self.event, self.spec, self.ctx, self.case = event, spec, ctx, case
        self.retracted = retracted

    @property
    def seq(self) -> int:
        return int(self.event.seq)

    @property
    def cursor(self) -> str:
        return str(self.event.seq)

    @property
    def action(self) -> str:
        return self.event.action

    @property
    def action_label(self) -> str:
        return self.spec.action_label(self.event.action)

    @property
    def from_state(self) -> str | None:
        return upper(self.event.from_state)

    @property
    def from_state_label(self) -> str | None:
        state = self.event.from_state
        return self.spec.state_label(state) if state is not None else None

    @property
    def to_state(self) -> str:
        return self.event.to_state.upper()

    @property
    def to_state_label(self) -> str:
        return self.spec.state_label(self.event.to_state)

    @property
    def version(self) -> int:
        return self.event.version

    @property
    def actor_name(self) -> str:
        return self.event.actor_name

    @property
    def comment(self) -> Any:
        """A comment event's text (or the trace of its retraction); a step's 说明."""
        if not is_comment(self.event):
            return self.event.comment
        return shown_event_field(self.event, self.ctx, self.retracted, comment_text)

    @property
    def payload(self) -> Any:
        if not is_comment(self.event):
            return self.event.payload
        return shown_event_field(self.event, self.ctx, self.retracted, comment_payload)

    @property
    def created_at(self) -> datetime:
        return self.event.created_at


def _event(root: object) -> EventView:
    return cast("EventView", root)


@strawberry.type(description="事件日志中的一条：谁、何时、做了什么、状态从何到何")
class CaseEvent:
    seq: int = strawberry.field(description="全局单调递增的序号；订阅游标即此数")
    cursor: str
    action: str = strawberry.field(description="操作代码，如 submit_reply")
    action_label: str
    from_state: str | None
    from_state_label: str | None
    to_state: str
    to_state_label: str
    version: int = strawberry.field(description="该步之后案件的版本号")
    actor_name: str
    comment: str
    payload: JSON
    created_at: datetime

    @strawberry.field(description="该事件所属的案件（现在的样子）")
    async def case(self, info: Info) -> Case | None:
        return await _case_of(_event(self))

    @strawberry.field(description="兼容字段：所属案件为检察建议时即 case，否则为 null")
    async def recommendation(self, info: Info) -> LegacyRecommendation | None:
        e = _event(self)
        if e.spec.graphql_type != LEGACY_TYPE:
            return None
        return cast("Recommendation | None", await _case_of(e))


async def _case_of(e: EventView) -> Case | None:
    """The event's case as the viewer sees it now (None if they no longer may)."""
    data = e.case if e.case is not None else await e.ctx.loaders.case_by_id.load(e.event.case_id)
    return view_or_none(data, e.ctx)


def nested_page(info: Info, size: int, name: str) -> int:
    """A nested list's page size, within the same bounds as a top-level page."""
    largest = info.context.settings.max_page_size
    if size < 0 or size > largest:
        raise LimitExceeded(f"{name} 必须在 0 到 {largest} 之间", field=name)
    return size


def event_views(events: list[CaseEventModel], data: CaseData, ctx: Context) -> list[CaseEvent]:
    """The events of one case the viewer may see: internal ones only for the procuratorate."""
    internal, retracted = ctx.audience.sees_internal, retracted_in(events)
    shown = [
        EventView(e, data.spec, ctx, data, retracted) for e in events if internal or not e.internal
    ]
    return cast("list[CaseEvent]", shown)


@strawberry.type(description="一项要素：名称与按本类案件措辞写好的值")
class Fact:
    label: str
    value: str


@strawberry.type(description="一条记录（如一次磋商、一次进展报告）：标题与其要素")
class DetailItem:
    heading: str
    facts: list[Fact]


@strawberry.type(description="详情的一节：本类案件的要素或一组记录，服务器排好，看板与打印通用")
class DetailSection:
    title: str
    facts: list[Fact] = strawberry.field(description="本节的要素（可为空）")
    items: list[DetailItem] = strawberry.field(description="本节的记录，按时间排列（可为空）")
    empty_text: str = strawberry.field(description="没有记录时显示的文字")


def fact(label: str, value: object) -> Fact:
    """A fact row; None and empty values read 未填写, dates as running text (2026年12月2日)."""
    if isinstance(value, datetime):
        value = text_time(value) if value.utcoffset() is not None else value
    elif isinstance(value, date):
        value = text_date(value)
    text = "" if value is None else str(value)
    return Fact(label=label, value=text or "未填写")


@strawberry.interface(
    description="案件：各类案件共有的字段；每类案件一个实现类型（如 Recommendation）"
)
class Case(relay.Node):
    id: relay.NodeID[int]
    _id: relay.GlobalID = strawberry.field(name="id", description=GLOBAL_ID)  # see CaseView
    kind: CaseKindEnum
    kind_label: str = strawberry.field(description="案件种类名称，如 检察建议")
    case_no: str = strawberry.field(description="文号或案号")
    title: str
    state: str = strawberry.field(description="状态代码（大写），如 SERVED")
    state_label: str
    column: str = strawberry.field(description="看板列（大写）：逾期列由期限推导，不是存储的状态")
    column_label: str
    lane: str | None = strawberry.field(
        description="看板列内的分组（泳道）代码（大写），如任务类别；该类案件不分组时为 null"
    )
    lane_label: str | None = strawberry.field(description="分组名称，如 重大改革推进")
    version: int = strawberry.field(description="乐观锁版本号：每个变更须带上读取到的版本")
    parties: list[CaseParty]
    clocks: list[CaseClock]
    available_actions: list[AvailableAction] = strawberry.field(
        description="当前身份现在可以执行的步骤；看板据此决定可放置的列"
    )
    internal_note: str | None = strawberry.field(description="检察院内部备注；对政府一方为 null")
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None

    @classmethod
    def resolve_type(cls, obj: Any, info: Any, abstract_type: GraphQLAbstractType) -> str:
        return view_of(obj).data.spec.graphql_type

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        name: str = cls.__strawberry_definition__.name  # type: ignore[attr-defined]
        return isinstance(obj, CaseView) and obj.data.spec.graphql_type == name

    @strawberry.field(description="该案件的事件（审计轨迹），按序号排列；政府一方看不到内部步骤")
    async def events(
        self,
        info: Info,
        last: Annotated[
            int, strawberry.argument(description="最近的多少条（0 到 max_page_size，默认 50）")
        ] = 50,
    ) -> list[CaseEvent]:
        data = view_of(self).data
        count = nested_page(info, last, "last")
        events = await info.context.loaders.events_by_case_id.load(data.id)
        shown = event_views(events, data, info.context)
        return shown[len(shown) - count :] if count else []

    @strawberry.field(
        description="本案的评论（您可见的），按时间排列；政府一方看不到内部评论，撤回的只留痕迹"
    )
    async def comments(
        self,
        info: Info,
        last: Annotated[
            int, strawberry.argument(description="最近的多少条（0 到 max_page_size，默认 50）")
        ] = 50,
    ) -> list[CaseComment]:
        data = view_of(self).data
        count = nested_page(info, last, "last")
        events = await info.context.loaders.events_by_case_id.load(data.id)
        return comment_views(events, info.context, count)

    @strawberry.field(description="评论中可以 @ 提及的人（可查看本案的在岗人员，不含您自己）")
    async def mentionable_users(self, info: Info) -> list[MentionableUser]:
        return await mentionable_field(view_of(self).data, info.context)

    @strawberry.field(description="您在本案能否评论、能否发表内部评论，及评论的规则")
    def commenting(self, info: Info) -> CommentPolicy:
        return comment_policy(view_of(self).data, info.context)

    @strawberry.field(description="本案由哪件案件引出（您可见时）")
    async def source_case(self, info: Info) -> Case | None:
        source_id = view_of(self).data.row["source_id"]
        if source_id is None:
            return None
        return view_or_none(await info.context.loaders.case_by_id.load(source_id), info.context)

    @strawberry.field(description="由本案引出的案件（您可见的）")
    async def linked_cases(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="最早的多少件（0 到 max_page_size，默认 50）")
        ] = 50,
    ) -> list[Case]:
        count = nested_page(info, first, "first")
        linked = await info.context.loaders.cases_by_source_id.load(view_of(self).id)
        return [view(data, info.context) for data in linked[:count]]

    edit_form: ActionForm | None = strawberry.field(
        description="修改草稿的表单：仅起草人在草稿状态下可见，否则为 null"
    )

    @strawberry.field(
        description="本案的要素与记录，按本类案件的措辞排好（看板详情、打印与导出通用）"
    )
    async def details(self, info: Info) -> list[DetailSection]:
        return await view_of(self).details()

    @strawberry.field(
        description="按该分组方式本卡片所在的泳道（按单位、承办人分组时 id 为其 ID）；"
        "NONE 或该类案件没有这种分组时为 null"
    )
    async def swimlane(self, info: Info, by: BoardLaneBy) -> BoardLane | None:
        return await board_lanes.swimlane_of(view_of(self), by)

    @strawberry.field(
        description="本案在该筛选条件下是否显示在看板上（与 board(filter:) 同一规则），"
        "供看板收到事件时判断"
    )
    async def matches_board_filter(self, info: Info, filter: BoardFilter) -> bool:
        return await board_lanes.matches_filter(view_of(self), filter)
