"""The outbox on the board: with no SMTP server, alert emails are kept (HELD) and listed here.

The alerts are decided in this process against the test database, as the worker would; what
each person's browser shows is compared with the outbox rows addressed to them.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.async_api import Locator, expect

from hub import clock
from hub.alerts.worker import run_once
from hub.clock import BUSINESS_TZ
from hub.domain.alerts import AlertLevel
from hub.models import Case, OutboxEmail, OutboxStatus, Unit, User
from hub.settings import Settings
from tests.app_clients import RunningServer
from tests.factories import World, served
from tests.frontend.conftest import ARTIFACTS, BoardPage, Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

LEVELS = {
    AlertLevel.DUE_SOON: "即将到期",
    AlertLevel.OVERDUE: "已逾期",
    AlertLevel.ESCALATION: "提请督办",
}
STATUSES = {
    OutboxStatus.HELD: "暂存（未配置邮件服务器）",
    OutboxStatus.PENDING: "待发送",
    OutboxStatus.SENT: "已发送",
    OutboxStatus.FAILED: "发送失败",
    OutboxStatus.CANCELLED: "已作废",
}
BUTTON = re.compile(r"^提醒邮件")  # not the panel's "关闭提醒邮件"


def no_smtp(server: RunningServer) -> Settings:
    """The hub as configured without HUB_SMTP_URL: decided alerts are HELD in the outbox."""
    return Settings(smtp_url=None, base_url=server.base_url, alerts_enabled=False)


def today_at(hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` today in Asia/Shanghai, as a UTC instant."""
    return datetime.combine(clock.today(), time(hour, minute), tzinfo=BUSINESS_TZ).astimezone(UTC)


def shown(instant: datetime) -> str:
    """How the outbox writes an instant (a dense row): the local (Asia/Shanghai) date and time."""
    return f"{instant.astimezone(BUSINESS_TZ):%Y-%m-%d %H:%M}"


def global_id(rec_id: int) -> str:
    return base64.b64encode(f"Recommendation:{rec_id}".encode()).decode()


async def overdue_case(world: World, addressee: Unit | None = None) -> Case:
    """Served 70 days ago: the two-month reply deadline has passed."""
    return await served(world, served_on=clock.today() - timedelta(days=70), addressee=addressee)


async def emails_to(user: User | None) -> list[OutboxEmail]:
    """The outbox rows addressed to ``user`` (None: all of them), newest first."""
    query = OutboxEmail.all() if user is None else OutboxEmail.filter(recipient_user_id=user.id)
    return list(await query.order_by("-created_at", "-id"))


def alerts_of(rows: list[OutboxEmail]) -> list[list[OutboxEmail]]:
    """The rows as the panel lists them: one entry per alert (case, clock, clock version,
    level), its emails in id order, the alert with the newest email first."""
    groups: dict[tuple[object, ...], list[OutboxEmail]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        groups.setdefault((r_key := (row.case_id, row.clock, row.deadline_version, row.level)), [])
        groups[r_key].append(row)
    return sorted(groups.values(), key=lambda group: -group[-1].id)


async def doc_numbers() -> dict[int, str]:
    return dict(await Case.all().values_list("id", "case_no"))


def badge(board: BoardPage) -> Locator:
    return board.page.locator("#outbox-count")


async def open_outbox(board: BoardPage) -> Locator:
    await board.page.get_by_role("button", name=BUTTON).click()
    panel = board.page.locator("#outbox")
    await expect(panel).to_be_visible()
    await expect(panel.get_by_role("heading", name="提醒邮件", level=2)).to_be_focused()
    await expect(panel.locator(".loading")).to_have_count(0)
    return panel


def listed(panel: Locator) -> Locator:
    """The alerts listed (not the recipients listed inside each)."""
    return panel.get_by_role("list", name="提醒邮件列表").locator(":scope > li")


async def expect_alert(item: Locator, group: list[OutboxEmail], doc_no: str) -> None:
    """One listed alert says what its outbox rows say, in Chinese: once the alert, then each
    recipient with their email's status."""
    first = group[0]
    article = item.get_by_role("article", name=first.subject)
    await expect(article).to_have_attribute("data-case-no", doc_no)
    await expect(article).to_have_attribute("data-recipients", str(len(group)))
    await expect(item.locator(".outbox-level")).to_have_text(f"提醒级别：{LEVELS[first.level]}")
    await expect(item.get_by_role("heading", level=3)).to_have_text(first.subject)
    facts = item.locator(".outbox-facts")
    await expect(facts).to_contain_text(f"收件人（{len(group)}）")
    await expect(facts).to_contain_text(f"生成时间{shown(first.created_at)}")
    recipients = item.get_by_role("list", name="收件人").get_by_role("listitem")
    await expect(recipients).to_have_count(len(group))
    for index, row in enumerate(group):
        person = recipients.nth(index)
        await expect(person).to_have_attribute("data-status", row.status.name)
        await expect(person).to_contain_text(f"{row.recipient_name} <{row.recipient_email}>")
        await expect(person.locator(".outbox-status")).to_have_text(f"状态：{STATUSES[row.status]}")
        if row.sent_at is None:
            await expect(person).not_to_contain_text("发送时间")
        else:
            await expect(person).to_contain_text(f"发送时间{shown(row.sent_at)}")
        if row.attempts:
            await expect(person).to_contain_text(f"尝试次数{row.attempts} 次")
        else:
            await expect(person).not_to_contain_text("尝试次数")
        if row.last_error:
            await expect(person).to_contain_text(f"失败原因{row.last_error}")
        else:
            await expect(person).not_to_contain_text("失败原因")
    link = item.get_by_role("link", name=f"查看检察建议 {doc_no}")
    await expect(link).to_have_attribute("href", f"#/case/{global_id(first.case_id)}")
    await expect(item.locator(".outbox-text")).to_be_hidden()  # the body starts folded


async def expect_listed(board: BoardPage, rows: list[OutboxEmail]) -> Locator:
    """Open the panel: it lists the alerts of exactly ``rows``, one entry per alert, newest
    first, and the badge counts the alerts."""
    alerts = alerts_of(rows)
    panel = await open_outbox(board)
    await expect(badge(board)).to_have_text(str(len(alerts)))
    button = board.page.get_by_role("button", name=BUTTON)
    await expect(button).to_have_accessible_name(f"提醒邮件 {len(alerts)} 封")
    await expect(button).to_have_attribute("aria-expanded", "true")
    docs = await doc_numbers()
    if not rows:
        await expect(panel.locator(".outbox-empty")).to_have_text("暂无提醒邮件")
        await expect(panel.get_by_role("listitem")).to_have_count(0)
        return panel
    items = listed(panel)
    await expect(items).to_have_count(len(alerts))
    await expect(panel.locator(".outbox-subject")).to_have_text([g[0].subject for g in alerts])
    for index, group in enumerate(alerts):
        await expect_alert(items.nth(index), group, docs[group[0].case_id])
    await expect(panel).not_to_contain_text("暂无提醒邮件")
    return panel


async def test_held_emails_are_listed_to_whom_they_may_be_shown(
    world: World, server: RunningServer, browsers: Browsers
) -> None:
    rec_a = await overdue_case(world)
    first = await run_once(no_smtp(server), now=today_at(9))
    rec_b = await overdue_case(world, addressee=world.unit_b)
    second = await run_once(no_smtp(server), now=today_at(9, 30))
    everything = await emails_to(None)
    assert first.held + second.held == len(everything) >= 4
    assert {r.status for r in everything} == {OutboxStatus.HELD}
    docs = await doc_numbers()
    for row in everything:
        assert row.subject.endswith(docs[row.case_id])
    # newest first: the second pass's emails (rec_b) lead
    assert everything[0].case_id == rec_b.id
    assert everything[-1].case_id == rec_a.id

    # The Linkage Office sees every email.
    office = await browsers.open("office")
    # One row per alert, with all its recipients (an escalation: liaison, prosecutor, chief, office).
    alerts = alerts_of(everything)
    assert len(alerts) < len(everything) and all(len(g) >= 2 for g in alerts)
    await expect(badge(office)).to_have_text(str(len(alerts)))  # counted on loading
    panel = await expect_listed(office, everything)
    await expect(panel.locator(".outbox-scope")).to_have_text("府检联动办公室：全部提醒邮件")
    await expect(panel.get_by_role("heading", level=3).first).to_contain_text(rec_b.case_no)
    await expect(panel.get_by_role("heading", level=3).last).to_contain_text(rec_a.case_no)
    await expect(panel.locator(".outbox-note")).to_contain_text("未配置邮件服务器")

    # The body unfolds: the email as kept, with the link to the card.
    newest = listed(panel).first
    await newest.get_by_text("邮件正文").click()
    text = newest.locator(".outbox-text")
    await expect(text).to_be_visible()
    assert await text.text_content() == alerts[0][0].body
    assert f"{server.base_url}/#/case/{global_id(rec_b.id)}" in everything[0].body

    await office.page.mouse.move(0, 0)
    ARTIFACTS.mkdir(exist_ok=True)
    await office.page.screenshot(path=ARTIFACTS / "outbox.png")

    # Escape closes the panel and gives the focus back to the button.
    await office.page.keyboard.press("Escape")
    await expect(panel).to_be_hidden()
    button = office.page.get_by_role("button", name=BUTTON)
    await expect(button).to_be_focused()
    await expect(button).to_have_attribute("aria-expanded", "false")

    # An email leads to its recommendation: the outbox gives way to the card's details.
    panel = await open_outbox(office)
    await listed(panel).last.get_by_role("link", name=f"查看检察建议 {rec_a.case_no}").click()
    await expect(panel).to_be_hidden()
    detail = office.page.locator("#detail")
    await expect(detail.locator(".detail-doc")).to_have_text(rec_a.case_no)
    assert office.page.url.endswith(f"#/case/{global_id(rec_a.id)}")
    await office.page.keyboard.press("Escape")
    await expect(detail).to_be_hidden()
    await expect(button).to_be_focused()

    # A liaison officer sees only the emails addressed to them: unit A's case, not unit B's.
    liaison_a = await browsers.open("liaison_a")
    mine = await emails_to(world.users["liaison_a"])
    assert mine and {r.case_id for r in mine} == {rec_a.id}
    assert len(mine) < len(everything)
    await expect(badge(liaison_a)).to_have_text(str(len(alerts_of(mine))))
    panel = await expect_listed(liaison_a, mine)
    await expect(panel.locator(".outbox-scope")).to_have_text("发给您的提醒邮件")
    await expect(panel).not_to_contain_text(rec_b.case_no)
    for other in {r.recipient_email for r in everything} - {"liaison_a@example.test"}:
        await expect(panel).not_to_contain_text(other)

    # The approver sees theirs: escalations only, or none at all.
    chief = await browsers.open("chief")
    theirs = await emails_to(world.users["chief"])
    assert {r.level for r in theirs} <= {AlertLevel.ESCALATION}
    await expect(badge(chief)).to_have_text(str(len(alerts_of(theirs))))
    await expect_listed(chief, theirs)


async def test_every_status_in_chinese_and_the_count_read_again_on_opening(
    world: World, server: RunningServer, browsers: Browsers
) -> None:
    office = await browsers.open("office")
    await expect(badge(office)).to_have_text("0")
    panel = await expect_listed(office, [])  # the empty state
    await office.page.keyboard.press("Escape")
    await expect(panel).to_be_hidden()

    # Alerts decided after the board loaded: the count is read again when the panel opens.
    await overdue_case(world)
    await overdue_case(world, addressee=world.unit_b)
    await run_once(no_smtp(server), now=today_at(8))
    rows = await emails_to(None)
    assert len(rows) >= 4
    await expect(badge(office)).to_have_text("0")  # no polling
    await expect_listed(office, rows)
    await office.page.keyboard.press("Escape")

    # The same emails as a configured server would leave them: each status says so.
    sent_at = today_at(8, 5)
    await OutboxEmail.filter(id=rows[0].id).update(
        status=OutboxStatus.SENT, attempts=1, sent_at=sent_at
    )
    await OutboxEmail.filter(id=rows[1].id).update(
        status=OutboxStatus.FAILED, attempts=1, last_error="550 5.1.1 No such user here"
    )
    await OutboxEmail.filter(id=rows[2].id).update(
        status=OutboxStatus.PENDING, attempts=2, last_error="连接邮件服务器超时"
    )
    await OutboxEmail.filter(id=rows[3].id).update(status=OutboxStatus.CANCELLED)
    rows = await emails_to(None)
    assert {r.status for r in rows[:4]} == set(STATUSES) - {OutboxStatus.HELD}
    panel = await expect_listed(office, rows)
    await expect(listed(panel).first).to_contain_text(f"发送时间{shown(sent_at)}")
    await expect(panel.locator('.outbox-recipient[data-status="SENT"] .outbox-status')).to_have_css(
        "color", "rgb(31, 122, 61)"
    )
