"""The meeting and its resolutions in Chromium: the Office creates a meeting, sets its agenda,
holds it, publishes the minutes and records a resolution with the generic dialogs (the
attending unit watches the card move live); the resolution's lead unit reports progress and
claims it done, and the Office checks it, each seeing the other's step arrive live."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.async_api import expect

from hub import clock
from hub.models import Case
from tests.factories import World
from tests.frontend.conftest import ARTIFACTS, Browsers
from tests.frontend.test_kinds import confirm, drag, not_seen
from tests.kinds.meetings import held_meeting, record

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]


async def test_a_meeting_set_held_minuted_and_a_resolution_recorded(
    world: World, browsers: Browsers
) -> None:
    case_no, title = "宿府检会〔2026〕3号", "城区黑臭水体整治协调会"
    office = await browsers.open("office", path="/#/board/meeting")
    liaison = await browsers.open("liaison_a", path="/#/board/meeting")
    other = await browsers.open("liaison_b", path="/#/board/meeting")
    page = office.page
    await expect(page.locator("#board-title")).to_have_text("会议看板")
    await page.get_by_role("button", name="新建会议").click()
    dialog = office.dialog
    await dialog.get_by_label("会议编号").fill(case_no)
    await dialog.get_by_label("会议名称").fill(title)
    await dialog.get_by_label("会议类型").select_option(label="协调会")
    await dialog.get_by_label("拟召开日期").fill(clock.today().isoformat())
    await dialog.get_by_label("会议地点").fill("市检察院三楼会议室")
    await (
        dialog.get_by_role("group", name=re.compile("参会单位"))
        .get_by_label(world.unit_a.name)
        .check()
    )
    await dialog.get_by_role("button", name="创建").click()
    await expect(office.dialog).to_have_count(0)
    await expect(office.card_in("PLANNED", case_no)).to_be_visible()
    # The create event is internal (create_case), so the attendee's board first hears of the
    # meeting with its next step, live.

    dialog = await drag(office, case_no, "AGENDA_SET")
    row = dialog.get_by_role("group", name=re.compile("议程")).locator(".list-row").nth(0)
    await row.get_by_label("议题").fill("黑臭水体整治分工")
    await row.get_by_label("提出单位").select_option(label=world.unit_a.name)
    await row.get_by_label("事项类别").select_option(
        label="行政公益诉讼办案中需要行政机关配合支持的事项"
    )
    await confirm(office, "确定议程")
    await expect(liaison.card_in("AGENDA_SET", case_no)).to_be_visible()  # live, an attendee

    dialog = await drag(office, case_no, "HELD")
    await dialog.get_by_label("召开日期").fill(clock.today().isoformat())
    await dialog.get_by_label("主持人").fill("府检联动办公室主任")
    await confirm(office, "召开会议")
    await expect(liaison.card_in("HELD", case_no)).to_be_visible()

    await office.card(case_no).get_by_role("link").click()
    detail = office.detail
    await expect(detail.locator('[data-section="议程"]')).to_contain_text("1. 黑臭水体整治分工")
    await detail.get_by_role("button", name="记录议定事项").click()
    dialog = office.dialog
    await dialog.get_by_label("议定事项").fill("限期完成城区黑臭水体截污纳管")
    await dialog.get_by_label("议定内容").fill("市生态环境局牵头，三个月内完成截污纳管。")
    await dialog.get_by_label("事项类别").select_option(
        label="行政公益诉讼办案中需要行政机关配合支持的事项"
    )
    await (
        dialog.get_by_role("group", name=re.compile("责任单位"))
        .get_by_label(world.unit_a.name)
        .check()
    )
    await dialog.get_by_label("牵头单位").select_option(label=world.unit_a.name)
    await dialog.get_by_label("完成时限").fill((clock.today() + timedelta(days=90)).isoformat())
    await confirm(office, "记录议定事项")
    await expect(detail).to_contain_text(f"{case_no}-1")  # the resolution's card, linked

    dialog = await drag(office, case_no, "MINUTES_PUBLISHED")
    await dialog.get_by_label("纪要文号").fill("宿府检纪〔2026〕3号")
    await dialog.get_by_label("会议纪要").fill("会议研究了城区黑臭水体整治分工，形成议定事项一项。")
    await confirm(office, "印发会议纪要")
    await expect(liaison.card_in("MINUTES_PUBLISHED", case_no)).to_be_visible()
    await liaison.card(case_no).get_by_role("link").click()
    await expect(liaison.detail.locator('[data-section="会议纪要"]')).to_contain_text(
        "宿府检纪〔2026〕3号"
    )
    await expect(other.page.locator("#board[data-ready]")).to_be_attached()
    await not_seen(other, case_no, title)
    await page.mouse.move(0, 0)
    await page.screenshot(path=ARTIFACTS / "meeting.png")


async def test_a_resolution_reported_claimed_done_and_checked(
    world: World, browsers: Browsers
) -> None:
    meeting = await held_meeting(world, clock.today() - timedelta(days=3))
    res = await record(world, meeting, clock.today() + timedelta(days=30), lead=world.unit_a)
    case_no = res.case_no
    office = await browsers.open("office", path="/#/board/resolution")
    lead = await browsers.open("liaison_a", path="/#/board/resolution")
    await expect(office.page.locator("#board-title")).to_have_text("议定事项看板")
    await expect(office.page.get_by_role("button", name="新建议定事项")).to_have_count(0)
    await expect(lead.card_in("IN_PROGRESS", case_no)).to_be_visible()

    await lead.card(case_no).get_by_role("link").click()
    mine = lead.detail
    await expect(mine.locator('[data-section="议定事项"]')).to_contain_text(
        f"牵头单位{world.unit_a.name}"
    )
    await mine.get_by_role("button", name="报告落实进展").click()
    await lead.dialog.get_by_label("落实进展").fill("已完成排污口排查。")
    await confirm(lead, "报告落实进展")
    await office.card(case_no).get_by_role("link").click()
    await expect(office.detail.locator('[data-section="落实记录"]')).to_contain_text(
        "已完成排污口排查。"
    )

    dialog = await drag(lead, case_no, "PENDING_CHECK")
    await dialog.get_by_label("完成情况").fill("截污纳管已完成并验收。")
    await confirm(lead, "申报办结")
    await expect(office.card_in("PENDING_CHECK", case_no)).to_be_visible()  # live

    dialog = await drag(office, case_no, "IN_PROGRESS")
    await dialog.get_by_label("退回理由").fill("请补充验收材料。")
    await confirm(office, "退回落实")
    await expect(lead.card_in("IN_PROGRESS", case_no)).to_be_visible()
    dialog = await drag(lead, case_no, "PENDING_CHECK")
    await dialog.get_by_label("完成情况").fill("已补充验收报告。")
    await confirm(lead, "申报办结")
    dialog = await drag(office, case_no, "DONE")
    await dialog.get_by_label("核查意见").fill("材料齐全，同意办结。")
    await confirm(office, "核查通过")
    await expect(lead.card_in("DONE", case_no)).to_be_visible()
    assert (await Case.get(id=res.id)).state == "done"
    await office.page.mouse.move(0, 0)
    await office.page.screenshot(path=ARTIFACTS / "resolution.png")
