"""One subscriber's stream: stored events after its cursor, then live ones, no duplicates."""

from __future__ import annotations

from collections.abc import AsyncIterator

from hub.domain.visibility import Audience
from hub.services.events import last_seq
from hub.subscriptions.dispatcher import (
    READ_CHUNK,
    Delivery,
    EventDispatcher,
    Resync,
    read_deliveries,
    visible_to,
)


async def replay(audience: Audience, after: int) -> AsyncIterator[Delivery]:
    """Stored events after ``after`` that ``audience`` may see, oldest first."""
    while deliveries := await read_deliveries(after):
        for delivery in deliveries:
            after = delivery.event.seq
            if visible_to(audience, delivery):
                yield delivery
        if len(deliveries) < READ_CHUNK:
            return


async def board_stream(
    dispatcher: EventDispatcher, audience: Audience, after: int | None
) -> AsyncIterator[Delivery]:
    """Listen first, then replay, so nothing committed in between is missed."""
    listener = dispatcher.listen(audience)
    try:
        last = await last_seq() if after is None else after
        async for delivery in replay(audience, last):
            last = delivery.event.seq
            yield delivery
        while True:
            item = await listener.queue.get()
            if isinstance(item, Resync):  # we fell behind: the log has everything
                async for delivery in replay(audience, last):
                    last = delivery.event.seq
                    yield delivery
                continue
            if item.event.seq <= last:
                continue
            last = item.event.seq
            yield item
    finally:
        dispatcher.unlisten(listener)
