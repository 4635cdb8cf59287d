"""Input types. Every lifecycle step names the card and the version it was read at."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.relay import GlobalID

from hub.schema.enums import (
    BoardColumn,
    Completeness,
    ObjectionDecision,
    PeriodUnit,
    RecommendationState,
    RecommendationType,
    ReplyDecision,
    ReplyRule,
    ServiceMethod,
)


@strawberry.input(description="检察建议列表的筛选条件（均为可选，同时给出时取交集）")
class RecommendationFilter:
    states: list[RecommendationState] | None = None
    addressee_unit: GlobalID | None = strawberry.field(default=None, description="被建议单位 ID")
    addressee_unit_code: str | None = strawberry.field(default=None, description="被建议单位代码")
    overdue: bool | None = strawberry.field(default=None, description="true：只看逾期未回复")
    due_before: date | None = strawberry.field(default=None, description="回复期限不晚于此日")
    column: BoardColumn | None = None


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.input(description="起草一件检察建议（承办检察官）")
class CreateRecommendationInput:
    doc_no: str
    title: str
    type: RecommendationType
    addressee_unit: GlobalID
    issues: str = ""
    suggestions: str = ""
    legal_basis: str = ""
    internal_note: str = ""


@strawberry.input(description="不需要其他数据的一步：提请审批、批准、退回、签收、督促")
class StepInput:
    id: GlobalID
    version: int
    comment: str = ""


@strawberry.input(description="期间：数量与单位")
class PeriodInput:
    amount: int
    unit: PeriodUnit


@strawberry.input(description="送达检察建议书；回复期限由送达日依法计算")
class ServeRecommendationInput:
    id: GlobalID
    version: int
    served_on: date
    service_method: ServiceMethod = ServiceMethod.WRITTEN
    rule: ReplyRule = strawberry.field(
        default=ReplyRule.STATUTORY_2_MONTHS,
        description="两个月（默认）；公益诉讼紧急情形 15 日；非公益诉讼可自定义",
    )
    custom_period: PeriodInput | None = None
    comment: str = ""


@strawberry.input(description="提交书面整改回复（被建议单位）")
class SubmitReplyInput:
    id: GlobalID
    version: int
    content: str
    measures: str = ""
    completeness: Completeness = Completeness.FULL


@strawberry.input(description="审查整改回复：采纳并结案，或部分采纳继续整改（须说明）")
class ReviewReplyInput:
    id: GlobalID
    version: int
    decision: ReplyDecision
    comment: str = ""


@strawberry.input(description="对检察建议提出异议（被建议单位）")
class RaiseObjectionInput:
    id: GlobalID
    version: int
    grounds: str


@strawberry.input(description="对异议作出决定（检察长）；修改后重新送达须给出新的建议内容和送达日")
class DecideObjectionInput:
    id: GlobalID
    version: int
    decision: ObjectionDecision
    reasons: str
    amended_suggestions: str | None = None
    served_on: date | None = None
