"""The domain's enums, exposed to GraphQL under client-facing names."""

from __future__ import annotations

import strawberry

from hub.domain import deadlines, lifecycle, roles
from hub.models import recommendation as rec

RecommendationState = strawberry.enum(lifecycle.State, name="RecommendationState")
BoardColumn = strawberry.enum(lifecycle.Column, name="BoardColumn")
LifecycleAction = strawberry.enum(lifecycle.Action, name="LifecycleAction")
Role = strawberry.enum(roles.Role, name="Role")
Side = strawberry.enum(roles.Side, name="Side")
UnitKind = strawberry.enum(roles.UnitKind, name="UnitKind")
ReplyRule = strawberry.enum(deadlines.ReplyRule, name="ReplyRule")
PeriodUnit = strawberry.enum(deadlines.PeriodUnit, name="PeriodUnit")
RecommendationType = strawberry.enum(rec.RecommendationType, name="RecommendationType")
ServiceMethod = strawberry.enum(rec.ServiceMethod, name="ServiceMethod")
Completeness = strawberry.enum(rec.Completeness, name="Completeness")
ReplyDecision = strawberry.enum(rec.ReplyDecision, name="ReplyDecision")
ObjectionDecision = strawberry.enum(rec.ObjectionDecision, name="ObjectionDecision")

DeadlineLevel = strawberry.enum(
    lifecycle.DeadlineLevel,
    name="DeadlineLevel",
    description="期限提示色：绿色正常，黄色 7 日内到期，红色已逾期；不在等待回复时为 NONE",
)
