"""Real Redis for the pub/sub tests: the shared server, and private ones a test may kill."""

from __future__ import annotations

import asyncio
import signal
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import suppress
from pathlib import Path

import pytest
from redis.asyncio import Redis

from hub.pubsub import HubBroadcast, create_broadcast
from tests.real_services import require_redis, require_redis_server_binary


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


class PrivateRedis:
    """A redis-server of this test's own, on a free port, that the test may kill and restart."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self._binary = binary
        self._workdir = workdir
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start the server and return once it answers PING."""
        assert self._process is None, "already running"
        self._process = await asyncio.create_subprocess_exec(
            self._binary,
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(self._workdir)),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        async with asyncio.timeout(5):
            while not await self._answers_ping():
                if self._process.returncode is not None:
                    raise RuntimeError(f"redis-server exited with {self._process.returncode}")
                await asyncio.sleep(0.01)

    async def kill(self) -> None:
        """SIGKILL: no goodbye to the clients, as in a crash."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.returncode is None:
            process.kill()
        await process.wait()

    def freeze(self) -> None:
        """SIGSTOP: connections stay open and nothing answers, as in a network partition."""
        assert self._process is not None, "not running"
        self._process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self._process is not None, "not running"
        self._process.send_signal(signal.SIGCONT)

    async def _answers_ping(self) -> bool:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        try:
            writer.write(b"PING\r\n")
            await writer.drain()
            return await reader.readline() == b"+PONG\r\n"
        except OSError:
            return False
        finally:
            writer.close()
            with suppress(OSError):
                await writer.wait_closed()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def private_redis(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    """A running private Redis; killed in teardown whatever the test did."""
    server = PrivateRedis(require_redis_server_binary(), tmp_path)
    try:
        await server.start()
        yield server
    finally:
        await server.kill()
