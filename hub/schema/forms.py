"""Step forms as the board receives them: built from the kind's spec, never restated here.

A form names the mutation and input type that take the step, its fields (with the deadline
rules a RULE field offers for this case) and the input values the step implies. Forms are
immutable, so each distinct one is built once and shared by every card that offers it; only a
USER field's options depend on who asks, so they are resolved per request
(``hub.services.forms.offered_users``).
"""

from __future__ import annotations

from functools import lru_cache

import strawberry
from strawberry.relay import to_base64

from hub.domain import kinds
from hub.domain.clock_rules import RULES
from hub.domain.kinds import CaseKind, Form, KindSpec
from hub.kinds.registry import spec_of
from hub.schema.context import Info
from hub.schema.enums import FormFieldType, UnitScope
from hub.services.forms import offered_users

# Mutations shared by every kind, whose input names the step: its form fixes ``action``.
STEP_MUTATIONS = frozenset({"takeStep", "adjustClock"})
USER_TYPE = "User"  # the type a USER field's option values (global IDs) name


@strawberry.type(description="下拉或多选的一个选项")
class FormOption:
    value: str = strawberry.field(description="提交时使用的值")
    label: str


@strawberry.type(description="期限规则：法律依据与期间（custom 为 true 时须填写自定义期限）")
class DeadlineRuleOption:
    id: str = strawberry.field(description="规则代码，如 jy_2m；提交时作为 deadlineRule 的值")
    label: str
    basis: str = strawberry.field(description="法律依据")
    custom: bool = strawberry.field(description="期间由办案人员确定（须同时提交 customPeriod）")


async def _field_options(root: FormField, info: Info) -> list[FormOption]:
    """The spec's options; for a USER field the users it offers the viewer."""
    if root.user_scope is None:
        return list(root.choices)
    actor = info.context.actor
    if actor is None:
        return []
    users = await offered_users(root.user_scope, actor)
    return [FormOption(value=to_base64(USER_TYPE, u.id), label=u.label) for u in users]


@strawberry.type(description="表单的一个输入字段；name 即输入类型中的字段名")
class FormField:
    name: str
    label: str
    type: FormFieldType
    required: bool
    options: list[FormOption] = strawberry.field(
        resolver=_field_options,
        description="SELECT / MULTISELECT 的选项；USER 字段为当前用户可选的人员（本单位在岗、"
        "角色符合），提交时使用其 value",
    )
    rules: list[DeadlineRuleOption] = strawberry.field(
        description="RULE 字段：该案件可选的期限规则（随案件性质不同）"
    )
    help: str
    max_length: int | None
    fields: list[FormField] = strawberry.field(description="LIST 字段：每一行的输入字段")
    unit_scope: UnitScope = strawberry.field(description="UNIT / UNITS 字段：可选哪些单位")
    min_value: int | None = strawberry.field(description="NUMBER / INTEGER 字段的最小值")
    max_value: int | None = strawberry.field(description="NUMBER / INTEGER 字段的最大值")
    choices: strawberry.Private[tuple[FormOption, ...]]
    user_scope: strawberry.Private[kinds.UserScope | None]


@strawberry.type(description="该步骤隐含的输入值，提交时原样带上（如审查决定）")
class FixedValue:
    name: str
    value: str


@strawberry.type(description="执行一步所需的表单：调用哪个变更、输入类型和字段")
class ActionForm:
    mutation: str = strawberry.field(description="执行该步骤的变更字段名，如 serveRecommendation")
    input_type: str = strawberry.field(description="该变更的输入类型名")
    fields: list[FormField]
    fixed: list[FixedValue]


def action_form(
    spec: KindSpec, form: Form, flags: frozenset[str], action: str | None
) -> ActionForm:
    """The form of a step (``action``) or of creating/editing a case (None) of ``spec``."""
    return _build(spec.kind, form, flags, action)


@lru_cache(maxsize=1024)
def _build(kind: CaseKind, form: Form, flags: frozenset[str], action: str | None) -> ActionForm:
    spec = spec_of(kind)
    fixed = [FixedValue(name=name, value=value) for name, value in form.fixed]
    if action is not None and form.mutation in STEP_MUTATIONS:
        fixed.insert(0, FixedValue(name="action", value=action.upper()))
    return ActionForm(
        mutation=form.mutation,
        input_type=form.input_type,
        fields=[_field(spec, f, flags) for f in form.fields],
        fixed=fixed,
    )


def _field(spec: KindSpec, field: kinds.FormField, flags: frozenset[str]) -> FormField:
    rules: list[DeadlineRuleOption] = []
    if field.type is kinds.FieldType.RULE and field.clock is not None:
        for rule_id in spec.clock(field.clock).rules_for(flags):
            rule = RULES[rule_id]
            rules.append(DeadlineRuleOption(
                id=rule.id, label=rule.label, basis=rule.basis, custom=rule.period is None
            ))  # fmt: skip
    return FormField(
        name=field.name,
        label=field.label,
        type=field.type,
        required=field.required,
        choices=tuple(
            FormOption(value=_option_value(field, o.value), label=o.label) for o in field.options
        ),
        user_scope=field.user_scope,
        rules=rules,
        help=field.help,
        max_length=field.max_length,
        fields=[_field(spec, f, flags) for f in field.fields],
        unit_scope=field.unit_scope,
        min_value=field.min_value,
        max_value=field.max_value,
    )


def _option_value(field: kinds.FormField, value: str) -> str:
    """An option as its generated input takes it: an enum-typed field's GraphQL enum value
    (the member's name, e.g. CRIME_TO_POLICE), else the option's own value."""
    if field.enum is None:
        return value
    return field.enum(value).name
