"""The domain's generic enums, exposed to GraphQL under client-facing names.

A kind's own enums (its types, decisions, legacy state enums) live in its schema module.
"""

from __future__ import annotations

import strawberry

from hub.domain import deadlines, engine, kinds, roles

strawberry.enum(roles.Role, name="Role")
Role = roles.Role
strawberry.enum(roles.Side, name="Side")
Side = roles.Side
strawberry.enum(roles.UnitKind, name="UnitKind")
UnitKind = roles.UnitKind
strawberry.enum(deadlines.PeriodUnit, name="PeriodUnit")
PeriodUnit = deadlines.PeriodUnit
strawberry.enum(
    kinds.CaseKind, name="CaseKind", description="案件种类；平台启用哪些由服务端决定（见 kinds）"
)
CaseKind = kinds.CaseKind
strawberry.enum(
    kinds.KindGroup, name="KindGroup", description="案件种类在导航中的分组：案件或工作机制"
)
KindGroup = kinds.KindGroup
strawberry.enum(kinds.PartyRole, name="PartyRole", description="单位（或其中一人）在案件中的身份")
PartyRole = kinds.PartyRole
strawberry.enum(kinds.FieldType, name="FormFieldType", description="表单字段的输入方式")
FormFieldType = kinds.FieldType
strawberry.enum(kinds.UnitScope, name="UnitScope", description="单位字段可选的范围")
UnitScope = kinds.UnitScope
strawberry.enum(
    engine.ClockStatus,
    name="ClockStatus",
    description="期限状态（按规则所见：期限只在其计算的状态中运行，其余时间为 STOPPED）",
)
ClockStatus = engine.ClockStatus
strawberry.enum(
    engine.DeadlineLevel,
    name="DeadlineLevel",
    description="期限提示色：绿色正常，黄色即将到期（天数依各期限设定，回复期限为 7 日），"
    "红色已逾期；期限不在计算时为 NONE",
)
DeadlineLevel = engine.DeadlineLevel
