"""Every form a spec declares names a mutation and input the schema really has."""

from __future__ import annotations

import pytest
from graphql import GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType, Undefined

from hub.domain.kinds import Form, KindSpec
from hub.kinds import registry
from hub.schema import build_schema
from hub.schema.case import EDIT_FORMS
from hub.schema.forms import STEP_MUTATIONS

SCHEMA = build_schema()._schema


def forms(spec: KindSpec) -> list[tuple[str, Form]]:
    found = [(t.action, t.form) for t in spec.transitions]
    if spec.create_form is not None:
        found.append(("create", spec.create_form))
    if spec.kind in EDIT_FORMS:
        found.append(("edit", EDIT_FORMS[spec.kind]))
    return found


@pytest.mark.parametrize("spec", registry.SPECS, ids=lambda s: s.kind.value)
def test_each_form_matches_its_mutation_and_input(spec: KindSpec) -> None:
    mutation = SCHEMA.mutation_type
    assert isinstance(mutation, GraphQLObjectType)
    for name, form in forms(spec):
        field = mutation.fields.get(form.mutation)
        assert field is not None, (spec.kind, name, form.mutation)
        argument = field.args["input"].type
        argument = argument.of_type if isinstance(argument, GraphQLNonNull) else argument
        assert isinstance(argument, GraphQLInputObjectType), (spec.kind, name)
        assert argument.name == form.input_type, (spec.kind, name, argument.name)
        names = {f.name for f in form.fields} | {n for n, _ in form.fixed}
        if form.mutation in STEP_MUTATIONS:
            names.add("action")
        assert names <= argument.fields.keys(), (spec.kind, name, names - argument.fields.keys())
        required = {
            n for n, f in argument.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        }  # fmt: skip
        assert required <= names | {"id", "version"}, (spec.kind, name, required - names)
