"""The board in Debian's Chromium: a real hub server, one browser, a context per person."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Locator, Page, async_playwright, expect

from tests.app_clients import RunningServer
from tests.factories import PASSWORD
from tests.real_services import require_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@dataclass
class BoardPage:
    """One signed-in person's board, and every WebSocket frame their browser exchanged."""

    page: Page
    label: str
    received: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)

    def card(self, case_no: str) -> Locator:
        return self.page.locator(f'.card[data-case-no="{case_no}"]')

    def column(self, column: str) -> Locator:
        return self.page.locator(f'.column[data-column="{column}"]')

    def card_in(self, column: str, case_no: str) -> Locator:
        return self.column(column).locator(f'.card[data-case-no="{case_no}"]')

    @property
    def detail(self) -> Locator:
        return self.page.locator("#detail")

    async def show_kind(self, label: str, kind: str) -> None:
        """Switch the board to a kind through its tab and wait for it to be live again."""
        await (
            self.page.get_by_role("navigation", name="案件类型")
            .get_by_role("link", name=label, exact=True)
            .click()
        )
        await expect(self.page.locator(f'#board[data-kind="{kind}"][data-ready]')).to_be_attached()
        await expect(self.connection).to_have_text("已连接")

    async def step(self, case_no: str, action: str | re.Pattern[str]) -> Locator:
        """Open a step's dialog from the card's 操作 menu; returns the dialog."""
        await self.card(case_no).get_by_role("button", name="操作").click()
        await self.page.get_by_role("menuitem", name=action).click()
        await expect(self.dialog).to_be_visible()
        return self.dialog

    @property
    def connection(self) -> Locator:
        return self.page.locator("#conn")

    @property
    def dialog(self) -> Locator:
        return self.page.locator("dialog[open]")

    def alert(self, text: str | re.Pattern[str]) -> Locator:
        return self.page.get_by_role("alert").filter(has_text=text)

    def received_payloads(self) -> list[Any]:
        """The frames the browser received, decoded (the server may escape non-ASCII)."""
        return [json.loads(frame) for frame in self.received]

    def received_text(self) -> str:
        return "\n".join(json.dumps(p, ensure_ascii=False) for p in self.received_payloads())

    def subscribe_payloads(self) -> list[dict[str, Any]]:
        """The board's subscribe messages (not the notification centre's), in order."""
        messages = [json.loads(frame) for frame in self.sent]
        return [
            m["payload"]
            for m in messages
            if m.get("type") == "subscribe" and "boardEvents" in m["payload"].get("query", "")
        ]

    def board_events(self) -> list[dict[str, Any]]:
        """Every boardEvents result the browser received, in order."""
        return [
            m["payload"]["data"]["boardEvents"]
            for m in self.received_payloads()
            if m.get("type") == "next" and (m["payload"].get("data") or {}).get("boardEvents")
        ]


@dataclass
class Browsers:
    browser: Browser
    base_url: str
    boards: list[BoardPage] = field(default_factory=list)

    async def open(
        self,
        username: str,
        *,
        password: str = PASSWORD,
        path: str = "/",
        viewport: dict[str, int] | None = None,
        has_touch: bool = False,
    ) -> BoardPage:
        """A fresh browser context; sign in through the form and wait for the live board."""
        context = await self.browser.new_context(
            viewport=viewport or VIEWPORT,  # type: ignore[arg-type]
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            has_touch=has_touch,
        )
        page = await context.new_page()
        board = BoardPage(page, username)
        self.boards.append(board)

        def on_socket(ws: Any) -> None:
            ws.on("framereceived", lambda data: board.received.append(_text(data)))
            ws.on("framesent", lambda data: board.sent.append(_text(data)))

        page.on("websocket", on_socket)
        page.on("console", lambda message: _console(board, message))
        await page.goto(self.base_url + path)
        await page.get_by_label("用户名").fill(username)
        await page.get_by_label("密码").fill(password)
        await page.get_by_role("button", name="登录").click()
        await expect(page.locator("#board[data-ready]")).to_be_attached()
        await expect(board.connection).to_have_text("已连接")
        return board


def _console(board: BoardPage, message: Any) -> None:
    """Errors the page logs (a failed module import, a GraphQL error) go to the test output."""
    if message.type == "error":
        print(f"[{board.label} console] {message.text}")


def _text(data: str | bytes) -> str:
    return data.decode() if isinstance(data, bytes) else data


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium, or skip (fail when HUB_REQUIRE_SERVICES=1) before anything starts."""
    return require_chromium()


@pytest.fixture
async def browsers(
    chromium: str,
    request: pytest.FixtureRequest,
    server: RunningServer,
) -> AsyncIterator[Browsers]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        opened = Browsers(browser, server.base_url)
        try:
            yield opened
        finally:
            reports = request.node.stash.get(REPORTS, {})
            if any(r.failed for r in reports.values()):
                await _save_screenshots(request.node.name, opened.boards)
            for board in opened.boards:
                await board.page.context.close()
            await browser.close()


async def _save_screenshots(test_name: str, boards: list[BoardPage]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", test_name)
    for board in boards:
        try:
            await board.page.screenshot(path=ARTIFACTS / f"{stem}-{board.label}.png")
        except Exception as error:  # a crashed page must not hide the test's own failure
            print(f"no screenshot of {board.label}: {error}")
