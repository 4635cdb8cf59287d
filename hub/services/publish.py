"""After a transaction commits, tell every instance that new events exist.

A notice only says "events up to N are committed", so notices coalesce: one background task
publishes the highest pending sequence, and a write never waits for Redis. Pub/sub is
fire-and-forget: a lost notice costs latency, never data, because subscribers read the event
log (``hub.subscriptions``), and a failed publish is logged, not raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

log = logging.getLogger(__name__)

EVENTS_CHANNEL = "hub.case-events"


class Broadcast(Protocol):
    async def publish(self, channel: str, message: str) -> None: ...


class Announcer:
    """Publishes the latest committed sequence on ``EVENTS_CHANNEL``, coalescing bursts."""

    def __init__(self, broadcast: Broadcast) -> None:
        self.broadcast = broadcast
        self.pending = 0
        self.published = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def announce(self, seq: int) -> None:
        self.pending = max(self.pending, seq)
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="event-announcer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        from hub.pubsub import encode

        while True:
            await self._wake.wait()
            self._wake.clear()
            seq = self.pending
            try:
                await self.broadcast.publish(EVENTS_CHANNEL, encode({"seq": seq}))
                self.published = seq
            except Exception:
                log.warning("announcing events up to %s failed; readers will catch up", seq,
                            exc_info=True)  # fmt: skip


_announcer: Announcer | None = None


def use_announcer(announcer: Announcer | None) -> None:
    """Install (or remove, with None) the process's announcer; set by the app's lifespan."""
    global _announcer
    _announcer = announcer


async def announce(seq: int) -> None:
    """Say that events up to ``seq`` are committed (no-op outside a serving process)."""
    if _announcer is not None:
        _announcer.announce(seq)
