"""The generic part of the root Query; each kind's schema module may add its own fields."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, cast

import strawberry
from strawberry import relay

from hub.domain.errors import PermissionDenied, ValidationFailed
from hub.domain.ids import database_id
from hub.domain.kinds import KIND_GROUP_LABELS, KindSpec
from hub.domain.roles import Actor
from hub.kinds import registry
from hub.resolvers import queries
from hub.resolvers.cases import load_cases
from hub.resolvers.loaders import all_units
from hub.resolvers.mutations import unit_pk
from hub.schema import board_query
from hub.schema.board import (
    Board,
    CaseConnection,
    CaseEdge,
    KindInfo,
    grouping_infos,
    lane_infos,
)
from hub.schema.board_filter import BoardFilter, BoardSort
from hub.schema.bulk import bulk_actions
from hub.schema.case import Case, view
from hub.schema.context import Info
from hub.schema.enums import CaseKind
from hub.schema.forms import ActionForm, action_form
from hub.schema.inputs import CaseFilter
from hub.schema.kinds import plugged
from hub.schema.notifications import NotificationQueries
from hub.schema.outbox import OutboxQuery
from hub.schema.statistics import StatisticsQueries, figure_case_ids
from hub.schema.types import Unit, Viewer
from hub.services.cases import ensure_may_create
from hub.services.events import last_seq
from hub.services.visibility import visible_cases


def case_query(f: CaseFilter | None) -> queries.CaseQuery:
    specs = registry.SPECS
    if f is None:
        return queries.CaseQuery(specs=specs)
    if f.kinds is not None:
        specs = tuple(s for s in specs if s.kind in f.kinds)
    states = [s.lower() for s in f.states] if f.states is not None else None
    unknown = set(states or ()) - {s for spec in specs for s in spec.states}
    if unknown:
        raise ValidationFailed(f"没有状态 {'、'.join(sorted(unknown)).upper()}", field="states")
    column = f.column.lower() if f.column is not None else None
    if column is not None and all(column not in {c.id.lower() for c in s.columns} for s in specs):
        raise ValidationFailed(f"没有看板列 {f.column}", field="column")
    return queries.CaseQuery(
        specs=specs,
        states=states,
        column=column,
        unit_id=unit_pk(f.unit_id),
        overdue=f.overdue,
        due_before=f.due_before,
        search=f.search,
    )


def connection(info: Info, page: queries.Page, prefix: str = "case") -> CaseConnection:
    items = page.items
    return CaseConnection(
        edges=[CaseEdge(node=view(data, info.context)) for data in items],
        page_info=relay.PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=queries.encode_cursor(items[0].id, prefix) if items else None,
            end_cursor=queries.encode_cursor(items[-1].id, prefix) if items else None,
        ),
        total_count=page.total,
    )


def create_form(actor: Actor, spec: KindSpec) -> ActionForm | None:
    if spec.create_form is None or not may_create(actor, spec):
        return None
    return action_form(spec, spec.create_form, frozenset(), None)


def may_create(actor: Actor, spec: KindSpec) -> bool:
    try:
        ensure_may_create(actor, spec.kind)
    except PermissionDenied:
        return False
    return True


async def one_case(info: Info, **where: object) -> Case | None:
    found = await load_cases(visible_cases(info.context.audience).filter(**where))
    return view(found[0], info.context) if found else None


@strawberry.type
class CaseQueries(OutboxQuery, NotificationQueries, board_query.BoardQueries, StatisticsQueries):
    @strawberry.field(description="按全局 ID 读取；无权查看与不存在的回答完全相同")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        info.context.require_actor()
        spec = registry.BY_TYPE_NAME.get(id.type_name)
        if spec is not None:
            pk = database_id(id.node_id)
            if pk is None:
                return None
            data = await info.context.loaders.case_by_id.load(pk)
            if data is None or data.kind is not spec.kind:
                return None
            return view(data, info.context)
        nodes: dict[str, type[relay.Node]] = {"Unit": Unit, **plugged().nodes}
        node_type = nodes.get(id.type_name)
        if node_type is None:
            return None
        (found,) = await node_type.resolve_nodes(info=info, node_ids=[id.node_id])  # type: ignore[misc]
        return cast("relay.Node | None", found)

    @strawberry.field(description="当前身份；未登录时为 null")
    def viewer(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor is None:
            return None
        return Viewer(
            name=actor.name, role=actor.role, kind=actor.kind.value, unit_id=actor.unit_id
        )

    @strawberry.field(description="全部单位（按市政府文件顺序）")
    async def units(self, info: Info) -> list[Unit]:
        info.context.require_actor()
        return cast("list[Unit]", await all_units())

    @strawberry.field(description="平台启用的案件种类，及您能否新建")
    def kinds(self, info: Info) -> list[KindInfo]:
        actor = info.context.require_actor()
        return [
            KindInfo(
                kind=spec.kind,
                label=spec.label,
                can_create=may_create(actor, spec),
                create_form=create_form(actor, spec),
                group=spec.group,
                group_label=KIND_GROUP_LABELS[spec.group],
            )
            for spec in registry.SPECS
        ]

    @strawberry.field(description="您可见的各类案件，按创建顺序，Relay 游标分页")
    async def cases(
        self,
        info: Info,
        filter: CaseFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> CaseConnection:
        audience = info.context.audience
        query = case_query(filter)
        if filter is not None and filter.figure is not None:
            query = replace(query, case_ids=await figure_case_ids(info, filter.figure))
        await info.context.preload_units()
        page = await queries.list_cases(
            audience, query, today=info.context.today, first=first, after=after,
            max_page=info.context.settings.max_page_size,
        )  # fmt: skip
        return connection(info, page)

    @strawberry.field(description="按文号或案号读取一件您可见的案件")
    async def case_by_no(self, info: Info, case_no: str) -> Case | None:
        return await one_case(info, case_no=case_no)

    @strawberry.field(
        description="一类案件的看板：在筛选条件下各列的精确总数与按排序的前 first 张卡片，"
        "以及继续订阅的游标；更多卡片用 boardColumn 读取"
    )
    async def board(
        self,
        info: Info,
        kind: CaseKind = registry.DEFAULT_KIND,
        filter: BoardFilter | None = None,
        sort: BoardSort = BoardSort.DUE,
        first: Annotated[int, strawberry.argument(description=board_query.FIRST)] = 30,
    ) -> Board:
        actor = info.context.require_actor()
        spec = board_query.board_spec(kind)
        cursor = await last_seq()  # read first: events after it reach the board by subscription
        content = await board_query.board_content(info, spec, filter, sort, first)
        return Board(
            kind=spec.kind,
            kind_label=spec.label,
            columns=content.columns,
            cards=content.cards,
            total_count=content.total,
            overdue_count=content.overdue,
            due_soon_count=content.due_soon,
            form_of=content.form_of,
            cursor=str(cursor),
            create_form=create_form(actor, spec),
            lanes=lane_infos(spec),
            groupings=grouping_infos(spec),
            bulk_actions=bulk_actions(spec, actor),
        )
