"""Several hub processes on one PostgreSQL database and one Redis: what one writes, a subscriber
on another receives — in order, once — even when both write at once or Redis restarts."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64

from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, WsGraphQL, graphql_ws
from tests.factories import World
from tests.private_redis import PrivateRedis
from tests.real_services import require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ON_POSTGRES = pytest.mark.parametrize("db", ["postgres"], indirect=True)

CREATE = """mutation($input: CreateRecommendationInput!) {
  createRecommendation(input: $input) { __typename ... on RecommendationStepSuccess { event { seq } } ... on Error { message } }
}"""


@dataclass
class Instance:
    name: str
    base_url: str
    ws_url: str
    process: asyncio.subprocess.Process | None = None
    port: int = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def hub_instance(
    name: str, database_url: str, broadcast_url: str, logs: Path, *, poll_s: float = 30.0
) -> AsyncIterator[Instance]:
    """``hub serve`` in its own process. Polling is slowed so delivery must come via Redis."""
    port = _free_port()
    env = {
        **os.environ,
        "HUB_DATABASE_URL": database_url,
        "HUB_BROADCAST_URL": broadcast_url,
        "HUB_ALERTS_ENABLED": "false",
        "HUB_EVENT_POLL_INTERVAL_S": str(poll_s),
    }
    log = (logs / f"{name}.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hub.cli", "serve", "--port", str(port),
        env=env, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client, asyncio.timeout(30):
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"{name} exited: {(logs / f'{name}.log').read_text()}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
        yield Instance(name, base, f"ws://127.0.0.1:{port}/graphql", process, port)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()


async def create_via(instance: Instance, cookie: str, world: World, n: int) -> int:
    async with httpx.AsyncClient(base_url=instance.base_url, headers={"Cookie": cookie}) as client:
        response = await client.post("/graphql", json={"query": CREATE, "variables": {"input": {
            "docNo": f"宿检行建〔2026〕{instance.name}{n}号", "title": f"并发测试 {n}",
            "type": "SOCIAL_GOVERNANCE", "addresseeUnit": to_base64("Unit", world.unit_a.id),
        }}})  # fmt: skip
    result: dict[str, Any] = response.json()["data"]["createRecommendation"]
    assert result["__typename"] == "RecommendationStepSuccess", result
    seq: int = result["event"]["seq"]
    return seq


async def collect_until(ws: WsGraphQL, count: int, wait_s: float) -> list[int]:
    seqs: list[int] = []
    async with asyncio.timeout(wait_s):
        while len(seqs) < count:
            event = (await ws.next_data(wait=wait_s))["boardEvents"]
            seqs.append(int(event["cursor"]))
    return seqs


@ON_POSTGRES
async def test_an_event_written_on_one_instance_reaches_a_subscriber_on_another(
    db: str, world: World, tmp_path: Path
) -> None:
    redis_url = require_redis()
    async with (
        hub_instance("A", db, redis_url, tmp_path) as a,
        hub_instance("B", db, redis_url, tmp_path) as b,
        graphql_ws(b.ws_url, cookie=await cookie_for("office")) as watcher,
    ):
        await watcher.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.3)
        started = time.perf_counter()
        seq = await create_via(a, await cookie_for("prosecutor"), world, 1)
        event = (await watcher.next_data(wait=5))["boardEvents"]
        latency = time.perf_counter() - started
    assert event["cursor"] == str(seq)
    assert latency < 2.0, f"{latency:.2f}s: not via Redis (the poll is every 30 s)"


@ON_POSTGRES
async def test_two_instances_writing_at_once_lose_and_repeat_nothing(
    db: str, world: World, tmp_path: Path
) -> None:
    redis_url = require_redis()
    per_instance = 25
    async with (
        hub_instance("A", db, redis_url, tmp_path) as a,
        hub_instance("B", db, redis_url, tmp_path) as b,
        graphql_ws(a.ws_url, cookie=await cookie_for("office")) as on_a,
        graphql_ws(b.ws_url, cookie=await cookie_for("office")) as on_b,
    ):
        await on_a.subscribe("1", BOARD_EVENTS, {"after": "0"})
        await on_b.subscribe("1", BOARD_EVENTS, {"after": "0"})
        await asyncio.sleep(0.3)
        cookie = await cookie_for("prosecutor")
        written = await asyncio.gather(*(
            create_via(instance, cookie, world, n)
            for n in range(per_instance) for instance in (a, b)
        ))  # fmt: skip
        got_a, got_b = await asyncio.gather(
            collect_until(on_a, 2 * per_instance, 20), collect_until(on_b, 2 * per_instance, 20)
        )
        await on_a.expect_silence(0.5)
        await on_b.expect_silence(0.1)
    expected = sorted(written)
    assert expected == list(range(1, 2 * per_instance + 1))
    assert got_a == expected
    assert got_b == expected


@ON_POSTGRES
async def test_subscribers_get_every_event_across_a_redis_restart(
    db: str, world: World, tmp_path: Path, private_redis: PrivateRedis
) -> None:
    async with (
        hub_instance("A", db, private_redis.url, tmp_path) as a,
        hub_instance("B", db, private_redis.url, tmp_path) as b,
        graphql_ws(b.ws_url, cookie=await cookie_for("office")) as on_b,
        graphql_ws(a.ws_url, cookie=await cookie_for("office")) as on_a,
    ):
        await on_b.subscribe("1", BOARD_EVENTS, {"after": "0"})
        await on_a.subscribe("1", BOARD_EVENTS, {"after": "0"})
        cookie = await cookie_for("prosecutor")
        written = []
        for n in range(8):
            written.append(await create_via(a, cookie, world, n))
        await private_redis.kill()
        for n in range(8, 16):  # written while Redis is down: the notices are lost
            written.append(await create_via(a, cookie, world, n))
        await private_redis.start()
        await asyncio.sleep(0.5)
        for n in range(16, 24):
            written.append(await create_via(b if n % 2 else a, cookie, world, n))
        got_b, got_a = await asyncio.gather(
            collect_until(on_b, 24, 25), collect_until(on_a, 24, 25)
        )
        await on_b.expect_silence(0.5)
    assert written == list(range(1, 25))
    assert got_b == written
    assert got_a == written
