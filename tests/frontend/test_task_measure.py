"""The annual task list in Chromium: the 2022 list imported and grouped by category on the
board; the Office enters a new measure with the generic create dialog; the lead unit starts,
reports and claims it, the Office accepts it, each seeing the other's steps live; a unit that
is no party receives none of it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from playwright.async_api import expect

from hub import clock
from hub.kinds.task_measure.tasklist import import_tasklist
from hub.services.demo import load_tasklist, load_units
from tests.factories import World
from tests.frontend.conftest import ARTIFACTS, Browsers
from tests.frontend.test_kinds import confirm, drag, not_seen

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]


async def test_a_measure_entered_started_reported_claimed_and_accepted(
    world: World, browsers: Browsers
) -> None:
    await load_units()
    await import_tasklist(load_tasklist(), now=datetime(2022, 5, 10, 2, tzinfo=UTC))
    today = clock.today()
    case_no, text = f"{today.year}-任务15-①", "建立涉未成年人案件强制报告线索移送台账"
    path = "/#/board/task_measure"
    office = await browsers.open("office", path=path)
    liaison = await browsers.open("liaison_a", path=path)
    other = await browsers.open("liaison_b", path=path)
    page = office.page
    await expect(page.locator("#board-title")).to_have_text("重点工作任务看板")
    # the imported list: cards grouped under their category's heading
    first = office.column("NOT_STARTED").locator(".card[data-lane-start]").first
    await expect(first).to_have_attribute("data-lane-label", "重大改革推进")
    await expect(office.column("OVERDUE").locator(".card")).not_to_have_count(0)

    await page.get_by_role("button", name="新建重点工作任务").click()
    dialog = office.dialog
    await dialog.get_by_label("年度").fill(str(today.year))
    await dialog.get_by_label("任务序号").fill("15")
    await dialog.get_by_label("任务", exact=True).fill("加强未成年人综合保护")
    await dialog.get_by_label("任务类别").select_option(label="重大利益保护")
    await dialog.get_by_label("措施序号").fill("①")
    await dialog.get_by_label("具体措施").fill(text)
    await dialog.get_by_label("牵头单位").select_option(label=world.unit_a.name)
    units = dialog.get_by_role("group", name=re.compile("责任单位"))
    await units.get_by_label("宿州市人民检察院").check()
    due = date(today.year, 12, 31)
    await dialog.get_by_label("完成时限").fill(due.isoformat())
    await dialog.get_by_role("button", name="创建").click()
    await expect(office.dialog).to_have_count(0)
    await expect(office.card_in("NOT_STARTED", case_no)).to_be_visible()
    card = liaison.card_in("NOT_STARTED", case_no)
    await expect(card).to_be_visible()  # live: the lead unit's liaison
    await expect(card).to_have_attribute("data-lane-label", "重大利益保护")

    await liaison.step(case_no, "启动")  # (a drag to 推进中 offers 启动 and 报告进展)
    await confirm(liaison, "启动")
    await expect(office.card_in("IN_PROGRESS", case_no)).to_be_visible()
    await liaison.card(case_no).get_by_role("link").click()
    mine = liaison.detail
    await expect(mine.locator('[data-section="措施要素"]')).to_contain_text(
        f"牵头单位{world.unit_a.name}"
    )
    await mine.get_by_role("button", name="报告进展").click()
    await liaison.dialog.get_by_label("报告日期").fill(today.isoformat())
    await liaison.dialog.get_by_label("进展情况").fill("已建立线索移送台账，录入 8 条。")
    await liaison.dialog.get_by_label("佐证材料").fill("台账截图")
    await confirm(liaison, "报告进展")
    await expect(mine.locator('[data-section="进展报告"]')).to_contain_text("录入 8 条")

    dialog = await drag(liaison, case_no, "PENDING_CHECK")
    await dialog.get_by_label("完成日期").fill(today.isoformat())
    await dialog.get_by_label("完成情况").fill("台账已建立并运行。")
    await dialog.get_by_label("佐证材料").fill("台账；工作通知")
    await confirm(liaison, "申报完成")
    await expect(office.card_in("PENDING_CHECK", case_no)).to_be_visible()
    await drag(office, case_no, "COMPLETED")
    await confirm(office, "验收通过")
    await expect(liaison.card_in("COMPLETED", case_no)).to_be_visible()

    await expect(other.page.locator("#board[data-ready]")).to_be_attached()
    await not_seen(other, case_no, text, "录入 8 条")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.mouse.move(0, 0)
    await page.screenshot(path=ARTIFACTS / "task-measure-board.png")
    await office.card(case_no).get_by_role("link").click()
    await expect(office.detail.locator('[data-section="进展报告"]')).to_contain_text("录入 8 条")
    await page.screenshot(path=ARTIFACTS / "task-measure-detail.png")
