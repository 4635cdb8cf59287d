"""HubBroadcast: broadcaster's interface, safe when many subscribers enter and leave at once."""

from __future__ import annotations

import asyncio
import logging

import pytest
from broadcaster import Broadcast, Event
from broadcaster._backends.memory import MemoryBackend
from redis.asyncio import Redis

from hub.pubsub import HubBroadcast, PublishError, create_broadcast, decode, encode
from hub.pubsub.redis import RedisBackend

END = encode({"end": True})


class YieldingMemoryBackend(MemoryBackend):
    """The memory backend, except that subscribe() yields to the event loop like any network one."""

    async def subscribe(self, channel: str) -> None:
        await asyncio.sleep(0)
        await super().subscribe(channel)


class FailingOnceBackend(MemoryBackend):
    """The memory backend, except that the first next_published() raises."""

    failures = 1

    async def next_published(self) -> Event:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("backend hiccup")
        event: Event = await super().next_published()
        return event


async def test_round_trip(broadcast: HubBroadcast, channel: str) -> None:
    async with broadcast.subscribe(channel) as subscriber:
        await broadcast.publish(channel, encode({"seq": 1, "case": "诉前磋商"}))
        async with asyncio.timeout(2):
            event = await subscriber.get()
    assert event == Event(channel, '{"seq":1,"case":"诉前磋商"}')
    assert decode(event.message) == {"seq": 1, "case": "诉前磋商"}


async def test_iterating_a_subscriber_yields_events_until_it_leaves(
    broadcast: HubBroadcast, channel: str
) -> None:
    received: list[str] = []
    async with asyncio.timeout(2), broadcast.subscribe(channel) as subscriber:
        for seq in range(3):
            await broadcast.publish(channel, encode({"seq": seq}))
        async for event in subscriber:
            received.append(event.message)
            if len(received) == 3:
                break
    assert [decode(message)["seq"] for message in received] == [0, 1, 2]


async def test_other_channels_are_not_delivered(broadcast: HubBroadcast, channel: str) -> None:
    async with broadcast.subscribe(channel) as subscriber:
        await broadcast.publish(f"{channel}:other", encode({"seq": 1}))
        await broadcast.publish(channel, encode({"seq": 2}))
        async with asyncio.timeout(2):
            event = await subscriber.get()
    assert decode(event.message) == {"seq": 2}


async def test_500_concurrent_subscribers_each_receive_the_event_exactly_once(
    broadcast: HubBroadcast, channel: str
) -> None:
    count = 500
    entered = 0
    all_in = asyncio.Event()
    message = encode({"seq": 1})

    async def subscriber() -> list[str]:
        nonlocal entered
        async with broadcast.subscribe(channel) as subscription:
            entered += 1
            if entered == count:
                all_in.set()
            received: list[str] = []
            async for event in subscription:
                if event.message == END:
                    return received
                received.append(event.message)
        raise AssertionError("the subscription ended before END")

    async def publisher() -> None:
        await all_in.wait()
        await broadcast.publish(channel, message)
        await broadcast.publish(channel, END)

    async with asyncio.timeout(10):
        *results, _ = await asyncio.gather(*(subscriber() for _ in range(count)), publisher())
    assert results == [[message]] * count


async def _deliveries_to_concurrent_subscribers(broadcast: Broadcast, channel: str) -> int:
    """How many of 50 subscribers that entered at the same time receive one published event."""
    count = 50
    entered = 0
    all_in = asyncio.Event()
    fanned_out = asyncio.Event()

    async def subscriber() -> bool:
        nonlocal entered
        async with broadcast.subscribe(channel) as subscription:
            entered += 1
            if entered == count:
                all_in.set()
            await fanned_out.wait()
            try:
                async with asyncio.timeout(0.3):  # spent only by subscribers that got nothing
                    await subscription.get()
            except TimeoutError:
                return False
            return True

    async def publisher() -> None:
        await all_in.wait()
        await broadcast.publish(channel, encode({"seq": 1}))
        await broadcast.publish(f"{channel}:control", encode({"seq": 1}))
        await control.get()  # events are fanned out in order: the first one is done too
        fanned_out.set()

    async with broadcast.subscribe(f"{channel}:control") as control:
        # Upstream also fails leaving (KeyError on a registration that was overwritten).
        results = await asyncio.gather(
            *(subscriber() for _ in range(count)), publisher(), return_exceptions=True
        )
    return sum(result is True for result in results)


async def test_upstream_broadcast_loses_concurrent_subscribers(channel: str) -> None:
    """The failure HubBroadcast removes, shown with upstream's class on a yielding backend."""
    async with Broadcast(backend=YieldingMemoryBackend("memory://")) as upstream:
        delivered = await _deliveries_to_concurrent_subscribers(upstream, channel)
        await asyncio.sleep(0)  # upstream's disconnect() does not wait for its cancelled task
    assert delivered == 1


async def test_hub_broadcast_keeps_concurrent_subscribers_on_the_same_backend(channel: str) -> None:
    async with HubBroadcast(backend=YieldingMemoryBackend("memory://")) as broadcast:
        delivered = await _deliveries_to_concurrent_subscribers(broadcast, channel)
    assert delivered == 50


async def test_listener_survives_a_backend_failure(
    channel: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with HubBroadcast(backend=FailingOnceBackend("memory://")) as broadcast:
        async with broadcast.subscribe(channel) as subscriber:
            await broadcast.publish(channel, encode({"seq": 1}))
            async with asyncio.timeout(2):
                event = await subscriber.get()
        assert broadcast.listening
    assert decode(event.message) == {"seq": 1}
    assert "backend hiccup" in caplog.text
    assert any(record.levelno == logging.ERROR for record in caplog.records)


async def test_disconnect_ends_the_subscribers_still_iterating(
    broadcast: HubBroadcast, channel: str
) -> None:
    received: list[str] = []
    subscribed = asyncio.Event()
    got_one = asyncio.Event()

    async def listen() -> None:
        async with broadcast.subscribe(channel) as subscription:
            subscribed.set()
            async for event in subscription:
                received.append(event.message)
                got_one.set()

    task = asyncio.create_task(listen())
    async with asyncio.timeout(2):
        await subscribed.wait()
        await broadcast.publish(channel, encode({"seq": 1}))
        await got_one.wait()
        await broadcast.disconnect()
        await task  # ends instead of waiting forever
    assert received == [encode({"seq": 1})]
    assert not broadcast.listening
    with pytest.raises(PublishError, match="not connected"):
        await broadcast.publish(channel, encode({"seq": 2}))


async def test_publish_before_connect_is_a_clear_error(channel: str) -> None:
    with pytest.raises(PublishError, match="not connected"):
        await create_broadcast("memory://").publish(channel, encode({"seq": 1}))


@pytest.mark.parametrize("url", ["kafka://localhost:9092", "postgres://x@y/z", "redis-stream://h"])
def test_unknown_scheme_is_refused_clearly(url: str) -> None:
    with pytest.raises(
        ValueError, match=r"unsupported pub/sub URL scheme .* memory:// .* redis://"
    ):
        create_broadcast(url)


def test_unknown_scheme_error_does_not_echo_the_password() -> None:
    with pytest.raises(ValueError, match="unsupported") as error:
        create_broadcast("amqp://user:s3cret@host/")
    assert "s3cret" not in str(error.value)


def test_redis_urls_get_our_backend_even_through_the_upstream_constructor() -> None:
    for url in ("redis://127.0.0.1:6379/0", "rediss://127.0.0.1:6380/0"):
        assert isinstance(create_broadcast(url)._backend, RedisBackend)
        assert isinstance(HubBroadcast(url)._backend, RedisBackend)


async def _wait_for_numsub(client: Redis, channel: str, expected: int) -> None:
    async with asyncio.timeout(2):
        while True:
            [(_, subscribers)] = await client.pubsub_numsub(channel)
            if subscribers == expected:
                return
            await asyncio.sleep(0.01)


@pytest.mark.redis
async def test_churn_leaves_exactly_the_needed_redis_subscription(
    redis_broadcast: HubBroadcast, redis_client: Redis, channel: str
) -> None:
    """Last-leaver unsubscribes race new subscribers; Redis must end up subscribed iff needed."""

    async def churn() -> None:
        for _ in range(5):
            async with redis_broadcast.subscribe(channel):
                await asyncio.sleep(0)

    async with asyncio.timeout(10):
        await asyncio.gather(*(churn() for _ in range(100)))
        await _wait_for_numsub(redis_client, channel, 0)
        async with redis_broadcast.subscribe(channel) as subscriber:
            churners = asyncio.gather(*(churn() for _ in range(100)))
            await _wait_for_numsub(redis_client, channel, 1)
            await churners
            await redis_broadcast.publish(channel, encode({"seq": 1}))
            assert decode((await subscriber.get()).message) == {"seq": 1}
            await _wait_for_numsub(redis_client, channel, 1)
        await _wait_for_numsub(redis_client, channel, 0)
    assert not redis_broadcast._subscribers
    assert not redis_broadcast._channel_locks
