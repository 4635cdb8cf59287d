"""The recommendation board in Chromium: people in separate browser contexts against a real
hub server.

What a person sees is asserted through the page; what their browser received is asserted
through the WebSocket frames Playwright recorded, so "never reaches their browser" is checked
on the wire, not only in the DOM.
"""

from __future__ import annotations

import base64
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.async_api import expect

from hub import clock
from hub.domain.deadlines import ReplyRule
from hub.domain.kinds import CaseKind
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import (
    Completeness,
    RecommendationDetail,
    Reply,
    ReplyDecision,
)
from hub.kinds.recommendation.spec import RecommendationType
from hub.models import Case, CaseClock, CaseEvent, Unit
from hub.services.demo import CASES, load_demo
from tests.app_clients import Api
from tests.factories import PASSWORD, World, draft, served
from tests.frontend.conftest import ARTIFACTS, Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
RED = "rgb(180, 35, 24)"


def today() -> date:
    return clock.today()


def global_id(rec: Case) -> str:
    return base64.b64encode(f"Recommendation:{rec.id}".encode()).decode()


async def approved(world: World, addressee: Unit | None = None) -> Case:
    rec = await draft(world, addressee=addressee)
    v = (await recs.submit_for_approval(world.prosecutor, rec.id, rec.version)).case
    return (await recs.approve(world.chief, rec.id, v.version)).case


async def last_seq() -> int:
    event = await CaseEvent.all().order_by("-seq").first()
    return event.seq if event else 0


async def test_a_served_card_reaches_its_unit_live_and_no_one_else(
    world: World, browsers: Browsers
) -> None:
    rec = await approved(world)
    prosecutor = await browsers.open("prosecutor")
    liaison_a = await browsers.open("liaison_a")
    liaison_b = await browsers.open("liaison_b")
    for board in (prosecutor, liaison_a, liaison_b):
        await board.page.evaluate("window.__notReloaded = true")
    await expect(prosecutor.card_in("APPROVED", rec.case_no)).to_be_visible()
    await expect(liaison_a.card(rec.case_no)).to_have_count(0)

    # Dragging: only the column the card may go to lights up and accepts it.
    page = prosecutor.page
    await prosecutor.card(rec.case_no).hover()
    await page.mouse.down()
    await prosecutor.column("REPLIED").hover()
    await expect(prosecutor.column("SERVED")).to_have_class(re.compile(r"\bdrop-allowed\b"))
    await expect(prosecutor.column("REPLIED")).to_have_class(re.compile(r"\bdrop-denied\b"))
    await page.mouse.up()  # dropped on a column that does not accept it: nothing happens
    await expect(prosecutor.column("SERVED")).not_to_have_class(re.compile(r"drop-allowed"))
    await expect(prosecutor.dialog).to_have_count(0)
    await expect(prosecutor.card_in("APPROVED", rec.case_no)).to_be_visible()

    await prosecutor.card(rec.case_no).drag_to(prosecutor.column("SERVED"))
    dialog = prosecutor.dialog
    await expect(dialog.get_by_role("heading", name="送达")).to_be_visible()
    await expect(dialog.get_by_label("送达日期")).to_have_value(today().isoformat())
    await dialog.get_by_label("送达方式").select_option(label="书面送达")
    await dialog.get_by_role("button", name="确认").click()
    await expect(prosecutor.dialog).to_have_count(0)
    await expect(prosecutor.card_in("SERVED", rec.case_no)).to_be_visible()
    await expect(
        prosecutor.page.get_by_role("status").filter(has_text="送达”已完成")
    ).to_be_visible()

    # The addressee's liaison sees it appear, with its deadline, without a reload.
    card_a = liaison_a.card_in("SERVED", rec.case_no)
    await expect(card_a).to_be_visible()
    await expect(card_a.locator(".card-line")).to_have_text("市生态环境局")
    await expect(card_a.locator(".chip")).to_have_text(re.compile(r"^剩余 \d+日(暂定)?$"))

    # The liaison replies through the card's 操作 menu; the reply text is required.
    await card_a.get_by_role("button", name="操作").click()
    await liaison_a.page.get_by_role("menuitem", name=re.compile("提交整改回复")).click()
    dialog = liaison_a.dialog
    await dialog.get_by_role("button", name="确认").click()
    await expect(dialog.get_by_role("alert")).to_have_text("请填写回复内容")
    await dialog.get_by_label("回复内容").fill("已完成专项排查，问题已全部整改。")
    await dialog.get_by_label("整改措施").fill("建立台账，按月复查。")
    await dialog.get_by_label("整改情况").select_option("FULL")
    await dialog.get_by_role("button", name="确认").click()
    await expect(liaison_a.card_in("REPLIED", rec.case_no)).to_be_visible()

    # The prosecutor sees the card move, live, and reads the reply in the detail panel.
    await expect(prosecutor.card_in("REPLIED", rec.case_no)).to_be_visible()
    await expect(prosecutor.column("SERVED").locator(".card")).to_have_count(0)
    await prosecutor.card(rec.case_no).get_by_role("link").click()
    panel = prosecutor.page.locator("#detail")
    await expect(panel).to_contain_text("已完成专项排查，问题已全部整改。")
    await expect(panel.locator(".timeline")).to_contain_text("提交整改回复 · liaison_a-姓名")
    await expect(panel).to_contain_text("内部：承办组意见")
    await expect(panel).not_to_contain_text("null")
    assert f"#/case/{global_id(rec)}" in prosecutor.page.url

    # The addressee never sees the procuratorate's internal note.
    await liaison_a.card(rec.case_no).get_by_role("link").click()
    await expect(liaison_a.page.locator("#detail .timeline")).to_contain_text("送达")
    await expect(liaison_a.page.locator("#detail")).not_to_contain_text("内部：承办组意见")

    # Another unit's liaison: an event it may see, after both of the above, arrives; the
    # events about unit A's card never did — neither in the page nor on its WebSocket.
    other = await served(world, served_on=today() - timedelta(days=3), addressee=world.unit_b)
    await expect(liaison_b.card_in("SERVED", other.case_no)).to_be_visible()
    assert other.case_no in liaison_b.received_text()  # the frames are recorded and decoded
    assert rec.case_no not in liaison_b.received_text()
    assert global_id(rec) not in liaison_b.received_text()
    assert rec.case_no not in await liaison_b.page.content()
    # A deep link to it answers like an unknown one.
    await liaison_b.page.goto(f"{browsers.base_url}/#/recommendation/{global_id(rec)}")
    await expect(liaison_b.alert("检察建议不存在，或您无权查看")).to_be_visible()
    assert rec.case_no not in await liaison_b.page.content()

    for board in (prosecutor, liaison_a):
        assert await board.page.evaluate("window.__notReloaded") is True
    assert (await Case.get(id=rec.id)).state == "replied"


async def test_a_stale_move_returns_the_card_and_says_why(world: World, browsers: Browsers) -> None:
    rec = await approved(world)
    prosecutor = await browsers.open("prosecutor")
    card = prosecutor.card(rec.case_no)
    await expect(card).to_have_attribute("data-version", str(rec.version))

    # A step the server refuses as invalid input keeps the dialog open and says why.
    await card.drag_to(prosecutor.column("SERVED"))
    dialog = prosecutor.dialog
    await dialog.get_by_label("送达日期").fill((today() + timedelta(days=1)).isoformat())
    await dialog.get_by_role("button", name="确认").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("晚于今天")
    await expect(dialog.get_by_label("送达日期")).to_have_attribute("aria-invalid", "true")
    await expect(prosecutor.card_in("APPROVED", rec.case_no)).to_be_visible()
    await dialog.get_by_role("button", name="取消").click()
    await expect(prosecutor.dialog).to_have_count(0)

    # Someone else changes it; the browser has not heard of it.
    await Case.filter(id=rec.id).update(version=rec.version + 1)

    await card.drag_to(prosecutor.column("SERVED"))
    await prosecutor.dialog.get_by_role("button", name="确认").click()
    await expect(
        prosecutor.alert(re.compile(r"送达未成功：该检察建议已被他人修改"))
    ).to_be_visible()
    await expect(prosecutor.card_in("APPROVED", rec.case_no)).to_be_visible()
    await expect(card).not_to_have_class(re.compile(r"\bpending\b"))
    await expect(prosecutor.dialog).to_have_count(0)
    # The card was read again, so the board is current and the same move now succeeds.
    await expect(card).to_have_attribute("data-version", str(rec.version + 1))
    assert (await Case.get(id=rec.id)).state == "approved"

    await card.drag_to(prosecutor.column("SERVED"))
    await prosecutor.dialog.get_by_role("button", name="确认").click()
    await expect(prosecutor.card_in("SERVED", rec.case_no)).to_be_visible()
    assert (await Case.get(id=rec.id)).state == "served"


async def test_the_keyboard_path(world: World, browsers: Browsers) -> None:
    rec = await served(world, served_on=today() - timedelta(days=5))
    liaison = await browsers.open("liaison_a")
    page = liaison.page
    card = liaison.card_in("SERVED", rec.case_no)
    await card.focus()
    await page.keyboard.press("Enter")
    menu = page.get_by_role("menu")
    await expect(menu).to_be_visible()
    items = menu.get_by_role("menuitem")
    await expect(items).to_have_text(
        [re.compile("签收并整改"), re.compile("提交整改回复"), re.compile("提出异议"), "查看详情"]
    )
    await expect(items.first).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(menu).to_be_hidden()
    await expect(card).to_be_focused()

    await page.keyboard.press("Enter")
    await page.keyboard.press("ArrowDown")
    await expect(items.nth(1)).to_be_focused()
    await page.keyboard.press("Enter")
    dialog = liaison.dialog
    await expect(dialog.get_by_label("回复内容")).to_be_focused()
    await page.keyboard.type("经排查已整改完毕。")
    await page.keyboard.press("Tab")  # 整改措施
    await page.keyboard.type("专项整治")
    await page.keyboard.press("Tab")  # 整改情况
    await page.keyboard.press("Tab")  # 取消
    await page.keyboard.press("Tab")  # 确认
    await expect(dialog.get_by_role("button", name="确认")).to_be_focused()
    await page.keyboard.press("Enter")

    await expect(liaison.card_in("REPLIED", rec.case_no)).to_be_visible()
    await expect(liaison.card(rec.case_no)).to_be_focused()
    replies = await Reply.filter(case_id=rec.id)
    assert [(r.content, r.measures) for r in replies] == [("经排查已整改完毕。", "专项整治")]


async def test_a_drop_with_two_meanings_asks_which_step(world: World, browsers: Browsers) -> None:
    rec = await served(world, served_on=today() - timedelta(days=5))
    objected = await recs.raise_objection(
        world.liaison_a, rec.id, rec.version, grounds="不属于我单位职责。"
    )
    chief = await browsers.open("chief")
    card = chief.card_in("OBJECTION_REVIEW", rec.case_no)
    await expect(card).to_be_visible()

    await card.drag_to(chief.column("SERVED"))
    choices = chief.dialog.get_by_role("group", name="可选操作").get_by_role("button")
    await expect(choices).to_have_text(["异议不成立", "异议成立，修改后重新送达"])
    await choices.nth(1).click()
    dialog = chief.dialog
    await expect(dialog.get_by_role("heading")).to_have_text("异议成立，修改后重新送达")
    await dialog.get_by_label("理由", exact=True).fill("部分建议超出职责范围，予以修改。")
    await dialog.get_by_label("修改后的建议事项").fill("一、在职责范围内依法履职。")
    await expect(dialog.get_by_label("重新送达日期")).to_have_value(today().isoformat())
    await dialog.get_by_role("button", name="确认").click()

    await expect(chief.card_in("SERVED", rec.case_no)).to_be_visible()
    await expect(chief.card(rec.case_no)).to_have_attribute(
        "data-version", str(objected.case.version + 1)
    )
    after = await Case.get(id=rec.id)
    detail = await RecommendationDetail.get(case_id=rec.id)
    assert (after.state, detail.suggestions) == ("served", "一、在职责范围内依法履职。")


async def test_after_a_dropped_connection_the_board_resumes_from_its_cursor(
    world: World, browsers: Browsers
) -> None:
    rec = await served(world, served_on=today() - timedelta(days=5))
    await served(world, served_on=today() - timedelta(days=3))
    board_cursor = await last_seq()
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    gid = global_id(rec)
    await expect(page.locator(".card")).to_have_count(2)

    # A live event first, so the last cursor is past the board's.
    change = await recs.acknowledge(world.liaison_a, rec.id, rec.version)
    await expect(prosecutor.card_in("RECTIFYING", rec.case_no)).to_be_visible()
    assert await page.evaluate("window.__hub.cursor") == str(change.event.seq)

    # The connection drops and stays down while the case moves on.
    await page.evaluate("window.__hub.dropConnection({hold: true})")
    await expect(prosecutor.connection).to_have_text("已断开，正在重连")
    replied = await recs.submit_reply(
        world.liaison_a, rec.id, change.case.version, content="整改完毕",
        completeness=Completeness.FULL,
    )  # fmt: skip
    await expect(prosecutor.card_in("RECTIFYING", rec.case_no)).to_be_visible()

    await page.evaluate("window.__hub.releaseConnection()")
    await expect(prosecutor.connection).to_have_text("已连接")
    await expect(prosecutor.card_in("REPLIED", rec.case_no)).to_be_visible()
    await expect(page.locator(f'.card[data-id="{gid}"]')).to_have_count(1)
    await expect(page.locator(".card")).to_have_count(2)

    # Dropped once more with the ordinary back-off; a change made around then arrives once.
    await page.evaluate("window.__hub.dropConnection()")
    adopted = await recs.review_reply(
        world.prosecutor, rec.id, replied.case.version,
        decision=ReplyDecision.ADOPTED,
    )  # fmt: skip
    await expect(prosecutor.card(rec.case_no)).to_have_attribute("data-column", "CLOSED_ADOPTED")
    await expect(prosecutor.connection).to_have_text("已连接")
    await expect(page.locator(".card")).to_have_count(2)

    # On the wire: each (re)subscription asked for the events after the last one applied,
    # and every event arrived exactly once, in order, with none missing.
    expected = [change.event.seq, replied.event.seq, adopted.event.seq]
    afters = [p["variables"]["after"] for p in prosecutor.subscribe_payloads()]
    assert afters == [str(board_cursor), str(expected[0]), str(expected[1])]
    assert [int(e["cursor"]) for e in prosecutor.board_events()] == expected
    debug = await page.evaluate("window.__hub.debug")
    assert debug["appliedSeqs"] == expected
    assert debug["statuses"] == [
        "connecting", "connected", "disconnected", "connected", "disconnected", "connected",
    ]  # fmt: skip


async def test_deadline_chips_show_the_level_and_explain_the_deadline(
    world: World, browsers: Browsers, api: Api
) -> None:
    overdue = await served(world, served_on=today() - timedelta(days=80))
    soon = await served(
        world, served_on=today() - timedelta(days=10),
        rec_type=RecommendationType.PUBLIC_INTEREST, rule=ReplyRule.URGENT_15_DAYS,
    )  # fmt: skip
    fresh = await served(world, served_on=today())
    office = await browsers.open("office")

    async with api.as_user("office") as gql:
        for rec in (overdue, soon, fresh):
            body = await gql(
                "query($d: String!) { recommendationByDocNo(docNo: $d) { column deadline {"
                " level daysLeft explanation provisional } } }",
                {"d": rec.case_no},
            )
            found = body["data"]["recommendationByDocNo"]
            deadline = found["deadline"]
            chip = office.card_in(found["column"], rec.case_no).locator(".chip")
            level, days = deadline["level"], deadline["daysLeft"]
            await expect(chip).to_have_attribute("data-level", level)
            await expect(chip).to_have_class(re.compile(rf"\bchip-{level.lower()}\b"))
            text = f"逾期 {-days}日" if days < 0 else "今日到期" if days == 0 else f"剩余 {days}日"
            await expect(chip).to_contain_text(text)
            tooltip = "回复期限：" + deadline["explanation"]
            tooltip += "（暂定）" if deadline["provisional"] else ""
            await expect(chip).to_have_attribute("title", tooltip)
            if rec is overdue:
                assert (found["column"], level) == ("OVERDUE", "RED")
                await expect(chip).to_have_text(text)
                await expect(chip).to_have_css("color", RED)
                await expect(chip).to_have_css("background-color", "rgb(253, 231, 229)")
                tip = await chip.get_attribute("title")
                assert tip is not None and "送达" in tip and "届满日" in tip

    # A step with no column (督促回复) is in the menu only: the card does not drag.
    card = office.card_in("OVERDUE", overdue.case_no)
    await expect(card).to_have_attribute("draggable", "false")
    await card.get_by_role("button", name="操作").click()
    await office.page.get_by_role("menuitem", name=re.compile("督促回复.*不改变状态")).click()
    await expect(office.dialog).not_to_contain_text("null")
    await office.dialog.get_by_label("说明").fill("请于三日内书面回复。")
    await office.dialog.get_by_role("button", name="确认").click()
    await expect(
        office.page.get_by_role("status").filter(has_text="督促回复”已完成")
    ).to_be_visible()
    await expect(card).to_have_attribute("data-version", str(overdue.version + 1))
    urged = await CaseEvent.filter(case_id=overdue.id).order_by("-seq").first()
    assert urged is not None and (urged.action, urged.comment) == ("urge", "请于三日内书面回复。")


async def test_the_populated_board(world: World, browsers: Browsers) -> None:
    """The demo data on a prosecutor's board; HUB_UPDATE_SCREENSHOT=1 rewrites docs/board.png."""
    await load_demo(PASSWORD, today=today())
    # The demo's own recommendations plus those its PIL case and dispute opened.
    recommendations = await Case.filter(kind=CaseKind.RECOMMENDATION).count()
    assert recommendations > len(CASES)
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    await expect(page.locator(".card")).to_have_count(recommendations)
    await expect(page.locator(".column")).to_have_count(11)
    await expect(page.locator(".column-label")).to_have_text(
        ["草稿", "待审批", "已批准", "已送达", "整改中", "逾期未回复", "异议复核", "已回复",
         "已采纳结案", "已撤回", "已转起诉审查"]
    )  # fmt: skip
    await expect(page.locator("#count-total")).to_have_text(str(recommendations))
    await expect(prosecutor.column("OVERDUE").locator(".chip-red").first).to_be_visible()
    # At 1440 px the whole board fits, and nothing sticks out of its card.
    widths = await page.evaluate(
        "(b => [b.scrollWidth, b.clientWidth])(document.getElementById('board'))"
    )
    assert widths[0] <= widths[1]
    overflowing = await page.evaluate(
        """() => [...document.querySelectorAll('.card')].filter(c =>
              [...c.querySelectorAll('*')].some(e => {
                const r = e.getBoundingClientRect(), b = c.getBoundingClientRect();
                return r.width > 0 && (r.right > b.right + 0.5 || r.left < b.left - 0.5);
              })).map(c => c.dataset.caseNo)"""
    )
    assert overflowing == []
    update = os.environ.get("HUB_UPDATE_SCREENSHOT") == "1"
    target = DOCS / "board.png" if update else ARTIFACTS / "board.png"
    target.parent.mkdir(exist_ok=True)
    await page.mouse.move(0, 0)
    await page.screenshot(path=target)


async def test_a_custom_reply_period_is_asked_for_only_with_its_rule(
    world: World, browsers: Browsers
) -> None:
    """The serve dialog offers the rules the server allows for this recommendation, each with
    its legal basis; the period field appears only for the rule the procuratorate sets."""
    rec = await approved(world)
    prosecutor = await browsers.open("prosecutor")
    await prosecutor.card(rec.case_no).drag_to(prosecutor.column("SERVED"))
    dialog = prosecutor.dialog
    rule = dialog.get_by_label("回复期限")
    await expect(rule.locator("option")).to_have_text(
        ["两个月（检察建议工作规定）", "检察机关确定的较短期限（检察建议工作规定，情况紧急）"]
    )
    field = dialog.locator('.field[data-field="deadlineRule"]')
    await expect(field.locator(".field-help")).to_contain_text(
        "依据：《人民检察院检察建议工作规定》"
    )
    await expect(dialog.get_by_label("自定义期限", exact=True)).to_be_hidden()
    await rule.select_option(label="检察机关确定的较短期限（检察建议工作规定，情况紧急）")
    await expect(field.locator(".field-help")).to_contain_text("情况紧急的")
    await expect(dialog.get_by_label("自定义期限", exact=True)).to_be_visible()
    await dialog.get_by_role("button", name="确认").click()
    await expect(dialog.get_by_role("alert")).to_have_text("请填写自定义期限")
    await dialog.get_by_label("自定义期限", exact=True).fill("20")
    await dialog.get_by_label("自定义期限的单位").select_option(label="日")
    await dialog.get_by_role("button", name="确认").click()
    await expect(prosecutor.dialog).to_have_count(0)
    card = prosecutor.card_in("SERVED", rec.case_no)
    await expect(card.locator(".chip")).to_have_text(re.compile(r"^剩余 (1[89]|2\d)日(暂定)?$"))
    clock_row = await CaseClock.get(case_id=rec.id, name="reply")
    assert (clock_row.rule, clock_row.custom_amount) == ("jy_custom", 20)
