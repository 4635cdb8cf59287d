"""Comments in the detail panel, in Chromium: a prosecutor @mentions the addressee's liaison,
who sees the comment arrive live; an internal comment never reaches the liaison's page or
WebSocket; a draft survives the live refresh; a retraction leaves its trace."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from graphql import parse, validate
from playwright.async_api import Page, expect

from hub import clock
from hub.models import Case, CaseEvent
from hub.schema import build_schema
from tests.factories import World, served
from tests.frontend.conftest import Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

SHOTS = Path("/tmp/shots/M")


def case_path(rec: Case) -> str:
    return "/#/case/" + base64.b64encode(f"Recommendation:{rec.id}".encode()).decode()


def shot_path(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=shot_path(name))


async def test_a_mention_reaches_the_liaison_live_and_an_internal_comment_never(
    world: World, browsers: Browsers
) -> None:
    rec = await served(world, served_on=clock.today() - timedelta(days=5))
    prosecutor = await browsers.open("prosecutor", path=case_path(rec))
    liaison = await browsers.open("liaison_a", path=case_path(rec))
    p_comments = prosecutor.detail.locator("section.comments")
    l_comments = liaison.detail.locator("section.comments")
    await expect(l_comments).to_contain_text("暂无评论")
    # The internal option is the procuratorate side's, as the server says.
    await expect(l_comments.get_by_label("内部（仅检察院可见）")).to_be_hidden()
    await expect(p_comments.get_by_label("内部（仅检察院可见）")).to_be_visible()

    # The prosecutor types @ and picks the liaison from the server's list.
    box = p_comments.get_by_label("评论内容")
    await box.fill("请")
    await box.press_sequentially(" @liai")
    option = p_comments.get_by_role("option", name="liaison_a-姓名（市生态环境局 · 联络员）")
    await expect(option).to_be_visible()
    await p_comments.screenshot(path=shot_path("prosecutor-picker"))
    await box.press("Enter")
    await expect(p_comments.locator(".mention-chip")).to_have_text("@liaison_a-姓名×")
    await box.press_sequentially("按期回复")
    await expect(box).to_have_value("请 @liaison_a-姓名 按期回复")

    # The liaison starts writing before the comment arrives: the live refresh keeps it.
    l_box = l_comments.get_by_label("评论内容")
    await l_box.fill("收到，正在")
    await l_box.focus()
    await p_comments.get_by_role("button", name="发表评论").click()
    shared = l_comments.locator("li.comment").filter(has_text="请 @liaison_a-姓名 按期回复")
    await expect(shared).to_be_visible()  # live, without a reload
    await expect(shared).to_contain_text("提及：@liaison_a-姓名")
    await expect(l_box).to_have_value("收到，正在")
    await expect(l_box).to_be_focused()
    await expect(liaison.detail.locator(".timeline")).to_contain_text("评论 · prosecutor-姓名")

    # An internal comment: the procuratorate sees it, the liaison never receives it.
    await box.fill("内部：逾期即提请督办")
    await p_comments.get_by_label("内部（仅检察院可见）").check()
    await p_comments.get_by_role("button", name="发表评论").click()
    internal = p_comments.locator('li.comment[data-internal="true"]')
    await expect(internal).to_contain_text("内部：逾期即提请督办")
    await expect(internal.locator(".tag-internal")).to_have_text("内部")
    internal_seq = await CaseEvent.filter(case_id=rec.id, internal=True).order_by("-seq").first()
    assert internal_seq is not None and internal_seq.action == "comment"

    # The liaison comments back; the prosecutor sees it live, and only then do we look at
    # what the liaison's page holds.
    await l_box.fill("收到，正在整改")
    await l_comments.get_by_role("button", name="发表评论").click()
    await expect(p_comments.locator("li.comment").filter(has_text="收到，正在整改")).to_be_visible()
    await expect(l_comments.locator("li.comment")).to_have_count(2)
    await expect(liaison.detail).not_to_contain_text("内部：逾期即提请督办")
    assert "逾期即提请督办" not in liaison.received_text()
    assert internal_seq.seq not in [e["event"]["seq"] for e in liaison.board_events()]
    await shot(prosecutor.page, "prosecutor-comments")
    await shot(liaison.page, "liaison-comments")

    # Only the author may retract: the liaison has no 撤回 on the prosecutor's comment.
    await expect(shared.get_by_role("button", name="撤回")).to_have_count(0)
    mine = p_comments.locator("li.comment").filter(has_text="请 @liaison_a-姓名 按期回复")
    prosecutor.page.once("dialog", lambda dialog: dialog.accept())
    await mine.get_by_role("button", name="撤回").click()
    trace = l_comments.locator('li.comment[data-retracted="true"]')
    await expect(trace).to_contain_text("（已撤回）")
    await expect(trace).to_contain_text("prosecutor-姓名 于")
    await expect(l_comments).not_to_contain_text("按期回复")
    await shot(liaison.page, "liaison-retracted")


async def test_the_comment_documents_are_valid(browsers: Browsers) -> None:
    board = await browsers.open("prosecutor")
    documents = await board.page.evaluate(
        "async () => (await import('/js/comments.js')).COMMENT_DOCUMENTS"
    )
    schema = build_schema()._schema
    assert set(documents) == {"comments", "add", "retract"}
    for name, text in documents.items():
        assert validate(schema, parse(text)) == [], name
