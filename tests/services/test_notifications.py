"""Notifications against real databases: written with their event, per user, once each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hub.alerts.decide import decide_alerts
from hub.domain.errors import NotFound, ValidationFailed
from hub.domain.roles import Actor
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import Completeness
from hub.models import CaseEvent, Notification
from hub.services import notifications as service
from hub.services.comments import add_comment
from tests.alerts.conftest import alert_settings, on_day
from tests.factories import NOW, World, served

SERVED_ON = date(2026, 9, 25)  # reply due 2026-11-25


async def mine(actor: Actor) -> list[tuple[str, str]]:
    rows = await Notification.filter(user_id=actor.id).order_by("id")
    return [(n.topic, n.text) for n in rows]


async def test_serving_tells_the_addressed_units_liaison_only(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    assert await mine(world.liaison_a) == [
        ("addressed", f"新案件送达本单位：检察建议 {rec.case_no}（{rec.title}）")
    ]
    # The actor, the chief who approved (internal steps), the other unit: nothing.
    for actor in (world.prosecutor, world.chief, world.office, world.liaison_b):
        assert await mine(actor) == []
    row = await Notification.get(user_id=world.liaison_a.id)
    event = await CaseEvent.get(seq=row.seq)
    assert event.action == "serve" and row.case_id == rec.id and row.read_at is None
    assert row.created_at == event.created_at


async def test_a_reply_tells_the_prosecutor_not_the_actor_nor_another_unit(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    change = await recs.submit_reply(world.liaison_a, rec.id, rec.version, content="已整改。",
                                     completeness=Completeness.FULL, now=NOW)  # fmt: skip
    assert await mine(world.prosecutor) == [
        ("step", f"市生态环境局提交整改回复：检察建议 {rec.case_no}")
    ]
    assert (await Notification.get(user_id=world.prosecutor.id)).seq == change.event.seq
    assert len(await mine(world.liaison_a)) == 1  # only the earlier 新案件送达
    assert await mine(world.liaison_b) == [] and await mine(world.chief) == []


async def test_a_refused_step_writes_no_notification(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    before = await Notification.all().count()
    with pytest.raises(NotFound):  # the other unit may not even see it
        await recs.submit_reply(world.liaison_b, rec.id, rec.version, content="x",
                                completeness=Completeness.FULL, now=NOW)  # fmt: skip
    assert await Notification.all().count() == before


async def test_internal_comments_never_reach_the_government_side(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    await add_comment(world.prosecutor, rec.id, "请联络员留意", mention_ids=[world.liaison_a.id],
                      now=NOW)  # fmt: skip
    await add_comment(world.prosecutor, rec.id, "内部：请检察长审阅", internal=True,
                      mention_ids=[world.chief.id], now=NOW)  # fmt: skip
    assert [t for t, _ in await mine(world.liaison_a)] == ["addressed", "mention"]
    assert await mine(world.chief) == [
        ("mention", f"prosecutor-姓名在 检察建议 {rec.case_no} 中提到了您")
    ]
    assert await mine(world.liaison_b) == []


async def test_the_overdue_scan_notifies_each_recipient_once(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    settings = alert_settings()
    await decide_alerts(settings, now=on_day(date(2026, 11, 22)))  # due soon: no notification
    assert await Notification.filter(topic="overdue").count() == 0
    for day in (date(2026, 11, 26), date(2026, 11, 27), date(2026, 12, 2)):  # overdue, escalated
        await decide_alerts(settings, now=on_day(day))
        await decide_alerts(settings, now=on_day(day) + timedelta(hours=3))
    overdue = await Notification.filter(topic="overdue").order_by("user_id")
    text = f"检察建议 {rec.case_no} 已逾期（回复期限）"
    # Overdue: the liaison and the prosecutor; escalated: the office and the chief as well.
    assert sorted(n.user_id for n in overdue) == sorted(
        a.id for a in (world.liaison_a, world.prosecutor, world.chief, world.office)
    )
    assert {n.text for n in overdue} == {text} and all(n.seq is None for n in overdue)
    assert await mine(world.liaison_b) == []


async def test_list_is_newest_first_and_keyset_paged(world: World) -> None:
    recs_ = [await served(world, served_on=SERVED_ON) for _ in range(3)]
    page = await service.list_notifications(world.liaison_a, first=2)
    assert [n.case_id for n in page.items] == [recs_[2].id, recs_[1].id] and page.has_more
    rest = await service.list_notifications(world.liaison_a, first=2, after=page.end_cursor)
    assert [n.case_id for n in rest.items] == [recs_[0].id] and not rest.has_more
    with pytest.raises(ValidationFailed):
        await service.list_notifications(world.liaison_a, after="bm90LWEtY3Vyc29y")
    assert (await service.list_notifications(world.liaison_b)).items == []


async def test_mark_read_one_and_all_per_user(world: World) -> None:
    for _ in range(3):
        await served(world, served_on=SERVED_ON)
    ids = [n.id for n in await Notification.filter(user_id=world.liaison_a.id).order_by("id")]
    assert await service.unread_count(world.liaison_a) == 3
    # Someone else's notification is ignored like an unknown one.
    other = await service.mark_read(world.liaison_b, ids=[service.global_id(ids[0])])
    assert other.ids == [] and await service.unread_count(world.liaison_a) == 3
    one = await service.mark_read(world.liaison_a, ids=[service.global_id(ids[0])])
    assert one.ids == [ids[0]] and one.unread == 2
    page = await service.list_notifications(world.liaison_a, unread_only=True)
    assert [n.id for n in page.items] == [ids[2], ids[1]]
    every = await service.mark_read(world.liaison_a, everything=True)
    assert every.unread == 0 and await service.unread_count(world.liaison_a) == 0
    with pytest.raises(ValidationFailed):
        await service.mark_read(world.liaison_a)
    with pytest.raises(ValidationFailed):
        await service.mark_read(world.liaison_a, ids=["not-an-id"])
