"""Redis pub/sub backend that subscribes before it reports ready and survives Redis restarts.

broadcaster's own Redis backend delivers nothing with redis-py 8 and never recovers from a
dropped connection; redis-py's ``PubSub`` silently re-subscribes on reconnect, hiding the gap.
This backend drives one plain connection itself so that every outage is visible to receivers.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

from broadcaster import BroadcastBackend, Event
from redis.asyncio import Redis
from redis.asyncio.connection import AbstractConnection
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hub.pubsub.broadcast import PublishError
from hub.pubsub.messages import RESYNC_MESSAGE

logger = logging.getLogger(__name__)

# After one of these the connection is presumed dead and trying again is worthwhile. The builtin
# TimeoutError, raised by asyncio.timeout, is an OSError.
_CONNECTION_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

_CONNECT_TIMEOUT_S = 1.0
_PUBLISH_RETRY_MAX_S = 0.5


class RedisBackend(BroadcastBackend):
    """One subscriber connection read by one task; publishing goes through a connection pool.

    ``subscribe()`` returns once Redis has confirmed the subscription (or after
    ``subscribe_timeout``, or at once while Redis is unreachable). When the connection drops, the
    reader reconnects with capped exponential back-off, subscribes every channel again and, as
    Redis confirms each one, queues ``Event(channel, RESYNC_MESSAGE)``: messages published in
    between are lost and receivers must catch up from the event log. A subscription that
    ``subscribe()`` returned without confirming also gets a resync notice once it is live.
    """

    def __init__(
        self,
        url: str,
        *,
        publish_timeout: float = 2.0,
        subscribe_timeout: float = 2.0,
        health_check_interval: float = 10.0,
        reconnect_delay: tuple[float, float] = (0.05, 2.0),
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError(
                f"RedisBackend needs a redis:// or rediss:// URL, not {parts.scheme}://"
            )
        self._url = url
        self._where = f"{parts.hostname}:{parts.port or 6379}"  # for logs: no credentials
        self._publish_timeout = publish_timeout
        self._subscribe_timeout = subscribe_timeout
        self._health_check_interval = health_check_interval
        self._min_delay, self._max_delay = reconnect_delay
        self._client: Redis | None = None
        self._conn: AbstractConnection | None = None  # the live subscriber connection, if any
        self._reader: asyncio.Task[None] | None = None
        self._channels: set[str] = set()  # what we want to be subscribed to
        # One future per SUBSCRIBE sent on the live connection, in sending order, per channel.
        self._waiters: dict[str, deque[asyncio.Future[bool]]] = {}
        self._send_lock = asyncio.Lock()
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self.reconnects = 0
        """How many times the subscriber connection was re-established."""

    async def connect(self) -> None:
        """Open the subscriber connection; raises if Redis is unreachable now."""
        if self._client is not None:
            raise RuntimeError("RedisBackend is already connected")
        client = Redis.from_url(
            self._url,
            retry=Retry(NoBackoff(), 0),  # we retry ourselves, and know when we did
            socket_connect_timeout=_CONNECT_TIMEOUT_S,
            socket_timeout=self._publish_timeout,
        )
        try:
            conn = await self._open(client)
        except BaseException:
            await client.aclose()
            raise
        self._client, self._conn = client, conn
        self._reader = asyncio.create_task(self._read_forever(conn), name="hub-redis-reader")

    async def disconnect(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)  # it closes its connection
        self._conn = None
        self._release_waiters()
        self._channels.clear()
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def check(self) -> None:
        """Raise unless Redis answers now and the subscriber connection is live (readiness)."""
        if self._client is None:
            raise ConnectionError(f"not connected to Redis at {self._where}")
        if self._conn is None:
            raise ConnectionError(f"subscriber connection to {self._where} is reconnecting")
        async with asyncio.timeout(_CONNECT_TIMEOUT_S):
            await self._client.ping()

    async def subscribe(self, channel: str) -> None:
        async with self._send_lock:
            if channel in self._channels:
                return
            self._channels.add(channel)
            conn = self._conn
            if conn is None or not conn.is_connected:
                return  # the reader subscribes it when it reconnects, then sends a resync
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.setdefault(channel, deque()).append(waiter)
            try:
                await conn.send_command("SUBSCRIBE", channel, check_health=False)
            except _CONNECTION_ERRORS:
                return  # the reader sees the same failure and reconnects
        try:
            async with asyncio.timeout(self._subscribe_timeout):
                await waiter
        except TimeoutError:
            logger.warning(
                "Redis at %s has not confirmed the subscription to %r after %.1f s; "
                "a resync notice follows once it does",
                self._where,
                channel,
                self._subscribe_timeout,
            )

    async def unsubscribe(self, channel: str) -> None:
        async with self._send_lock:
            if channel not in self._channels:
                return
            self._channels.discard(channel)
            conn = self._conn
            if conn is None or not conn.is_connected:
                return  # the next connection will not subscribe it
            with suppress(*_CONNECTION_ERRORS):
                await conn.send_command("UNSUBSCRIBE", channel, check_health=False)

    async def publish(self, channel: str, message: Any) -> None:
        """Publish, retrying a dropped connection until ``publish_timeout``; then PublishError."""
        client = self._client
        if client is None:
            raise PublishError(f"cannot publish to {channel!r}: RedisBackend is not connected")
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + self._publish_timeout
        delay = 0.0  # the first retry is immediate: a pooled connection may just be stale
        attempts = 0
        while True:
            attempts += 1
            try:
                async with asyncio.timeout_at(deadline):
                    await client.publish(channel, message)
                return
            except _CONNECTION_ERRORS as exc:
                error: Exception = exc
            except RedisError as exc:
                raise PublishError(f"Redis refused to publish to {channel!r}: {exc}") from exc
            if loop.time() + delay >= deadline:
                break
            await asyncio.sleep(delay)
            delay = min(max(delay * 2, 0.05), _PUBLISH_RETRY_MAX_S)
        raise PublishError(
            f"could not publish to {channel!r}: Redis at {self._where} unreachable "
            f"({attempts} attempts in {loop.time() - started:.2f} s; last error: {error})"
        ) from error

    async def next_published(self) -> Event:
        return await self._queue.get()

    async def _open(self, client: Redis) -> AbstractConnection:
        # A connection of our own, outside the pool: nothing else may read from it.
        pool = client.connection_pool
        conn = pool.connection_class(**pool.connection_kwargs)
        try:
            await conn.connect()  # type: ignore[no-untyped-call]  # unannotated in redis-py 8.1
        except BaseException:
            with suppress(Exception):
                await conn.disconnect(nowait=True)
            raise
        return conn

    async def _read_forever(self, conn: AbstractConnection) -> None:
        """The reader task: runs until cancelled, whatever Redis does."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                try:
                    await self._read(conn)
                except _CONNECTION_ERRORS as exc:
                    logger.warning(
                        "Redis pub/sub connection to %s lost (%s); reconnecting", self._where, exc
                    )
                except Exception:
                    logger.exception("Redis pub/sub reader failed; reconnecting")
                lost_at = loop.time()
                await self._end_session(conn)
                conn = await self._reconnect()
                self.reconnects += 1
                logger.warning(
                    "Redis pub/sub reconnected to %s after %.2f s; resubscribed %d channel(s)",
                    self._where,
                    loop.time() - lost_at,
                    len(self._channels),
                )
        finally:
            with suppress(Exception):
                await conn.disconnect()

    async def _read(self, conn: AbstractConnection) -> None:
        """Read until the connection fails; a quiet connection is probed with PING."""
        awaiting_pong = False
        while True:
            response = await conn.read_response(
                timeout=self._health_check_interval, push_request=True
            )
            if response is not None:
                awaiting_pong = False
                self._dispatch(response)
                continue
            if awaiting_pong:
                raise RedisTimeoutError(f"no reply to PING in {self._health_check_interval} s")
            async with self._send_lock:
                await conn.send_command("PING", check_health=False)
            awaiting_pong = True

    def _dispatch(self, response: object) -> None:
        # RESP2 arrays and RESP3 pushes look alike here: [kind, channel, payload].
        if not isinstance(response, list) or len(response) != 3:
            return  # PING replies
        kind, raw_channel, payload = response
        if not isinstance(raw_channel, bytes):
            return
        channel = raw_channel.decode("utf-8", "replace")
        if kind == b"message" and isinstance(payload, bytes):
            if channel in self._channels:
                self._queue.put_nowait(Event(channel, payload.decode("utf-8", "replace")))
        elif kind == b"subscribe":
            self._confirmed(channel)

    def _confirmed(self, channel: str) -> None:
        waiters = self._waiters.get(channel)
        waiter = waiters.popleft() if waiters else None
        if waiters is not None and not waiters:
            del self._waiters[channel]
        if waiter is not None and not waiter.done():
            waiter.set_result(True)
        elif channel in self._channels:
            # Nobody is waiting for this confirmation: it re-subscribes after an outage, or its
            # subscribe() gave up waiting. Either way messages may have been missed.
            self._queue.put_nowait(Event(channel, RESYNC_MESSAGE))

    async def _end_session(self, conn: AbstractConnection) -> None:
        async with self._send_lock:
            if self._conn is conn:
                self._conn = None
            self._release_waiters()
        with suppress(Exception):
            await conn.disconnect(nowait=True)

    async def _reconnect(self) -> AbstractConnection:
        """A new connection subscribed to every channel, after as many attempts as it takes."""
        delay = self._min_delay
        failures = 0
        while True:
            try:
                return await self._open_session()
            except Exception as exc:
                failures += 1
                log = logger.warning if failures == 1 else logger.debug
                log("Redis at %s unreachable (%s); retrying in %.2f s", self._where, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_delay)

    async def _open_session(self) -> AbstractConnection:
        client = self._client
        assert client is not None, "the reader runs only while connected"
        conn = await self._open(client)
        try:
            async with self._send_lock:
                if self._channels:
                    await conn.send_command(
                        "SUBSCRIBE", *sorted(self._channels), check_health=False
                    )
                self._conn = conn
        except BaseException:
            with suppress(Exception):
                await conn.disconnect(nowait=True)
            raise
        return conn

    def _release_waiters(self) -> None:
        """Let every subscribe() waiting on a dead connection return; a resync follows."""
        for waiters in self._waiters.values():
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(False)
        self._waiters.clear()
