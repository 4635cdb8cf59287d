"""The board's filter bar, views, sort, pages and live updates in Chromium (issue 10).

The filters go to the server (the paged board API); the URL keeps them across a reload and
back/forward; a view applies its filter; a column shows its exact total and loads the rest
page by page; live events take away a card that no longer matches and bring in one that does.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from hub import clock
from hub.kinds.recommendation import steps as recs
from hub.models import Case
from tests.factories import World, draft, served
from tests.frontend.conftest import BoardPage, Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

SHOTS = Path("/tmp/shots/F")


@pytest.fixture
def shots() -> Path:
    """Where this test's screenshots go (to be looked at, not compared)."""
    return SHOTS


def today() -> date:
    return clock.today()


async def _four(world: World) -> dict[str, Case]:
    """Two recommendations to each unit: one with time left, one overdue."""
    return {
        "a_open": await served(world, served_on=today() - timedelta(days=5)),
        "a_late": await served(world, served_on=today() - timedelta(days=90)),
        "b_open": await served(
            world, served_on=today() - timedelta(days=20), addressee=world.unit_b
        ),
        "b_late": await served(
            world, served_on=today() - timedelta(days=100), addressee=world.unit_b
        ),
    }


def bar(board: BoardPage) -> Locator:
    return board.page.locator("#filter-row")


async def totals(board: BoardPage) -> tuple[str, str, str]:
    page = board.page
    return (
        await page.locator("#count-total").inner_text(),
        await page.locator("#count-overdue").inner_text(),
        await page.locator("#count-soon").inner_text(),
    )


async def expect_cards(board: BoardPage, cases: list[Case]) -> None:
    """Exactly these cases are on the board (in any column)."""
    cards = board.page.locator("#board .card")
    await expect(cards).to_have_count(len(cases))
    for case in cases:
        await expect(board.card(case.case_no)).to_have_count(1)


async def expect_total(board: BoardPage, total: int, overdue: int) -> None:
    await expect(board.page.locator("#count-total")).to_have_text(str(total))
    await expect(board.page.locator("#count-overdue")).to_have_text(str(overdue))


async def ready(page: Page) -> None:
    await expect(page.locator("#board[data-ready]")).to_be_attached()
    await expect(page.locator("#board")).to_have_attribute("aria-busy", "false")


def query_of(page: Page) -> str:
    return page.url.split("?", 1)[1] if "?" in page.url else ""


async def test_unit_and_overdue_filters_the_board_and_the_url_keeps_them(
    world: World, browsers: Browsers, shots: Path
) -> None:
    cases = await _four(world)
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    await expect_cards(prosecutor, list(cases.values()))
    await expect_total(prosecutor, 4, 2)

    # The options are the server's: the units the viewer's cases involve.
    unit = bar(prosecutor).get_by_label("单位")
    await expect(unit.locator("option")).to_contain_text(
        ["全部单位", "市生态环境局", "市交通运输局"]
    )
    await unit.select_option(label="市生态环境局")
    await expect_cards(prosecutor, [cases["a_open"], cases["a_late"]])
    await expect_total(prosecutor, 2, 1)
    await expect(prosecutor.column("OVERDUE").locator(".column-count")).to_have_text("1")
    assert re.search(r"[?&]unit=", page.url)

    await bar(prosecutor).get_by_label("逾期", exact=True).check()
    await expect_cards(prosecutor, [cases["a_late"]])
    await expect_total(prosecutor, 1, 1)
    assert "overdue=1" in page.url
    # The bar is built again from the server's answer; the box just ticked keeps the focus.
    await expect(bar(prosecutor).get_by_label("逾期", exact=True)).to_be_focused()
    await page.screenshot(
        path=shots / "filter-bar.png", clip={"x": 0, "y": 0, "width": 1440, "height": 260}
    )

    # A reload restores the filter from the URL: the controls and the cards.
    url = page.url
    await page.reload()
    await ready(page)
    assert page.url == url
    await expect(bar(prosecutor).get_by_label("单位")).to_have_value(re.compile(r".+"))
    await expect(bar(prosecutor).get_by_label("逾期", exact=True)).to_be_checked()
    await expect_cards(prosecutor, [cases["a_late"]])
    await expect_total(prosecutor, 1, 1)

    # Back and forward step through the filters chosen.
    await page.go_back()
    await expect(bar(prosecutor).get_by_label("逾期", exact=True)).not_to_be_checked()
    await expect_cards(prosecutor, [cases["a_open"], cases["a_late"]])
    await page.go_forward()
    await expect(bar(prosecutor).get_by_label("逾期", exact=True)).to_be_checked()
    await expect_cards(prosecutor, [cases["a_late"]])

    # The text goes to the server (a case no. of the other unit: nothing under this filter).
    await bar(prosecutor).get_by_role("button", name="清除筛选").click()
    await expect_cards(prosecutor, list(cases.values()))
    await page.locator("#filter").fill(cases["b_late"].case_no)
    await expect_cards(prosecutor, [cases["b_late"]])
    await expect_total(prosecutor, 1, 1)
    assert "q=" in page.url
    await page.reload()
    await ready(page)
    await expect(page.locator("#filter")).to_have_value(cases["b_late"].case_no)
    await expect_cards(prosecutor, [cases["b_late"]])


async def test_save_apply_and_delete_a_view(world: World, browsers: Browsers) -> None:
    cases = await _four(world)
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    picker = bar(prosecutor).get_by_label("视图")
    # The built-ins come first; 逾期未回复 shows the overdue cards only.
    await expect(picker.locator("option")).to_contain_text(["逾期未回复"])
    await picker.select_option(label="逾期未回复")
    await expect_cards(prosecutor, [cases["a_late"], cases["b_late"]])
    assert "view=" in page.url and "overdue=1" in page.url
    await expect(bar(prosecutor).get_by_role("button", name="删除视图")).to_be_hidden()

    # Save a filter of one's own under a name.
    await bar(prosecutor).get_by_label("单位").select_option(label="市交通运输局")
    await expect_cards(prosecutor, [cases["b_late"]])
    await bar(prosecutor).get_by_role("button", name="保存视图").click()
    dialog = prosecutor.dialog
    await dialog.get_by_label("视图名称").fill("交通局逾期")
    await dialog.get_by_role("button", name="保存").click()
    await expect(prosecutor.dialog).to_have_count(0)
    await expect(picker.locator("optgroup[label='我的视图'] option")).to_have_text(["交通局逾期"])

    # Away from it, then back through the selector: its filter applies again.
    await bar(prosecutor).get_by_role("button", name="清除筛选").click()
    await expect_cards(prosecutor, list(cases.values()))
    await picker.select_option(label="交通局逾期")
    await expect_cards(prosecutor, [cases["b_late"]])
    await expect_total(prosecutor, 1, 1)
    # It is kept on the server: another reload still lists it.
    await page.reload()
    await ready(page)
    await expect(picker).to_have_value(re.compile(r".+"))
    await expect(picker.locator("option:checked")).to_have_text("交通局逾期")

    await bar(prosecutor).get_by_role("button", name="删除视图").click()
    await prosecutor.dialog.get_by_role("button", name="删除").click()
    await expect(picker.locator("optgroup[label='我的视图'] option")).to_have_count(0)
    assert "view=" not in page.url
    await page.reload()
    await ready(page)
    await expect(picker.locator("option", has_text="交通局逾期")).to_have_count(0)


async def test_a_long_column_loads_more_and_the_sort_switch_reorders(
    world: World, browsers: Browsers, shots: Path
) -> None:
    drafts = [await draft(world) for _ in range(35)]
    cases = await _four(world)
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    column = prosecutor.column("DRAFT")
    await expect(column.locator(".column-count")).to_have_text("35")
    await expect(column.locator(".card")).to_have_count(30)
    more = column.get_by_role("button", name=re.compile("加载更多"))
    await expect(more).to_have_text("加载更多（还有 5 件）")
    await page.screenshot(path=shots / "load-more.png")
    await more.click()
    await expect(column.locator(".card")).to_have_count(35)
    await expect(more).to_be_hidden()
    shown = set(await column.locator(".card").evaluate_all("cs => cs.map(c => c.dataset.caseNo)"))
    assert shown == {d.case_no for d in drafts}
    await expect_total(prosecutor, 39, 2)

    # Within a column: due date first (B's is older), or the last change first.
    served_column = prosecutor.column("SERVED")
    order = served_column.locator(".card")
    await expect(order).to_have_count(2)
    await expect(order.first).to_have_attribute("data-case-no", cases["b_open"].case_no)
    await bar(prosecutor).get_by_label("排序").select_option(label="按最近更新")
    await expect(order.first).to_have_attribute("data-case-no", cases["a_open"].case_no)
    assert "sort=updated" in page.url
    await page.reload()
    await ready(page)
    await expect(bar(prosecutor).get_by_label("排序")).to_have_value("UPDATED")
    await expect(served_column.locator(".card").first).to_have_attribute(
        "data-case-no", cases["a_open"].case_no
    )

    # Swimlanes by unit: each unit's first card carries its heading.
    await page.get_by_role("group", name="看板分组").get_by_text("按被建议单位分组").click()
    starts = served_column.locator(".card[data-lane-start]")
    await expect(starts).to_have_count(2)
    labels = await starts.evaluate_all("cs => cs.map(c => c.dataset.laneLabel)")
    assert sorted(labels) == sorted([world.unit_a.name, world.unit_b.name])
    assert "lanes=unit" in page.url


async def test_live_cards_follow_the_filter(world: World, browsers: Browsers) -> None:
    cases = await _four(world)
    prosecutor = await browsers.open("prosecutor", path="/#/board/recommendation?columns=served")
    await expect_cards(prosecutor, [cases["a_open"], cases["b_open"]])
    await expect(prosecutor.page.locator(".column")).to_have_count(1)
    await expect_total(prosecutor, 2, 0)

    # Another person serves a new recommendation: it matches, so it comes in, counted.
    new = await served(world, served_on=today() - timedelta(days=1))
    await expect(prosecutor.card_in("SERVED", new.case_no)).to_be_visible()
    await expect_total(prosecutor, 3, 0)
    # One that does not match (a draft) never shows.
    other = await draft(world)
    await expect(prosecutor.page.locator("#count-total")).to_have_text("3")
    await expect(prosecutor.card(other.case_no)).to_have_count(0)

    # The unit acknowledges one: it is no longer 已送达, so it leaves.
    rec = cases["a_open"]
    await recs.acknowledge(world.liaison_a, rec.id, rec.version)
    await expect(prosecutor.card(rec.case_no)).to_have_count(0)
    await expect_total(prosecutor, 2, 0)

    # A storm of events is read again in a few requests, not one per event.
    resyncs: list[str] = []
    prosecutor.page.on(
        "request",
        lambda r: resyncs.append(r.url) if "query BoardResync" in (r.post_data or "") else None,
    )
    storm = [await draft(world) for _ in range(12)]
    await expect(prosecutor.page.locator("#count-total")).to_have_text("2")
    await prosecutor.page.wait_for_timeout(1500)  # past the throttle: everything has landed
    assert 1 <= len(resyncs) <= 4, len(resyncs)
    for case in storm:
        await expect(prosecutor.card(case.case_no)).to_have_count(0)

    # The server keeps everything: after a reload the live card is still there.
    await prosecutor.page.reload()
    await ready(prosecutor.page)
    await expect_cards(prosecutor, [cases["b_open"], new])

    # Whether a changed card matches is the server's to say: here, its title and the text.
    chief = await browsers.open("chief", path="/#/board/recommendation?q=专项整治")
    await expect_cards(chief, [])
    await expect_total(chief, 0, 0)
    v = (await recs.update_recommendation(world.prosecutor, other.id, other.version,
                                          title="关于专项整治的检察建议")).case.version  # fmt: skip
    await expect_cards(chief, [other])
    await expect_total(chief, 1, 0)
    await recs.update_recommendation(world.prosecutor, other.id, v, title="关于加强监管的检察建议")
    await expect_cards(chief, [])
    await expect_total(chief, 0, 0)
