# mypy: disable-error-code="misc"
"""Typed GraphQL mutations generated from a kind's forms, so no kind restates its fields.

For a kind whose schema module gives ``KindSchema(steps=STEPS)`` (``hub.services.forms.
KindSteps``), each step with a handler gets the mutation its spec's form names
(``Form.mutation``), taking the form's input type (``Form.input_type``: ``id``, ``version`` and
one field per form field, typed by the field: an enum for a SELECT with ``enum``, ``ID`` for a
UNIT or a USER, a list of row inputs for a LIST …) and answering ``<Mutation>Result``: the case
after the step, or a typed error. The create form gives ``create<Type>``, the editable fields of it
``update<Type>``. The handler receives the values ``hub.services.forms`` read.

This module does not use postponed annotations: the generated classes and resolvers carry
real types, which strawberry reads as it builds the schema.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types.enum import has_enum_definition

from hub.domain.errors import HubError
from hub.domain.ids import database_id
from hub.domain.kinds import FieldType, Form, FormField, KindSpec
from hub.domain.roles import Actor
from hub.resolvers.mutations import pk_of, unit_pk
from hub.schema.context import Info
from hub.schema.errors import (
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    VersionConflictError,
    as_error_member,
)
from hub.schema.forms import STEP_MUTATIONS, USER_TYPE
from hub.schema.inputs import PeriodInput
from hub.schema.mutation import CaseStepSuccess, Done, run_step
from hub.services.cases import Change
from hub.services.forms import KindSteps, create_from_form, take_form_step, update_from_form

Outcome = (
    CaseStepSuccess
    | NotFoundError
    | PermissionDeniedError
    | InvalidTransitionError
    | VersionConflictError
    | ValidationError
)

_SCALARS: dict[FieldType, Any] = {
    FieldType.TEXT: str,
    FieldType.TEXTAREA: str,
    FieldType.RULE: str,
    FieldType.DATE: date,
    FieldType.DATETIME: datetime,
    FieldType.NUMBER: Decimal,
    FieldType.INTEGER: int,
    FieldType.BOOLEAN: bool,
    FieldType.UNIT: relay.GlobalID,
    FieldType.USER: relay.GlobalID,
    FieldType.PERIOD: PeriodInput,
}


@dataclass(frozen=True)
class Generated:
    """A kind's generated mutations and its draft-edit form."""

    mutation: type | None
    edit_form: Form | None


def generate(spec: KindSpec, steps: KindSteps) -> Generated:
    """The mutation type with every form step of ``steps``, and the edit form."""
    fields: dict[str, Any] = {}
    for action in steps.steps:
        transition = spec.transition_for(action)
        if transition is None:
            raise TypeError(f"{spec.kind}: a handler for {action!r}, which is no step")
        form = transition.form
        if any(t.form != form for t in spec.transitions if t.action == action):
            raise TypeError(f"{spec.kind}.{action}: every row of a step has the same form")
        if form.mutation in STEP_MUTATIONS or form.mutation in fields:
            raise TypeError(f"{spec.kind}.{action}: its form needs a mutation of its own")
        _add(fields, form, transition.label, _stepper(steps, action), with_case=True)
    edit_form = None
    if steps.create is not None:
        if spec.create_form is None:
            raise TypeError(f"{spec.kind}: a create handler without a create form")
        _add(fields, spec.create_form, f"新建{spec.label}", _creator(steps), with_case=False)
    if steps.editable:
        edit_fields = tuple(replace(f, required=False) for f in steps.edit_fields())
        name = spec.graphql_type
        edit_form = Form(f"update{name}", f"Update{name}Input", edit_fields)
        _add(fields, edit_form, f"修改{spec.label}草稿（仅起草人）；未给出的字段不变",
             _updater(steps), with_case=True, partial=True)  # fmt: skip
    if not fields:
        return Generated(None, edit_form)
    cls = type(f"{spec.graphql_type}FormMutation", (), fields)
    return Generated(strawberry.type(cls), edit_form)


Step = Callable[[Actor], Awaitable[Change]]
Run = Callable[[dict[str, Any], relay.GlobalID | None, int | None], Step]


def _stepper(steps: KindSteps, action: str) -> Run:
    spec = steps.spec

    def run(values: dict[str, Any], id: relay.GlobalID | None, version: int | None) -> Any:
        assert id is not None
        assert version is not None
        pk = pk_of(id, spec)
        return lambda actor: take_form_step(steps, actor, pk, version, action, values)

    return run


def _creator(steps: KindSteps) -> Run:
    def run(values: dict[str, Any], id: relay.GlobalID | None, version: int | None) -> Any:
        return lambda actor: create_from_form(steps, actor, values)

    return run


def _updater(steps: KindSteps) -> Run:
    spec = steps.spec

    def run(values: dict[str, Any], id: relay.GlobalID | None, version: int | None) -> Any:
        assert id is not None
        assert version is not None
        pk = pk_of(id, spec)
        return lambda actor: update_from_form(steps, actor, pk, version, values)

    return run


def _add(
    fields: dict[str, Any],
    form: Form,
    description: str,
    run: Run,
    *,
    with_case: bool,
    partial: bool = False,
) -> None:
    input_type = _input(form.input_type, form.fields, description, with_case, partial)
    result = Annotated[Outcome, strawberry.union(_result_name(form.mutation))]

    async def resolve(info: Info, input: Any) -> Any:
        values = _values(form.fields, input)
        case_id = getattr(input, "id", None)
        version = getattr(input, "version", None)
        try:
            step = run(values, case_id, version)
        except HubError as error:  # a foreign or malformed id: not found, like the step
            return as_error_member(error)
        done = await run_step(info, step)
        return CaseStepSuccess(done=done) if isinstance(done, Done) else done

    resolve.__annotations__ = {"info": Info, "input": input_type, "return": result}
    resolve.__name__ = form.mutation
    fields[form.mutation] = strawberry.mutation(
        resolver=resolve, name=form.mutation, description=description
    )


def _result_name(mutation: str) -> str:
    return f"{mutation[0].upper()}{mutation[1:]}Result"


def _input(
    name: str,
    form_fields: tuple[FormField, ...],
    description: str,
    with_case: bool,
    partial: bool,
) -> type:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    if with_case:
        annotations["id"] = relay.GlobalID
        annotations["version"] = int
        namespace["version"] = strawberry.field(description="读取案件时的版本号")
    for f in form_fields:
        python = _python_type(name, f)
        help_text = f.label + (f"：{f.help}" if f.help else "")
        if f.required and not partial:
            annotations[f.name] = python
            namespace[f.name] = strawberry.field(name=f.name, description=help_text)
        else:
            annotations[f.name] = python | None
            namespace[f.name] = strawberry.field(name=f.name, description=help_text, default=None)
    namespace["__annotations__"] = annotations
    cls = type(name, (), namespace)
    return strawberry.input(cls, name=name, description=description)


def _python_type(input_name: str, f: FormField) -> Any:
    if f.type in _SCALARS:
        return _SCALARS[f.type]
    if f.type in (FieldType.SELECT, FieldType.MULTISELECT):
        item: Any = _enum(f.enum) if f.enum is not None else str
        return item if f.type is FieldType.SELECT else list[item]
    if f.type is FieldType.UNITS:
        return list[relay.GlobalID]
    if f.type is FieldType.LIST:
        base = input_name.removesuffix("Input")
        row = _input(f"{base}{f.name[0].upper()}{f.name[1:]}Input", f.fields,
                     f"{f.label}的一行", with_case=False, partial=False)  # fmt: skip
        return list[row]  # type: ignore[valid-type]
    raise TypeError(f"{input_name}.{f.name}: {f.type} fields are not generated")


def user_pk(global_id: relay.GlobalID) -> int:
    """The user a USER field's value names; another type is a user that does not exist."""
    pk = database_id(global_id.node_id)
    return pk if global_id.type_name == USER_TYPE and pk is not None else -1


_ENUMS: dict[type[Enum], Any] = {}


def _enum(enum: type[Enum]) -> Any:
    """The enum as a GraphQL enum (registered once; one already registered is kept)."""
    if not has_enum_definition(enum) and enum not in _ENUMS:
        _ENUMS[enum] = strawberry.enum(enum)
    return enum


def _values(form_fields: tuple[FormField, ...], input: Any) -> dict[str, Any]:
    """The input object as the service reads it: by field name, unit and user IDs as
    database ids (-1 for an ID of another type), rows as dicts."""
    values: dict[str, Any] = {}
    for f in form_fields:
        value = getattr(input, f.name, None)
        if value is None:
            continue
        if f.type is FieldType.UNIT:
            value = unit_pk(value)
        elif f.type is FieldType.USER:
            value = user_pk(value)
        elif f.type is FieldType.UNITS:
            value = [unit_pk(v) for v in value]
        elif f.type is FieldType.LIST:
            value = [_values(f.fields, row) for row in value]
        elif f.type is FieldType.PERIOD:
            value = {"amount": value.amount, "unit": value.unit}
        values[f.name] = value
    return values
