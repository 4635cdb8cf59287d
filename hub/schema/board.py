"""The board of one kind, the kinds a viewer may work with, and the case connection."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from strawberry import relay

from hub.domain.kinds import UNGROUPED, Column, KindSpec
from hub.resolvers.queries import encode_cursor
from hub.schema.board_filter import BoardFilterForm, BoardLane
from hub.schema.bulk import BulkAction
from hub.schema.case import Case
from hub.schema.enums import CaseKind, KindGroup
from hub.schema.forms import ActionForm


@strawberry.type(description="看板的一列（来自该类案件的定义）")
class BoardColumnInfo:
    id: str = strawberry.field(description="列代码（大写），即卡片的 column")
    label: str
    collapsed: bool = strawberry.field(description="默认收起（已结束的列）")
    overdue: bool = strawberry.field(description="由期限推导的逾期列")
    total_count: int = strawberry.field(
        default=0, description="该列在筛选条件下的卡片总数（精确，不受分页影响）"
    )
    cards: list[Case] = strawberry.field(
        default_factory=list, description="该列按排序的前 first 张卡片"
    )
    has_more: bool = strawberry.field(
        default=False, description="该列还有更多卡片：用 boardColumn(after: endCursor) 继续读取"
    )
    end_cursor: str | None = strawberry.field(
        default=None, description="本页最后一张卡片的游标；该列没有卡片时为 null"
    )

    @strawberry.field(deprecation_reason="请使用 id")
    def column(self) -> str:
        return self.id


def column_info(column: Column) -> BoardColumnInfo:
    return BoardColumnInfo(
        id=column.id.upper(),
        label=column.label,
        collapsed=column.collapsed,
        overdue=column.overdue_clock is not None,
    )


# (defined with the board's filter types: Case.swimlane returns it too)


def lane_infos(spec: KindSpec) -> list[BoardLane]:
    """The kind's lanes in board order (none for a kind without lanes)."""
    lanes = spec.lanes
    if lanes is None:
        return []
    return [BoardLane(id=key.upper(), label=label) for key, label in lanes.labels.items()]


@strawberry.type(description="看板卡片的一种分组方式，供切换")
class BoardGrouping:
    id: str = strawberry.field(description="分组方式代码，如 LANES、NONE（记在看板地址中）")
    label: str = strawberry.field(description="如 按类别分组、不分组")
    by_lanes: bool = strawberry.field(description="按 lanes 分组（否则各列卡片不分组）")


GROUP_BY_LANES, NO_GROUPING = "LANES", "NONE"


def grouping_infos(spec: KindSpec) -> list[BoardGrouping]:
    """The groupings a viewer may switch between, the default first (none: not switchable)."""
    lanes = spec.lanes
    if lanes is None or not lanes.switch:
        return []
    return [BoardGrouping(id=GROUP_BY_LANES, label=lanes.switch, by_lanes=True),
            BoardGrouping(id=NO_GROUPING, label=UNGROUPED, by_lanes=False)]  # fmt: skip


@strawberry.type(description="一类案件的看板：列与您可见的卡片，以及继续订阅的游标")
class Board:
    kind: CaseKind
    kind_label: str
    columns: list[BoardColumnInfo]
    cards: list[Case] = strawberry.field(
        deprecation_reason="请使用 columns.cards",
        description="各列第一页卡片的合集（按列的顺序）",
    )
    cursor: str = strawberry.field(description="读取看板时的事件游标：订阅从此处继续")
    create_form: ActionForm | None = strawberry.field(
        description="新建该类案件的表单；您无权新建时为 null"
    )
    lanes: list[BoardLane] = strawberry.field(
        default_factory=list, description="列内卡片的分组（泳道），按顺序；该类案件不分组时为空"
    )
    groupings: list[BoardGrouping] = strawberry.field(
        default_factory=list,
        description="可切换的分组方式，第一项为默认；不可切换（或不分组）时为空",
    )
    total_count: int = strawberry.field(default=0, description="筛选条件下各列的卡片总数（精确）")
    overdue_count: int = strawberry.field(default=0, description="其中有期限已逾期的卡片数")
    due_soon_count: int = strawberry.field(
        default=0, description="其中有期限即将到期（黄色提示）的卡片数"
    )
    form_of: strawberry.Private[Callable[[], Awaitable[BoardFilterForm]] | None] = None

    @strawberry.field(description="筛选栏可以提供给您的选项（单位、承办人、排序、分组、到期天数）")
    async def filter_form(self) -> BoardFilterForm:
        if self.form_of is None:
            raise RuntimeError("a board without its filter form")
        return await self.form_of()

    bulk_actions: list[BulkAction] = strawberry.field(
        default_factory=list,
        description="您可在该看板上批量办理的操作（takeSteps）；没有时为空，看板不显示批量操作",
    )


@strawberry.type(description="看板一列的又一页卡片（加载更多）")
class BoardColumnPage:
    column: str = strawberry.field(description="列代码（大写）")
    total_count: int = strawberry.field(description="该列在筛选条件下的卡片总数（精确）")
    cards: list[Case]
    has_more: bool
    end_cursor: str | None


@strawberry.type(description="平台启用的一类案件")
class KindInfo:
    kind: CaseKind
    label: str
    can_create: bool = strawberry.field(description="您可以新建该类案件")
    create_form: ActionForm | None
    group: KindGroup = strawberry.field(
        default=KindGroup.MECHANISM, description="导航中的分组（案件、工作机制）"
    )
    group_label: str = strawberry.field(default="工作机制", description="分组的名称，如 案件")


@strawberry.type
class CaseEdge:
    node: Case

    @strawberry.field
    def cursor(self) -> str:
        return encode_cursor(self.node.id)


@strawberry.type(description="Relay 分页连接；totalCount 只计您可见的案件")
class CaseConnection:
    edges: list[CaseEdge]
    page_info: relay.PageInfo
    total_count: int
