"""The domain's enums, exposed to GraphQL under client-facing names."""

from __future__ import annotations

import strawberry

from hub.domain import deadlines, lifecycle, roles
from hub.models import recommendation as rec

strawberry.enum(lifecycle.State, name="RecommendationState")
RecommendationState = lifecycle.State
strawberry.enum(lifecycle.Column, name="BoardColumn")
BoardColumn = lifecycle.Column
strawberry.enum(lifecycle.Action, name="LifecycleAction")
LifecycleAction = lifecycle.Action
strawberry.enum(roles.Role, name="Role")
Role = roles.Role
strawberry.enum(roles.Side, name="Side")
Side = roles.Side
strawberry.enum(roles.UnitKind, name="UnitKind")
UnitKind = roles.UnitKind
strawberry.enum(deadlines.ReplyRule, name="ReplyRule")
ReplyRule = deadlines.ReplyRule
strawberry.enum(deadlines.PeriodUnit, name="PeriodUnit")
PeriodUnit = deadlines.PeriodUnit
strawberry.enum(rec.RecommendationType, name="RecommendationType")
RecommendationType = rec.RecommendationType
strawberry.enum(rec.ServiceMethod, name="ServiceMethod")
ServiceMethod = rec.ServiceMethod
strawberry.enum(rec.Completeness, name="Completeness")
Completeness = rec.Completeness
strawberry.enum(rec.ReplyDecision, name="ReplyDecision")
ReplyDecision = rec.ReplyDecision
strawberry.enum(rec.ObjectionDecision, name="ObjectionDecision")
ObjectionDecision = rec.ObjectionDecision

strawberry.enum(
    lifecycle.DeadlineLevel,
    name="DeadlineLevel",
    description="期限提示色：绿色正常，黄色 7 日内到期，红色已逾期；不在等待回复时为 NONE",
)
DeadlineLevel = lifecycle.DeadlineLevel
