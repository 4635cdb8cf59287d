"""Each kind's board with the demo data, at 1440 px (the screenshots in docs/) and at 390 px.

HUB_UPDATE_SCREENSHOT=1 rewrites docs/board-pil.png and docs/board-dispute.png (docs/board.png
is test_board.py's); otherwise the screenshots go to test-artifacts/ to be looked at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from hub import clock
from hub.kinds.dispute import demo as dispute_demo
from hub.kinds.pil_case import demo as pil_demo
from hub.kinds.pil_case.inputs import ensure_domains
from hub.kinds.registry import BY_KIND
from hub.models import Case, Unit, User
from hub.services.demo import load_demo
from tests.factories import PASSWORD, World
from tests.frontend.conftest import ARTIFACTS, Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
NARROW = {"width": 390, "height": 844}


async def load_every_demo() -> None:
    """The city's demo data for every kind (the recommendation's loader may not load the
    others' yet: each kind's own loader fills in what is missing)."""
    await ensure_domains()
    await load_demo(PASSWORD, today=clock.today())
    units = {u.code: u for u in await Unit.all()}
    users = {u.username: u for u in await User.all()}
    if not await Case.filter(kind="pil_case").exists():
        await pil_demo.load_demo(units, users)
    if not await Case.filter(kind="dispute").exists():
        await dispute_demo.load_demo(units, users)


async def nothing_sticks_out(page: Page) -> list[str]:
    """Cards with a child wider than the card."""
    result: list[str] = await page.evaluate(
        """() => [...document.querySelectorAll('.card')].filter(c =>
              [...c.querySelectorAll('*')].some(e => {
                const r = e.getBoundingClientRect(), b = c.getBoundingClientRect();
                return r.width > 0 && (r.right > b.right + 0.5 || r.left < b.left - 0.5);
              })).map(c => c.dataset.caseNo)"""
    )
    return result


@pytest.mark.parametrize(
    ("kind", "slug", "label"),
    [("PIL_CASE", "pil_case", "行政公益诉讼案件"), ("DISPUTE", "dispute", "行政争议实质性化解")],
)
async def test_the_populated_board_of_a_kind(
    world: World, browsers: Browsers, kind: str, slug: str, label: str
) -> None:
    await load_every_demo()
    spec = next(s for s in BY_KIND.values() if s.kind.name == kind)
    count = await Case.filter(kind=spec.kind).count()
    assert count > 0
    prosecutor = await browsers.open("prosecutor", path=f"/#/board/{slug}")
    page = prosecutor.page
    await expect(page.locator(f'#board[data-kind="{kind}"][data-ready]')).to_be_attached()
    await expect(page.locator("#board-title")).to_have_text(f"{label}看板")
    await expect(page.locator(".card")).to_have_count(count)
    await expect(page.locator(".column-label")).to_have_text([c.label for c in spec.columns])
    collapsed = [c.id.upper() for c in spec.columns if c.collapsed]
    for column in collapsed:
        section = prosecutor.column(column)
        if await section.locator(".card").count():
            await expect(section).to_have_class(r"column collapsed")  # closed: a strip
    assert await nothing_sticks_out(page) == []
    update = os.environ.get("HUB_UPDATE_SCREENSHOT") == "1"
    name = f"board-{slug.replace('_case', '')}.png"
    target = DOCS / name if update else ARTIFACTS / name
    target.parent.mkdir(exist_ok=True)
    await page.mouse.move(0, 0)
    await page.screenshot(path=target)


async def test_390_pixels_wide(world: World, browsers: Browsers) -> None:
    """A phone's width: nothing but the board scrolls sideways; the panel and dialogs fit."""
    await load_every_demo()
    prosecutor = await browsers.open("prosecutor", viewport=NARROW)
    page = prosecutor.page
    width = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    scroll, client = await page.evaluate(width)
    assert scroll <= client
    await page.screenshot(path=ARTIFACTS / "narrow-board.png")
    for slug in ("pil_case", "dispute"):
        await page.goto(f"{browsers.base_url}/#/board/{slug}")
        await expect(page.locator("#board[data-ready]")).to_be_attached()
        scroll, client = await page.evaluate(width)
        assert scroll <= client
    await page.locator(".card").first.get_by_role("link").click()
    panel = prosecutor.detail
    await expect(panel.locator(".loading")).to_have_count(0)
    box = await panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] <= NARROW["width"]
    await page.screenshot(path=ARTIFACTS / "narrow-detail.png")
    await page.keyboard.press("Escape")
    await page.get_by_role("button", name="新建行政争议实质性化解").click()
    dialog = prosecutor.dialog
    box = await dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    await page.screenshot(path=ARTIFACTS / "narrow-dialog.png")
