"""Sending through a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, and when.

The server is down, silent or refusing in some tests; every email still arrives exactly once
when it is back, and none that no longer applies.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

from strawberry.relay import to_base64

from hub.alerts.decide import decide_alerts
from hub.alerts.send import claim_due, send_due
from hub.alerts.worker import run_once
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import Completeness
from hub.models import OutboxEmail, OutboxStatus
from tests.alerts.conftest import BASE_URL, SmtpServer, StartSmtp, alert_settings, free_port, on_day
from tests.factories import World, reply_clock, served

SERVED_ON = date(2026, 9, 25)  # reply due 2026-11-25
DAY_AFTER = on_day(date(2026, 11, 26))


async def statuses() -> list[tuple[str, OutboxStatus, int]]:
    return [
        (r.recipient_email, r.status, r.attempts)
        for r in await OutboxEmail.all().order_by("recipient_email")
    ]


async def test_chinese_email_arrives_once(world: World, smtp: SmtpServer) -> None:
    rec = await served(world, served_on=SERVED_ON)
    deadline = await reply_clock(rec.id)
    assert deadline is not None
    settings = alert_settings(smtp.url)

    report = await run_once(settings, now=DAY_AFTER)
    assert report.summary() == "新增提醒 2 封，发送 2 封，失败 0 封，暂存 0 封"
    received = smtp.received
    assert sorted(r.rcpt_tos[0] for r in received) == [
        "liaison_a@example.test",
        "prosecutor@example.test",
    ]
    link = f"{BASE_URL}/#/case/{to_base64('Recommendation', rec.id)}"
    for mail in received:
        assert mail.mail_from == "noreply@fujian-hub.local"
        assert mail.subject == f"【府检联动】检察建议回复已逾期：{rec.case_no}"
        assert str(mail.message["From"]) == "府检联动平台 <noreply@fujian-hub.local>"
        assert mail.message["To"].addresses[0].addr_spec == mail.rcpt_tos[0]
        body = mail.body
        assert f"文号：{rec.case_no}" in body
        assert "回复期限：2026年11月25日" in body
        assert f"期限说明：{deadline.explanation}" in body and deadline.explanation
        assert "已逾期1日" in body
        assert link in body.splitlines()
    assert len({mail.message_id for mail in received}) == 2
    assert await statuses() == [
        ("liaison_a@example.test", OutboxStatus.SENT, 1),
        ("prosecutor@example.test", OutboxStatus.SENT, 1),
    ]
    assert {r.sent_at for r in await OutboxEmail.all()} == {DAY_AFTER}

    again = await run_once(settings, now=DAY_AFTER + timedelta(minutes=1))
    assert again.summary() == "新增提醒 0 封，发送 0 封，失败 0 封，暂存 0 封"
    assert len(smtp.received) == 2


async def test_server_down_delays_the_email_until_it_is_back(
    world: World, start_smtp: StartSmtp
) -> None:
    await served(world, served_on=SERVED_ON)
    port = free_port()  # nothing listens here yet
    settings = alert_settings(f"smtp://127.0.0.1:{port}")

    down = await run_once(settings, now=DAY_AFTER)
    assert down.summary() == "新增提醒 2 封，发送 0 封，失败 2 封，暂存 0 封"
    for row in await OutboxEmail.all():
        assert row.status is OutboxStatus.PENDING and row.attempts == 1
        assert f"127.0.0.1:{port}" in row.last_error
        assert row.next_attempt_at == DAY_AFTER + timedelta(seconds=30)
        assert row.claimed_until is None and row.claim_token is None

    # Not due yet: nothing is tried, even with the server back.
    server = start_smtp(port)
    early = await run_once(settings, now=DAY_AFTER + timedelta(seconds=20))
    assert early.summary() == "新增提醒 0 封，发送 0 封，失败 0 封，暂存 0 封"
    assert server.received == []

    back = await run_once(settings, now=DAY_AFTER + timedelta(seconds=31))
    assert back.summary() == "新增提醒 0 封，发送 2 封，失败 0 封，暂存 0 封"
    assert sorted(r.rcpt_tos[0] for r in server.received) == [
        "liaison_a@example.test",
        "prosecutor@example.test",
    ]
    assert await statuses() == [
        ("liaison_a@example.test", OutboxStatus.SENT, 2),
        ("prosecutor@example.test", OutboxStatus.SENT, 2),
    ]
    for row in await OutboxEmail.all():  # why it took two tries stays on record
        assert row.sent_at == DAY_AFTER + timedelta(seconds=31)
        assert f"127.0.0.1:{port}" in row.last_error
    await run_once(settings, now=DAY_AFTER + timedelta(hours=2))
    assert len(server.received) == 2


async def test_backoff_grows_while_the_server_stays_down(world: World) -> None:
    await served(world, served_on=SERVED_ON)
    settings = alert_settings(f"smtp://127.0.0.1:{free_port()}")
    at = DAY_AFTER
    waits = []
    for _ in range(4):
        await run_once(settings, now=at)
        row = await OutboxEmail.all().order_by("id").first()
        assert row is not None
        waits.append((row.next_attempt_at - at).total_seconds())
        at = row.next_attempt_at
    assert waits == [30, 60, 120, 240]
    assert {(r.status, r.attempts) for r in await OutboxEmail.all()} == {(OutboxStatus.PENDING, 4)}


async def test_a_server_that_never_answers_times_out_and_loses_nothing(
    world: World, silent_smtp: str, smtp: SmtpServer
) -> None:
    await served(world, served_on=SERVED_ON)
    started = time.monotonic()
    silent = await run_once(alert_settings(silent_smtp, smtp_timeout_s=0.5), now=DAY_AFTER)
    assert time.monotonic() - started < 5
    assert silent.summary() == "新增提醒 2 封，发送 0 封，失败 2 封，暂存 0 封"
    for row in await OutboxEmail.all():
        assert row.status is OutboxStatus.PENDING and row.attempts == 1
        assert "Timeout" in row.last_error, row.last_error
        assert row.next_attempt_at > DAY_AFTER

    # The operator points HUB_SMTP_URL at a working server: the retry delivers both.
    later = await run_once(alert_settings(smtp.url), now=DAY_AFTER + timedelta(minutes=1))
    assert later.sent == 2 and len(smtp.received) == 2


async def test_an_alert_that_became_moot_is_not_sent(world: World, start_smtp: StartSmtp) -> None:
    rec = await served(world, served_on=SERVED_ON)
    port = free_port()
    settings = alert_settings(f"smtp://127.0.0.1:{port}")
    await run_once(settings, now=DAY_AFTER)  # server down: both PENDING
    await recs.submit_reply(
        world.liaison_a, rec.id, rec.version, content="已全部整改",
        completeness=Completeness.FULL, now=DAY_AFTER + timedelta(minutes=5),
    )  # fmt: skip
    server = start_smtp(port)
    report = await run_once(settings, now=DAY_AFTER + timedelta(hours=1))
    assert report.summary() == "新增提醒 0 封，发送 0 封，失败 0 封，暂存 0 封，作废 2 封"
    assert server.received == []
    assert {r.status for r in await OutboxEmail.all()} == {OutboxStatus.CANCELLED}


async def test_a_waiting_alert_gives_way_to_the_next_level(
    world: World, start_smtp: StartSmtp
) -> None:
    rec = await served(world, served_on=SERVED_ON)
    port = free_port()
    settings = alert_settings(f"smtp://127.0.0.1:{port}")
    await run_once(settings, now=DAY_AFTER)  # OVERDUE decided, server down
    server = start_smtp(port)
    report = await run_once(settings, now=on_day(date(2026, 12, 2)))  # 7 days overdue
    assert report.summary() == "新增提醒 4 封，发送 4 封，失败 0 封，暂存 0 封，作废 2 封"
    assert {m.subject for m in server.received} == {
        f"【府检联动】检察建议逾期未回复，提请督办：{rec.case_no}"
    }
    assert sorted(m.rcpt_tos[0] for m in server.received) == [
        "chief@example.test",
        "liaison_a@example.test",
        "office@example.test",
        "prosecutor@example.test",
    ]


async def test_a_refused_recipient_fails_for_good_and_the_others_arrive(
    world: World, start_smtp: StartSmtp
) -> None:
    server = start_smtp(refuse={"liaison_a@example.test"})
    await served(world, served_on=SERVED_ON)
    settings = alert_settings(server.url)
    report = await run_once(settings, now=DAY_AFTER)
    assert report.summary() == (
        "新增提醒 2 封，发送 1 封，失败 1 封，暂存 0 封（其中被拒收 1 封，不再重试）"
    )
    refused = await OutboxEmail.get(recipient_email="liaison_a@example.test")
    assert refused.status is OutboxStatus.FAILED and "550" in refused.last_error
    await run_once(settings, now=DAY_AFTER + timedelta(hours=3))
    assert [m.rcpt_tos for m in server.received] == [["prosecutor@example.test"]]


async def test_many_emails_go_out_in_batches(world: World, smtp: SmtpServer) -> None:
    for i in range(13):
        await served(world, served_on=SERVED_ON, addressee=world.unit_a if i % 2 else world.unit_b)
    report = await run_once(alert_settings(smtp.url), now=on_day(date(2026, 12, 3)))
    assert report.sent == 13 * 4 == len(smtp.received)
    assert len({(m.rcpt_tos[0], m.subject) for m in smtp.received}) == 13 * 4
    assert await OutboxEmail.filter(status=OutboxStatus.SENT).count() == 13 * 4


async def test_concurrent_senders_claim_each_row_once(world: World, smtp: SmtpServer) -> None:
    for i in range(13):
        await served(world, served_on=SERVED_ON, addressee=world.unit_a if i % 2 else world.unit_b)
    settings = alert_settings(smtp.url)
    now = on_day(date(2026, 12, 3))
    await decide_alerts(settings, now=now)
    deliveries = await asyncio.gather(
        *(send_due(settings, now=now, batch_size=5) for _ in range(3))
    )
    assert sum(d.sent for d in deliveries) == 13 * 4 == len(smtp.received)
    assert len({(m.rcpt_tos[0], m.subject) for m in smtp.received}) == 13 * 4


async def test_rows_of_a_sender_that_died_are_sent_after_its_lease(
    world: World, smtp: SmtpServer
) -> None:
    await served(world, served_on=SERVED_ON)
    settings = alert_settings(smtp.url)
    await decide_alerts(settings, now=DAY_AFTER)
    lease = timedelta(minutes=10)
    dead = await claim_due(DAY_AFTER, lease)  # claimed, then the process is killed
    assert len(dead.rows) == 2
    assert (await claim_due(DAY_AFTER, lease)).rows == []  # nobody else takes them

    held = await run_once(settings, now=DAY_AFTER + timedelta(minutes=5))
    assert held.sent == 0 and smtp.received == []
    late = await run_once(settings, now=DAY_AFTER + lease)
    assert late.sent == 2 and len(smtp.received) == 2
    assert {(r.status, r.claim_token) for r in await OutboxEmail.all()} == {
        (OutboxStatus.SENT, None)
    }
