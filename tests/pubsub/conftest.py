"""Real Redis for the pub/sub tests: the shared server, and private ones a test may kill."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from hub.pubsub import HubBroadcast, create_broadcast
from tests.real_services import require_redis


@pytest.fixture
def channel() -> str:
    """A channel no other test (or other run against the same Redis) uses."""
    return f"hub-test:{uuid.uuid4().hex}"


@pytest.fixture
def redis_url() -> str:
    return require_redis()


@pytest.fixture(
    params=[
        pytest.param("memory://", id="memory"),
        pytest.param("redis", id="redis", marks=pytest.mark.redis),
    ]
)
async def broadcast(request: pytest.FixtureRequest) -> AsyncIterator[HubBroadcast]:
    """A connected broadcast on each backend."""
    url = require_redis() if request.param == "redis" else str(request.param)
    async with create_broadcast(url) as connected:
        yield connected


@pytest.fixture
async def redis_broadcast(redis_url: str) -> AsyncIterator[HubBroadcast]:
    async with create_broadcast(redis_url) as connected:
        yield connected


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    """A plain client for looking at the server from outside the code under test."""
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()
