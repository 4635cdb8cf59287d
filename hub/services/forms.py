"""Steps whose input is a form of the kind's spec: the values read and checked here, once.

A kind declares each step's fields in its spec (``Transition.form``, ``KindSpec.create_form``)
and its handlers in ``STEPS = KindSteps(...)``; the GraphQL mutations generated from the forms
(``hub.schema.form_steps``), the demo and the tests all run a step through
``take_form_step`` / ``create_from_form`` / ``update_from_form``, so a handler receives values
that already are what the form promises:

======================  ====================================================================
field type              value the handler receives
======================  ====================================================================
TEXT / TEXTAREA         cleaned ``str`` (``""`` when optional and empty)
DATE / DATETIME         ``date`` / aware ``datetime`` within 2000–2099, or None
NUMBER / INTEGER        ``Decimal`` / ``int`` within ``min_value``–``max_value``, or None
BOOLEAN                 ``bool``
SELECT / MULTISELECT    the ``enum`` member (or option ``str``) / a list of them, no repeats
UNIT / UNITS            an existing unit's id of the field's scope / a list of them
USER                    the id of a user the field's ``user_scope`` offers the actor
LIST                    a list of dicts, each read by the field's own ``fields``
PERIOD                  a ``Period`` (amount >= 1 and a unit), or None
======================  ====================================================================

Values are read inside the step's transaction, after the engine allowed the step: a viewer
who may not take it learns nothing about the inputs, and a refused input changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from hub.domain.deadlines import Period, PeriodUnit
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import (
    USER_OPTIONS_MAX,
    CaseKind,
    FieldType,
    Form,
    FormField,
    KindSpec,
    UnitScope,
    UserScope,
)
from hub.domain.roles import ROLE_LABELS, Actor, Role, Side
from hub.kinds.registry import spec_of
from hub.models import Unit, User
from hub.services.cases import (
    Change,
    StepContext,
    ensure_may_create,
    steps_together,
    take_step,
    update_draft,
)
from hub.services.text import MAX_TEXT, clean_text

Values = dict[str, Any]
StepHandler = Callable[[StepContext, Values], Awaitable[dict[str, Any] | None]]
CreateHandler = Callable[[Actor, Values], Awaitable[Change]]

MAX_ROWS = 100  # rows of one LIST field
MAX_UNITS = 60  # units of one UNITS field (the city has 35)
FIRST_YEAR, LAST_YEAR = 2000, 2099
SINGLE_LINE = 200  # default limit of a TEXT field


@dataclass(frozen=True)
class KindSteps:
    """A kind's handlers for its form steps, by action; ``create`` opens a case from the create
    form; ``update`` applies a draft edit (only the fields given, title and internal note
    already applied); ``editable`` names the create-form fields a draft edit may change."""

    kind: CaseKind
    create: CreateHandler | None = None
    update: StepHandler | None = None
    editable: tuple[str, ...] = ()
    steps: Mapping[str, StepHandler] = field(default_factory=dict)
    # Steps whose handler opens or moves other cases in the step's transaction (a meeting
    # recording a resolution opens its card): taken inside ``steps_together``, so every event
    # is announced only after the one commit.
    together: frozenset[str] = frozenset()

    @property
    def spec(self) -> KindSpec:
        return spec_of(self.kind)

    def edit_fields(self) -> tuple[FormField, ...]:
        form = self.spec.create_form
        if form is None:
            return ()
        return tuple(f for f in form.fields if f.name in self.editable)


async def take_form_step(
    steps: KindSteps,
    actor: Actor,
    case_id: int,
    version: int,
    action: str,
    raw: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> Change:
    """Take ``action`` with the values of its form (``comment`` goes to the event)."""
    handler = steps.steps[action]
    comment = raw.get("comment") or ""

    async def apply(ctx: StepContext) -> dict[str, Any] | None:
        assert ctx.transition is not None
        values = await read_values(ctx.transition.form.fields, raw, ctx.conn, actor=ctx.actor)
        values.pop("comment", None)
        return await handler(ctx, values)

    if action in steps.together:
        async with steps_together():
            return await take_step(actor, case_id, version, action, kind=steps.kind,
                                   apply=apply, comment=str(comment), now=now)  # fmt: skip
    return await take_step(actor, case_id, version, action, kind=steps.kind, apply=apply,
                           comment=str(comment), now=now)  # fmt: skip


async def create_from_form(steps: KindSteps, actor: Actor, raw: Mapping[str, Any]) -> Change:
    """Open a case of the kind from the values of its create form."""
    spec = ensure_may_create(actor, steps.kind)  # before the inputs: a refusal says nothing
    assert spec.create_form is not None
    assert steps.create is not None
    values = await read_values(spec.create_form.fields, raw, actor=actor)
    return await steps.create(actor, values)


async def update_from_form(
    steps: KindSteps,
    actor: Actor,
    case_id: int,
    version: int,
    raw: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> Change:
    """The author edits a draft: only the fields given in ``raw`` change."""
    fields = steps.edit_fields()
    given = {name: value for name, value in raw.items() if value is not None}
    handler = steps.update

    async def apply(ctx: StepContext) -> dict[str, Any] | None:
        values = await read_values(fields, given, ctx.conn, partial=True, actor=ctx.actor)
        values.pop("title", None)
        values.pop("internalNote", None)
        if handler is None or not values:
            return {"fields": sorted(given)}
        payload = await handler(ctx, values) or {}
        return {"fields": sorted(given), **payload}

    title, note = given.get("title"), given.get("internalNote")
    return await update_draft(actor, case_id, version, steps.kind, title=title,
                              internal_note=note, apply=apply, now=now)  # fmt: skip


async def read_values(
    fields: Sequence[FormField],
    raw: Mapping[str, Any],
    conn: BaseDBAsyncClient | None = None,
    *,
    partial: bool = False,
    actor: Actor | None = None,
) -> Values:
    """The form's values from ``raw`` (by field name), checked; with ``partial`` only the
    fields present are read and none is required. A USER field is read for ``actor`` (the
    users it offers depend on who acts)."""
    values: Values = {}
    for f in fields:
        if partial and raw.get(f.name) is None:
            continue
        values[f.name] = await _value(f, raw.get(f.name), conn, actor, required=f.required)
    return values


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


async def _value(
    f: FormField,
    value: Any,
    conn: BaseDBAsyncClient | None,
    actor: Actor | None,
    *,
    required: bool,
) -> Any:
    if _empty(value):
        if required:
            raise ValidationFailed(f"请填写“{f.label}”", field=f.name)
        return _blank(f)
    kind = f.type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.RULE):
        if not isinstance(value, str):
            raise ValidationFailed(f"“{f.label}”应为文字", field=f.name)
        default = SINGLE_LINE if kind is not FieldType.TEXTAREA else MAX_TEXT
        text = clean_text(value, f.name, required=required, limit=f.max_length or default)
        if kind is FieldType.TEXT and ("\n" in text or "\r" in text):
            raise ValidationFailed(f"“{f.label}”不能换行", field=f.name)
        return text
    if kind in (FieldType.DATE, FieldType.DATETIME):
        return _moment(f, value)
    if kind in (FieldType.NUMBER, FieldType.INTEGER):
        return _number(f, value)
    if kind is FieldType.BOOLEAN:
        return bool(value)
    if kind is FieldType.SELECT:
        return _option(f, value)
    if kind is FieldType.MULTISELECT:
        return _distinct([_option(f, v) for v in _listed(f, value, MAX_ROWS)])
    if kind is FieldType.UNIT:
        (unit,) = await _units(f, [value], conn)
        return unit
    if kind is FieldType.UNITS:
        return await _units(f, _distinct(_listed(f, value, MAX_UNITS)), conn)
    if kind is FieldType.USER:
        return await _user(f, value, conn, actor)
    if kind is FieldType.LIST:
        rows = _listed(f, value, MAX_ROWS)
        return [await read_values(f.fields, _row(f, row), conn, actor=actor) for row in rows]
    if kind is FieldType.PERIOD:
        return _period(f, value)
    raise TypeError(f"field type {kind} is not read by forms")


def _blank(f: FormField) -> Any:
    if f.type in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.RULE):
        return ""
    if f.type is FieldType.BOOLEAN:
        return False
    if f.type in (FieldType.MULTISELECT, FieldType.UNITS, FieldType.LIST):
        return []
    return None


def _moment(f: FormField, value: Any) -> date | datetime:
    moment: date | datetime = value
    if f.type is FieldType.DATETIME:
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValidationFailed(f"“{f.label}”应为带时区的时间", field=f.name)
    elif not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationFailed(f"“{f.label}”应为日期", field=f.name)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValidationFailed(f"“{f.label}”应在 {FIRST_YEAR}—{LAST_YEAR} 年之间", field=f.name)
    return moment


def _number(f: FormField, value: Any) -> int | Decimal:
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationFailed(f"“{f.label}”应为数字", field=f.name)
    if f.type is FieldType.INTEGER and number != number.to_integral_value():
        raise ValidationFailed(f"“{f.label}”应为整数", field=f.name)
    if f.min_value is not None and number < f.min_value:
        raise ValidationFailed(f"“{f.label}”不能小于 {f.min_value}", field=f.name)
    if f.max_value is not None and number > f.max_value:
        raise ValidationFailed(f"“{f.label}”不能大于 {f.max_value}", field=f.name)
    return int(number) if f.type is FieldType.INTEGER else number


def _period(f: FormField, value: Any) -> Period:
    """A PERIOD field: ``{"amount": int >= 1, "unit": PeriodUnit}`` (a custom rule's period)."""
    raw = value if isinstance(value, Mapping) else {}
    amount, unit = raw.get("amount"), getattr(raw.get("unit"), "value", raw.get("unit"))
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise ValidationFailed(f"“{f.label}”应为至少 1 的整数期间", field=f.name)
    if unit not in {u.value for u in PeriodUnit}:
        raise ValidationFailed(f"“{f.label}”的单位不是可选的值", field=f.name)
    return Period(amount, PeriodUnit(unit))


def _option(f: FormField, value: Any) -> Any:
    allowed = {o.value for o in f.options}
    text = getattr(value, "value", value)
    if not isinstance(text, str) or text not in allowed:
        raise ValidationFailed(f"“{f.label}”不是可选的值", field=f.name)
    return f.enum(text) if f.enum is not None else text


def _listed(f: FormField, value: Any, limit: int) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise ValidationFailed(f"“{f.label}”应为列表", field=f.name)
    if len(value) > limit:
        raise ValidationFailed(f"“{f.label}”最多 {limit} 项", field=f.name)
    return list(value)


def _row(f: FormField, row: Any) -> Mapping[str, Any]:
    if not isinstance(row, Mapping):
        raise ValidationFailed(f"“{f.label}”的每一行应为对象", field=f.name)
    return row


def _distinct(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


async def _units(f: FormField, ids: list[Any], conn: BaseDBAsyncClient | None) -> list[int]:
    """Existing units of the field's scope, in the order given; any other id is refused
    alike (a unit that does not exist and one outside the scope look the same)."""
    if not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids):
        raise ValidationFailed(f"“{f.label}”中有不存在的单位", field=f.name)
    query = Unit.filter(id__in=ids)
    if f.unit_scope is UnitScope.GOVERNMENT:
        query = query.filter(side=Side.GOVERNMENT)
    found = set(
        await (query.using_db(conn) if conn is not None else query).values_list("id", flat=True)
    )
    if len(found) != len(set(ids)):
        raise ValidationFailed(f"“{f.label}”中有不存在的单位", field=f.name)
    return list(ids)


@dataclass(frozen=True, slots=True)
class OfferedUser:
    """A user a USER field offers: the option's value is ``id``, its label ``label``."""

    id: int
    name: str
    role: Role
    label: str


async def offered_users(
    scope: UserScope, actor: Actor, conn: BaseDBAsyncClient | None = None
) -> list[OfferedUser]:
    """The users a USER field of ``scope`` offers ``actor``: the active users of the actor's
    own unit holding one of the scope's roles, by name (at most ``USER_OPTIONS_MAX``). The
    form lists exactly these, and the step accepts exactly these."""
    query = (
        User.filter(unit_id=actor.unit_id, is_active=True, role__in=sorted(scope.roles))
        .order_by("display_name", "id")
        .limit(USER_OPTIONS_MAX)
    )
    rows = await (query.using_db(conn) if conn is not None else query).values_list(
        "id", "display_name", "role"
    )
    several = len(scope.roles) > 1  # then the role tells the people apart
    return [
        OfferedUser(
            pk, name, Role(role), f"{name}（{ROLE_LABELS[Role(role)]}）" if several else name
        )
        for pk, name, role in rows
    ]


def _scope_words(scope: UserScope) -> str:
    return "、".join(ROLE_LABELS[r] for r in sorted(scope.roles))


async def _user(
    f: FormField, value: Any, conn: BaseDBAsyncClient | None, actor: Actor | None
) -> int:
    """One of the users the field offers the actor; any other id (no such user, one of
    another unit or role, one no longer active) is refused alike."""
    if f.user_scope is None or actor is None:
        raise TypeError(f"USER field {f.name} read without its scope or an actor")
    offered = {u.id for u in await offered_users(f.user_scope, actor, conn)}
    if isinstance(value, bool) or not isinstance(value, int) or value not in offered:
        raise ValidationFailed(
            f"“{f.label}”须从本单位在岗的{_scope_words(f.user_scope)}中选择", field=f.name
        )
    return value


def form_of(spec: KindSpec, action: str) -> Form:
    transition = spec.transition_for(action)
    assert transition is not None, f"{spec.kind}: no transition {action!r}"
    return transition.form
