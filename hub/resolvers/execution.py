"""graphql-core's execution with Tortoise models treated as the plain values they are.

A Tortoise model instance defines ``__await__`` (awaiting it returns itself), so graphql-core
takes every model a resolver returns for an awaitable: a coroutine per object and a task per
list item (design.md §4). The hub's executor never awaits a model, and asks each value's type
once whether it can be awaited (the check runs for every field of every card).
"""

from __future__ import annotations

from inspect import CO_ITERABLE_COROUTINE
from types import CoroutineType, GeneratorType
from typing import Any, TypeGuard

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
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


class HubExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor (resolvers keep their ``info``), models not awaited."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_awaitable = is_awaitable
