"""One subscriber's stream: stored events after its cursor, then live ones, no duplicates."""

from __future__ import annotations

from collections.abc import AsyncIterator

from hub.domain.kinds import CaseKind
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


async def replay(
    audience: Audience, after: int, kinds: frozenset[CaseKind] | None = None
) -> AsyncIterator[Delivery]:
    """Stored events after ``after`` that ``audience`` may see (of ``kinds``), oldest first."""
    while deliveries := await read_deliveries(after):
        for delivery in deliveries:
            after = delivery.event.seq
            if (kinds is None or delivery.case.kind in kinds) and visible_to(audience, delivery):
                yield delivery
        if len(deliveries) < READ_CHUNK:
            return


async def board_stream(
    dispatcher: EventDispatcher,
    audience: Audience,
    after: int | None,
    kinds: frozenset[CaseKind] | None = None,
) -> AsyncIterator[Delivery]:
    """Listen first, then replay, so nothing committed in between is missed."""
    listener = dispatcher.listen(audience, kinds)
    try:
        last = await last_seq() if after is None else after
        async for delivery in replay(audience, last, kinds):
            last = delivery.event.seq
            yield delivery
        while True:
            item = await listener.queue.get()
            if isinstance(item, Resync):  # we fell behind: the log has everything
                async for delivery in replay(audience, last, kinds):
                    last = delivery.event.seq
                    yield delivery
                continue
            if item.event.seq <= last:
                continue
            last = item.event.seq
            yield item
    finally:
        dispatcher.unlisten(listener)
