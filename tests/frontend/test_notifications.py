"""The notification centre in the browser: the bell counts what the server says is unread,
live; the centre lists it; a click opens the case; read state is the same in every tab."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from graphql import parse, validate
from playwright.async_api import Page, expect

from hub import clock
from hub.domain.deadlines import ReplyRule
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import ServiceMethod
from hub.schema import build_schema
from hub.settings import get_settings
from tests.app_clients import RunningServer
from tests.factories import World, draft
from tests.frontend.conftest import ARTIFACTS, Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

BELL = re.compile(r"^通知")  # not the panel's "关闭通知"
SHOTS = ARTIFACTS


async def approved(world: World) -> tuple[int, str, int]:
    at = clock.now() - timedelta(days=2)
    rec = await draft(world, now=at)
    v = (await recs.submit_for_approval(world.prosecutor, rec.id, rec.version, now=at)).case.version
    v = (await recs.approve(world.chief, rec.id, v, now=at)).case.version
    return rec.id, rec.case_no, v


async def serve(world: World, case: tuple[int, str, int]) -> None:
    rec_id, _, version = case
    await recs.serve(world.prosecutor, rec_id, version, served_on=clock.today(),
                     method=ServiceMethod.WRITTEN, rule=ReplyRule.STATUTORY_2_MONTHS)  # fmt: skip


def gid(rec_id: int) -> str:
    return base64.b64encode(f"Recommendation:{rec_id}".encode()).decode()


async def expect_unread(page: Page, count: int) -> None:
    bell = page.locator("#notifications-button")
    await expect(bell).to_have_attribute("aria-label", f"通知，{count} 条未读")
    badge = page.locator("#notifications-count")
    if count:
        await expect(badge).to_have_text(str(count))
        await expect(badge).to_be_visible()
    else:
        await expect(badge).to_be_hidden()


async def test_the_bell_rises_live_the_centre_opens_the_case_and_read_state_is_shared(
    world: World, server: RunningServer, browsers: Browsers
) -> None:
    first, second, third = [await approved(world) for _ in range(3)]
    liaison = await browsers.open("liaison_a")
    tab1 = liaison.page
    await expect_unread(tab1, 0)
    tab2 = await tab1.context.new_page()  # a second tab of the same session
    await tab2.goto(server.base_url + "/")
    await expect(tab2.locator("#board[data-ready]")).to_be_attached()
    await expect_unread(tab2, 0)
    other = await browsers.open("liaison_b")  # another unit hears nothing

    await serve(world, first)  # the prosecutor serves a case on the liaison's unit
    await expect_unread(tab1, 1)
    await expect_unread(tab2, 1)

    await tab1.get_by_role("button", name=BELL).click()
    panel = tab1.locator("#notifications")
    await expect(panel).to_be_visible()
    await expect(panel.get_by_role("heading", name="通知", level=2)).to_be_focused()
    items = panel.get_by_role("list", name="通知列表").get_by_role("listitem")
    await expect(items).to_have_count(1)
    item = items.first
    await expect(item).to_have_attribute("data-read", "false")
    await expect(item).to_contain_text(f"新案件送达本单位：检察建议 {first[1]}")
    await expect(item).to_contain_text("新案件")

    # Live while open: the next case arrives at the top, unread.
    await serve(world, second)
    await expect(items).to_have_count(2)
    await expect(items.first).to_contain_text(second[1])
    await expect_unread(tab1, 2)
    await expect_unread(tab2, 2)
    await tab1.mouse.move(0, 0)
    SHOTS.mkdir(exist_ok=True)
    await tab1.screenshot(path=SHOTS / "notifications.png")

    # A click opens the case and marks it read, here and in the other tab.
    await items.last.get_by_role("link").click()
    await expect(panel).to_be_hidden()
    await expect(tab1.locator("#detail .detail-doc")).to_have_text(first[1])
    assert tab1.url.endswith(f"#/case/{gid(first[0])}")
    await expect_unread(tab1, 1)
    await expect_unread(tab2, 1)

    # 全部标为已读 in the second tab: the first follows.
    await tab2.get_by_role("button", name=BELL).click()
    panel2 = tab2.locator("#notifications")
    listed = panel2.get_by_role("list", name="通知列表").get_by_role("listitem")
    await expect(listed).to_have_count(2)
    await expect(listed.nth(1)).to_have_attribute("data-read", "true")
    await panel2.get_by_role("button", name="全部标为已读").click()
    await expect(listed.first).to_have_attribute("data-read", "true")
    await expect(panel2.get_by_role("button", name="全部标为已读")).to_be_disabled()
    await expect_unread(tab2, 0)
    await expect_unread(tab1, 0)

    await serve(world, third)
    await expect_unread(tab1, 1)
    await expect(listed).to_have_count(3)  # the open centre in the second tab too
    await expect_unread(other.page, 0)
    await expect(other.page.locator("#notifications-button")).to_have_attribute(
        "aria-label", "通知，0 条未读"
    )


READ_DOCUMENTS = """async () => {
  const n = await import("/js/notifications.js");
  return { list: n.NOTIFICATIONS, count: n.UNREAD_COUNT, mark: n.MARK_READ,
           events: n.NOTIFICATION_EVENTS };
}"""


async def test_the_centres_documents_are_valid(browsers: Browsers) -> None:
    board = await browsers.open("liaison_a")
    documents = await board.page.evaluate(READ_DOCUMENTS)
    schema = build_schema()._schema
    for name, text in documents.items():
        errors = validate(schema, parse(text, max_tokens=get_settings().max_query_tokens))
        assert not errors, f"{name}: {[e.message for e in errors]}"
