"""broadcaster's ``Broadcast`` with safe concurrent subscriptions and a listener that never dies.

Upstream ``Broadcast.subscribe`` registers a subscriber's queue only after awaiting the backend,
so subscribers entering at the same time overwrite each other's registration and lose every
delivery (and later fail with ``KeyError`` on exit). Its listener task dies on the first backend
error, after which every subscriber hangs silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urlsplit

from broadcaster import Broadcast, BroadcastBackend, Event
from broadcaster._backends.memory import MemoryBackend
from broadcaster._base import Subscriber, Unsubscribed

logger = logging.getLogger(__name__)

_LISTENER_RETRY_MIN_S = 0.05
_LISTENER_RETRY_MAX_S = 2.0


class PublishError(RuntimeError):
    """A message could not be handed to the pub/sub backend; callers log it and carry on."""


def create_backend(url: str) -> BroadcastBackend:
    """The backend for a ``memory://``, ``redis://`` or ``rediss://`` URL."""
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryBackend(url)
    if scheme in ("redis", "rediss"):
        from hub.pubsub.redis import RedisBackend  # here: it imports this module

        return RedisBackend(url)
    # The URL itself is not echoed: it may carry a password.
    raise ValueError(
        f"unsupported pub/sub URL scheme {scheme!r}: "
        "use memory:// (one process) or redis://host:port/db (rediss:// for TLS)"
    )


class HubSubscriber(Subscriber):
    """Iterates over the events of one subscription until it ends."""

    async def __aiter__(self) -> AsyncGenerator[Event, None]:
        try:
            while True:
                yield await self.get()
        except Unsubscribed:
            return


@dataclass
class _ChannelLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class HubBroadcast(Broadcast):
    """``Broadcast`` whose ``subscribe`` is safe when many subscribers enter and leave at once."""

    def __init__(self, url: str | None = None, *, backend: BroadcastBackend | None = None) -> None:
        super().__init__(url, backend=backend)
        self._backend_channels: set[str] = set()
        self._channel_locks: dict[str, _ChannelLock] = {}
        self._fanout_task: asyncio.Task[None] | None = None

    def _create_backend(self, url: str) -> BroadcastBackend:
        # Upstream would pick its own Redis backend, which delivers nothing with redis-py 8.
        return create_backend(url)

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.disconnect()

    @property
    def listening(self) -> bool:
        """True while the task that fans events out to subscribers is running."""
        return self._fanout_task is not None and not self._fanout_task.done()

    async def connect(self) -> None:
        if self._fanout_task is not None:
            raise RuntimeError("HubBroadcast is already connected")
        await self._backend.connect()
        self._fanout_task = asyncio.create_task(self._listener(), name="hub-broadcast-listener")

    async def disconnect(self) -> None:
        task, self._fanout_task = self._fanout_task, None
        if task is not None:
            task.cancel()
            # gather() hands back the task's CancelledError instead of raising it, but still
            # propagates a cancellation of disconnect() itself.
            await asyncio.gather(task, return_exceptions=True)
        self._backend_channels.clear()
        try:
            await self._backend.disconnect()
        finally:
            # Wake every subscriber still iterating so it ends instead of hanging.
            for queues in self._subscribers.values():
                for queue in queues:
                    queue.put_nowait(None)

    @property
    def reconnects(self) -> int:
        """How often the backend re-established its subscriber connection (0 for memory)."""
        return int(getattr(self._backend, "reconnects", 0))

    async def check(self) -> None:
        """Raise unless messages can be published and received now (``/readyz``)."""
        if not self.listening:
            raise ConnectionError("the broadcast is not connected")
        check = getattr(self._backend, "check", None)
        if check is not None:  # the memory backend is always reachable
            await check()

    async def publish(self, channel: str, message: Any) -> None:
        if not self.listening:
            raise PublishError(f"cannot publish to {channel!r}: the broadcast is not connected")
        await self._backend.publish(channel, message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[HubSubscriber]:
        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        # Registered before the first await, so no concurrent subscribe can overwrite it.
        self._subscribers.setdefault(channel, set()).add(queue)
        try:
            await self._subscribe_backend(channel)
            yield HubSubscriber(queue)
        finally:
            await self._leave(channel, queue)
            queue.put_nowait(None)

    async def _subscribe_backend(self, channel: str) -> None:
        async with self._channel_lock(channel):
            if channel in self._backend_channels:
                return
            try:
                await self._backend.subscribe(channel)
            finally:
                # Even a failed or cancelled subscribe may have reached the backend: recording
                # it makes the last subscriber to leave unsubscribe.
                self._backend_channels.add(channel)

    async def _leave(self, channel: str, queue: asyncio.Queue[Event | None]) -> None:
        queues = self._subscribers.get(channel)
        if queues is not None:
            queues.discard(queue)
        if queues:
            return
        async with self._channel_lock(channel):
            if self._subscribers.get(channel):
                return  # someone subscribed while we waited for the lock
            self._subscribers.pop(channel, None)
            if channel not in self._backend_channels:
                return
            self._backend_channels.discard(channel)
            try:
                await self._backend.unsubscribe(channel)
            except Exception:
                logger.exception("pub/sub: unsubscribing from %r failed", channel)

    @asynccontextmanager
    async def _channel_lock(self, channel: str) -> AsyncIterator[None]:
        """A lock per channel, dropped when nobody holds or waits for it."""
        entry = self._channel_locks.get(channel)
        if entry is None:
            entry = self._channel_locks[channel] = _ChannelLock()
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._channel_locks[channel]

    async def _listener(self) -> None:
        delay = _LISTENER_RETRY_MIN_S
        while True:
            try:
                event = await self._backend.next_published()
            except Exception:
                # Backends reconnect on their own; this task must outlive their failures.
                logger.exception("pub/sub backend failed; retrying in %.2f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _LISTENER_RETRY_MAX_S)
                continue
            delay = _LISTENER_RETRY_MIN_S
            for queue in tuple(self._subscribers.get(event.channel, ())):
                queue.put_nowait(event)
