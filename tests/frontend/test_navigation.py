"""The kind navigation (案件类型) with every kind the server has, at 1440 px and at a phone's
390 px, and DATETIME fields in a browser whose clock is not in China.

HUB_UPDATE_SCREENSHOT=1 rewrites docs/board-phone.png; otherwise the screenshots go to
tests/frontend/artifacts/ to be looked at.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from hub.clock import BUSINESS_TZ
from hub.domain.dates import text_time
from hub.domain.kinds import KIND_GROUP_LABELS
from hub.kinds import registry
from hub.kinds.reconsideration.models import ReconsiderationDetail
from hub.models import Case
from tests.app_clients import Api
from tests.factories import PASSWORD, World
from tests.frontend.conftest import VIEWPORT, BoardPage, Browsers
from tests.frontend.test_kinds import confirm
from tests.frontend.test_layout import NARROW, load_every_demo
from tests.kinds.gql_steps import add_unit, gid, run

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
    await _shot(phone.page, "nav-phone.png")
    for width, height in ((1024, 768), (768, 1024)):
        tablet = await browsers.open("prosecutor", viewport={"width": width, "height": height})
        await _no_sideways_scroll(tablet.page)
        await _shot(tablet.page, f"nav-{width}.png")


# ---- the navigation at 1440 px -----------------------------------------------------------


def _nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="案件类型")


async def _in_viewport(page: Page, locator: Locator) -> None:
    """The element shows whole inside the window (not pushed off by the navigation)."""
    await expect(locator).to_be_visible()
    box = await locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], box


async def _no_sideways_scroll(page: Page) -> None:
    scroll, client = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client


async def test_every_kind_in_the_group_the_server_gives_it(
    world: World, browsers: Browsers
) -> None:
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    nav = _nav(page)
    await expect(nav.get_by_role("link")).to_have_text([s.label for s in registry.SPECS])
    for group, label in KIND_GROUP_LABELS.items():
        links = nav.get_by_role("group", name=label, exact=True).get_by_role("link")
        await expect(links).to_have_text([s.label for s in registry.SPECS if s.group == group])
    await expect(nav.get_by_role("button")).to_be_hidden()  # the phone's menu button
    first = registry.SPECS[0]
    await expect(nav.locator("[aria-current=page]")).to_have_text(first.label)
    # The navigation and the toolbar fit at 1440 px, 新建 at the end of the toolbar's row.
    await _in_viewport(page, nav)
    await _in_viewport(page, page.get_by_role("button", name=f"新建{first.label}"))
    await _no_sideways_scroll(page)
    # Every kind's board through its link; 新建 shows whole wherever the prosecutor may create.
    for spec in registry.SPECS[1:]:
        await prosecutor.show_kind(spec.label, spec.kind.name)
        await expect(nav.locator("[aria-current=page]")).to_have_text(spec.label)
        await expect(page.locator("#board-title")).to_have_text(f"{spec.label}看板")
        create = page.locator("#create-case")
        if await create.is_visible():
            await expect(create).to_have_accessible_name(f"新建{spec.label}")
            await _in_viewport(page, create)
        await _no_sideways_scroll(page)


async def test_the_links_by_keyboard(world: World, browsers: Browsers) -> None:
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    nav = _nav(page)
    second = registry.SPECS[1]
    await nav.get_by_role("link", name=registry.SPECS[0].label, exact=True).focus()
    await page.keyboard.press("Tab")
    link = nav.get_by_role("link", name=second.label, exact=True)
    await expect(link).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(
        page.locator(f'#board[data-kind="{second.kind.name}"][data-ready]')
    ).to_be_attached()
    await expect(link).to_have_attribute("aria-current", "page")
    await expect(link).to_be_focused()  # the links are not rebuilt under the focus


async def test_a_side_panel_wraps_the_links_and_keeps_create_in_view(
    world: World, browsers: Browsers
) -> None:
    await load_every_demo()
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    await page.locator(".card").first.get_by_role("link").click()
    await expect(prosecutor.detail.locator(".loading")).to_have_count(0)
    create = page.get_by_role("button", name=f"新建{registry.SPECS[0].label}")
    await _in_viewport(page, create)
    panel = await prosecutor.detail.bounding_box()
    box = await create.bounding_box()
    nav = await _nav(page).bounding_box()
    assert panel is not None and box is not None and nav is not None
    assert box["x"] + box["width"] <= panel["x"]  # not under the panel
    assert nav["x"] + nav["width"] <= panel["x"] + 1
    await _shot(page, "nav-desktop-detail.png")


# ---- the navigation on a phone -----------------------------------------------------------


async def test_a_phone_folds_the_kinds_into_a_menu(world: World, browsers: Browsers) -> None:
    await load_every_demo()
    prosecutor = await browsers.open("prosecutor", viewport=NARROW)
    page = prosecutor.page
    nav = _nav(page)
    first, target = registry.SPECS[0], registry.SPECS[-1]
    toggle = nav.get_by_role("button", name=f"案件类型：{first.label}")
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await expect(nav.get_by_role("link", name=first.label, exact=True)).to_be_hidden()
    create = page.get_by_role("button", name=f"新建{first.label}")
    await _in_viewport(page, toggle)
    await _in_viewport(page, create)
    toggle_box, create_box = await toggle.bounding_box(), await create.bounding_box()
    assert toggle_box is not None and create_box is not None
    assert toggle_box["x"] + toggle_box["width"] <= create_box["x"]  # side by side
    await _no_sideways_scroll(page)
    await _shot(page, "nav-phone-prosecutor.png", "board-phone.png")

    # Opened, the menu shows every kind by group with the focus on the shown one.
    await toggle.click()
    await expect(toggle).to_have_attribute("aria-expanded", "true")
    current = nav.get_by_role("link", name=first.label, exact=True)
    await expect(current).to_be_focused()
    await expect(current).to_have_attribute("aria-current", "page")
    for spec in registry.SPECS:
        await expect(nav.get_by_role("link", name=spec.label, exact=True)).to_be_visible()
    await _in_viewport(page, nav.locator(".kind-nav-groups"))
    await _shot(page, "nav-phone-menu.png")
    await page.keyboard.press("ArrowDown")
    await expect(nav.get_by_role("link", name=registry.SPECS[1].label, exact=True)).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await expect(toggle).to_be_focused()
    await expect(current).to_be_hidden()

    # From the keyboard: ArrowDown opens it, End goes to the last kind, Enter shows its board.
    await page.keyboard.press("ArrowDown")
    await expect(current).to_be_focused()
    await page.keyboard.press("End")
    await page.keyboard.press("Enter")
    await expect(
        page.locator(f'#board[data-kind="{target.kind.name}"][data-ready]')
    ).to_be_attached()
    toggle = nav.get_by_role("button", name=f"案件类型：{target.label}")
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await expect(toggle).to_be_focused()

    # A tap outside closes it.
    await toggle.click()
    await expect(nav.get_by_role("link", name=first.label, exact=True)).to_be_visible()
    await page.locator(".brand").click()
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await _no_sideways_scroll(page)


# ---- DATETIME fields in a browser whose clock is not in China ------------------------------


async def _open_in_utc(browsers: Browsers, username: str, path: str) -> BoardPage:
    """Browsers.open, but in a context whose timezone is UTC (a laptop set to UTC)."""
    context = await browsers.browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        locale="zh-CN",
        timezone_id="UTC",
    )
    page = await context.new_page()
    board = BoardPage(page, f"{username}-utc")
    browsers.boards.append(board)
    await page.goto(browsers.base_url + path)
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.locator("#board[data-ready]")).to_be_attached()
    assert await page.evaluate("new Date().getTimezoneOffset()") == 0
    return board


def _shanghai_minute(at: datetime) -> str:
    return at.astimezone(BUSINESS_TZ).strftime("%Y-%m-%dT%H:%M")


async def test_datetime_fields_are_beijing_time_in_a_utc_browser(
    world: World, api: Api, browsers: Browsers
) -> None:
    """A DATETIME is typed, prefilled, sent and shown as Beijing time (Asia/Shanghai, the
    hub's business timezone) whatever the browser's own timezone."""
    await add_unit("justice", "市司法局", "liaison_justice", world=world)
    case_no = "宿司复邀〔2026〕9号"
    body = await _open_in_utc(browsers, "liaison_justice", "/#/board/reconsideration")
    page = body.page
    await page.get_by_role("button", name="新建行政复议陪议旁听").click()
    dialog = body.dialog
    await dialog.get_by_label("邀请函编号").fill(case_no)
    await dialog.get_by_label("复议案件名称").fill("李某不服市自然资源局行政处罚决定复议案")
    await dialog.get_by_label("行政复议案号").fill("宿政复〔2026〕40号")
    await dialog.get_by_label("申请人", exact=True).fill("李某")
    await dialog.get_by_label("被申请人").fill("市自然资源和规划局")
    await dialog.get_by_label("复议事项与请求").fill("请求撤销责令退还土地的决定")
    session = dialog.get_by_label("拟定审理或听证时间")
    await expect(session).to_have_value("")  # optional: not prefilled
    await session.fill("2026-03-02T09:30")
    await expect(dialog.locator('.field[data-type="DATETIME"]').first).to_contain_text("北京时间")
    await dialog.get_by_label("邀请方式").select_option(label="陪议")
    await dialog.get_by_role("button", name="创建").click()
    await expect(body.dialog).to_have_count(0)
    case = await Case.get(case_no=case_no)
    detail = await ReconsiderationDetail.get(case_id=case.id)
    assert detail.session_at == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    await expect(body.detail).to_contain_text("2026年3月2日 09:30")

    async with api.as_user("chief") as chief:
        found = await chief("query($no: String!) { caseByNo(caseNo: $no) { id version } }",
                            {"no": case_no})  # fmt: skip
        node = found["data"]["caseByNo"]
        node = await run(chief, "acceptReconsiderationInvitation",
                         {"id": node["id"], "version": node["version"], "mode": "CO_DELIBERATION"},
                         "id version")  # fmt: skip
        node = await run(chief, "assignReconsiderationProsecutor",
                         {"id": node["id"], "version": node["version"],
                          "prosecutor": gid("User", world.prosecutor.id)}, "id version")  # fmt: skip

    # The required 参加时间 starts at the current minute in Shanghai, not at the UTC clock's.
    handler = await _open_in_utc(browsers, "prosecutor", f"/#/case/{node['id']}")
    before = datetime.now(UTC)
    await handler.detail.get_by_role("button", name="记录参加情况").click()
    attended = handler.dialog.get_by_label("参加时间")
    value = await attended.input_value()
    after = datetime.now(UTC)
    assert value in {_shanghai_minute(before), _shanghai_minute(after)}, value
    await _shot(page=handler.page, name="datetime-utc-dialog.png")
    await handler.dialog.get_by_label("参加的程序").select_option(index=0)
    await confirm(handler, "记录参加情况")
    shown = text_time(datetime.fromisoformat(value).replace(tzinfo=BUSINESS_TZ))
    await expect(handler.detail).to_contain_text(shown)  # running text: 2026年3月2日 09:30
    detail = await ReconsiderationDetail.get(case_id=case.id)
    assert detail.attended_at is not None
    assert before - timedelta(minutes=1) < detail.attended_at <= after
