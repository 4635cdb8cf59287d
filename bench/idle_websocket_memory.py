"""T7: memory per idle board WebSocket (connected, authenticated, subscribed to boardEvents).

Target (design.md §5): ≤ 64 KiB per socket. Baseline, measured in the same run: a bare
Starlette WebSocket endpoint on the same uvicorn that accepts and waits, i.e. what the
server and the socket cost before any GraphQL. Reported per socket over several rounds.

    python -m bench.idle_websocket_memory [--sockets 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

from bench.harness import (
    HubProcess,
    demo_database,
    dumps,
    free_port,
    hub_process,
    percentile,
    rss_kib,
    session_cookies,
    wait_healthy,
)

BARE_APP = """
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocketDisconnect

async def ws(websocket):
    await websocket.accept()
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass

async def healthz(request):
    return PlainTextResponse("ok")

app = Starlette(routes=[Route("/healthz", healthz), WebSocketRoute("/graphql", ws)])
"""


@contextlib.asynccontextmanager
async def bare_process(directory: Path) -> AsyncIterator[HubProcess]:
    (directory / "bare_ws_app.py").write_text(BARE_APP)
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "bare_ws_app:app", "--port", str(port),
        "--log-level", "warning", "--ws", "websockets-sansio", "--ws-per-message-deflate", "false",
        cwd=directory, env={**os.environ, "PYTHONPATH": str(directory)},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(base, process)
        yield HubProcess(base, f"ws://127.0.0.1:{port}/graphql", process.pid)
    finally:
        process.terminate()
        await process.wait()


async def open_sockets(url: str, count: int, cookie: str | None) -> list[ClientConnection]:
    sockets = []
    for _ in range(count):
        headers = {"Cookie": cookie} if cookie else {}
        ws = await connect(url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                           additional_headers=headers)  # fmt: skip
        if cookie:
            await ws.send(dumps({"type": "connection_init", "payload": {}}))
            await ws.recv()
            await ws.send(dumps({"id": "1", "type": "subscribe", "payload": {
                "query": "subscription { boardEvents { cursor case { caseNo column } } }"}}))  # fmt: skip
        sockets.append(ws)
    return sockets


async def per_socket_kib(
    target: HubProcess, sockets: int, rounds: int, cookie: str | None
) -> list[float]:
    """Each round opens ``sockets`` more on top of the earlier ones (freed memory would be
    reused and hide the cost if rounds closed theirs)."""
    results = []
    held = await open_sockets(target.ws_url, 50, cookie)  # warm allocator and caches
    for _ in range(rounds):
        await asyncio.sleep(1)
        before = rss_kib(target.pid)
        held += await open_sockets(target.ws_url, sockets, cookie)
        await asyncio.sleep(2)
        results.append((rss_kib(target.pid) - before) / sockets)
    for ws in held:
        await ws.close()
    return results


async def main(sockets: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = await demo_database(Path(tmp))
        cookie = (await session_cookies(db_url, ["office"]))["office"]
        print(f"T7 idle WebSocket memory: {sockets} sockets, {rounds} rounds (RSS growth / socket)")
        async with bare_process(Path(tmp)) as bare:
            baseline = await per_socket_kib(bare, sockets, rounds, None)
        print(
            f"  baseline, bare Starlette WebSocket (KiB): p50 {percentile(baseline, 50):6.1f}  p99 {percentile(baseline, 99):6.1f}"
        )
        async with hub_process(db_url) as hub:
            measured = await per_socket_kib(hub, sockets, rounds, cookie)
        print(
            f"  hub, subscribed to boardEvents      (KiB): p50 {percentile(measured, 50):6.1f}  p99 {percentile(measured, 99):6.1f}"
        )
        ratio = percentile(measured, 50) / max(percentile(baseline, 50), 0.1)
        verdict = "PASS" if percentile(measured, 99) <= 64 else "FAIL"
        print(f"  ratio hub/baseline: {ratio:.2f}x   target ≤ 64 KiB: {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.sockets, args.rounds))
