"""Where a kind plugs its GraphQL types, queries and mutations into the one schema.

A kind's ``hub/kinds/<kind>/schema.py`` exports ``SCHEMA = KindSchema(...)`` and is listed in
``hub.kinds.registry.SCHEMA_MODULES``; nothing else in the GraphQL layer names a kind::

    SCHEMA = KindSchema(
        case_type=PilCase,  # @strawberry.type class PilCase(Case), named as the spec's graphql_type
        view=PilCaseView,  # optional: a CaseView subclass whose properties are PilCase's fields
        types=(Consultation,),  # further types (relay.Node ones are resolved by node(id:))
        query=Query,  # optional @strawberry.type: its fields join the root Query
        mutation=Mutation,  # optional @strawberry.type: its fields join the root Mutation
        detail=PilCaseDetail,  # optional: the detail model, primary key case_id
        reads={"clueSource": Reads(detail=("clue_source",))},  # board column selection
        edit_form=edit_form_of(SPEC, "updatePilCase", "UpdatePilCaseInput", ("title",)),
    )

The kind's type resolves from its ``view`` (``self.data``: the loaded ``CaseData`` — ``row``,
the case columns; ``detail``, the detail columns; ``parties``, ``clocks``, ``facts`` — and
``self.ctx``, the request's context): declare a plain field for each property of the view
(strawberry reads it without running a resolver per card), and a ``@strawberry.field``
resolver only for what needs a query (it receives the view as ``self``). Lists of a kind's
child rows go through ``ctx.loaders.get(name, load_fn)``. A field name missing from ``reads``
makes the board load whole rows: safe, only slower. Root fields may not repeat another
kind's or the generic ones (the schema refuses to build). A kind of the registry without a
schema module is still served, as a type with the Case fields only.

Steps: (1) write ``hub/kinds/<kind>/schema.py`` with the type, its view, typed step
mutations (``hub.schema.mutation.run_step`` runs a service step and returns ``Done`` or the
error member; generic data-less and clock steps need none: ``takeStep``, ``adjustClock``)
and ``SCHEMA``; (2) add the module to ``SCHEMA_MODULES``; (3) ``make schema``.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import cache

import strawberry
from strawberry import relay
from tortoise.models import Model

from hub.domain.kinds import CaseKind, Form, KindSpec
from hub.kinds import registry
from hub.resolvers.cases import DETAIL_MODELS, Details
from hub.schema.case import EDIT_FORMS, VIEWS, Case, CaseView
from hub.services.forms import KindSteps


@dataclass(frozen=True, slots=True)
class Reads:
    """What one GraphQL field of a case reads: columns of the case row, of the detail row."""

    case: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class KindSchema:
    case_type: type
    view: type[CaseView] = CaseView
    types: tuple[type, ...] = ()
    query: type | None = None
    mutation: type | None = None
    detail: type[Model] | None = None
    reads: Mapping[str, Reads] = field(default_factory=dict)
    edit_form: Form | None = None
    # The kind's form steps: their mutations are generated (hub.schema.form_steps).
    steps: KindSteps | None = None


def edit_form_of(
    spec: KindSpec, mutation: str, input_type: str, names: Collection[str]
) -> Form | None:
    """The draft-edit form: the spec's create-form fields in ``names``, each optional (an
    omitted field stays as it is)."""
    if spec.create_form is None:
        return None
    fields = tuple(replace(f, required=False) for f in spec.create_form.fields if f.name in names)
    return Form(mutation, input_type, fields)


# The Case interface's own fields and the case columns each reads (see Reads).
CASE_READS: Mapping[str, Reads] = {
    "__typename": Reads(), "id": Reads(), "kind": Reads(), "kindLabel": Reads(),
    "caseNo": Reads(("case_no",)), "title": Reads(("title",)), "state": Reads(),
    "stateLabel": Reads(), "column": Reads(), "columnLabel": Reads(),
    "lane": Reads(), "laneLabel": Reads(),
    "version": Reads(("version",)), "parties": Reads(), "clocks": Reads(),
    "availableActions": Reads(), "events": Reads(), "internalNote": Reads(("internal_note",)),
    "createdAt": Reads(("created_at",)), "updatedAt": Reads(("updated_at",)),
    "closedAt": Reads(("closed_at",)), "sourceCase": Reads(("source_id",)),
    "linkedCases": Reads(), "editForm": Reads(("author_id",)),
}  # fmt: skip


@dataclass(frozen=True)
class Plugged:
    """Every kind's schema, as the root types are built from it."""

    by_kind: Mapping[CaseKind, KindSchema]
    queries: tuple[type, ...]
    mutations: tuple[type, ...]
    nodes: Mapping[str, type[relay.Node]]  # node types that are not cases, by name

    @property
    def types(self) -> list[type]:
        found = [s.case_type for s in self.by_kind.values()]
        return found + [t for s in self.by_kind.values() for t in s.types]


@cache
def plugged() -> Plugged:
    """Import the registry's schema modules once; a spec without one gets a plain type."""
    schemas: dict[CaseKind, KindSchema] = {}
    by_type = {spec.graphql_type: spec for spec in registry.SPECS}
    for module_name in registry.SCHEMA_MODULES:
        schema = getattr(importlib.import_module(module_name), "SCHEMA", None)
        if not isinstance(schema, KindSchema):
            raise TypeError(f"{module_name} must export SCHEMA = KindSchema(...)")
        name = schema.case_type.__strawberry_definition__.name  # type: ignore[attr-defined]
        if name not in by_type:
            raise TypeError(f"{module_name}: no kind in the registry has graphql_type {name!r}")
        schemas[by_type[name].kind] = schema
    for spec in registry.SPECS:
        if spec.kind not in schemas:
            schemas[spec.kind] = KindSchema(case_type=_plain_type(spec))
    generated: list[type] = []
    for kind, schema in list(schemas.items()):
        if schema.steps is None:
            continue
        from hub.schema.form_steps import generate  # it imports the root mutation's types

        made = generate(registry.BY_KIND[kind], schema.steps)
        if made.mutation is not None:
            generated.append(made.mutation)
        if schema.edit_form is None and made.edit_form is not None:
            schemas[kind] = replace(schema, edit_form=made.edit_form)
    for kind, schema in schemas.items():
        VIEWS[kind] = schema.view
        if schema.detail is not None:
            DETAIL_MODELS[kind] = schema.detail
        if schema.edit_form is not None:
            EDIT_FORMS[kind] = schema.edit_form
    ordered = {spec.kind: schemas[spec.kind] for spec in registry.SPECS}
    nodes = {
        t.__strawberry_definition__.name: t  # type: ignore[attr-defined]
        for s in ordered.values()
        for t in s.types
        if isinstance(t, type) and issubclass(t, relay.Node)
    }
    return Plugged(
        by_kind=ordered,
        queries=tuple(q for s in ordered.values() if (q := s.query) is not None),
        mutations=(
            *(m for s in ordered.values() if (m := s.mutation) is not None),
            *generated,
        ),
        nodes=nodes,
    )


def _plain_type(spec: KindSpec) -> type:
    cls = type(spec.graphql_type, (Case,), {"__module__": __name__})
    return strawberry.type(cls, name=spec.graphql_type, description=spec.label)


def selected_columns(kind: CaseKind, fields: set[str] | None) -> tuple[list[str] | None, Details]:
    """The case columns and detail columns that ``fields`` of a ``kind`` case read; (None, the
    whole detail) when some field's reads are not declared. Fields another kind declares
    (selected in a fragment on its type) are ignored."""
    whole: Details = {kind: None}
    if fields is None:
        return None, whole
    schemas = plugged().by_kind
    own = {**CASE_READS, **schemas[kind].reads}
    others = {name for k, s in schemas.items() if k is not kind for name in s.reads}
    if not fields <= own.keys() | others:
        return None, whole
    reads = [own[name] for name in fields if name in own]
    columns = sorted({c for r in reads for c in r.case})
    detail = sorted({c for r in reads for c in r.detail})
    return columns, ({kind: detail} if detail else {})
