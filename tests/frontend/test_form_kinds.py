"""Kinds built only from a spec, models and form steps, in Chromium: the special action and the
training are created and taken through their steps with the server's generic dialogs, their
detail panels show the server-worded facts and records, the other party sees each step live,
and a unit that is no party receives none of it."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from hub.kinds.special_action.models import SpecialActionDetail
from hub.kinds.training.models import TrainingEnrolment
from hub.models import Case
from tests.factories import World
from tests.frontend.conftest import ARTIFACTS, BoardPage, Browsers
from tests.frontend.test_kinds import confirm, drag, not_seen

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]


async def _open_all(browsers: Browsers, slug: str) -> tuple[BoardPage, BoardPage, BoardPage]:
    path = f"/#/board/{slug}"
    office = await browsers.open("office", path=path)
    liaison = await browsers.open("liaison_a", path=path)
    other = await browsers.open("liaison_b", path=path)
    return office, liaison, other


async def test_a_special_action_planned_launched_reported_and_summarised(
    world: World, browsers: Browsers
) -> None:
    case_no, title = "宿府检专〔2026〕9号", "城区黑臭水体整治专项行动"
    office, liaison, other = await _open_all(browsers, "special_action")
    page = office.page
    await expect(page.locator("#board-title")).to_have_text("专项行动看板")
    await page.get_by_role("button", name="新建专项行动").click()
    dialog = office.dialog
    await dialog.get_by_label("行动编号").fill(case_no)
    await dialog.get_by_label("行动名称").fill(title)
    await dialog.get_by_label("行动内容").fill("联合排查城区黑臭水体，督促整改。")
    await dialog.get_by_label("开始日期").fill("2026-11-01")
    await dialog.get_by_label("结束日期").fill("2027-03-31")
    units = dialog.get_by_role("group", name=re.compile("参加单位"))
    await expect(units.get_by_label("宿州市人民检察院")).to_be_visible()  # scope ANY
    await units.get_by_label(world.unit_a.name).check()
    await dialog.get_by_role("button", name="创建").click()
    await expect(office.dialog).to_have_count(0)
    await expect(office.card_in("PLANNED", case_no)).to_be_visible()
    await expect(liaison.card_in("PLANNED", case_no)).to_be_visible()  # live, a participant

    dialog = await drag(office, case_no, "UNDER_WAY")
    await confirm(office, "启动行动")
    await expect(liaison.card_in("UNDER_WAY", case_no)).to_be_visible()
    await office.card(case_no).get_by_role("link").click()
    await expect(office.detail.locator('[data-section="行动要素"]')).to_contain_text(
        f"参加单位{world.unit_a.name}"
    )

    # The participant reports progress from its own detail panel.
    await liaison.card(case_no).get_by_role("link").click()
    mine = liaison.detail
    await expect(mine.locator('[data-section="进展报告"]')).to_contain_text("尚无进展报告")
    await mine.get_by_role("button", name="报告进展").click()
    await liaison.dialog.get_by_label("进展情况").fill("完成城区 12 条河道巡查。")
    await liaison.dialog.get_by_label("发现问题（件）").fill("5")
    await confirm(liaison, "报告进展")
    await expect(office.detail.locator('[data-section="进展报告"]')).to_contain_text(
        "完成城区 12 条河道巡查。"
    )
    await expect(mine.get_by_role("button", name="总结结束")).to_have_count(0)

    # Summarising with more rectified than found is refused in the dialog, then corrected.
    dialog = await drag(office, case_no, "SUMMARISED")
    await dialog.get_by_label("总结").fill("整治黑臭水体 5 处。")
    await dialog.get_by_label("发现问题（件）").fill("5")
    await dialog.get_by_label("整改到位（件）").fill("6")
    await dialog.locator("button[type=submit]").click()
    await expect(dialog.get_by_role("alert")).to_contain_text(
        "整改到位的件数不能多于发现问题的件数"
    )
    await dialog.get_by_label("整改到位（件）").fill("4")
    await confirm(office, "总结结束")
    await expect(liaison.card_in("SUMMARISED", case_no)).to_be_visible()
    await expect(mine.locator('[data-section="行动要素"]')).to_contain_text("整改到位4 件")
    detail = await SpecialActionDetail.get(case_id=(await Case.get(case_no=case_no)).id)
    assert (detail.cases_found, detail.cases_rectified) == (5, 4)
    await expect(other.page.locator("#board[data-ready]")).to_be_attached()
    await not_seen(other, case_no, title, "完成城区 12 条河道巡查。")
    await page.mouse.move(0, 0)
    await page.screenshot(path=ARTIFACTS / "special-action.png")


async def test_a_training_offers_places_that_a_unit_takes_within_what_is_left(
    world: World, browsers: Browsers
) -> None:
    case_no, title = "宿府检培〔2026〕5号", "行政执法与刑事司法衔接业务培训"
    office, liaison, other = await _open_all(browsers, "training")
    page = office.page
    await page.get_by_role("button", name="新建交流培训").click()
    dialog = office.dialog
    await dialog.get_by_label("培训编号").fill(case_no)
    await dialog.get_by_label("培训名称").fill(title)
    await dialog.get_by_label("培训内容").fill("移送标准与证据固定")
    await dialog.get_by_label("举办日期").fill("2027-01-20")
    await dialog.get_by_label("地点").fill("市人民检察院报告厅")
    await dialog.get_by_label("为其他单位预留名额").fill("3")
    await dialog.get_by_label("报名截止日期").fill("2027-01-10")
    await (
        dialog.get_by_role("group", name=re.compile("受邀单位"))
        .get_by_label(world.unit_a.name)
        .check()
    )
    await dialog.get_by_role("button", name="创建").click()
    await expect(office.dialog).to_have_count(0)
    await expect(liaison.card_in("OPEN", case_no)).to_be_visible()

    await liaison.card(case_no).get_by_role("link").click()
    mine = liaison.detail
    await mine.get_by_role("button", name="报名参训").click()
    await liaison.dialog.get_by_label("报名人数").fill("4")
    await liaison.dialog.get_by_label("参训人员").fill("张某\n李某\n王某\n赵某")
    await liaison.dialog.locator("button[type=submit]").click()
    await expect(liaison.dialog.get_by_role("alert")).to_contain_text("名额不足：尚余 3 个")
    await liaison.dialog.get_by_label("报名人数").fill("2")
    await liaison.dialog.get_by_label("参训人员").fill("张某\n李某")
    await confirm(liaison, "报名参训")
    await expect(mine.locator('[data-section="培训要素"]')).to_contain_text(
        "已报名 2 个，尚余 1 个"
    )
    enrolment = await TrainingEnrolment.get(case__case_no=case_no)
    assert (enrolment.count, enrolment.unit_id) == (2, world.unit_a.id)

    await office.card(case_no).get_by_role("link").click()
    await expect(office.detail.locator('[data-section="报名情况"]')).to_contain_text(
        f"{world.unit_a.name} · 2 人"
    )
    dialog = await drag(office, case_no, "HELD")
    await dialog.get_by_label("实到人数").fill("17")
    await confirm(office, "记录举办情况")
    await expect(liaison.card_in("HELD", case_no)).to_be_visible()
    await expect(other.page.locator("#board[data-ready]")).to_be_attached()
    await not_seen(other, case_no, title)
    await liaison.page.screenshot(path=ARTIFACTS / "training-liaison.png")
