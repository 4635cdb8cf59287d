"""RedisBackend against real servers: across processes, through restarts, during outages."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from hub.pubsub import (
    RESYNC_MESSAGE,
    HubBroadcast,
    HubSubscriber,
    PublishError,
    create_broadcast,
    decode,
    encode,
)
from hub.pubsub.redis import RedisBackend
from tests.private_redis import PrivateRedis

pytestmark = pytest.mark.redis

END = encode({"end": True})
PROJECT_ROOT = Path(__file__).resolve().parents[2]

PUBLISHER = """
import asyncio, os, sys
from hub.pubsub import create_broadcast, encode

async def main(url, channel, count):
    async with create_broadcast(url) as broadcast:
        for seq in range(count):
            await broadcast.publish(channel, encode({"seq": seq, "pid": os.getpid()}))

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""

SUBSCRIBER = """
import asyncio, sys
from hub.pubsub import create_broadcast

async def main(url, channel, count):
    async with create_broadcast(url) as broadcast, broadcast.subscribe(channel) as subscriber:
        print("subscribed", flush=True)
        for _ in range(count):
            print((await subscriber.get()).message, flush=True)

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


@asynccontextmanager
async def python_process(script: str, *args: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """Another OS process running ``script`` with this interpreter; killed if still running."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        *args,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
        await process.communicate()


async def collect(subscriber: HubSubscriber, until: str = END) -> list[str]:
    """Messages up to, not including, ``until``."""
    received: list[str] = []
    async for event in subscriber:
        if event.message == until:
            return received
        received.append(event.message)
    raise AssertionError("the subscription ended early")


async def test_round_trip_with_resp2(redis_url: str, channel: str) -> None:
    async with (
        create_broadcast(f"{redis_url}?protocol=2") as broadcast,
        broadcast.subscribe(channel) as subscriber,
        asyncio.timeout(2),
    ):
        await broadcast.publish(channel, encode({"seq": 1}))
        await broadcast.publish(channel, END)
        assert await collect(subscriber) == [encode({"seq": 1})]


@pytest.mark.parametrize("protocol", [2, 3])
async def test_subscribe_returns_only_once_redis_has_confirmed(
    redis_url: str, redis_client: Redis, channel: str, protocol: int
) -> None:
    async with create_broadcast(f"{redis_url}?protocol={protocol}") as broadcast:
        async with broadcast.subscribe(channel):
            # No waiting: the subscription is live on the server when subscribe() returns.
            assert await redis_client.pubsub_numsub(channel) == [(channel.encode(), 1)]
        assert not broadcast._subscribers


async def test_another_process_publishes_and_this_one_receives(
    redis_broadcast: HubBroadcast, redis_url: str, channel: str
) -> None:
    async with asyncio.timeout(10), redis_broadcast.subscribe(channel) as subscriber:
        async with python_process(PUBLISHER, redis_url, channel, "5") as process:
            _, stderr = await process.communicate()
            assert process.returncode == 0, stderr.decode()
        received = [decode((await subscriber.get()).message) for _ in range(5)]
    assert [payload["seq"] for payload in received] == [0, 1, 2, 3, 4]
    assert {payload["pid"] for payload in received} != {os.getpid()}


async def test_this_process_publishes_and_another_one_receives(
    redis_broadcast: HubBroadcast, redis_url: str, channel: str
) -> None:
    messages = [encode({"seq": seq, "text": "检察建议"}) for seq in range(3)]
    async with asyncio.timeout(10), python_process(SUBSCRIBER, redis_url, channel, "3") as process:
        assert process.stdout is not None
        assert await process.stdout.readline() == b"subscribed\n"
        for message in messages:
            await redis_broadcast.publish(channel, message)
        stdout, stderr = await process.communicate()
        assert process.returncode == 0, stderr.decode()
    assert stdout.decode().splitlines() == messages


async def test_subscriber_resyncs_and_carries_on_after_redis_restarts(
    private_redis: PrivateRedis, channel: str
) -> None:
    backend = RedisBackend(private_redis.url)
    async with (
        HubBroadcast(backend=backend) as broadcast,
        broadcast.subscribe(channel) as subscriber,
    ):
        async with asyncio.timeout(5):
            for seq in range(3):
                await broadcast.publish(channel, encode({"seq": seq}))
            await broadcast.publish(channel, END)
            before = await collect(subscriber)

            await private_redis.kill()
            await private_redis.start()
            # Published before the subscriber is back: lost, which is what the resync is for.
            assert (await subscriber.get()).message == RESYNC_MESSAGE

            for seq in range(3, 6):
                await broadcast.publish(channel, encode({"seq": seq}))
            await broadcast.publish(channel, END)
            after = await collect(subscriber)
        assert broadcast.listening
        assert backend.reconnects == 1
    assert [decode(message)["seq"] for message in before] == [0, 1, 2]
    assert [decode(message)["seq"] for message in after] == [3, 4, 5]


async def test_channel_subscribed_during_an_outage_is_live_once_redis_is_back(
    private_redis: PrivateRedis, channel: str
) -> None:
    async with (
        create_broadcast(private_redis.url) as broadcast,
        asyncio.timeout(5),
        broadcast.subscribe(f"{channel}:first"),
    ):
        await private_redis.kill()
        async with broadcast.subscribe(channel) as subscriber:  # returns at once
            await private_redis.start()
            assert (await subscriber.get()).message == RESYNC_MESSAGE
            await broadcast.publish(channel, encode({"seq": 1}))
            await broadcast.publish(channel, END)
            assert await collect(subscriber) == [encode({"seq": 1})]


async def test_frozen_redis_is_detected_by_the_health_check(
    private_redis: PrivateRedis, channel: str
) -> None:
    """A server that keeps the connection open but never answers (partition, freeze)."""
    backend = RedisBackend(private_redis.url, health_check_interval=0.25)
    async with (
        HubBroadcast(backend=backend) as broadcast,
        broadcast.subscribe(channel) as subscriber,
    ):
        async with asyncio.timeout(5):
            await asyncio.sleep(0.6)  # quiet intervals: PING/PONG keeps it up
            assert backend.reconnects == 0
            private_redis.freeze()
            try:
                await asyncio.sleep(0.8)  # no PONG within two intervals: presumed dead
            finally:
                private_redis.thaw()
            assert (await subscriber.get()).message == RESYNC_MESSAGE
            assert backend.reconnects == 1
            await broadcast.publish(channel, encode({"seq": 1}))
            await broadcast.publish(channel, END)
            assert await collect(subscriber) == [encode({"seq": 1})]


async def test_subscribe_that_gave_up_waiting_gets_a_resync_once_live(
    private_redis: PrivateRedis, channel: str, caplog: pytest.LogCaptureFixture
) -> None:
    backend = RedisBackend(private_redis.url, subscribe_timeout=0.2)
    loop = asyncio.get_running_loop()
    async with HubBroadcast(backend=backend) as broadcast, asyncio.timeout(5):
        private_redis.freeze()
        try:
            started = loop.time()
            async with broadcast.subscribe(channel) as subscriber:
                assert loop.time() - started < 1
                private_redis.thaw()
                assert (await subscriber.get()).message == RESYNC_MESSAGE
                await broadcast.publish(channel, END)
                assert await collect(subscriber) == []
        finally:
            private_redis.thaw()
    assert backend.reconnects == 0
    assert "has not confirmed the subscription" in caplog.text


async def test_publish_while_redis_is_down_fails_within_the_bound(
    private_redis: PrivateRedis, channel: str
) -> None:
    loop = asyncio.get_running_loop()
    async with (
        create_broadcast(private_redis.url) as broadcast,
        broadcast.subscribe(channel) as subscriber,
    ):
        await private_redis.kill()
        started = loop.time()
        with pytest.raises(PublishError, match=r"unreachable \(\d+ attempts in"):
            async with asyncio.timeout(5):
                await broadcast.publish(channel, encode({"seq": 1}))
        elapsed = loop.time() - started
        assert 1.0 < elapsed < 2.5

        async with asyncio.timeout(5):  # and everything recovers when Redis does
            await private_redis.start()
            assert (await subscriber.get()).message == RESYNC_MESSAGE
            await broadcast.publish(channel, encode({"seq": 2}))
            assert (await subscriber.get()).message == encode({"seq": 2})


async def test_connect_fails_clearly_when_redis_is_unreachable(
    private_redis: PrivateRedis,
) -> None:
    await private_redis.kill()
    broadcast = create_broadcast(private_redis.url)
    with pytest.raises(RedisConnectionError):
        async with asyncio.timeout(5):
            await broadcast.connect()
    assert not broadcast.listening
