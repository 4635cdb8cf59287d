"""Execute each board event once per audience and share the result among its subscribers.

graphql-core executes a subscription's selection set once per event *per subscriber*
(~350 µs here). Subscribers who sent the same document and variables and who see the same
thing — the same ``render_key``: role, unit, side, and the person where a kind reserves a
step for one person — get the same result, so the first of them executes
it and the rest await that result (design.md §4: 1,000 board clients cost 0.35 s otherwise).
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
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

from hub.domain.roles import Role
from hub.domain.visibility import personal_roles, render_key
from hub.kinds import registry
from hub.resolvers.execution import HubExecutor

# A render only has to outlive one event's fan-out (and a short replay); more entries only
# keep results alive into the oldest GC generation, whose full passes paused the fan-out.
CACHE_SIZE = 256


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

    def peek(self, key: Hashable) -> asyncio.Future[Any] | None:
        future = self._items.get(key)
        if future is not None:
            self._items.move_to_end(key)
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


_variables_by_document: dict[tuple[str, str | None], frozenset[str]] = {}


def _rendering_variables(
    executor: Executor[Any], source: str, name: str | None
) -> tuple[tuple[str, str], ...]:
    names = _variables_by_document.get((source, name))
    if names is None:
        if len(_variables_by_document) > CACHE_SIZE:
            _variables_by_document.clear()
        names = _variables_by_document[(source, name)] = _variables_below_root(executor)
    coerced = executor.variable_values.coerced
    return tuple(sorted((n, repr(coerced.get(n))) for n in names))


def _variables_below_root(executor: Executor[Any]) -> frozenset[str]:
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
    return frozenset(finder.names)


_personal: tuple[object, frozenset[Role]] = ((), frozenset())


def _personal_roles() -> frozenset[Role]:
    """The roles some kind reserves a step for one person of (read again if the kinds do)."""
    global _personal
    specs = registry.SPECS
    if _personal[0] is not specs:
        _personal = (specs, personal_roles(specs))
    return _personal[1]


def _audience_key(context: Any) -> Hashable | None:
    """Everything a render depends on for this viewer (hub.domain.visibility.render_key): a
    prosecutor never receives another prosecutor's steps in a shared render."""
    actor = getattr(context, "actor", None)
    if actor is None:
        return None
    return render_key(actor, _personal_roles())


class SharedEventExecutor(HubExecutor):
    """Shares the execution of payloads that carry a ``share_key`` (the event cursor).

    Strawberry's own executor subclass is the base, so resolvers keep their ``info``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.operation.operation is OperationType.SUBSCRIPTION:
            # Only the root field's info: every other field keeps the plain method.
            self.build_resolve_info = self._root_resolve_info  # type: ignore[method-assign]

    def _root_resolve_info(self, *args: Any, **kwargs: Any) -> Any:
        """About to start the subscription's source stream, in the operation's own task."""
        from hub.subscriptions.direct import current_executor

        del self.build_resolve_info  # per-event copies are made later, without it
        current_executor.set(self)
        return super().build_resolve_info(*args, **kwargs)

    def shared_event(self, payload: Any) -> Awaitable[ExecutionResult]:
        """This event executed for this subscriber's audience, once for all its peers."""
        return _SharedEvent(self, payload).execute_operation(False)  # type: ignore[no-any-return]

    def build_per_event_executor(self, payload: Any) -> Any:
        if getattr(payload, "share_key", None) is None:
            return super().build_per_event_executor(payload)
        return _SharedEvent(self, payload)  # copies the executor only if it must execute

    def execute_operation(self, serially: bool | None = None) -> Any:
        key = self._key(self.root_value)
        if key is None:
            return super().execute_operation(serially)
        return renders.get_or_start(key, self._execute_now(serially))

    def _key(self, payload: Any) -> Hashable | None:
        share_key = getattr(payload, "share_key", None)
        audience = _audience_key(self.context_value)
        if share_key is None or audience is None:
            return None
        if self.operation.operation is not OperationType.SUBSCRIPTION:
            return None
        source = self.operation.loc.source.body if self.operation.loc else print_ast(self.operation)
        name = self.operation.name.value if self.operation.name else None
        return (source, name, _rendering_variables(self, source, name), audience, share_key)

    async def _execute_now(self, serially: bool | None) -> ExecutionResult:
        result = super().execute_operation(serially)
        if self.is_awaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        return result


class _SharedEvent:
    """Stands in for graphql-core's per-event executor copy until one is really needed."""

    __slots__ = ("parent", "payload")

    def __init__(self, parent: SharedEventExecutor, payload: Any) -> None:
        self.parent, self.payload = parent, payload

    def execute_operation(self, serially: bool | None = None) -> Any:
        key = self.parent._key(self.payload)
        if key is None:
            return _per_event(self.parent, self.payload).execute_operation(serially)
        existing = renders.peek(key)
        if existing is not None:
            return existing
        executor = _per_event(self.parent, self.payload)
        return renders.get_or_start(key, executor._execute_now(serially))


def _per_event(parent: SharedEventExecutor, payload: Any) -> SharedEventExecutor:
    executor = StrawberryGraphQLCoreExecutionContext.build_per_event_executor(parent, payload)
    assert isinstance(executor, SharedEventExecutor)
    return executor


class _EncodedResults:
    """JSON text per shared result object, held while the result is (by the LRU above)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[int, tuple[object, str]] = OrderedDict()

    def get(self, result: object, encode: Callable[[Any], str]) -> str:
        entry = self._items.get(id(result))
        if entry is None or entry[0] is not result:
            entry = (result, encode(result))
            self._items[id(result)] = entry
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return entry[1]


encoded_results = _EncodedResults(CACHE_SIZE)


class _EncodedPayloads:
    """JSON of shared ``next`` payloads, encoded once. Holding the data object keeps its id
    from being reused while the entry lives."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[int, tuple[object, str]] = OrderedDict()

    def next_message(self, message: Any) -> str | None:
        """The wire text of a graphql-transport-ws ``next`` message, or None to encode it
        the usual way."""
        if not isinstance(message, dict) or message.get("type") != "next":
            return None
        payload = message.get("payload")
        if not isinstance(payload, dict) or payload.keys() != {"data"}:
            return None
        data = payload["data"]
        entry = self._items.get(id(data))
        if entry is None or entry[0] is not data:
            entry = (data, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
            self._items[id(data)] = entry
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        op_id = json.dumps(message["id"])
        return f'{{"id":{op_id},"type":"next","payload":{entry[1]}}}'


encoded_payloads = _EncodedPayloads(CACHE_SIZE)
