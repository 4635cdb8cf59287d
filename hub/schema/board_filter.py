"""The board's filter, sorts, groupings and views as GraphQL types (``hub.domain.board``)."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID, to_base64

from hub.domain import board as domain
from hub.domain.board import BoardChoice, BoardCriteria
from hub.domain.ids import database_id
from hub.resolvers.mutations import unit_pk
from hub.schema.enums import CaseKind
from hub.schema.forms import USER_TYPE
from hub.services.board_views import View

strawberry.enum(domain.BoardSort, name="BoardSort", description="看板列内卡片的排序")
BoardSort = domain.BoardSort
strawberry.enum(
    domain.BoardLaneBy,
    name="BoardLaneBy",
    description="看板卡片的分组（泳道）方式：KIND 该类案件自身的分组，UNIT 按被建议（接收）单位，"
    "HANDLER 按承办检察官（承办人），NONE 不分组",
)
BoardLaneBy = domain.BoardLaneBy
BUILT_IN_VIEW_TYPE = "BuiltInBoardView"  # the global ID type of a built-in view
VIEW_TYPE = "BoardView"


@strawberry.input(
    description="看板的筛选条件（均为可选，同时给出时取交集）；由服务器在全部可见案件中筛选"
)
class BoardFilter:
    unit_id: GlobalID | None = strawberry.field(
        default=None, description="该单位以任何身份参与的案件（不存在的单位：没有案件）"
    )
    columns: list[str] | None = strawberry.field(
        default=None, description="只显示并统计这些列（列代码，大写，即 BoardColumnInfo.id）"
    )
    handler_id: GlobalID | None = strawberry.field(
        default=None, description="承办检察官（承办人）：filterForm.handlers 中的 id"
    )
    mine: bool | None = strawberry.field(
        default=None, description="true：我承办的（我是承办人，或送达本单位的案件）"
    )
    overdue: bool | None = strawberry.field(
        default=None, description="true：有期限已逾期；false：没有逾期的期限"
    )
    due_within_days: int | None = strawberry.field(
        default=None,
        description=f"有正在计算的期限在今日起若干日内届满（0 到 {domain.DUE_WITHIN_MAX}）",
    )
    search: str | None = strawberry.field(
        default=None, description=f"文号（案号）或标题包含（最多 {domain.SEARCH_MAX} 个字）"
    )


def user_pk(global_id: GlobalID | None) -> int | None:
    """The user behind a global ID; another type is a user that does not exist (-1)."""
    if global_id is None:
        return None
    pk = database_id(global_id.node_id)
    return pk if global_id.type_name == USER_TYPE and pk is not None else -1


def criteria_of(f: BoardFilter | None) -> BoardCriteria:
    """The filter as given (``hub.domain.board.check_criteria`` checks it for a kind)."""
    if f is None:
        return BoardCriteria()
    return BoardCriteria(
        unit_id=unit_pk(f.unit_id),
        columns=tuple(f.columns) if f.columns is not None else None,
        handler_id=user_pk(f.handler_id),
        mine=f.mine,
        overdue=f.overdue,
        due_within_days=f.due_within_days,
        search=f.search,
    )


@strawberry.type(description="看板视图保存的筛选条件（与 BoardFilter 相同）")
class BoardFilterValue:
    unit_id: strawberry.ID | None
    columns: list[str] | None
    handler_id: strawberry.ID | None
    mine: bool | None
    overdue: bool | None
    due_within_days: int | None
    search: str | None


def filter_value(c: BoardCriteria) -> BoardFilterValue:
    def gid(type_name: str, pk: int | None) -> strawberry.ID | None:
        return None if pk is None or pk < 0 else strawberry.ID(to_base64(type_name, pk))

    return BoardFilterValue(
        unit_id=gid("Unit", c.unit_id),
        columns=[col.upper() for col in c.columns] if c.columns is not None else None,
        handler_id=gid(USER_TYPE, c.handler_id),
        mine=c.mine,
        overdue=c.overdue,
        due_within_days=c.due_within_days,
        search=c.search,
    )


@strawberry.type(description="看板视图：内置视图（我承办的、本单位、逾期未回复）或您保存的视图")
class BoardView:
    id: strawberry.ID = strawberry.field(description="看板地址中的 view=；删除时使用")
    name: str
    built_in: bool = strawberry.field(description="内置视图，不能删除")
    filter: BoardFilterValue
    sort: BoardSort | None
    lane_by: BoardLaneBy | None


def board_view(view: View) -> BoardView:
    type_name = BUILT_IN_VIEW_TYPE if view.built_in else VIEW_TYPE
    return BoardView(
        id=strawberry.ID(to_base64(type_name, view.id)),
        name=view.name,
        built_in=view.built_in,
        filter=filter_value(view.choice.criteria),
        sort=view.choice.sort,
        lane_by=view.choice.lane_by,
    )


@strawberry.input(description="保存看板视图；同名视图将被替换")
class SaveBoardViewInput:
    kind: CaseKind
    name: str = strawberry.field(description=f"1 到 {domain.VIEW_NAME_MAX} 个字")
    filter: BoardFilter | None = None
    sort: BoardSort | None = None
    lane_by: BoardLaneBy | None = None


def choice_of(input: SaveBoardViewInput) -> BoardChoice:
    return BoardChoice(criteria_of(input.filter), input.sort, input.lane_by)


@strawberry.type(description="筛选栏的一个选项")
class BoardFilterOption:
    id: strawberry.ID
    label: str


@strawberry.type(description="排序方式")
class BoardSortOption:
    id: BoardSort
    label: str


@strawberry.type(description="分组方式")
class BoardLaneByOption:
    id: BoardLaneBy
    label: str


@strawberry.type(description="到期天数的一个选项，如 7日内到期")
class DueWithinOption:
    days: int
    label: str


@strawberry.type(description="看板筛选栏可以提供给您的选项，均来自服务器")
class BoardFilterForm:
    captions: BoardFilterCaptions = strawberry.field(description="筛选栏各项的名称")
    units: list[BoardFilterOption] = strawberry.field(
        description="您可见的该类案件所涉及的单位（按市政府文件顺序）"
    )
    handlers: list[BoardFilterOption] = strawberry.field(
        description="您可见的该类案件的承办检察官（承办人），按姓名"
    )
    sorts: list[BoardSortOption]
    lane_bys: list[BoardLaneByOption] = strawberry.field(
        description="适用于该类案件的分组方式，第一项为默认"
    )
    due_within_options: list[DueWithinOption]
    search_max_length: int = strawberry.field(description="搜索内容的最大字数")
    due_within_max: int = strawberry.field(description="dueWithinDays 的最大值")


@strawberry.type(description="筛选栏各项的名称（单位、承办人按该类案件对当事方的称呼）")
class BoardFilterCaptions:
    unit: str
    all_units: str
    columns: str
    all_columns: str
    handler: str
    all_handlers: str
    mine: str
    overdue: str
    due_within: str
    no_due_limit: str
    sort: str
    search: str


def sort_options() -> list[BoardSortOption]:
    return [BoardSortOption(id=s, label=label) for s, label in domain.SORT_LABELS.items()]


def due_within_options() -> list[DueWithinOption]:
    return [
        DueWithinOption(days=d, label=domain.due_within_label(d)) for d in domain.DUE_WITHIN_OPTIONS
    ]


@strawberry.type(description="看板列内的一个分组（泳道），按此顺序排列")
class BoardLane:
    id: str = strawberry.field(
        description="分组代码：按该类案件分组时为大写代码（即卡片的 lane）；按单位、承办人分组时为"
        "该单位、该人员的 ID（与 BoardFilter.unitId / handlerId 相同）；未指定时为 UNASSIGNED"
    )
    label: str


UNASSIGNED = "UNASSIGNED"
