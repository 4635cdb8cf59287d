"""Input types shared by every kind. Every step names the case and the version it was read at."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.relay import GlobalID

from hub.schema.enums import CaseKind, PeriodUnit


@strawberry.input(description="列出一项统计数字所统计的案件：照抄该数字的 cases 字段")
class FigureInput:
    id: str
    from_: date = strawberry.field(name="from")
    to: date
    kinds: list[CaseKind] | None = None
    unit_ids: list[GlobalID] | None = None


@strawberry.input(description="案件列表的筛选条件（均为可选，同时给出时取交集）")
class CaseFilter:
    kinds: list[CaseKind] | None = strawberry.field(default=None, description="只看这些种类")
    states: list[str] | None = strawberry.field(default=None, description="状态代码（大写）")
    column: str | None = strawberry.field(
        default=None, description="看板列代码（大写），如 OVERDUE"
    )
    unit_id: GlobalID | None = strawberry.field(
        default=None, description="该单位以任何身份参与的案件"
    )
    overdue: bool | None = strawberry.field(
        default=None, description="true：有期限已逾期；false：没有逾期的期限"
    )
    due_before: date | None = strawberry.field(
        default=None, description="有正在计算的期限不晚于此日届满"
    )
    search: str | None = strawberry.field(default=None, description="文号（案号）或标题包含")
    figure: FigureInput | None = strawberry.field(
        default=None, description="一项统计数字所统计的案件（照抄 StatFigure.cases）"
    )


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.input(description="不需要其他数据的一步：提请审批、批准、退回、签收、督促")
class StepInput:
    id: GlobalID
    version: int
    comment: str = ""


@strawberry.input(description="任一类案件中不需要其他数据的一步（表单的 fixed 给出 action）")
class TakeStepInput:
    id: GlobalID
    version: int
    action: str = strawberry.field(description="操作代码（大写），见 availableActions")
    comment: str = ""


@strawberry.input(description="期间：数量与单位")
class PeriodInput:
    amount: int
    unit: PeriodUnit


@strawberry.input(description="期限的中止、恢复或延长：须写明日期和理由；延长须给出期间")
class AdjustClockInput:
    id: GlobalID
    version: int
    action: str = strawberry.field(description="操作代码（大写），如 SUSPEND_REVIEW")
    on: date = strawberry.field(description="中止、恢复或延长的日期")
    reason: str
    period: PeriodInput | None = strawberry.field(default=None, description="延长的期间")
