"""线索移送 and 行政复议陪议旁听 in Chromium: each created with the generic create dialog and taken
along its main path with the step dialogs the server's forms describe, in two browsers — the
other party sees the card arrive and move live."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from hub.domain.roles import Role
from hub.models import User
from tests.factories import World
from tests.frontend.conftest import BoardPage, Browsers
from tests.frontend.test_kinds import confirm
from tests.kinds.gql_steps import add_unit, add_user

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]


SHOTS = Path(__file__).resolve().parent / "artifacts"


async def _shot(board: BoardPage, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    await board.page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


async def test_a_crime_transfer_from_report_to_the_police_receipt(
    world: World, browsers: Browsers
) -> None:
    await add_unit("public_security", "市公安局", "liaison_police", world=world)
    await add_user("leader_a", Role.UNIT_LEADER, world.unit_a, world)
    case_no = "宿环移〔2026〕3号"
    agency = await browsers.open("liaison_a", path="/#/board/lead_transfer")
    police = await browsers.open("liaison_police", path="/#/board/lead_transfer")
    await expect(agency.page.locator("#board-title")).to_have_text("线索移送看板")
    page = agency.page
    await page.get_by_role("button", name="新建线索移送").click()
    dialog = agency.dialog
    await dialog.get_by_label("移送文号").fill(case_no)
    await dialog.get_by_label("案件（线索）名称").fill("某化工公司非法倾倒危险废物案")
    await dialog.get_by_label("移送类型").select_option(
        label="涉嫌犯罪案件移送公安机关（两法衔接）"
    )
    await dialog.get_by_label("接收单位").select_option(label="市公安局")
    await dialog.get_by_label("案件（线索）概要").fill("倾倒废矿物油约20吨，涉嫌污染环境罪")
    await dialog.get_by_role("button", name="创建").click()
    await expect(agency.dialog).to_have_count(0)
    await expect(agency.card_in("DRAFT", case_no)).to_be_visible()
    detail = agency.detail
    await detail.get_by_role("button", name="报请批准移送").click()
    await confirm(agency, "报请批准移送")
    await expect(agency.card_in("PENDING_APPROVAL", case_no)).to_be_visible()
    await detail.get_by_role("button", name="批准移送", exact=True).click()
    await agency.dialog.get_by_label("批准负责人").fill("张局长")
    await confirm(agency, "批准移送")
    card = agency.card_in("APPROVED", case_no)
    await expect(card).to_be_visible()
    await expect(detail.locator('.deadline-box[data-clock="transfer"]')).to_contain_text("移送期限")
    await expect(police.card(case_no)).to_have_count(0)  # not sent yet
    await detail.get_by_role("button", name="移送公安机关").click()
    for label in ("涉嫌犯罪案件移送书", "涉嫌犯罪案件情况的调查报告", "涉案物品清单"):
        await agency.dialog.get_by_label(label).check()
    await confirm(agency, "移送公安机关")
    # The police see it arrive live, and sign the receipt: the 3-day review clock starts.
    await expect(police.card_in("TRANSFERRED", case_no)).to_be_visible()
    await police.card(case_no).click()
    await police.detail.get_by_role("button", name="签收回执").click()
    await confirm(police, "签收回执")
    await expect(police.card_in("RECEIVED", case_no)).to_be_visible()
    await expect(agency.card_in("RECEIVED", case_no)).to_be_visible()
    await expect(agency.detail).to_contain_text("立案审查期限")
    await _shot(agency, "lead_transfer-board-detail")


async def test_a_reconsideration_invitation_accepted_and_assigned_by_the_chief(
    world: World, browsers: Browsers
) -> None:
    await add_unit("justice", "市司法局", "liaison_justice", world=world)
    second = await add_user("prosecutor2", Role.PROSECUTOR, world.procuratorate, world)
    await User.filter(id=second.id).update(display_name="赵雪")
    case_no = "宿司复邀〔2026〕5号"
    body = await browsers.open("liaison_justice", path="/#/board/reconsideration")
    chief = await browsers.open("chief", path="/#/board/reconsideration")
    page = body.page
    await page.get_by_role("button", name="新建行政复议陪议旁听").click()
    dialog = body.dialog
    await dialog.get_by_label("邀请函编号").fill(case_no)
    await dialog.get_by_label("复议案件名称").fill("王某不服市市场监管局行政处罚决定复议案")
    await dialog.get_by_label("行政复议案号").fill("宿政复〔2026〕31号")
    await dialog.get_by_label("申请人", exact=True).fill("王某")
    await dialog.get_by_label("被申请人").fill("市市场监督管理局")
    await dialog.get_by_label("复议事项与请求").fill("请求撤销罚款五万元的行政处罚决定")
    await dialog.get_by_label("邀请方式").select_option(label="陪议")
    await dialog.get_by_role("button", name="创建").click()
    await expect(body.dialog).to_have_count(0)
    await expect(body.card_in("INVITED", case_no)).to_be_visible()
    # The chief sees the invitation arrive live and accepts it; the body sees it move.
    await expect(chief.card_in("INVITED", case_no)).to_be_visible()
    await chief.card(case_no).click()
    await chief.detail.get_by_role("button", name="接受邀请").click()
    await chief.dialog.get_by_label("参与方式").select_option(label="陪议")
    await confirm(chief, "接受邀请")
    await expect(chief.card_in("ACCEPTED", case_no)).to_be_visible()
    await expect(body.card_in("ACCEPTED", case_no)).to_be_visible()
    await expect(chief.detail).to_contain_text("复议决定期限")
    # The chief assigns the prosecutor from the procuratorate's prosecutors the server offers.
    await chief.detail.get_by_role("button", name="指派检察官").click()
    pick = chief.dialog.get_by_label("承办检察官")
    await expect(pick.locator("option")).to_have_text(["请选择人员", "prosecutor-姓名", "赵雪"])
    await pick.select_option(label="赵雪")
    await confirm(chief, "指派检察官")
    card = chief.card_in("ASSIGNED", case_no)
    await expect(card).to_contain_text("承办检察官：赵雪")
    await expect(body.card_in("ASSIGNED", case_no)).to_contain_text("承办检察官：赵雪")
    await expect(chief.detail).to_contain_text("赵雪")
    await _shot(chief, "reconsideration-board-detail")
    # The one assigned now has the next step; the other prosecutor has none.
    assigned = await browsers.open("prosecutor2", path="/#/board/reconsideration")
    await assigned.card(case_no).click()
    await expect(assigned.detail.get_by_role("button", name="记录参加情况")).to_be_visible()
    other = await browsers.open("prosecutor", path="/#/board/reconsideration")
    await other.card(case_no).click()
    await expect(other.detail).to_contain_text("赵雪")
    await expect(other.detail.get_by_role("button", name="记录参加情况")).to_have_count(0)
