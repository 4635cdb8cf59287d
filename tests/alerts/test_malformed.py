"""Email that data cannot break: line breaks and odd characters in any field stay inside one
header, and one row that cannot be sent fails with its reason without holding back the rest
(a real SMTP server, aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.alerts import send
from hub.alerts.decide import decide_alerts
from hub.alerts.send import send_due
from hub.alerts.smtp import MalformedEmail, build_message, one_line
from hub.alerts.worker import run_once
from hub.models import Case, OutboxEmail, OutboxStatus, User
from tests.alerts.conftest import SmtpServer, alert_settings, on_day
from tests.factories import World, served

SERVED_ON = date(2026, 9, 25)  # reply due 2026-11-25
DAY_AFTER = on_day(date(2026, 11, 26))
HOSTILE_NO = "宿检行建〔2026〕9号\r\nBcc: victim@evil.test\r\n\r\n伪造正文"


async def rows() -> list[tuple[str, OutboxStatus, str | None, str]]:
    return [
        (r.recipient_email, r.status, r.claim_token, r.last_error)
        for r in await OutboxEmail.all().order_by("recipient_email", "id")
    ]


async def test_a_document_number_with_line_breaks_stays_in_the_subject(
    world: World, smtp: SmtpServer
) -> None:
    hostile = await served(world, served_on=SERVED_ON)
    await served(world, served_on=SERVED_ON, addressee=world.unit_b)
    await Case.filter(id=hostile.id).update(case_no=HOSTILE_NO)
    await User.filter(id=world.prosecutor.id).update(display_name="承办\n检察官\u202e")

    report = await run_once(alert_settings(smtp.url), now=DAY_AFTER)

    assert report.summary() == "新增提醒 4 封，发送 4 封，失败 0 封，暂存 0 封"
    received = smtp.received
    assert len(received) == 4
    for mail in received:
        assert len(mail.rcpt_tos) == 1 and "victim@evil.test" not in mail.rcpt_tos
        assert mail.message["Bcc"] is None
        assert "\n" not in mail.subject and "\r" not in mail.subject
        assert "\u202e" not in str(mail.message["To"])
    subjects = {mail.subject for mail in received}
    assert (
        "【府检联动】检察建议回复已逾期：宿检行建〔2026〕9号 Bcc: victim@evil.test 伪造正文"
        in subjects
    )
    assert all(claim is None for _, _, claim, _ in await rows())
    stored = await OutboxEmail.filter(case_id=hostile.id).values_list("subject", "recipient_name")
    assert all("\n" not in subject and "\n" not in name for subject, name in stored)


async def test_a_stored_row_with_line_breaks_is_sent_on_one_line(
    world: World, smtp: SmtpServer
) -> None:
    """Rows decided before (or written by anything else) are made safe when sent too."""
    await served(world, served_on=SERVED_ON)
    settings = alert_settings(smtp.url)
    await decide_alerts(settings, now=DAY_AFTER)
    await OutboxEmail.all().update(subject=HOSTILE_NO, recipient_name="某人\r\nBcc: x@y")

    delivery = await send_due(settings, now=DAY_AFTER)

    assert (delivery.sent, delivery.rejected, delivery.retry) == (2, 0, 0)
    for mail in smtp.received:
        assert mail.subject == "宿检行建〔2026〕9号 Bcc: victim@evil.test 伪造正文"
        assert mail.message["Bcc"] is None and len(mail.rcpt_tos) == 1


async def test_an_address_that_is_no_address_fails_alone(world: World, smtp: SmtpServer) -> None:
    await User.filter(id=world.liaison_b.id).update(email="liaison b@example.test\r\nBcc: x@y")
    await served(world, served_on=SERVED_ON, addressee=world.unit_b)
    await served(world, served_on=SERVED_ON)

    report = await run_once(alert_settings(smtp.url), now=DAY_AFTER)

    assert report.summary() == (
        "新增提醒 4 封，发送 3 封，失败 1 封，暂存 0 封（其中被拒收 1 封，不再重试）"
    )
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [
        "liaison_a@example.test", "prosecutor@example.test", "prosecutor@example.test",
    ]  # fmt: skip
    failed = await OutboxEmail.get(status=OutboxStatus.FAILED)
    assert failed.recipient_user_id == world.liaison_b.id
    assert failed.last_error.startswith("邮件无法生成：收件地址无效")
    assert failed.claim_token is None and failed.attempts == 1
    # Failed for good: the next pass neither sends it nor stops on it.
    again = await run_once(alert_settings(smtp.url), now=DAY_AFTER)
    assert again.summary() == "新增提醒 0 封，发送 0 封，失败 0 封，暂存 0 封"


async def test_an_unexpected_error_on_one_row_fails_that_row_only(
    world: World,
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bad = await served(world, served_on=SERVED_ON)
    for _ in range(3):
        await served(world, served_on=SERVED_ON, addressee=world.unit_b)
    real = send._message

    def exploding(row: OutboxEmail, *args: Any) -> Any:
        if row.case_id == bad.id and row.recipient_user_id == world.prosecutor.id:
            raise RuntimeError("boom")
        return real(row, *args)

    monkeypatch.setattr(send, "_message", exploding)
    with caplog.at_level(logging.ERROR, logger="hub.alerts.send"):
        report = await run_once(alert_settings(smtp.url), now=DAY_AFTER)

    assert report.sent == 7 and report.rejected == 1
    assert len(smtp.received) == 7
    failed = await OutboxEmail.get(status=OutboxStatus.FAILED)
    assert failed.case_id == bad.id and "RuntimeError: boom" in failed.last_error
    assert all(claim is None for _, _, claim, _ in await rows())
    assert any("意外错误" in r.getMessage() and r.exc_info for r in caplog.records)  # a bug: logged


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("联络员@example.test", "邮件无法生成：NonASCIILocalPartDefect"),
        ("liaison@example.test\u202e", "邮件无法生成：收件地址无效"),
    ],
)
async def test_a_non_ascii_address_fails_that_row_only(
    world: World, smtp: SmtpServer, address: str, reason: str
) -> None:
    await User.filter(id=world.liaison_a.id).update(email=address)
    await served(world, served_on=SERVED_ON)
    await served(world, served_on=SERVED_ON, addressee=world.unit_b)

    report = await run_once(alert_settings(smtp.url), now=DAY_AFTER)

    assert (report.sent, report.rejected) == (3, 1)
    failed = await OutboxEmail.get(status=OutboxStatus.FAILED)
    assert failed.recipient_email == address and reason in failed.last_error
    assert all(claim is None for _, _, claim, _ in await rows())


# Any text a field may hold, lone surrogates and every kind of line break included.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=80) | st.sampled_from(
    ["\r\n", "\n.\n", "a\rBcc: x@y", "=?utf-8?q?x?=", "\u2028\u2029", "\x00", "\ud800"]
)


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(subject=TEXT, name=TEXT, body=TEXT)
def test_no_value_adds_or_breaks_a_header(subject: str, name: str, body: str) -> None:
    message = build_message(
        sender="府检联动平台 <noreply@fujian-hub.local>", recipient_name=name,
        recipient_email="liaison@example.test", subject=subject, body=body,
        message_id="<hub-alert-1-abc@fujian-hub.local>", date=datetime(2026, 11, 26, tzinfo=UTC),
    )  # fmt: skip
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert sorted(parsed.keys()) == sorted(
        ["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "Content-Type",
         "Content-Transfer-Encoding", "MIME-Version"]
    )  # fmt: skip
    assert [a.addr_spec for a in parsed["To"].addresses] == ["liaison@example.test"]
    assert str(parsed["Subject"]) == one_line(subject, 255)
    assert not parsed.defects


@pytest.mark.parametrize(
    "address", ["", "no-at-sign", "a@b@c", "a b@example.test", "a@example.test\nBcc: x@y", "<a@b>"]
)
def test_a_malformed_address_is_refused_with_its_reason(address: str) -> None:
    with pytest.raises(MalformedEmail, match="收件地址无效"):
        build_message(
            sender="noreply@fujian-hub.local", recipient_name="x", recipient_email=address,
            subject="s", body="b", message_id="<m@x>", date=datetime(2026, 11, 26, tzinfo=UTC),
        )  # fmt: skip
