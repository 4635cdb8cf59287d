"""Notices that a credential has ended, for every instance's open WebSockets.

A notice names what ended — a session (by the SHA-256 the database keeps, never the cookie),
an API token (by number) or a user (deactivated) — and goes over the same broadcast as the
event notices, on its own channel. Like those it is fire-and-forget: each instance also
re-checks the credentials of its open sockets every ``HUB_CREDENTIAL_CHECK_INTERVAL_S``
(``hub.subscriptions.connections``), so a lost notice costs at most that long.

In a serving process the app installs a publisher that first ends the local sockets, then
tells the others; a CLI command (``hub token revoke``) opens the broadcast just to publish.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)

REVOCATIONS_CHANNEL = "hub.credential-ended"


class Ended(StrEnum):
    SESSION = "session"
    TOKEN = "token"
    USER = "user"


@dataclass(frozen=True, slots=True)
class Notice:
    what: Ended
    key: str  # the session's hash, the token's number, the user's number
    reason: str  # logout, revoked, deactivated, expired

    def encode(self) -> str:
        from hub.pubsub import encode

        return encode({"ended": self.what.value, "key": self.key, "reason": self.reason})

    @classmethod
    def decode(cls, message: str) -> Notice | None:
        from hub.pubsub import MessageDecodeError, decode

        try:
            payload: dict[str, Any] = decode(message)
            return cls(Ended(payload["ended"]), str(payload["key"]), str(payload["reason"]))
        except (MessageDecodeError, KeyError, ValueError, TypeError):
            return None


Publisher = Callable[[Notice], Awaitable[None]]
_publisher: Publisher | None = None


def use_publisher(publisher: Publisher | None) -> None:
    """Install (or remove) the process's publisher; set by the app's lifespan."""
    global _publisher
    _publisher = publisher


async def announce(notice: Notice) -> None:
    """Tell every instance; never raises (the periodic re-check is the fallback)."""
    if _publisher is None:
        return
    try:
        await _publisher(notice)
    except Exception:
        log.warning("announcing %s %s ended failed; instances re-check periodically",
                    notice.what.value, notice.key, exc_info=True)  # fmt: skip


@contextlib.asynccontextmanager
async def publishing(broadcast_url: str) -> AsyncIterator[None]:
    """For a command outside the server: publish notices on ``broadcast_url`` while open.

    ``memory://`` reaches no other process; the server's periodic re-check covers that case.
    """
    if broadcast_url.startswith("memory://") or _publisher is not None:
        yield
        return
    from hub.pubsub import create_broadcast

    broadcast = create_broadcast(broadcast_url)
    try:
        await broadcast.connect()
    except Exception:
        log.warning("cannot reach the broadcast to announce revocations", exc_info=True)
        yield
        return

    async def publish(notice: Notice) -> None:
        await broadcast.publish(REVOCATIONS_CHANNEL, notice.encode())

    use_publisher(publish)
    try:
        yield
    finally:
        use_publisher(None)
        await broadcast.disconnect()
