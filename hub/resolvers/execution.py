"""graphql-core's execution with Tortoise models treated as the plain values they are, and
plain fields completed without graphql-core's per-field machinery.

A Tortoise model instance defines ``__await__`` (awaiting it returns itself), so graphql-core
takes every model a resolver returns for an awaitable: a coroutine per object and a task per
list item (design.md §4). The hub's executor never awaits a model, and asks each value's type
once whether it can be awaited (the check runs for every field of every card).

Plain fields (strawberry's "basic" fields: an attribute of the source, no resolver, no
arguments, no extension) are most of a board: some 20,000 on 500 cards, each costing
graphql-core a path, a resolve info, a resolver call and a chain of ``complete_*`` calls —
several times the work of reading the attribute. For those the executor compiles, once per
selection, a completer that reads the attribute and completes it directly: leaves coerced by
their type, lists item by item, objects (``is_type_of`` checked) by their own compiled
selection. It gives up on anything the standard path would treat specially — a null where
the type is non-null, an awaitable, an exception, a value that is not a list, an abstract
type, arguments, ``@defer``/``@stream``, middleware — and the field is then executed the
standard way from scratch, so errors, their paths and messages are graphql-core's own.
Reading a plain field again is harmless: they are attributes and properties without effects.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import CO_ITERABLE_COROUTINE
from operator import attrgetter
from types import CoroutineType, GeneratorType
from typing import Any, TypeGuard

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    is_enum_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    is_specified_scalar_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from graphql.pyutils.gather_with_cancel import gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from tortoise.models import Model

_awaitable_types: dict[type, bool] = {}


def is_awaitable(value: Any) -> TypeGuard[Any]:
    """graphql-core's test (a coroutine, an iterable coroutine, or ``__await__``), models aside."""
    cls = type(value)
    known = _awaitable_types.get(cls)
    if known is not None:
        return known
    if cls is GeneratorType:
        return bool(value.gi_code.co_flags & CO_ITERABLE_COROUTINE)
    result = issubclass(cls, CoroutineType) or (
        hasattr(cls, "__await__") and not issubclass(cls, Model)
    )
    _awaitable_types[cls] = result
    return result


# Per value type: whether the fast path may complete it (not awaitable, not an exception).
_plain_types: dict[type, bool] = {}


def _plain(value: Any) -> bool:
    cls = type(value)
    known = _plain_types.get(cls)
    if known is None:
        if cls is GeneratorType:  # an iterable coroutine or not: the standard path decides
            return False
        known = _plain_types[cls] = not is_awaitable(value) and not issubclass(cls, Exception)
    return known


class _Slow(Exception):
    """The fast path cannot complete this value; the field is executed the standard way."""


_SLOW = _Slow()
_NO_INFO: Any = None
Complete = Callable[[Any], Any]
# A selection's fields: response name, the field's nodes, and its getter and completer
# (both None: executed the standard way).
FieldPlan = tuple[str, FieldDetailsList, Callable[[Any], Any] | None, Complete | None]
# Directives graphql-core has applied by the time fields are collected.
_APPLIED = frozenset({"skip", "include"})


class HubExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor (resolvers keep their ``info``), models not awaited, plain fields
    completed directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable
        manager = self.middleware_manager
        # Middleware must see every field: with any, every field takes the standard path.
        self._fast = manager is None or not manager.middlewares
        # By the identity of a collected selection (kept alive with its plan); per-event
        # copies of a subscription's executor share it, as they share collected fields.
        self._plans: dict[int, tuple[GroupedFieldSet, list[FieldPlan] | None]] = {}
        self._completers: dict[tuple[int, int], tuple[Any, Complete | None]] = {}
        # The plans whose every field is plain, by the plan's identity (plans are kept).
        self._wholly_plain: dict[int, list[tuple[str, Callable[[Any], Any], Complete]]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if position_context is not None or not self._fast:  # incremental delivery
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plan = self._plan(parent_type, grouped_field_set)
        if plan is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        whole = self._wholly_plain.get(id(plan))
        if whole is not None:  # every field plain (a card, a clock): all at once
            try:
                return {name: complete(get(source_value)) for name, get, complete in whole}
            except Exception:  # field by field below
                pass
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, get, complete in plan:
                if get is not None and complete is not None:
                    try:
                        results[response_name] = complete(get(source_value))
                        continue
                    except Exception:  # the standard path below decides
                        pass
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gather(results, awaitable_fields)

    @staticmethod
    async def _gather(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        """The standard path's awaitables together (as graphql-core does: loaders batch)."""
        if len(awaitable_fields) == 1:
            results[awaitable_fields[0]] = await results[awaitable_fields[0]]
        else:
            awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    # ---- compiling ----------------------------------------------------------------------

    def _plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> list[FieldPlan] | None:
        """The fields of a selection on ``parent_type``; None when none is plain."""
        cached = self._plans.get(id(grouped_field_set))
        if cached is not None and cached[0] is grouped_field_set:
            return cached[1]
        plan: list[FieldPlan] = []
        for response_name, field_details_list in grouped_field_set.items():
            get = self._getter(parent_type, field_details_list)
            complete = None
            if get is not None:
                field_def = parent_type.fields.get(field_details_list[0].node.name.value)
                return_type = field_def.type if field_def is not None else None
                if return_type is not None:
                    complete = self._completer(return_type, field_details_list)
            if complete is None:
                get = None
            plan.append((response_name, field_details_list, get, complete))
        fast = plan if any(entry[2] is not None for entry in plan) else None
        self._plans[id(grouped_field_set)] = (grouped_field_set, fast)
        whole = [(name, get, complete) for name, _, get, complete in plan if get and complete]
        if len(whole) == len(plan):
            self._wholly_plain[id(plan)] = whole
        return fast

    def _getter(
        self, parent_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Callable[[Any], Any] | None:
        """How a plain field reads its value from the source; None if it is not plain."""
        for details in field_details_list:
            node = details.node
            if details.defer_usage is not None or details.fragment_variable_values is not None:
                return None
            if node.arguments or any(d.name.value not in _APPLIED for d in node.directives or ()):
                return None
        name = field_details_list[0].node.name.value
        if name == "__typename":
            type_name = parent_type.name
            return lambda _source: type_name
        field_def = parent_type.fields.get(name)
        if field_def is None or field_def.args or field_def.subscribe is not None:
            return None
        if not getattr(field_def.resolve, "_is_default", False):  # strawberry's basic field
            return None
        field = field_def.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        python_name = getattr(field, "python_name", None)
        if getattr(field, "default_resolver", None) is not getattr or not python_name:
            return None
        return attrgetter(python_name)

    def _completer(
        self, return_type: GraphQLOutputType, field_details_list: FieldDetailsList
    ) -> Complete | None:
        """Completes a plain field's value of ``return_type``, raising _Slow where the
        standard path would do more than complete it; None if it never could."""
        key = (id(return_type), id(field_details_list))
        cached = self._completers.get(key)
        if cached is not None and cached[0] is field_details_list:
            return cached[1]
        complete = self._compile(return_type, field_details_list)
        self._completers[key] = (field_details_list, complete)
        return complete

    def _compile(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        non_null: bool = False,
    ) -> Complete | None:
        if is_non_null_type(return_type):
            return self._compile(return_type.of_type, field_details_list, non_null=True)
        if is_list_type(return_type):
            item = self._completer(return_type.of_type, field_details_list)
            if item is None:
                return None

            def list_value(value: Any) -> Any:
                if type(value) is not list and type(value) is not tuple:
                    if value is None and not non_null:
                        return None
                    raise _SLOW  # async iterables, other iterables, errors
                return [item(v) for v in value]

            return list_value
        if is_leaf_type(return_type):
            return _leaf(return_type, non_null)
        if is_object_type(return_type):
            return self._object_completer(return_type, field_details_list, non_null)
        return None  # abstract types: resolving the runtime type needs an info

    def _object_completer(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList, non_null: bool
    ) -> Complete | None:
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(
            object_type, field_details_list
        )
        if new_defer_usages:
            return None
        plan = self._plan(object_type, grouped_field_set)
        if plan is None or any(entry[2] is None for entry in plan):
            return None  # a field needing the standard path: the whole object takes it
        fields = [(name, get, complete) for name, _, get, complete in plan if get and complete]
        # The hub's and strawberry's is_type_of read only the value, so none gets an info here;
        # one that reads it fails, and the field takes the standard path (which makes one).
        is_type_of = object_type.is_type_of

        def object_value(value: Any) -> Any:
            if value is None and not non_null:
                return None
            if not _plain(value) or (is_type_of is not None and not is_type_of(value, _NO_INFO)):
                raise _SLOW
            return {name: complete(get(value)) for name, get, complete in fields}

        return object_value


# The built-in scalars' values that graphql-core outputs unchanged, by the value's exact type.
_UNCHANGED: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}


def _leaf(leaf_type: GraphQLLeafType, non_null: bool) -> Complete:
    """A scalar's or an enum's value as graphql-core coerces it: the built-in scalars' plain
    values as they are, an enum's by the member (each member's name looked up once)."""
    coerce = leaf_type.coerce_output_value
    unchanged = _UNCHANGED.get(leaf_type.name) if is_specified_scalar_type(leaf_type) else None
    is_int = leaf_type.name == "Int" and is_specified_scalar_type(leaf_type)
    names: dict[tuple[type, Any], Any] | None = {} if is_enum_type(leaf_type) else None

    def coerced(value: Any) -> Any:
        if value is None:
            if non_null:
                raise _SLOW
            return None
        if not _plain(value):
            raise _SLOW
        if names is not None:
            key = (type(value), value)
            known = names.get(key)
            if known is not None:
                return known
        result = coerce(value)
        if result is None or result is Undefined:
            raise _SLOW
        if names is not None:
            names[key] = result
        return result

    if unchanged is not None:

        def plain_value(value: Any) -> Any:
            return value if type(value) is unchanged else coerced(value)

        return plain_value
    if is_int:

        def int_value(value: Any) -> Any:
            if type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT:
                return value
            return coerced(value)

        return int_value
    return coerced
