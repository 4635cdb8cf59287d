"""The two loops every reader of the shared logs runs (the event dispatcher, the notification
hub): hear notices on a broadcast channel for as long as the process lives, resubscribing
after a failure; and do a unit of work whenever woken, or every poll interval without a
notice. A lost notice therefore costs latency, never data."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)


class Subscription(Protocol):
    def __aiter__(self) -> AsyncIterator[object]: ...


class Broadcast(Protocol):
    """What the readers need of a broadcast (hub.pubsub.HubBroadcast, or a test's stand-in)."""

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...


async def hear_forever(
    broadcast: Broadcast,
    channel: str,
    on_message: Callable[[str], None],
    *,
    on_subscribed: Callable[[], None],
    retry_s: float,
    what: str,
) -> None:
    """Call ``on_message`` with each notice on ``channel``; ``on_subscribed`` after each
    (re)subscription, for anything published before it."""
    while True:
        try:
            async with broadcast.subscribe(channel) as notices:
                on_subscribed()
                async for event in notices:
                    on_message(str(getattr(event, "message", event)))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("%s interrupted; resubscribing", what, exc_info=True)
            await asyncio.sleep(retry_s)


async def work_when_woken(
    wake: asyncio.Event, work: Callable[[], Awaitable[object]], *, poll_s: float, what: str
) -> None:
    """Run ``work`` each time ``wake`` is set, and at least every ``poll_s``; a failure is
    logged and retried at the next wake or poll."""
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), poll_s)
        wake.clear()
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("%s failed; retrying", what, exc_info=True)
