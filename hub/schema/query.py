"""The generic part of the root Query; each kind's schema module may add its own fields."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry import relay
from strawberry.types.nodes import SelectedField, Selection

from hub.domain.errors import PermissionDenied, ValidationFailed
from hub.domain.ids import database_id
from hub.domain.kinds import KIND_GROUP_LABELS, KindSpec
from hub.domain.roles import Actor
from hub.kinds import registry
from hub.resolvers import queries
from hub.resolvers.cases import load_cases
from hub.resolvers.loaders import all_units
from hub.resolvers.mutations import unit_pk
from hub.schema.board import (
    Board,
    CaseConnection,
    CaseEdge,
    KindInfo,
    column_info,
    grouping_infos,
    lane_infos,
)
from hub.schema.case import Case, view
from hub.schema.context import Info
from hub.schema.enums import CaseKind
from hub.schema.forms import ActionForm, action_form
from hub.schema.inputs import CaseFilter
from hub.schema.kinds import plugged, selected_columns
from hub.schema.outbox import OutboxQuery
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
    if column is not None and all(column not in {c.id for c in s.columns} for s in specs):
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


def selected_card_fields(info: Info, name: str = "cards") -> set[str] | None:
    """The field names selected on ``board.cards``, or None when that can't be told."""
    for board_field in info.selected_fields:
        for selection in board_field.selections:
            if isinstance(selection, SelectedField) and selection.name == name:
                return _field_names(selection.selections)
    return None


def _field_names(selections: list[Selection]) -> set[str] | None:
    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        else:  # fragments: take their fields too
            inner = _field_names(selection.selections)
            if inner is None:
                return None
            names |= inner
    return names


async def one_case(info: Info, **where: object) -> Case | None:
    found = await load_cases(visible_cases(info.context.audience).filter(**where))
    return view(found[0], info.context) if found else None


@strawberry.type
class CaseQueries(OutboxQuery):
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
        await info.context.preload_units()
        page = await queries.list_cases(
            audience, query, today=info.context.today, first=first, after=after,
            max_page=info.context.settings.max_page_size,
        )  # fmt: skip
        return connection(info, page)

    @strawberry.field(description="按文号或案号读取一件您可见的案件")
    async def case_by_no(self, info: Info, case_no: str) -> Case | None:
        return await one_case(info, case_no=case_no)

    @strawberry.field(description="一类案件的看板：列、您可见的全部卡片和继续订阅的游标")
    async def board(self, info: Info, kind: CaseKind = registry.DEFAULT_KIND) -> Board:
        actor, audience = info.context.require_actor(), info.context.audience
        spec = registry.BY_KIND.get(kind)
        if spec is None:
            raise ValidationFailed("平台尚未启用该类案件", field="kind")
        cursor = await last_seq()  # read first: events after it reach the board by subscription
        await info.context.preload_units()
        columns, details = selected_columns(spec.kind, selected_card_fields(info))
        cards = await queries.board_cards(
            audience, spec, limit=info.context.settings.board_max_cards, columns=columns,
            details=details,
        )  # fmt: skip
        return Board(
            kind=spec.kind,
            kind_label=spec.label,
            columns=[column_info(c) for c in spec.columns],
            cards=[view(card, info.context) for card in cards],
            cursor=str(cursor),
            create_form=create_form(actor, spec),
            lanes=lane_infos(spec),
            groupings=grouping_infos(spec),
        )
