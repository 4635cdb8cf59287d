"""Execute each board event once per audience and share the result among its subscribers.

graphql-core executes a subscription's selection set once per event *per subscriber*
(~350 µs here). Subscribers who sent the same document and variables and who see the same
thing — the same role in the same unit — get the same result, so the first of them executes
it and the rest await that result (design.md §4: 1,000 board clients cost 0.35 s otherwise).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Hashable
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    OperationType,
    VariableNode,
    Visitor,
    print_ast,
    visit,
)
from graphql.execution.executor import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

CACHE_SIZE = 4096


class _Renders:
    """A small LRU of in-flight and finished executions, keyed by audience and event."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.executions = 0  # how many renders ran (the rest were shared)
        self._items: OrderedDict[Hashable, asyncio.Future[Any]] = OrderedDict()

    def get_or_start(self, key: Hashable, start: Awaitable[Any]) -> asyncio.Future[Any]:
        future = self._items.get(key)
        if future is not None:
            self._items.move_to_end(key)
            if asyncio.iscoroutine(start):
                start.close()
            return future
        future = asyncio.ensure_future(start)
        self.executions += 1
        self._items[key] = future
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return future

    def clear(self) -> None:
        self._items.clear()


renders = _Renders(CACHE_SIZE)


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.names.add(node.name.value)


def _rendering_variables(executor: Executor[Any]) -> tuple[tuple[str, str], ...]:
    """Variables that can change the payload: those used below the root field.

    The root field's own arguments (``after``) only steer the event stream, so two subscribers
    with different cursors still share their renders.
    """
    finder = _Variables()
    for selection in executor.operation.selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is not None:
                visit(selection.selection_set, finder)
            for directive in selection.directives or ():
                visit(directive, finder)
        else:
            visit(selection, finder)
    for fragment in executor.fragment_definitions.values():
        visit(fragment, finder)
    coerced = executor.variable_values.coerced
    return tuple(sorted((name, repr(coerced.get(name))) for name in finder.names))


def _audience_key(context: Any) -> Hashable | None:
    actor = getattr(context, "actor", None)
    if actor is None:
        return None
    return (actor.role, actor.unit_id, actor.side)


class SharedEventExecutor(StrawberryGraphQLCoreExecutionContext):
    """Shares the execution of payloads that carry a ``share_key`` (the event cursor).

    Strawberry's own executor subclass is the base, so resolvers keep their ``info``.
    """

    def execute_operation(self, serially: bool | None = None) -> Any:
        share_key = getattr(self.root_value, "share_key", None)
        audience = _audience_key(self.context_value)
        if (
            share_key is None
            or audience is None
            or self.operation.operation is not OperationType.SUBSCRIPTION
        ):
            return super().execute_operation(serially)
        source = self.operation.loc.source.body if self.operation.loc else print_ast(self.operation)
        name = self.operation.name.value if self.operation.name else None
        key = (source, name, _rendering_variables(self), audience, share_key)
        return renders.get_or_start(key, self._execute_now(serially))

    async def _execute_now(self, serially: bool | None) -> ExecutionResult:
        result = super().execute_operation(serially)
        if self.is_awaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        return result
