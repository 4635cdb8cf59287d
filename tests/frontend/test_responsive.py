"""The board on a phone (390 px), a tablet (768 and 1024 px) and a desktop (1440 px).

Narrow: nothing wider than the screen, one column at a time chosen in a strip of tabs with
each column's count, the detail panel and the step dialog inside the screen with their buttons
in reach, cards moved by touch through their 操作 menu. 1024 px: the columns beyond the edge
are announced. The screenshots go to test-artifacts/responsive/ (HUB_SHOTS overrides it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from tests.factories import World
from tests.frontend.conftest import ARTIFACTS, BoardPage, Browsers
from tests.frontend.test_layout import load_every_demo

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

SHOTS = Path(os.environ.get("HUB_SHOTS") or ARTIFACTS / "responsive")
SIZES = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
    "landscape": {"width": 1024, "height": 768},
    "desktop": {"width": 1440, "height": 900},
}
NARROW = ("phone", "tablet")
# The demo's liaison of 市生态环境局 (a long name for the top bar) and the office.
LIAISON = "liaison_ecology_env"
OFFICE = "office"


async def overflow(page: Page) -> int:
    """How many pixels the page is wider than the viewport (0: it fits)."""
    result: int = await page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )
    return result


async def inside(page: Page, locator: Locator) -> None:
    """The element is shown whole within the viewport."""
    box = await locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] + 0.5, box
    assert box["y"] + box["height"] <= size["height"] + 0.5, box


@pytest.fixture(autouse=True)
def shots_folder() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)


async def shot(page: Page, name: str) -> None:
    await page.mouse.move(0, 0)
    await page.screenshot(path=SHOTS / f"{name}.png")


def tabs(page: Page) -> Locator:
    return page.get_by_role("tablist", name="看板列").get_by_role("tab")


async def column_counts(page: Page) -> dict[str, int]:
    """Each column's cards in the page, by column id (what the switcher must say)."""
    result: dict[str, int] = await page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.column[data-column]')]
              .map(c => [c.dataset.column, c.querySelectorAll('.card:not([hidden])').length]))"""
    )
    return result


async def visible_columns(page: Page) -> list[str]:
    result: list[str] = await page.evaluate(
        """() => [...document.querySelectorAll('.column[data-column]')]
              .filter(c => c.getClientRects().length).map(c => c.dataset.column)"""
    )
    return result


async def check_switcher(board: BoardPage) -> None:
    """One column shows; every tab says its column's count; a tap on a tab shows its column."""
    page = board.page
    await expect(page.get_by_role("tablist", name="看板列")).to_be_visible()
    counts = await column_counts(page)
    ids = [await tab.get_attribute("data-column") for tab in await tabs(page).all()]
    assert ids and set(ids) <= set(counts)
    for tab, column in zip(await tabs(page).all(), ids, strict=True):
        assert column is not None
        await expect(tab.locator(".switch-count")).to_have_text(str(counts[column]))
        await expect(tab).to_have_accessible_name(re.compile(rf"，{counts[column]} 件$"))
    selected = page.get_by_role("tab", selected=True)
    await expect(selected).to_have_count(1)
    first = await selected.get_attribute("data-column")
    assert await visible_columns(page) == [first]
    # The first column with cards shows first.
    assert first == next((c for c in ids if counts[c or ""]), ids[0])
    other = next(c for c in ids if c != first)
    target = page.locator(f'[role="tab"][data-column="{other}"]')
    await target.tap()
    await expect(target).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel")
    await expect(panel).to_have_attribute("data-column", other or "")
    assert await visible_columns(page) == [other]
    assert await overflow(page) == 0
    await page.locator(f'[role="tab"][data-column="{first}"]').tap()
    assert await visible_columns(page) == [first]
    # The keys of a tab list: → the next tab, Home the first; the focus goes with them.
    await page.locator(f'[role="tab"][data-column="{first}"]').focus()
    await page.keyboard.press("ArrowRight")
    following = ids[(ids.index(first) + 1) % len(ids)]
    await expect(page.locator(f'[role="tab"][data-column="{following}"]')).to_be_focused()
    assert await visible_columns(page) == [following]
    await page.keyboard.press("Home")
    await expect(page.locator(f'[role="tab"][data-column="{ids[0]}"]')).to_be_focused()
    await page.locator(f'[role="tab"][data-column="{first}"]').tap()


async def show_card_with_actions(board: BoardPage, narrow: bool) -> Locator:
    """A card this person may act on, its column shown; returns the card."""
    page = board.page
    card = page.locator(".card.has-actions").first
    if narrow:
        column = await card.get_attribute("data-column")
        await page.locator(f'[role="tab"][data-column="{column}"]').tap()
    await expect(card).to_be_visible()
    return card


async def open_step(board: BoardPage, card: Locator, touch: bool) -> Locator:
    """The card's first step from its 操作 menu; returns the open dialog."""
    button = card.get_by_role("button", name="操作")
    if touch:
        await button.tap()
    else:
        await button.click()
    item = board.page.get_by_role("menuitem").first
    await inside(board.page, board.page.locator("#action-menu"))
    if touch:
        await item.tap()
    else:
        await item.click()
    await expect(board.dialog).to_be_visible()
    return board.dialog


@pytest.mark.parametrize("size", list(SIZES))
async def test_each_width(world: World, browsers: Browsers, size: str) -> None:
    await load_every_demo()
    viewport = SIZES[size]
    narrow = size in NARROW
    touch = size != "desktop"
    for username in (LIAISON, OFFICE):
        board = await browsers.open(username, viewport=viewport, has_touch=touch)
        page = board.page
        name = f"{size}-{viewport['width']}-{username}"
        assert await overflow(page) == 0
        await inside(page, page.get_by_role("button", name="退出"))
        if touch:  # touch moves cards through the 操作 menu, never by a drag
            await expect(page.locator(".card[draggable='true']")).to_have_count(0)
        if narrow:
            await check_switcher(board)
        else:
            await expect(page.get_by_role("tablist", name="看板列")).to_be_hidden()
            assert len(await visible_columns(page)) > 1
            await check_edges(board)
        await shot(page, f"{name}-board")

        card = await show_card_with_actions(board, narrow)
        await card.get_by_role("link").first.click()
        await expect(board.detail.locator(".loading")).to_have_count(0)
        await expect(board.detail.locator("#detail-title")).to_be_visible()
        assert await overflow(page) == 0
        close = board.detail.get_by_role("button", name="关闭详情")
        await inside(page, close)
        for action in await board.detail.locator(".detail-actions .btn").all():
            box = await action.bounding_box()
            assert box is not None and box["x"] + box["width"] <= viewport["width"]
        if size == "phone":
            await shot(page, f"{name}-detail")
            await board.detail.evaluate("panel => { panel.scrollTop = panel.scrollHeight; }")
            await inside(page, close)  # still in reach at the panel's end
        await close.click()
        await expect(board.detail).to_be_hidden()

        dialog = await open_step(board, card, touch)
        assert await overflow(page) == 0
        await inside(page, dialog)
        confirm = dialog.get_by_role("button", name="确认")
        await inside(page, confirm)
        await confirm.click(trial=True)  # nothing lies over it
        if size == "phone":
            await shot(page, f"{name}-dialog")
        await dialog.get_by_role("button", name="取消").click()
        await expect(board.dialog).to_have_count(0)


async def check_edges(board: BoardPage) -> None:
    """Columns beyond the board's edge: the edge says how many and scrolls to them."""
    page = board.page
    scroll, client = await page.locator("#board").evaluate("b => [b.scrollWidth, b.clientWidth]")
    right = page.locator(".board-edge-right")
    left = page.locator(".board-edge-left")
    if scroll <= client:
        await expect(right).to_be_hidden()
        await expect(left).to_be_hidden()
        return
    await expect(right).to_be_visible()
    await expect(right).to_have_text(re.compile(r"还有 \d+ 列"))
    await expect(left).to_be_hidden()
    await inside(page, right)
    await right.click()
    await expect(left).to_be_visible()
    assert await page.locator("#board").evaluate("b => b.scrollLeft") > 0
    await page.locator("#board").evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    await expect(right).to_be_hidden()
    await page.locator("#board").evaluate("b => { b.scrollLeft = 0; }")
    await expect(left).to_be_hidden()


async def test_landscape_tablet_shows_the_columns_beyond_its_edge(
    world: World, browsers: Browsers
) -> None:
    """The office's board of recommendations has more columns than 1024 px hold."""
    await load_every_demo()
    board = await browsers.open(OFFICE, viewport=SIZES["landscape"], has_touch=True)
    scroll, client = await board.page.locator("#board").evaluate(
        "b => [b.scrollWidth, b.clientWidth]"
    )
    assert scroll > client
    await check_edges(board)


@pytest.mark.parametrize("size", NARROW)
async def test_a_tap_moves_a_card_through_its_step_menu(
    world: World, browsers: Browsers, size: str
) -> None:
    await load_every_demo()
    board = await browsers.open(LIAISON, viewport=SIZES[size], has_touch=True)
    page = board.page
    card = board.card_in("SERVED", "宿检行公建〔2026〕1号")
    served = page.get_by_role("tab", name=re.compile("^已送达"))
    rectifying = page.get_by_role("tab", name=re.compile("^整改中"))
    await served.tap()
    await expect(card).to_be_visible()
    await expect(card).to_have_attribute("draggable", "false")
    before = await column_counts(page)
    await expect(served.locator(".switch-count")).to_have_text(str(before["SERVED"]))
    await card.get_by_role("button", name="操作").tap()
    await page.get_by_role("menuitem", name=re.compile("签收并整改")).tap()
    dialog = board.dialog
    await expect(dialog).to_contain_text("整改中")
    confirm = dialog.get_by_role("button", name="确认")
    await inside(page, confirm)
    await confirm.tap()
    await expect(board.dialog).to_have_count(0)
    await expect(board.card_in("RECTIFYING", "宿检行公建〔2026〕1号")).to_have_count(1)
    await expect(served.locator(".switch-count")).to_have_text(str(before["SERVED"] - 1))
    await expect(rectifying.locator(".switch-count")).to_have_text(str(before["RECTIFYING"] + 1))
    await expect(served).to_have_attribute("aria-selected", "true")  # the tab stays
    await rectifying.tap()
    await expect(board.card_in("RECTIFYING", "宿检行公建〔2026〕1号")).to_be_visible()
    assert await overflow(page) == 0


async def test_a_long_form_keeps_its_buttons_in_reach_on_a_phone(
    world: World, browsers: Browsers
) -> None:
    """The reply form is taller than a phone held sideways: the form scrolls under a bar
    that keeps 取消 and 确认 at the dialog's foot."""
    await load_every_demo()
    board = await browsers.open(LIAISON, viewport={"width": 844, "height": 390}, has_touch=True)
    page = board.page
    await page.get_by_role("tab", name=re.compile("^已送达")).tap()
    card = board.card("宿检行公建〔2026〕1号")
    await card.get_by_role("button", name="操作").tap()
    await page.get_by_role("menuitem", name=re.compile("提交整改回复")).tap()
    dialog = board.dialog
    await expect(dialog).to_be_visible()
    assert await overflow(page) == 0
    confirm = dialog.get_by_role("button", name="确认")
    await inside(page, confirm)
    await inside(page, dialog)
    scroll, client = await dialog.evaluate("d => [d.scrollHeight, d.clientHeight]")
    assert scroll > client  # the form is taller than the screen
    await shot(page, "phone-844x390-liaison-reply-dialog")
    await dialog.evaluate("d => { d.scrollTop = d.scrollHeight / 2; }")
    await inside(page, confirm)
    await confirm.tap(trial=True)
    await shot(page, "phone-844x390-liaison-reply-dialog-scrolled")
    # A tap on 确认 with the required reply left empty keeps the dialog open with the error.
    await confirm.tap()
    await expect(board.dialog).to_be_visible()
    await expect(dialog.get_by_role("alert").first).to_be_visible()
    await expect(board.card_in("SERVED", "宿检行公建〔2026〕1号")).to_have_count(1)


async def test_the_filters_fold_behind_one_button_on_a_phone(
    world: World, browsers: Browsers
) -> None:
    await load_every_demo()
    board = await browsers.open(OFFICE, viewport=SIZES["phone"], has_touch=True)
    page = board.page
    fold = page.locator("#filter-fold")
    row = page.locator("#filter-row")
    await expect(fold).to_be_visible()
    await expect(fold).to_have_attribute("aria-expanded", "false")
    await expect(row).to_be_hidden()
    await expect(page.get_by_role("searchbox")).to_be_visible()  # the search stays out
    await inside(page, fold)
    total = await page.locator(".card").count()
    await fold.tap()
    await expect(fold).to_have_attribute("aria-expanded", "true")
    await expect(row).to_be_visible()
    assert await overflow(page) == 0
    await shot(page, "phone-390-office-filters")
    await row.get_by_label("逾期", exact=True).tap()
    await expect(fold).to_have_accessible_name("筛选，已设 1 项")
    await expect(page.locator(".card")).not_to_have_count(total)
    await fold.tap()
    await expect(row).to_be_hidden()
    await expect(fold.locator(".filter-fold-count")).to_have_text("1")
    await check_switcher(board)
