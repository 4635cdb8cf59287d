"""After a transaction commits, tell every instance that new events exist.

Pub/sub is fire-and-forget: a lost notice costs latency, never data, because subscribers
read events from the log (``hub.subscriptions``). So a failed publish is logged, not raised.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)

EVENTS_CHANNEL = "hub.case-events"


class Publisher(Protocol):
    async def publish(self, channel: str, message: str) -> None: ...


_publisher: Publisher | None = None


def use_publisher(publisher: Publisher | None) -> None:
    """Install (or remove, with None) the process's publisher; set by the app's lifespan."""
    global _publisher
    _publisher = publisher


async def announce(seq: int) -> None:
    """Say that events up to ``seq`` are committed."""
    if _publisher is None:
        return
    from hub.pubsub import encode

    try:
        await _publisher.publish(EVENTS_CHANNEL, encode({"seq": seq}))
    except Exception:
        log.warning("publishing event %s failed; subscribers will catch up", seq, exc_info=True)
