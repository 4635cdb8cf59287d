"""Live notifications: each of a user's sockets, on any instance, hears their new ones and
every change of their read state.

One ``NotificationHub`` per process keeps the local listeners by user. It finds new
notifications by reading the table after every commit notice (``EVENTS_CHANNEL``, which the
write path publishes after each step) and every ``{"new": true}`` on ``NOTIFICATIONS_CHANNEL``
(the alert scan's), or every ``poll_interval`` when notices are lost; one query per wake for
the whole process, not per socket. It remembers the ids it has seen in a window below the
highest, so a row that commits after a higher one still counts as new. Read-state changes come
as ``{"user": id, "read": [ids]}`` or ``{"user": id, "all": highest id}`` and go to that user's
listeners as they are. The stream of one socket then reads that user's newest rows itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from hub.models import Notification
from hub.services import notifications as service
from hub.services.notifications import NOTIFICATIONS_CHANNEL, latest_id, unread_count_of
from hub.services.publish import EVENTS_CHANNEL
from hub.subscriptions.loops import Broadcast, hear_forever, work_when_woken

log = logging.getLogger(__name__)

WINDOW = 500  # ids below the highest seen that may still commit late
RECENT = 50  # rows one wake of a socket reads at most


@dataclass(frozen=True, slots=True)
class ReadChange:
    ids: tuple[int, ...] = ()
    up_to: int | None = None  # all ids up to this one are read


class _Wake:
    pass


WAKE = _Wake()  # this user has new notifications
RESYNC = _Wake()  # notices may have been lost: read everything again

Item = ReadChange | _Wake


class Listener:
    def __init__(self, user_id: int, max_queue: int) -> None:
        self.user_id = user_id
        self.queue: asyncio.Queue[Item] = asyncio.Queue(max_queue)
        self.woken = False  # a WAKE is queued and not taken yet: another adds nothing

    def offer(self, item: Item) -> None:
        if item is WAKE:
            if self.woken:
                return
            self.woken = True
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.woken = False
            self.queue.put_nowait(RESYNC)


class NotificationHub:
    def __init__(
        self, broadcast: Broadcast | None, *, poll_interval: float = 2.0, max_queue: int = 1000
    ) -> None:
        self.broadcast = broadcast
        self.poll_interval = poll_interval
        self.max_queue = max_queue
        self._listeners: dict[int, set[Listener]] = defaultdict(set)
        self._low = 0
        self._seen: set[int] = set()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._low = await latest_id(Notification.all())
        self._seen.clear()
        self._tasks.append(asyncio.create_task(self._run(), name="notification-scan"))
        if self.broadcast is not None:
            self._tasks.append(asyncio.create_task(self._hear(EVENTS_CHANNEL), name="n-events"))
            self._tasks.append(
                asyncio.create_task(self._hear(NOTIFICATIONS_CHANNEL), name="n-notices")
            )

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    def listen(self, user_id: int) -> Listener:
        listener = Listener(user_id, self.max_queue)
        self._listeners[user_id].add(listener)
        return listener

    def unlisten(self, listener: Listener) -> None:
        peers = self._listeners.get(listener.user_id)
        if peers is not None:
            peers.discard(listener)
            if not peers:
                del self._listeners[listener.user_id]

    @property
    def listener_count(self) -> int:
        return sum(len(peers) for peers in self._listeners.values())

    def wake(self) -> None:
        self._wake.set()

    def _offer(self, user_id: int, item: Item) -> None:
        for listener in tuple(self._listeners.get(user_id, ())):
            listener.offer(item)

    def hear(self, channel: str, message: str) -> None:
        """One pub/sub message."""
        from hub.pubsub import MessageDecodeError, decode, is_resync

        if is_resync(message):
            self.wake()
            if channel == NOTIFICATIONS_CHANNEL:  # read changes may be lost: all read again
                for user_id in tuple(self._listeners):
                    self._offer(user_id, RESYNC)
            return
        if channel != NOTIFICATIONS_CHANNEL:
            self.wake()
            return
        try:
            payload: dict[str, Any] = decode(message)
        except MessageDecodeError:
            log.warning("ignoring a malformed notification notice")
            return
        user = payload.get("user")
        if isinstance(user, int) and "read" in payload:
            ids = tuple(i for i in payload["read"] if isinstance(i, int))
            self._offer(user, ReadChange(ids=ids))
        elif isinstance(user, int) and isinstance(payload.get("all"), int):
            self._offer(user, ReadChange(up_to=payload["all"]))
        else:
            self.wake()

    async def _hear(self, channel: str) -> None:
        assert self.broadcast is not None
        await hear_forever(
            self.broadcast, channel, lambda message: self.hear(channel, message),
            on_subscribed=self.wake, retry_s=self.poll_interval, what="notification notices",
        )  # fmt: skip

    async def _run(self) -> None:
        await work_when_woken(
            self._wake, self.scan, poll_s=self.poll_interval, what="reading new notifications"
        )

    async def scan(self) -> int:
        """Wake the local listeners of every user with a notification not seen yet."""
        rows = (
            await Notification.filter(id__gt=self._low)
            .order_by("id")
            .limit(WINDOW * 4)
            .values_list("id", "user_id")
        )
        fresh = [(i, u) for i, u in rows if i not in self._seen]
        for _, user_id in fresh:
            self._offer(user_id, WAKE)
        self._seen.update(i for i, _ in fresh)
        if self._seen:
            self._low = max(self._low, max(self._seen) - WINDOW)
            self._seen = {i for i in self._seen if i > self._low}
        if len(rows) == WINDOW * 4:
            self.wake()  # more to read
        return len(fresh)


@dataclass(frozen=True, slots=True)
class Created:
    notification: Notification
    unread: int


@dataclass(frozen=True, slots=True)
class Read:
    ids: tuple[int, ...]
    up_to: int | None
    unread: int


@dataclass(frozen=True, slots=True)
class Resynced:
    unread: int


Update = Created | Read | Resynced


async def notification_stream(hub: NotificationHub, user_id: int) -> AsyncIterator[Update]:
    """One socket's updates: its user's notifications created after it started, each once,
    oldest first, and every change of their read state."""
    listener = hub.listen(user_id)
    try:
        latest = await latest_id(Notification.filter(user_id=user_id))
        floor, sent = latest, set[int]()
        while True:
            item = await listener.queue.get()
            if isinstance(item, _Wake):
                listener.woken = False
            if isinstance(item, ReadChange):
                yield Read(item.ids, item.up_to, await unread_count_of(user_id))
                continue
            rows = list(
                await Notification.filter(user_id=user_id, id__gt=floor)
                .select_related("case")
                .order_by("-id")
                .limit(RECENT)
            )
            for row in reversed(rows):
                if row.id not in sent:
                    sent.add(row.id)
                    yield Created(row, await unread_count_of(user_id))
            if len(sent) > RECENT * 4:
                floor = max(floor, sorted(sent)[-RECENT * 2])
                sent = {i for i in sent if i > floor}
            if item is RESYNC:
                yield Resynced(await unread_count_of(user_id))
    finally:
        hub.unlisten(listener)


_hub: NotificationHub | None = None


def use_notifications(hub: NotificationHub | None, broadcast: service.Broadcast | None) -> None:
    """Install (or remove) the process's hub and the broadcast marking read publishes on; set
    by the app's lifespan."""
    global _hub
    _hub = hub
    service.use_broadcast(broadcast)


def current_hub() -> NotificationHub | None:
    return _hub
