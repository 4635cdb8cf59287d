"""Deciding alerts against real databases: each alert is a row once, only while it applies."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from hub.alerts.decide import decide_alerts
from hub.alerts.sql import INSERT_COLUMNS, insert_sql
from hub.alerts.worker import run_once
from hub.domain.alerts import AlertLevel, RecipientRole
from hub.domain.roles import Role
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import Completeness, ObjectionDecision
from hub.models import Case, OutboxEmail, OutboxStatus, User
from tests.alerts.conftest import BASE_URL, alert_settings, on_day
from tests.factories import World, reply_clock, served

SERVED_ON = date(2026, 9, 25)  # reply due 2026-11-25, a Wednesday


async def rows() -> list[tuple[str, str, str, str]]:
    return [
        (r.level.value, r.recipient_role.value, r.recipient_email, r.status.value)
        for r in await OutboxEmail.all().order_by("id")
    ]


async def test_deciding_twice_inserts_once(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    deadline = await reply_clock(rec.id)
    assert deadline is not None and deadline.due_on == date(2026, 11, 25)
    day_after = on_day(date(2026, 11, 26))

    report = await run_once(alert_settings(), now=day_after)
    assert report.summary() == "新增提醒 2 封，发送 0 封，失败 0 封，暂存 2 封"
    assert await rows() == [
        ("overdue", "liaison", "liaison_a@example.test", "held"),
        ("overdue", "prosecutor", "prosecutor@example.test", "held"),
    ]
    email = await OutboxEmail.get(recipient_role=RecipientRole.LIAISON)
    assert email.case_id == rec.id and email.clock == "reply" and email.deadline_version == 1
    assert email.recipient_user_id == world.liaison_a.id
    assert email.subject == f"【府检联动】检察建议回复已逾期：{rec.case_no}"
    assert "回复期限：2026年11月25日" in email.body and deadline.explanation in email.body
    assert f"{BASE_URL}/#/case/" in email.body
    assert email.attempts == 0 and email.sent_at is None and email.created_at == day_after

    again = await run_once(alert_settings(), now=day_after + timedelta(hours=5))
    assert again.summary() == "新增提醒 0 封，发送 0 封，失败 0 封，暂存 0 封"
    assert len(await rows()) == 2


async def test_levels_follow_the_calendar(world: World) -> None:
    await served(world, served_on=SERVED_ON)
    settings = alert_settings()
    assert (await decide_alerts(settings, now=on_day(date(2026, 11, 21)))).inserted == 0
    assert (await decide_alerts(settings, now=on_day(date(2026, 11, 22)))).inserted == 2
    assert (await decide_alerts(settings, now=on_day(date(2026, 11, 25)))).inserted == 0
    assert (await decide_alerts(settings, now=on_day(date(2026, 11, 26)))).inserted == 2
    assert (await decide_alerts(settings, now=on_day(date(2026, 12, 1)))).inserted == 0
    assert (await decide_alerts(settings, now=on_day(date(2026, 12, 2)))).inserted == 4
    assert (await decide_alerts(settings, now=on_day(date(2027, 3, 1)))).inserted == 0
    assert sorted((level, role) for level, role, _, _ in await rows()) == [
        ("due_soon", "liaison"),
        ("due_soon", "prosecutor"),
        ("escalation", "approver"),
        ("escalation", "liaison"),
        ("escalation", "office"),
        ("escalation", "prosecutor"),
        ("overdue", "liaison"),
        ("overdue", "prosecutor"),
    ]
    chief = await OutboxEmail.get(
        level=AlertLevel.ESCALATION, recipient_role=RecipientRole.APPROVER
    )
    assert chief.recipient_user_id == world.chief.id
    assert chief.subject.startswith("【府检联动】检察建议逾期未回复，提请督办")


async def test_a_reply_ends_the_alerts(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    settings = alert_settings()
    assert (await decide_alerts(settings, now=on_day(date(2026, 11, 23)))).inserted == 2
    await recs.submit_reply(
        world.liaison_a,
        rec.id,
        rec.version,
        content="已全部整改",
        completeness=Completeness.FULL,
        now=on_day(date(2026, 11, 24)),
    )
    for day in (date(2026, 11, 26), date(2026, 12, 10)):
        assert (await decide_alerts(settings, now=on_day(day))).inserted == 0
    assert {level for level, _, _, _ in await rows()} == {"due_soon"}


async def test_a_new_deadline_may_alert_again(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    settings = alert_settings()
    assert (await decide_alerts(settings, now=on_day(date(2026, 11, 26)))).inserted == 2
    at = on_day(date(2026, 11, 27))
    v = (await recs.raise_objection(world.liaison_a, rec.id, rec.version, grounds="不属于本单位职责", now=at)).case.version  # fmt: skip
    assert (await decide_alerts(settings, now=at)).inserted == 0  # under objection review
    amended = await recs.decide_objection(
        world.chief, rec.id, v, decision=ObjectionDecision.AMENDED, reasons="部分成立",
        amended_suggestions="修改后的建议", served_on=date(2026, 9, 28), now=at,
    )  # fmt: skip
    deadline = await reply_clock(amended.case.id)
    assert deadline is not None and deadline.version == 2
    new_due = deadline.due_on
    assert new_due is not None and new_due < date(2026, 12, 1)
    assert (await decide_alerts(settings, now=on_day(new_due + timedelta(days=1)))).inserted == 2
    versions = [
        (r.deadline_version, r.level)
        for r in await OutboxEmail.filter(recipient_role=RecipientRole.LIAISON).order_by("id")
    ]
    assert versions == [(1, AlertLevel.OVERDUE), (2, AlertLevel.OVERDUE)]


async def test_recipients_need_an_email_and_an_active_account(world: World) -> None:
    for username, email, active in (
        ("liaison_a2", "second@example.test", True),
        ("liaison_a3", "", True),
        ("liaison_a4", "gone@example.test", False),
    ):
        await User.create(
            username=username, display_name=username, password_hash="x", role=Role.UNIT_LIAISON,
            unit_id=world.unit_a.id, email=email, is_active=active,
        )  # fmt: skip
    await User.filter(id=world.prosecutor.id).update(email="")
    await served(world, served_on=SERVED_ON)
    await served(world, served_on=SERVED_ON, addressee=world.unit_b)
    await decide_alerts(alert_settings(), now=on_day(date(2026, 11, 26)))
    assert sorted(email for _, _, email, _ in await rows()) == [
        "liaison_a@example.test",
        "liaison_b@example.test",
        "second@example.test",
    ]


async def test_only_cases_awaiting_a_reply_are_scanned(world: World) -> None:
    rec = await served(world, served_on=SERVED_ON)
    await recs.acknowledge(world.liaison_a, rec.id, rec.version, now=on_day(date(2026, 10, 1)))
    draft_only = await served(world, served_on=SERVED_ON)
    await Case.filter(id=draft_only.id).update(state="closed_adopted")
    await decide_alerts(alert_settings(), now=on_day(date(2026, 11, 26)))
    assert {r.case_id for r in await OutboxEmail.all()} == {rec.id}  # RECTIFYING


async def test_concurrent_decisions_insert_each_alert_once(world: World) -> None:
    """Several scans at once: the unique key and ON CONFLICT DO NOTHING keep one row each,
    and each scan's report counts only the rows it inserted."""
    expected = 0
    for i in range(12):
        # Served 2026-09-15 (due 11-16: escalation, 4 each) or 09-25 (due 11-25: overdue, 2).
        rec = await served(
            world,
            served_on=date(2026, 9, 15) if i % 3 else SERVED_ON,
            addressee=world.unit_a if i % 2 else world.unit_b,
        )
        expected += 4 if i % 3 else 2
        if i % 4 == 0:  # some are RECTIFYING, the rest SERVED
            await recs.acknowledge(
                world.liaison_a if i % 2 else world.liaison_b, rec.id, rec.version,
                now=on_day(date(2026, 10, 1)),
            )  # fmt: skip
    settings = alert_settings()
    now = on_day(date(2026, 11, 26))
    results = await asyncio.gather(
        *(decide_alerts(settings, now=now, chunk_size=3) for _ in range(3))
    )
    assert await OutboxEmail.all().count() == expected == 8 * 4 + 4 * 2
    assert sum(r.inserted for r in results) == expected
    again = await decide_alerts(settings, now=now)
    assert again.inserted == 0


async def test_the_insert_skips_present_keys_and_returns_only_new_rows(world: World) -> None:
    """INSERT … ON CONFLICT ("dedupe_key") DO NOTHING RETURNING on both databases."""
    await served(world, served_on=SERVED_ON)
    await decide_alerts(alert_settings(), now=on_day(date(2026, 11, 26)))
    first = await OutboxEmail.all().order_by("id").first()
    assert first is not None
    row = [getattr(first, c) for c in INSERT_COLUMNS]
    row[INSERT_COLUMNS.index("level")] = first.level.value
    row[INSERT_COLUMNS.index("recipient_role")] = first.recipient_role.value
    row[INSERT_COLUMNS.index("status")] = first.status.value
    fresh = list(row)
    fresh[INSERT_COLUMNS.index("dedupe_key")] = "fresh-key"
    conn = OutboxEmail._meta.db
    added = await conn.execute_query_dict(insert_sql(conn.capabilities.dialect, 2), row + fresh)
    assert len(added) == 1
    assert await OutboxEmail.all().count() == 3
    copy = await OutboxEmail.get(id=added[0]["id"])
    assert copy.dedupe_key == "fresh-key" and copy.created_at == first.created_at
    assert copy.level is first.level and copy.status is OutboxStatus.HELD
