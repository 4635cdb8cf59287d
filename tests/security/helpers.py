"""Shared by the security tests: the security log as parsed entries, and waiting for a close."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tests.api.ws import WsGraphQL


def security_entries(
    caplog: pytest.LogCaptureFixture, event: str | None = None
) -> list[dict[str, Any]]:
    entries = [json.loads(r.getMessage()) for r in caplog.records if r.name == "hub.security"]
    return [e for e in entries if event is None or e["event"] == event]


@dataclass
class Closed:
    code: int | None
    after_s: float
    messages: list[str] = field(default_factory=list)  # whatever arrived before the close


async def wait_closed(ws: WsGraphQL, within: float) -> Closed:
    """Read until the server closes the socket; fail if it stays open ``within`` seconds."""
    started = time.perf_counter()
    messages: list[str] = []
    try:
        async with asyncio.timeout(within):
            while True:
                raw = await ws.ws.recv()
                message = json.loads(raw)
                if message.get("type") == "ping":
                    await ws.send({"type": "pong"})
                    continue
                messages.append(str(raw))
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd is not None else None
        return Closed(code, time.perf_counter() - started, messages)
    except TimeoutError:
        pytest.fail(f"the socket was still open after {within} s (got {messages})")
