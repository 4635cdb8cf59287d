"""Every open WebSocket of this process, by the credential it was opened with.

When a credential ends — logout, revocation, expiry, a deactivated user — its sockets are
closed (4401; 4403 for a deactivated user) and nothing more is written to them: the socket is
marked ended *before* it is closed, and every send on it checks the mark. Ends are learnt
three ways:

- a notice on ``hub.security.revocation.REVOCATIONS_CHANNEL`` (from this instance, another
  one, or a ``hub`` command), acted on at once;
- a check every ``HUB_CREDENTIAL_CHECK_INTERVAL_S`` (1 s) of each open credential's expiry
  and of the database (a few queries per check, by credential, not by socket), which covers
  lost notices and ``memory://`` set-ups where the command cannot reach the server;
- a database check before each new ``subscribe`` on a socket, so a revoked socket can
  never start a replay in the moment before its notice arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from starlette.websockets import WebSocket, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from hub import clock
from hub.models import ApiToken, Session
from hub.ops import metrics
from hub.security import log as security
from hub.security.revocation import REVOCATIONS_CHANNEL, Ended, Notice
from hub.services.auth import Credential

log = logging.getLogger(__name__)
T = TypeVar("T")
CHECK_CHUNK = 500
CLOSE_ENDED = 4401  # the credential ended: sign in again
CLOSE_FORBIDDEN = 4403  # the user was deactivated
REASONS = {
    "logout": "logged out",
    "revoked": "token revoked",
    "deactivated": "user deactivated",
    "expired": "credential expired",
    "invalid": "credential no longer valid",
}


@dataclass(eq=False, slots=True)
class OpenSocket:
    websocket: WebSocket
    credential: Credential
    ended: bool = False
    keys: tuple[tuple[Ended, str], ...] = field(default=())
    expiry: asyncio.TimerHandle | None = None


class Broadcast(Protocol):
    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Any]: ...

    async def publish(self, channel: str, message: Any) -> None: ...


class Connections:
    def __init__(self, broadcast: Broadcast | None, *, check_interval: float = 1.0) -> None:
        self.broadcast = broadcast
        self.check_interval = check_interval
        self._by_socket: dict[WebSocket, OpenSocket] = {}
        self._by_key: dict[tuple[Ended, str], set[OpenSocket]] = defaultdict(set)
        self._tasks: list[asyncio.Task[None]] = []
        self._closing: set[asyncio.Task[None]] = set()
        self.closed = 0  # sockets this process closed because their credential ended

    # -- registry ------------------------------------------------------------------------

    def add(self, websocket: WebSocket, credential: Credential) -> None:
        self.remove(websocket)
        keys: list[tuple[Ended, str]] = [(credential.ended_by, credential.key)]
        if credential.user_id is not None:
            keys.append((Ended.USER, str(credential.user_id)))
        sock = OpenSocket(websocket, credential, keys=tuple(keys))
        self._by_socket[websocket] = sock
        for key in sock.keys:
            self._by_key[key].add(sock)
        # Closed at the instant it expires (the periodic check is the fallback).
        delay = (credential.expires_at - clock.now()).total_seconds()
        loop = asyncio.get_running_loop()
        sock.expiry = loop.call_later(max(delay, 0), self._expire, sock)

    def remove(self, websocket: WebSocket) -> None:
        sock = self._by_socket.pop(websocket, None)
        if sock is not None:
            self._unindex(sock)

    def _expire(self, sock: OpenSocket) -> None:
        if not sock.ended:
            task = asyncio.create_task(self._close_all([sock], CLOSE_ENDED, "expired"))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    def _unindex(self, sock: OpenSocket) -> None:
        if sock.expiry is not None:
            sock.expiry.cancel()
            sock.expiry = None
        for key in sock.keys:
            peers = self._by_key.get(key)
            if peers is not None:
                peers.discard(sock)
                if not peers:
                    del self._by_key[key]

    def may_send(self, websocket: WebSocket) -> bool:
        """False once the socket's credential ended (its close may still be on the way)."""
        sock = self._by_socket.get(websocket)
        return sock is None or not sock.ended

    def credential_of(self, websocket: WebSocket) -> Credential | None:
        sock = self._by_socket.get(websocket)
        return sock.credential if sock is not None and not sock.ended else None

    @property
    def count(self) -> int:
        return len(self._by_socket)

    # -- ending --------------------------------------------------------------------------

    async def end(self, notice: Notice) -> int:
        """Close every socket of what ``notice`` names; returns how many."""
        socks = list(self._by_key.get((notice.what, notice.key), ()))
        code = CLOSE_FORBIDDEN if notice.what is Ended.USER else CLOSE_ENDED
        await self._close_all(socks, code, notice.reason)
        return len(socks)

    async def _close_all(self, socks: Iterable[OpenSocket], code: int, reason: str) -> None:
        pending = [sock for sock in socks if not sock.ended]
        for sock in pending:  # first mark them all, so not one more message goes out
            sock.ended = True
            self._unindex(sock)
        for sock in pending:
            self.closed += 1
            security.record("websocket.closed", credential=sock.credential.label,
                            code=code, reason=reason)  # fmt: skip
            with contextlib.suppress(Exception):
                if sock.websocket.application_state is WebSocketState.CONNECTED:
                    await sock.websocket.close(code=code, reason=REASONS.get(reason, reason))

    async def check(self, now: datetime | None = None) -> int:
        """Close sockets whose credential expired or no longer holds in the database."""
        at = now or clock.now()
        socks = [s for s in self._by_socket.values() if not s.ended]
        expired = [s for s in socks if s.credential.expires_at <= at]
        await self._close_all(expired, CLOSE_ENDED, "expired")
        live = [s for s in socks if not s.ended]
        valid = await _valid_keys({(s.credential.ended_by, s.credential.key) for s in live}, at)
        invalid = [s for s in live if (s.credential.ended_by, s.credential.key) not in valid]
        await self._close_all(invalid, CLOSE_ENDED, "invalid")
        return len(expired) + len(invalid)

    async def still_valid(self, credential: Credential) -> bool:
        at = clock.now()
        key = (credential.ended_by, credential.key)
        return credential.expires_at > at and key in await _valid_keys({key}, at)

    # -- background ----------------------------------------------------------------------

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._check_loop(), name="credential-checks"))
        if self.broadcast is not None:
            self._tasks.append(asyncio.create_task(self._hear(), name="credential-notices"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def publish(self, notice: Notice) -> None:
        """End the local sockets at once, then tell the other instances."""
        await self.end(notice)
        if self.broadcast is not None:
            try:
                await self.broadcast.publish(REVOCATIONS_CHANNEL, notice.encode())
            except Exception:
                log.warning("publishing a credential end failed; other instances will "
                            "find it within %ss", self.check_interval, exc_info=True)  # fmt: skip

    async def _hear(self) -> None:
        from hub.pubsub import is_resync

        assert self.broadcast is not None
        while True:
            try:
                async with self.broadcast.subscribe(REVOCATIONS_CHANNEL) as notices:
                    async for event in notices:
                        message = getattr(event, "message", event)
                        if is_resync(message):
                            await self.check()
                            continue
                        notice = Notice.decode(message)
                        if notice is not None:
                            await self.end(notice)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("credential notices interrupted; resubscribing", exc_info=True)
                await asyncio.sleep(self.check_interval)

    async def _check_loop(self) -> None:
        while True:
            await asyncio.sleep(self.check_interval)
            if not self._by_socket:
                continue
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("checking open credentials failed; retrying", exc_info=True)


async def _valid_keys(keys: set[tuple[Ended, str]], at: datetime) -> set[tuple[Ended, str]]:
    """Which of these credentials still hold: sessions unexpired with an active user, tokens
    neither revoked nor expired."""
    valid: set[tuple[Ended, str]] = set()
    sessions = sorted(k for what, k in keys if what is Ended.SESSION)
    tokens = sorted(int(k) for what, k in keys if what is Ended.TOKEN and k.isdigit())
    for chunk in _chunks(sessions):
        rows = await Session.filter(
            token_hash__in=chunk, expires_at__gt=at, user__is_active=True
        ).values_list("token_hash", flat=True)
        valid.update((Ended.SESSION, str(h)) for h in rows)
    for ids in _chunks(tokens):
        found = await ApiToken.filter(id__in=ids, revoked_at__isnull=True).values_list(
            "id", "expires_at", "created_at"
        )
        for token_id, expires_at, created_at in found:
            if (expires_at or created_at + timedelta(days=365)) > at:
                valid.add((Ended.TOKEN, str(token_id)))
    return valid


def _chunks(items: list[T]) -> Iterable[list[T]]:
    for start in range(0, len(items), CHECK_CHUNK):
        yield items[start : start + CHECK_CHUNK]


class GuardedWebSocketAdapter(ASGIWebSocketAdapter):
    """Drops whatever strawberry would send on a socket whose credential ended."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        connections: Connections | None = getattr(self.view, "connections", None)
        if connections is not None and not connections.may_send(self.ws):
            return
        await super().send_json(message)
        if message.get("type") == "next":
            seq = _board_event_seq(message)
            if seq is not None:
                metrics.fanout.written(seq)


def _board_event_seq(message: Mapping[str, object]) -> int | None:
    """The event a ``next`` message of a board subscription carries, if it is one."""
    payload = message.get("payload")
    data = payload.get("data") if isinstance(payload, Mapping) else None
    event = data.get("boardEvents") if isinstance(data, Mapping) else None
    cursor = event.get("cursor") if isinstance(event, Mapping) else None
    return int(cursor) if isinstance(cursor, str) and cursor.isdigit() else None


class GuardedTransportHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """Checks the socket's credential in the database before starting a new operation."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        connections: Connections | None = getattr(self.view, "connections", None)
        websocket: WebSocket | None = getattr(self.websocket, "ws", None)
        if connections is not None and websocket is not None and self.connection_acknowledged:
            credential = connections.credential_of(websocket)
            if credential is None and not connections.may_send(websocket):
                return  # ended; its close is on the way
            if credential is not None and not await connections.still_valid(credential):
                await connections.end(Notice(credential.ended_by, credential.key, "invalid"))
                return
        await super().handle_subscribe(message)
