"""The task list's board in Chromium: the server's grouping switch (按类别分组 / 不分组), kept
in the URL; the Office carries a measure over at year end and its card for the next year
appears on the board, live for the lead unit, each linked to the other in the detail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.async_api import expect

from hub.kinds.task_measure.tasklist import import_tasklist
from hub.services.demo import load_tasklist, load_units
from tests.factories import World
from tests.frontend.conftest import ARTIFACTS, Browsers
from tests.frontend.test_kinds import confirm

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

PATH = "/#/board/task_measure"


async def _list_2022() -> None:
    await load_units()
    await import_tasklist(load_tasklist(), now=datetime(2022, 5, 10, 2, tzinfo=UTC))


async def test_the_board_groups_by_category_or_not_and_the_url_keeps_it(
    world: World, browsers: Browsers
) -> None:
    await _list_2022()
    office = await browsers.open("office", path=PATH)
    page, board = office.page, office.page.locator("#board")
    switch = page.get_by_role("group", name="看板分组")
    grouped, ungrouped = switch.get_by_label("按类别分组"), switch.get_by_label("不分组")
    await expect(grouped).to_be_checked()
    await expect(board).to_have_attribute("data-grouped", "true")
    starts = office.column("NOT_STARTED").locator(".card[data-lane-start]")
    await expect(starts).to_have_count(5)  # each category's first card carries its heading
    await expect(starts.first).to_have_attribute("data-lane-label", "重大改革推进")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "task-measure-grouped.png")

    await switch.get_by_text("不分组").click()
    await expect(ungrouped).to_be_checked()
    await expect(board).to_have_attribute("data-grouped", "false")
    await expect(board.locator(".card[data-lane-start]")).to_have_count(0)
    assert page.url.endswith("#/board/task_measure?lanes=none")
    count = await office.column("NOT_STARTED").locator(".card").count()
    assert count > 5  # the same cards, only not grouped
    await page.screenshot(path=ARTIFACTS / "task-measure-ungrouped.png")

    # the URL keeps it: across a reload, and a detail opened and closed
    await page.reload()
    await expect(page.locator("#board[data-ready]")).to_be_attached()
    await expect(ungrouped).to_be_checked()
    await expect(board.locator(".card[data-lane-start]")).to_have_count(0)
    await office.card("2022-任务01-①").get_by_role("link").click()
    await expect(office.detail).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(office.detail).to_be_hidden()
    assert page.url.endswith("#/board/task_measure?lanes=none")
    await expect(board).to_have_attribute("data-grouped", "false")

    await switch.get_by_text("按类别分组").click()
    await expect(starts).to_have_count(5)
    assert page.url.endswith("#/board/task_measure")
    # a kind without lanes of its own groups by unit or handler, or not: 不分组 by default
    await office.show_kind("检察建议", "RECOMMENDATION")
    await expect(switch.get_by_label("不分组")).to_be_checked()
    await expect(switch.get_by_label("按类别分组")).to_have_count(0)


async def test_the_office_carries_a_measure_over_into_next_years_list(
    world: World, browsers: Browsers
) -> None:
    await _list_2022()
    old, new = "2022-任务06-①", "2023-任务06-①"  # 12月底前, led by 市生态环境局
    office = await browsers.open("office", path=PATH)
    liaison = await browsers.open("liaison_a", path=PATH)
    await office.card(old).get_by_role("link").click()
    await office.detail.get_by_role("button", name="结转下一年度").click()
    dialog = office.dialog
    await dialog.get_by_label("年终评估意见").fill("专题调研已开展，机制建设结转 2023 年度。")
    await confirm(office, "结转下一年度")
    await expect(office.card_in("CARRIED_OVER", old)).to_be_attached()
    await expect(office.card_in("NOT_STARTED", new)).to_be_visible()
    card = liaison.card_in("NOT_STARTED", new)
    await expect(card).to_be_visible()  # live, for the lead unit
    await expect(card).to_have_attribute("data-lane-label", "重大矛盾化解")

    await office.card(new).get_by_role("link").click()
    detail = office.detail
    await expect(detail.locator(".detail-doc")).to_have_text(new)
    await expect(detail.locator('[data-section="措施要素"]')).to_contain_text("完成时限长期坚持")
    links = detail.locator('[data-section="关联案件"]')
    await expect(links).to_contain_text(old)
    await office.page.screenshot(path=ARTIFACTS / "task-measure-carried-over.png")
    await links.get_by_role("link").click()
    await expect(detail.locator(".detail-doc")).to_have_text(old)
    await expect(detail.locator('[data-section="关联案件"]')).to_contain_text(new)
    await expect(detail.locator('[data-section="措施要素"]')).to_contain_text("年终评估意见")
