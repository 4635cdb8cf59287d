"""A small graphql-transport-ws client for tests, on the ``websockets`` library."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

PROTOCOL = "graphql-transport-ws"

BOARD_EVENTS = """subscription($after: String) {
  boardEvents(after: $after) {
    cursor
    event { seq action toState version actorName }
    recommendation { docNo state column version internalNote addresseeUnit { code } }
  }
}"""


class WsGraphQL:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, wait: float = 5.0) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), wait)
        message: dict[str, Any] = json.loads(raw)
        if message["type"] == "ping":
            await self.send({"type": "pong"})
            return await self.receive(wait)
        return message

    async def subscribe(
        self, op_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        await self.send(
            {
                "id": op_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )

    async def next_data(self, wait: float = 5.0) -> dict[str, Any]:
        message = await self.receive(wait)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def collect(self, count: int, wait: float = 5.0) -> list[dict[str, Any]]:
        return [(await self.next_data(wait))["boardEvents"] for _ in range(count)]

    async def expect_silence(self, seconds: float = 0.5) -> None:
        try:
            message = await asyncio.wait_for(self.ws.recv(), seconds)
        except TimeoutError:
            return
        raise AssertionError(f"expected nothing, got {message!r}")


@asynccontextmanager
async def graphql_ws(
    url: str, *, cookie: str | None = None, token: str | None = None
) -> AsyncIterator[WsGraphQL]:
    headers = {"Cookie": cookie} if cookie else {}
    async with connect(url, subprotocols=[PROTOCOL], additional_headers=headers) as ws:  # type: ignore[list-item]
        client = WsGraphQL(ws)
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await client.send({"type": "connection_init", "payload": payload})
        ack = await client.receive()
        assert ack["type"] == "connection_ack", ack
        yield client
