"""The Office's daily liaison kinds in Chromium: a notification item (通报事项) from a member
unit through the Office to the procuratorate, and a consultation (会商咨询) routed to a
responder, answered and accepted, or converted into a coordination meeting that arrives on the
meetings board — each with the server's generic create and step dialogs, the other party
seeing each step live in its own browser."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from hub import clock
from hub.kinds.consultation.models import ConsultationAnswer
from hub.kinds.consultation.spec import Action as ConsultationAction
from hub.kinds.consultation.steps import STEPS as CONSULTATION_STEPS
from hub.kinds.notification.models import NotificationAcknowledgement
from hub.models import Case
from hub.services.forms import create_from_form, take_form_step
from tests.factories import World
from tests.frontend.conftest import ARTIFACTS, Browsers
from tests.frontend.test_kinds import confirm, drag, not_seen
from tests.kinds.meetings import police

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]


async def test_a_notification_item_delivered_by_the_office_and_acknowledged(
    world: World, browsers: Browsers
) -> None:
    case_no, title = "宿环通〔2026〕9号", "《生态环境行政处罚裁量基准》印发情况"
    path = "/#/board/notification"
    issuer = await browsers.open("liaison_a", path=path)
    recipient = await browsers.open("prosecutor", path=path)
    office = await browsers.open("office", path=path)
    other = await browsers.open("liaison_b", path=path)
    page = issuer.page
    await expect(page.locator("#board-title")).to_have_text("通报事项看板")
    await page.get_by_role("button", name="新建通报事项").click()
    dialog = issuer.dialog
    await dialog.get_by_label("通报编号").fill(case_no)
    await dialog.get_by_label("标题").fill(title)
    await dialog.get_by_label("通报类别").select_option(
        label="〔政府→检察〕2. 新颁布的与司法相关的行政规范性文件"
    )
    units = dialog.get_by_role("group", name=re.compile("接收单位"))
    await units.get_by_label("宿州市人民检察院").check()
    await dialog.get_by_label("通报内容").fill(
        "裁量基准自下月起施行，移送司法机关的情形见第十二条。"
    )
    await dialog.get_by_role("button", name="创建").click()
    await expect(issuer.dialog).to_have_count(0)
    await expect(issuer.card_in("DRAFT", case_no)).to_be_visible()
    detail = issuer.detail
    await detail.get_by_role("button", name="报送办公室").click()
    await confirm(issuer, "报送办公室")
    await expect(office.card_in("SUBMITTED", case_no)).to_be_visible()  # live
    await expect(recipient.card(case_no)).to_have_count(0)  # not before the Office delivers

    dialog = await drag(office, case_no, "DELIVERED")
    await dialog.get_by_label("办公室意见").fill("请市检察院签收")
    await confirm(office, "转送接收单位")
    await expect(recipient.card_in("DELIVERED", case_no)).to_be_visible()  # live
    await expect(issuer.card_in("DELIVERED", case_no)).to_be_visible()
    await expect(detail.locator('[data-section="签收情况"]')).to_contain_text(
        "未签收宿州市人民检察院"
    )

    await recipient.card(case_no).get_by_role("link").click()
    mine = recipient.detail
    await expect(mine.locator('[data-section="通报要素"]')).to_contain_text("通报单位市生态环境局")
    await mine.get_by_role("button", name="签收").click()
    await recipient.dialog.get_by_label("签收意见").fill("已收悉，将组织学习")
    await confirm(recipient, "签收")
    await expect(issuer.card_in("ACKNOWLEDGED", case_no)).to_be_visible()  # live
    await expect(detail.locator('[data-section="签收情况"]')).to_contain_text(
        "已签收宿州市人民检察院"
    )
    await expect(mine.get_by_role("button", name="签收")).to_have_count(0)
    case = await Case.get(case_no=case_no)
    (ack,) = await NotificationAcknowledgement.filter(case_id=case.id)
    assert ack.note == "已收悉，将组织学习"
    await not_seen(other, case_no, title)
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / "notification-board-detail.png")


async def test_a_consultation_routed_answered_and_accepted(
    world: World, browsers: Browsers
) -> None:
    case_no, title = "宿环询〔2026〕9号", "固废倾倒案证据固定咨询"
    path = "/#/board/consultation"
    requester = await browsers.open("liaison_a", path=path)
    office = await browsers.open("office", path=path)
    responder = await browsers.open("liaison_b", path=path)
    page = requester.page
    await expect(page.locator("#board-title")).to_have_text("会商咨询看板")
    await page.get_by_role("button", name="新建会商咨询").click()
    dialog = requester.dialog
    await dialog.get_by_label("咨询编号").fill(case_no)
    await dialog.get_by_label("事项名称").fill(title)
    await dialog.get_by_label("咨询事项类别").select_option(label="证据收集固定保全")
    await dialog.get_by_label("咨询问题").fill("倾倒现场的固废如何取样、固定？")
    await dialog.get_by_role("button", name="创建").click()
    await expect(requester.dialog).to_have_count(0)
    await expect(requester.card_in("REQUESTED", case_no)).to_be_visible()
    await expect(office.card_in("REQUESTED", case_no)).to_be_visible()  # live

    dialog = await drag(office, case_no, "ASSIGNED")
    units = dialog.get_by_role("group", name=re.compile("答复单位"))
    await units.get_by_label(world.unit_b.name).check()
    await dialog.get_by_label("分办意见").fill("请市交通运输局答复")
    await confirm(office, "分办答复单位")
    card = responder.card_in("ASSIGNED", case_no)
    await expect(card).to_be_visible()  # live: the responder now is a party
    await expect(card.locator(".chip")).to_have_text(re.compile(r"^剩余 \d+日(暂定)?$"))

    await card.get_by_role("link").click()
    await responder.detail.get_by_role("button", name="答复").click()
    await responder.dialog.get_by_label("答复意见").fill("按技术规范分层取样并拍照录像固定。")
    await confirm(responder, "答复")
    await expect(requester.card_in("ANSWERED", case_no)).to_be_visible()  # live
    await requester.card(case_no).get_by_role("link").click()
    detail = requester.detail
    await expect(detail.locator('[data-section="答复"]')).to_contain_text(
        "按技术规范分层取样并拍照录像固定。"
    )
    await page.screenshot(path=ARTIFACTS / "consultation-board-detail.png")
    await detail.get_by_role("button", name="采纳答复").click()
    await requester.dialog.get_by_label("采纳意见").fill("已采纳")
    await confirm(requester, "采纳答复")
    await expect(responder.card(case_no)).to_have_attribute("data-column", "CLOSED")
    case = await Case.get(case_no=case_no)
    assert case.state == "closed"
    assert await ConsultationAnswer.filter(case_id=case.id).count() == 1


async def test_a_consultation_converted_into_a_meeting_shows_it_on_the_meetings_board(
    world: World, browsers: Browsers
) -> None:
    case_no, title = "宿环询〔2026〕10号", "未批先建认定标准不一致"
    case = (await create_from_form(CONSULTATION_STEPS, world.liaison_a, {
        "caseNo": case_no, "title": title, "topic": "law_application",
        "question": "未批先建的认定，部门与法院非诉审查标准不一致。",
    })).case  # fmt: skip
    await take_form_step(CONSULTATION_STEPS, world.office, case.id, case.version,
                         ConsultationAction.ROUTE, {"responderUnitIds": [world.unit_b.id]})  # fmt: skip
    office = await browsers.open("office", path="/#/board/consultation")
    requester = await browsers.open("liaison_a", path="/#/board/meeting")
    await police(world)  # 市公安局: neither requester nor responder
    other = await browsers.open("liaison_c", path="/#/board/meeting")
    meeting_no, meeting_title = f"{case_no}-会1", f"协调会：{title}"

    dialog = await drag(office, case_no, "MEETING")
    await expect(dialog.get_by_label("会议形式").locator("option:checked")).to_have_text("协调会")
    await dialog.get_by_label("会议日期").fill(clock.today().isoformat())
    await dialog.get_by_label("会议地点").fill("市检察院第一会议室")
    await dialog.get_by_label("转会商理由").fill("书面答复认识不一")
    await confirm(office, "转协调会商")
    await expect(office.card_in("MEETING", case_no)).to_be_visible()
    # The requester attends: the meeting arrives on its meetings board, its agenda set.
    await expect(requester.card_in("AGENDA_SET", meeting_no)).to_be_visible()  # live

    await office.card(case_no).get_by_role("link").click()
    detail = office.detail
    await expect(detail.locator('[data-section="协调会商"]')).to_contain_text(
        f"{meeting_no} {meeting_title}（议程已定）"
    )
    links = detail.locator('[data-section="关联案件"]')
    await expect(links).to_contain_text(meeting_no)
    await links.get_by_role("link").click()
    await expect(detail.locator("#detail-title")).to_have_text(meeting_title)
    await expect(detail.locator('[data-section="议程"]')).to_contain_text(f"1. {title}")
    await expect(detail.locator('[data-section="会议要素"]')).to_contain_text("市交通运输局")
    ARTIFACTS.mkdir(exist_ok=True)
    await office.page.screenshot(path=ARTIFACTS / "consultation-meeting-detail.png")
    meeting = await Case.get(case_no=meeting_no)
    assert (meeting.kind, meeting.source_id) == ("meeting", case.id)
    await not_seen(other, meeting_no)
