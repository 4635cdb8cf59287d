"""The static cost of a GraphQL operation, computed from its document before anything runs.

The cost is an upper bound of how many field values the response can hold: every selected
field counts 1 for each object it is selected on (``__typename`` is free; a field whose
objects are dear to build, a case above all, counts ``CostModel.weights`` instead), and a list field
multiplies its selection by how many items it may return — its page argument (``first`` or
``last``, the argument's default when absent) or, for a list without one, the largest size it
can have (``CostModel.sizes``, else ``CostModel.default_list``). Nested lists multiply; every
alias is a field of its own; fragments count where they are spread. On an abstract type
(``Case``) the selection costs what its dearest concrete type makes of it (``... on PilCase``
applies to a PilCase only). The same document and variables always cost the same, so a client
can compute it; the hub reports it in ``extensions.cost``.

The walk is linear in the document: the cost of a selection set per item is computed once per
(selection set, type) and multiplied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_list_type,
)
from graphql.language import ValueNode
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

PAGE_ARGUMENTS = ("first", "last")
# A connection's page size applies to these lists of the type it returns.
PAGED_LISTS = frozenset({"edges", "nodes"})


@dataclass(frozen=True, slots=True)
class CostModel:
    """How large each list can be. ``sizes`` is keyed ``"Type.field"`` or ``"field"`` (any
    type); a list with a page argument is sized by the argument instead."""

    default_list: int = 50
    sizes: Mapping[str, int] = field(default_factory=dict)
    # What one object costs instead of 1, by ``"Type.field"`` or by the type of the objects
    # (a case loads its rows and builds a view; the board's cards are loaded in bulk).
    weights: Mapping[str, int] = field(default_factory=dict)
    # A page argument above this is refused by its resolver before any work (LIMIT_EXCEEDED).
    max_page: int | None = None
    # Per field (``"Type.field"``) whose page argument has a smaller maximum than ``max_page``.
    max_pages: Mapping[str, int] = field(default_factory=dict)
    # Lists sized by the page argument of an enclosing field, times a factor: a board's
    # ``first`` is per column, so ``BoardColumnInfo.cards`` is ``first`` and the union of the
    # columns' pages ``Board.cards`` is ``first`` × the most columns a board has.
    paged: Mapping[str, int] = field(default_factory=dict)
    # Lists through which an enclosing page argument reaches the lists below (``Board.columns``).
    page_through: frozenset[str] = frozenset()

    def list_size(self, parent: str, name: str) -> int:
        size = self.sizes.get(f"{parent}.{name}")
        if size is None:
            size = self.sizes.get(name, self.default_list)
        return size


def introspection_sizes(schema: GraphQLSchema) -> dict[str, int]:
    """Lists of the introspection types, sized by this schema: the number of types and
    directives, and per type or field the average number of fields, arguments and values over
    the whole schema (an enum has no fields, an object no values: a nested introspection
    query is as large as the schema makes it, no larger)."""
    types = [t for name, t in schema.type_map.items() if not name.startswith("__")]
    composite = [t for t in types if is_composite_type(t)]
    fields = [f for t in composite for f in getattr(t, "fields", {}).values()]
    inputs = [
        f for t in types if not is_composite_type(t) for f in getattr(t, "fields", {}).values()
    ]
    values = [v for t in types for v in getattr(t, "values", {}).values()]
    abstract = [t for t in types if is_abstract_type(t)]
    possible = sum(len(schema.get_possible_types(t)) for t in abstract)
    interfaces = sum(len(getattr(t, "interfaces", ())) for t in types)

    def per_type(total: int) -> int:
        return max(1, -(-total // max(1, len(types))))

    return {
        "__Schema.types": len(types),
        "__Schema.directives": len(schema.directives),
        "__Type.fields": per_type(len(fields)),
        "__Type.inputFields": per_type(len(inputs)),
        "__Type.enumValues": per_type(len(values)),
        "__Type.interfaces": per_type(interfaces),
        "__Type.possibleTypes": per_type(possible),
        "__Field.args": max(1, -(-sum(len(f.args) for f in fields) // max(1, len(fields)))),
        "__Directive.args": 3,
        "__Directive.locations": 20,
    }


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        model: CostModel,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        defaults: Mapping[str, ValueNode | None],
    ) -> None:
        self.schema, self.model = schema, model
        self.fragments, self.variables, self.defaults = fragments, variables, defaults
        self._per_item: dict[tuple[int, str, int | None], int] = {}

    def selection_cost(
        self, selections: SelectionSetNode, parent: GraphQLNamedType, page: int | None
    ) -> int:
        """What selecting ``selections`` costs on one object of type ``parent``."""
        key = (id(selections), parent.name, page)
        cached = self._per_item.get(key)
        if cached is not None:
            return cached
        self._per_item[key] = 0  # a cycle (refused by validation) costs nothing more
        if is_abstract_type(parent):
            concrete = self.schema.get_possible_types(parent)
            cost = max((self._on(selections, t, page) for t in concrete), default=0)
        else:
            cost = self._on(selections, parent, page)
        self._per_item[key] = cost
        return cost

    def _on(
        self, selections: SelectionSetNode, concrete: GraphQLNamedType, page: int | None
    ) -> int:
        cost = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                cost += self._field(selection, concrete, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, concrete):
                    cost += self._on(selection.selection_set, concrete, page)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None and self._applies(
                    fragment.type_condition.name.value, concrete
                ):
                    cost += self._on(fragment.selection_set, concrete, page)
        return cost

    def _applies(self, condition: str, concrete: GraphQLNamedType) -> bool:
        if condition == concrete.name:
            return True
        target = self.schema.get_type(condition)
        if target is None or not is_abstract_type(target):
            return False
        return isinstance(concrete, GraphQLObjectType) and self.schema.is_sub_type(
            target,
            concrete,
        )

    def _field(self, node: FieldNode, parent: GraphQLNamedType, page: int | None) -> int:
        name = node.name.value
        if name == "__typename":
            return 0
        definition = self._definition(parent, name)
        if definition is None:
            return 1  # refused by validation before this counts
        key = f"{parent.name}.{name}"
        own_page = self._page(node, definition, key)
        size = 1
        if _is_list(definition.type):
            if own_page is not None:
                size = own_page
            elif page is not None and name in PAGED_LISTS:
                size = page
            elif page is not None and key in self.model.paged:
                size = page * self.model.paged[key]
            else:
                size = self.model.list_size(parent.name, name)
        inner = get_named_type(definition.type)
        weights = self.model.weights
        cost = weights.get(f"{parent.name}.{name}", weights.get(inner.name, 1))
        if node.selection_set is not None and is_composite_type(inner):
            child_page = own_page if not _is_list(definition.type) else None
            if child_page is None and key in self.model.page_through:
                child_page = page
            cost += self.selection_cost(node.selection_set, inner, child_page)
        return size * cost

    def _definition(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        if name == "__schema" and parent is self.schema.query_type:
            return SchemaMetaFieldDef
        if name == "__type" and parent is self.schema.query_type:
            return TypeMetaFieldDef
        fields: Mapping[str, GraphQLField] = getattr(parent, "fields", {})
        return fields.get(name)

    def _page(self, node: FieldNode, definition: GraphQLField, key: str) -> int | None:
        """The field's page size when it has a page argument; None otherwise."""
        for name in PAGE_ARGUMENTS:
            argument = definition.args.get(name)
            if argument is None:
                continue
            value = self._argument(node, name)
            if value is None and isinstance(argument.default_value, int):
                value = argument.default_value
            if value is not None:
                largest = self.model.max_pages.get(key, self.model.max_page)
                return max(0, value if largest is None else min(value, largest))
        return None

    def _argument(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                if given is None:
                    default = self.defaults.get(value.name.value)
                    return int(default.value) if isinstance(default, IntValueNode) else None
                return given if isinstance(given, int) and not isinstance(given, bool) else None
        return None


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return is_list_type(type_) or isinstance(type_, GraphQLList)


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    model: CostModel,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The cost of the operation ``operation_name`` of a validated ``document`` (0 when the
    document names no such operation: execution refuses it)."""
    operation = operation_of(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    defaults = {
        v.variable.name.value: v.default_value for v in operation.variable_definitions or ()
    }
    walk = _Walk(schema, model, fragments, variables or {}, defaults)
    return walk.selection_cost(operation.selection_set, root, None)
