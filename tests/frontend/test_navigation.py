"""The kind navigation (案件类型) with every kind the server has, at 1440 px and at a phone's
390 px, and DATETIME fields in a browser whose clock is not in China.

HUB_UPDATE_SCREENSHOT=1 rewrites docs/board-phone.png; otherwise the screenshots go to
tests/frontend/artifacts/ to be looked at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.factories import World
from tests.frontend.conftest import Browsers
from tests.frontend.test_layout import NARROW, load_every_demo

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
SHOTS = Path(__file__).resolve().parent / "artifacts"


def _target(name: str, docs_name: str | None = None) -> Path:
    update = os.environ.get("HUB_UPDATE_SCREENSHOT") == "1" and docs_name
    target = DOCS / docs_name if update and docs_name else SHOTS / name
    target.parent.mkdir(exist_ok=True)
    return target


async def _shot(page: Page, name: str, docs_name: str | None = None) -> None:
    await page.mouse.move(0, 0)
    await page.screenshot(path=_target(name, docs_name))


async def test_screenshots_of_the_office_board(world: World, browsers: Browsers) -> None:
    await load_every_demo()
    office = await browsers.open("office")
    await _shot(office.page, "nav-desktop.png")
    phone = await browsers.open("office", viewport=NARROW)
    await _shot(phone.page, "nav-phone.png", "board-phone.png")
