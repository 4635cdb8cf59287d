"""The root Query type."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types.nodes import SelectedField, Selection

from hub.domain.errors import NotFound
from hub.domain.lifecycle import COLUMN_LABELS, Column, column_criteria
from hub.models import Unit as UnitModel
from hub.resolvers import queries
from hub.schema.context import Info
from hub.schema.inputs import RecommendationFilter
from hub.schema.outbox import OutboxQuery
from hub.schema.types import (
    Board,
    BoardColumnInfo,
    Recommendation,
    RecommendationConnection,
    RecommendationEdge,
    Reply,
    Unit,
    Viewer,
)
from hub.services.events import last_seq
from hub.services.visibility import visible_recommendations

NODE_TYPES: dict[str, type[Recommendation] | type[Reply] | type[Unit]] = {
    "Recommendation": Recommendation,
    "Reply": Reply,
    "Unit": Unit,
}


def _to_query(f: RecommendationFilter | None) -> queries.RecommendationQuery:
    if f is None:
        return queries.RecommendationQuery()
    states, overdue = f.states, f.overdue
    if f.column is not None:
        in_column, overdue = column_criteria(f.column)
        states = sorted(in_column if states is None else in_column & set(states))
    unit_id = None
    if f.addressee_unit is not None:
        if f.addressee_unit.type_name != "Unit" or not f.addressee_unit.node_id.isdigit():
            raise NotFound("单位不存在", field="addresseeUnit")
        unit_id = int(f.addressee_unit.node_id)
    return queries.RecommendationQuery(
        states=states,
        addressee_unit_id=unit_id,
        addressee_unit_code=f.addressee_unit_code,
        overdue=overdue,
        due_before=f.due_before,
    )


def _selected_card_fields(info: Info) -> set[str] | None:
    """The field names selected on ``board.cards``, or None when that can't be told."""
    for board_field in info.selected_fields:
        for selection in board_field.selections:
            if isinstance(selection, SelectedField) and selection.name == "cards":
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


@strawberry.type
class Query(OutboxQuery):
    @strawberry.field(description="按全局 ID 读取；无权查看与不存在的回答完全相同")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        info.context.require_actor()
        node_type = NODE_TYPES.get(id.type_name)
        if node_type is None:
            return None
        (found,) = await node_type.resolve_nodes(info=info, node_ids=[id.node_id])
        return found

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
        return await UnitModel.all()  # type: ignore[return-value]

    @strawberry.field(description="您可见的检察建议，按创建顺序，Relay 游标分页")
    async def recommendations(
        self,
        info: Info,
        filter: RecommendationFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> RecommendationConnection:
        await info.context.preload_units()
        page = await queries.list_recommendations(
            info.context.audience,
            _to_query(filter),
            today=info.context.today,
            first=first,
            after=after,
            max_page=info.context.settings.max_page_size,
        )
        edges = [RecommendationEdge(node=rec) for rec in page.items]  # type: ignore[arg-type]
        return RecommendationConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=queries.encode_cursor(page.items[0].id) if page.items else None,
                end_cursor=queries.encode_cursor(page.items[-1].id) if page.items else None,
            ),
            total_count=page.total,
        )

    @strawberry.field(description="按文号读取一件您可见的检察建议")
    async def recommendation_by_doc_no(self, info: Info, doc_no: str) -> Recommendation | None:
        visible = visible_recommendations(info.context.audience)
        return await visible.get_or_none(doc_no=doc_no)  # type: ignore[return-value]

    @strawberry.field(description="看板：列与您可见的全部卡片，以及继续订阅的游标")
    async def board(self, info: Info) -> Board:
        audience = info.context.audience
        cursor = await last_seq()  # read first: events after it reach the board by subscription
        await info.context.preload_units()
        cards = await queries.board_cards(
            audience,
            limit=info.context.settings.board_max_cards,
            columns=queries.card_columns(_selected_card_fields(info)),
        )
        return Board(
            columns=[BoardColumnInfo(column=c, label=COLUMN_LABELS[c]) for c in Column],
            cards=cards,  # type: ignore[arg-type]
            cursor=str(cursor),
        )
