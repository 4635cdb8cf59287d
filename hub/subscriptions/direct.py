"""Live board events written straight to the socket, bypassing strawberry's per-result path.

Strawberry still parses, validates and starts each subscription; the resolver then renders
each event through the shared execution of ``hub.subscriptions.fanout`` and writes the
ready-made ``next`` message itself. Per subscriber and event that leaves a dictionary lookup and
one socket write, where strawberry's per-result path (extensions, encoding, generator hops)
cost several times more with 1,000 board clients.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import Operation

from hub.domain.errors import HubError
from hub.subscriptions.connections import GuardedTransportHandler
from hub.subscriptions.fanout import SharedEventExecutor, encoded_results

MASKED_MESSAGE = "服务器内部错误"


def should_mask_error(error: GraphQLError) -> bool:
    """Mask only the unexpected: business, limit and syntax errors are meant for the client."""
    original = error.original_error
    return original is not None and not isinstance(original, HubError | GraphQLError)


@dataclass(frozen=True, slots=True)
class DirectChannel:
    """Where one graphql-transport-ws operation's messages go."""

    operation_id: str
    send_text: Callable[[str], Awaitable[None]]

    async def send_next(self, payload_json: str) -> None:
        global sent_directly
        sent_directly += 1
        op_id = json.dumps(self.operation_id)
        await self.send_text(f'{{"id":{op_id},"type":"next","payload":{payload_json}}}')


sent_directly = 0  # messages written by this module (tests check the path is taken)
current_channel: ContextVar[DirectChannel | None] = ContextVar("current_channel", default=None)
current_executor: ContextVar[SharedEventExecutor | None] = ContextVar(
    "current_executor", default=None
)


class DirectTransportHandler(GuardedTransportHandler):
    """Tells the operation's task where its socket is (read by the board subscription)."""

    async def run_operation(self, operation: Operation[Any, Any]) -> None:
        adapter: Any = self.websocket
        connections = getattr(self.view, "connections", None)

        async def send_text(text: str) -> None:
            if connections is None or connections.may_send(adapter.ws):
                await adapter.ws.send_text(text)

        current_channel.set(DirectChannel(operation.id, send_text))
        await super().run_operation(operation)


def payload_json(result: ExecutionResult) -> str:
    """The ``next`` payload of a shared result, encoded once, errors masked like strawberry's."""

    def encode(result: ExecutionResult) -> str:
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [_format(error) for error in result.errors]
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    return encoded_results.get(result, encode)


def _format(error: GraphQLError) -> dict[str, Any]:
    if should_mask_error(error):
        error = GraphQLError(MASKED_MESSAGE, error.nodes, error.source, error.positions, error.path)
    formatted: dict[str, Any] = dict(error.formatted)
    if isinstance(error.original_error, HubError):
        formatted["extensions"] = {
            **formatted.get("extensions", {}),
            "code": error.original_error.code,
        }
    return formatted


async def render(executor: SharedEventExecutor, payload: Any) -> str:
    """The payload JSON of one event for this subscriber's audience (shared with its peers;
    an event without a ``share_key`` is executed for this subscriber alone, maybe at once)."""
    result: Any = executor.shared_event(payload)
    if not isinstance(result, ExecutionResult):
        result = await result
    return payload_json(result)
