"""The per-process notification hub: which local listeners a new row or a read change wakes."""

from __future__ import annotations

from hub import clock
from hub.models import Notification
from hub.pubsub import RESYNC_MESSAGE, encode
from hub.services.notifications import NOTIFICATIONS_CHANNEL
from hub.services.publish import EVENTS_CHANNEL
from hub.subscriptions.notifications import RESYNC, WAKE, NotificationHub, ReadChange
from tests.factories import World, draft


async def _row(world: World, user_id: int, pk: int, case_id: int) -> None:
    await Notification.create(id=pk, user_id=user_id, case_id=case_id, topic="step", text="t",
                              dedupe_key=f"test:{pk}", created_at=clock.now())  # fmt: skip


def _drain(queue: object) -> list[object]:
    items = []
    while not queue.empty():  # type: ignore[attr-defined]
        items.append(queue.get_nowait())  # type: ignore[attr-defined]
    return items


async def test_new_rows_wake_their_users_once_even_when_a_lower_id_commits_late(
    world: World,
) -> None:
    case = await draft(world)
    hub = NotificationHub(None, poll_interval=3600)
    await hub.start()
    try:
        mine, other = hub.listen(world.liaison_a.id), hub.listen(world.liaison_b.id)
        await _row(world, world.liaison_a.id, 100, case.id)
        await _row(world, world.liaison_a.id, 101, case.id)
        assert await hub.scan() == 2
        assert _drain(mine.queue) == [WAKE]  # coalesced until the stream takes it
        assert _drain(other.queue) == []
        mine.woken = False
        assert await hub.scan() == 0  # seen already
        await _row(world, world.liaison_a.id, 50, case.id)  # committed after 101
        assert await hub.scan() == 1 and _drain(mine.queue) == [WAKE]
        hub.unlisten(other)
        assert hub.listener_count == 1
    finally:
        await hub.stop()


async def test_read_changes_go_to_that_users_listeners_and_resync_to_all(world: World) -> None:
    hub = NotificationHub(None, poll_interval=3600)
    mine, other = hub.listen(world.liaison_a.id), hub.listen(world.liaison_b.id)
    user = world.liaison_a.id
    hub.hear(NOTIFICATIONS_CHANNEL, encode({"user": user, "read": [3, 4]}))
    hub.hear(NOTIFICATIONS_CHANNEL, encode({"user": user, "all": 9}))
    hub.hear(NOTIFICATIONS_CHANNEL, "not json")  # ignored
    assert _drain(mine.queue) == [ReadChange(ids=(3, 4)), ReadChange(up_to=9)]
    assert _drain(other.queue) == []
    hub.hear(EVENTS_CHANNEL, RESYNC_MESSAGE)  # only a scan: the events are in the table
    assert _drain(mine.queue) == []
    hub.hear(NOTIFICATIONS_CHANNEL, RESYNC_MESSAGE)  # read changes may be lost: all re-read
    assert _drain(mine.queue) == [RESYNC] and _drain(other.queue) == [RESYNC]
