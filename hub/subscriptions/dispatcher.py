"""One per process: reads new events from the log and hands them to local listeners.

A pub/sub notice only says "events up to N exist"; the dispatcher then reads every event after
the last one it dispatched, in sequence order. Because sequence order is commit order
(``hub.services.events``), a contiguous read never skips one, so a lost notice costs latency
(until the next notice or poll), never data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass

from hub.domain.kinds import CaseKind
from hub.domain.visibility import Audience, can_see
from hub.models import Case, CaseEvent
from hub.ops import metrics
from hub.resolvers.cases import CaseData, load_cases
from hub.services.events import last_seq
from hub.services.publish import EVENTS_CHANNEL
from hub.subscriptions.loops import Broadcast, hear_forever, work_when_woken

log = logging.getLogger(__name__)
READ_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event with its case as it is now (parties, clocks and detail loaded)."""

    event: CaseEvent
    case: CaseData


def visible_to(audience: Audience, delivery: Delivery) -> bool:
    """The one visibility rule (hub.domain.visibility), and internal steps for one side."""
    if delivery.event.internal and not audience.sees_internal:
        return False
    return can_see(audience, delivery.case.spec, delivery.case.facts)


class Resync:
    """Put in a listener's queue when it overflowed: the stream must re-read the log."""


RESYNC = Resync()


class Listener:
    def __init__(
        self, audience: Audience, max_queue: int, kinds: frozenset[CaseKind] | None = None
    ) -> None:
        self.audience = audience
        self.kinds = kinds  # None: every kind
        self.queue: asyncio.Queue[Delivery | Resync] = asyncio.Queue(max_queue)

    def wants(self, delivery: Delivery) -> bool:
        return self.kinds is None or delivery.case.kind in self.kinds

    def offer(self, item: Delivery) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)


async def read_deliveries(after: int, limit: int = READ_CHUNK) -> list[Delivery]:
    """Every stored event after ``after`` (all audiences), each with its current case: the
    events, then their cases with parties, clocks and details in a few queries per chunk."""
    events = await CaseEvent.filter(seq__gt=after).order_by("seq").limit(limit)
    if not events:
        return []
    loaded = await load_cases(Case.filter(id__in={e.case_id for e in events}))
    cases = {case.id: case for case in loaded}
    return [Delivery(e, cases[e.case_id]) for e in events]


class EventDispatcher:
    def __init__(
        self,
        broadcast: Broadcast | None,
        *,
        poll_interval: float = 2.0,
        max_queue: int = 10_000,
    ) -> None:
        self.broadcast = broadcast
        self.poll_interval = poll_interval
        self.max_queue = max_queue
        self.position = 0
        self._listeners: set[Listener] = set()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        from hub.subscriptions.fanout import renders

        renders.clear()
        self.position = await last_seq()
        self._tasks.append(asyncio.create_task(self._run(), name="event-dispatcher"))
        if self.broadcast is not None:
            self._tasks.append(asyncio.create_task(self._hear(), name="event-notices"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    def listen(self, audience: Audience, kinds: frozenset[CaseKind] | None = None) -> Listener:
        listener = Listener(audience, self.max_queue, kinds)
        self._listeners.add(listener)
        return listener

    def unlisten(self, listener: Listener) -> None:
        self._listeners.discard(listener)

    @property
    def listener_count(self) -> int:
        return len(self._listeners)

    def wake(self) -> None:
        self._wake.set()

    async def _hear(self) -> None:
        assert self.broadcast is not None
        await hear_forever(
            self.broadcast, EVENTS_CHANNEL, lambda _: self.wake(), on_subscribed=self.wake,
            retry_s=self.poll_interval, what="event notices",
        )  # fmt: skip

    async def _run(self) -> None:
        await work_when_woken(
            self._wake, self.catch_up, poll_s=self.poll_interval, what="reading new events"
        )

    async def catch_up(self) -> None:
        while deliveries := await read_deliveries(self.position):
            for delivery in deliveries:
                self._dispatch(delivery)
                self.position = delivery.event.seq
            if len(deliveries) < READ_CHUNK:
                return

    def _dispatch(self, delivery: Delivery) -> None:
        metrics.fanout.committed(delivery.event.seq, delivery.event.created_at)
        by_audience: dict[Audience, list[Listener]] = defaultdict(list)
        for listener in self._listeners:
            by_audience[listener.audience].append(listener)
        for audience, listeners in by_audience.items():
            if visible_to(audience, delivery):
                for listener in listeners:
                    if listener.wants(delivery):
                        listener.offer(delivery)
