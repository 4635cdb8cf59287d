"""The paged, filtered board: ``board``'s columns and counts, ``boardColumn`` (加载更多),
the board's views and their mutations.

Everything is computed on the server over every case the viewer may see
(``hub.resolvers.board``); the filter bar's options and words come from
``hub.domain.board``; saved views from ``hub.services.board_views``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Annotated

import strawberry
from strawberry.relay import GlobalID, to_base64
from strawberry.types.nodes import SelectedField, Selection

from hub.domain.board import (
    DUE_WITHIN_MAX,
    SEARCH_MAX,
    BoardSort,
    check_criteria,
    filter_captions,
    lane_by_labels,
)
from hub.domain.errors import HubError, ValidationFailed
from hub.domain.ids import database_id
from hub.domain.kinds import KindSpec
from hub.kinds import registry
from hub.resolvers import board as paging
from hub.resolvers.loaders import all_units
from hub.schema.board import BoardColumnInfo, BoardColumnPage, column_info
from hub.schema.board_filter import (
    VIEW_TYPE,
    BoardFilter,
    BoardFilterCaptions,
    BoardFilterForm,
    BoardFilterOption,
    BoardLaneByOption,
    BoardView,
    SaveBoardViewInput,
    board_view,
    choice_of,
    criteria_of,
    due_within_options,
    sort_options,
)
from hub.schema.case import Case, view
from hub.schema.context import Info
from hub.schema.enums import CaseKind
from hub.schema.errors import NotFoundError, PermissionDeniedError, ValidationError, as_error_member
from hub.schema.forms import USER_TYPE
from hub.schema.kinds import selected_columns
from hub.services import board_views

FIRST = "看板每列读取的卡片数（0 到 board_page_max，默认 30）"


def board_spec(kind: CaseKind) -> KindSpec:
    spec = registry.BY_KIND.get(kind)
    if spec is None:
        raise ValidationFailed("平台尚未启用该类案件", field="kind")
    return spec


def _names(selections: list[Selection]) -> set[str] | None:
    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        else:  # fragments: take their fields too
            inner = _names(selection.selections)
            if inner is None:
                return None
            names |= inner
    return names


def _cards_below(selections: list[Selection], path: tuple[str, ...]) -> list[set[str] | None]:
    """The field sets selected on ``cards`` at the end of ``path`` (fragments included)."""
    found: list[set[str] | None] = []
    for selection in selections:
        if not isinstance(selection, SelectedField):
            found += _cards_below(selection.selections, path)
        elif selection.name == path[0]:
            if len(path) == 1:
                found.append(_names(selection.selections))
            else:
                found += _cards_below(selection.selections, path[1:])
    return found


def selected_cards(info: Info, *paths: tuple[str, ...]) -> tuple[set[str] | None, bool]:
    """The fields selected on the cards under ``paths`` together (None: can't be told), and
    whether any cards are selected at all."""
    sets = [
        s
        for field in info.selected_fields
        for p in paths
        for s in _cards_below(field.selections, p)
    ]
    if not sets:
        return set(), False
    if any(s is None for s in sets):
        return None, True
    return set().union(*[s for s in sets if s is not None]), True


@dataclass
class BoardContent:
    columns: list[BoardColumnInfo]
    cards: list[Case]
    total: int
    overdue: int
    due_soon: int
    form_of: Callable[[], Awaitable[BoardFilterForm]]


async def board_content(
    info: Info, spec: KindSpec, filter: BoardFilter | None, sort: BoardSort, first: int
) -> BoardContent:
    """Every column's count and first page under the filter, and the board's totals."""
    ctx = info.context
    actor, audience, today = ctx.require_actor(), ctx.audience, ctx.today
    paging.check_first(first, ctx.settings.board_page_max)
    criteria = check_criteria(spec, criteria_of(filter))
    query = paging.case_query(spec, criteria, actor, today)
    counts = await paging.count_columns(audience, spec, query, criteria, today)
    fields, wanted = selected_cards(info, ("cards",), ("columns", "cards"))
    pages = await paging.first_pages(
        audience, spec, query, counts, sort, first, today, fetch=wanted
    )
    ids = [i for page in pages for i in page.ids]
    await ctx.preload_units()
    columns, details = selected_columns(spec.kind, fields)
    loaded = await paging.load_by_ids(ids, columns=columns, details=details)
    by_id = {i: view(data, ctx) for i, data in loaded.items()}
    infos = []
    for page in pages:
        info_ = column_info(spec.column(page.column))
        info_.total_count = page.total
        info_.cards = [by_id[i] for i in page.ids if i in by_id]
        info_.has_more, info_.end_cursor = page.has_more, page.end_cursor
        infos.append(info_)

    async def form() -> BoardFilterForm:
        return await filter_form(info, spec)

    return BoardContent(
        columns=infos,
        cards=[card for column in infos for card in column.cards],
        total=counts.total,
        overdue=counts.overdue,
        due_soon=counts.due_soon,
        form_of=form,
    )


async def filter_form(info: Info, spec: KindSpec) -> BoardFilterForm:
    ctx = info.context
    audience = ctx.audience
    involved = await paging.party_units(audience, spec)
    units = []
    for row in await all_units():
        if row.id in involved:
            units.append(
                BoardFilterOption(id=strawberry.ID(to_base64("Unit", row.id)), label=row.name)
            )
    people = await paging.handlers(audience, spec)
    return BoardFilterForm(
        captions=BoardFilterCaptions(**filter_captions(spec)),
        units=units,
        handlers=[
            BoardFilterOption(id=strawberry.ID(to_base64(USER_TYPE, pk)), label=name)
            for pk, name in people
        ],
        sorts=sort_options(),
        lane_bys=[
            BoardLaneByOption(id=by, label=label) for by, label in lane_by_labels(spec).items()
        ],
        due_within_options=due_within_options(),
        search_max_length=SEARCH_MAX,
        due_within_max=DUE_WITHIN_MAX,
    )


@strawberry.type
class BoardQueries:
    @strawberry.field(
        description="一类案件看板的又一页卡片（加载更多）：在筛选条件下、按排序，从 after 之后读取"
    )
    async def board_column(
        self,
        info: Info,
        kind: CaseKind,
        column: Annotated[str, strawberry.argument(description="列代码（大写）")],
        filter: BoardFilter | None = None,
        sort: BoardSort = BoardSort.DUE,
        first: Annotated[int, strawberry.argument(description=FIRST)] = 30,
        after: Annotated[
            str | None, strawberry.argument(description="上一页的 endCursor；不给出则从头读取")
        ] = None,
    ) -> BoardColumnPage:
        ctx = info.context
        actor, audience, today = ctx.require_actor(), ctx.audience, ctx.today
        spec = board_spec(kind)
        paging.check_first(first, ctx.settings.board_page_max)
        column_id = _column(spec, column)
        criteria = check_criteria(spec, criteria_of(filter))
        if after is not None:
            paging.decode_cursor(after, sort, column_id)  # refused before any query
        total, rows = 0, []
        if criteria.columns is None or column_id in criteria.columns:  # else: filtered out
            only = replace(criteria, columns=(column_id,))
            query = paging.case_query(spec, only, actor, today)
            counts = await paging.count_columns(audience, spec, query, only, today)
            total = counts.columns[column_id]
            if total and first:
                rows = await paging.column_page(
                    audience, spec, query, column_id, sort, first, after, today
                )
        page = paging.page_of(sort, column_id, total, rows, first)
        fields, _ = selected_cards(info, ("cards",))
        await ctx.preload_units()
        columns, details = selected_columns(spec.kind, fields)
        loaded = await paging.load_by_ids(page.ids, columns=columns, details=details)
        return BoardColumnPage(
            column=column_id.upper(),
            total_count=total,
            cards=[view(loaded[i], ctx) for i in page.ids if i in loaded],
            has_more=page.has_more,
            end_cursor=page.end_cursor,
        )

    @strawberry.field(
        description="该类案件看板的视图：先是适用于您的内置视图（我承办的、本单位、逾期未回复），"
        "再是您保存的视图（按名称）"
    )
    async def board_views(self, info: Info, kind: CaseKind) -> list[BoardView]:
        actor = info.context.require_actor()
        spec = board_spec(kind)
        return [board_view(v) for v in await board_views.views_for(actor, spec)]


def _column(spec: KindSpec, column: str) -> str:
    for c in spec.columns:
        if c.id.upper() == column.upper():
            return c.id
    raise ValidationFailed(f"{spec.label}看板没有列 {column}", field="column")


# ---- saving and deleting views --------------------------------------------------------------


@strawberry.type(description="视图已保存")
class SaveBoardViewSuccess:
    view: BoardView


@strawberry.type(description="视图已删除")
class DeleteBoardViewSuccess:
    id: strawberry.ID


SaveBoardViewResult = Annotated[
    SaveBoardViewSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("SaveBoardViewResult"),
]
DeleteBoardViewResult = Annotated[
    DeleteBoardViewSuccess | NotFoundError | PermissionDeniedError,
    strawberry.union("DeleteBoardViewResult"),
]


def _view_pk(global_id: GlobalID) -> int | None:
    pk = database_id(global_id.node_id)
    return pk if global_id.type_name == VIEW_TYPE else None


@strawberry.type
class BoardMutations:
    @strawberry.mutation(
        description="保存您的看板视图（筛选条件、排序、分组）；同名视图被替换，每个看板最多 50 个"
    )
    async def save_board_view(self, info: Info, input: SaveBoardViewInput) -> SaveBoardViewResult:
        actor = info.context.require_actor()
        try:
            spec = board_spec(input.kind)
            saved = await board_views.save_view(actor, spec, input.name, choice_of(input))
        except HubError as error:
            return as_error_member(error)  # type: ignore[return-value]
        return SaveBoardViewSuccess(view=board_view(saved))

    @strawberry.mutation(description="删除您保存的一个看板视图（内置视图不能删除）")
    async def delete_board_view(self, info: Info, id: GlobalID) -> DeleteBoardViewResult:
        actor = info.context.require_actor()
        try:
            await board_views.delete_view(actor, _view_pk(id))
        except HubError as error:
            return as_error_member(error)  # type: ignore[return-value]
        return DeleteBoardViewSuccess(id=strawberry.ID(to_base64(VIEW_TYPE, _view_pk(id) or 0)))
