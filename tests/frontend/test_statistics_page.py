"""统计分析 in Chromium: the server's figures as charts (the vendored ECharts, within the
board's Content-Security-Policy) and tables; a bar lists exactly the cases the `cases` filter
it names lists; the period, kinds and unit live in the URL; 导出台账 carries the same filters.
Screenshots at 1440 and 390 px go to /tmp/shots/P/."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.async_api import Page, expect

from hub import clock
from hub.kinds.task_measure.tasklist import import_tasklist
from hub.services.demo import load_tasklist
from tests.factories import World
from tests.frontend.conftest import BoardPage, Browsers
from tests.frontend.test_layout import load_every_demo
from tests.frontend.test_print import gql

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

SHOTS = Path("/tmp/shots/P")

FIGURE_REF = "cases { id from to kinds unitIds }"
STATISTICS = f"""query($input: StatisticsInput!) {{ statistics(input: $input) {{
  from to
  tables {{ id label columns {{ id label }} rows {{ id label cells {{ value rate numerator {FIGURE_REF} }} }} }}
}} }}"""
STATISTICS_SCOPE = "query($input: StatisticsInput!) { statistics(input: $input) { scopeLabel } }"
CASES = """query($figure: FigureInput!) {
  cases(filter: {figure: $figure}, first: 200) { totalCount edges { node { caseNo } } } }"""

CSP_WATCH = """() => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation",
    (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
}"""


async def _data() -> None:
    await load_every_demo()
    await import_tasklist(load_tasklist(), now=datetime(clock.today().year, 1, 10, 2, tzinfo=UTC))


async def _open_statistics(office: BoardPage, hash_: str = "#/statistics") -> Page:
    page = office.page
    await page.evaluate(CSP_WATCH)
    if hash_ == "#/statistics":
        await page.locator("#page-nav").get_by_role("link", name="统计分析").click()
    else:
        await page.evaluate("(h) => { location.hash = h; }", hash_)
    await expect(page.locator("#stats-view")).to_have_attribute("data-ready", "true")
    return page


async def _cases_of(page: Page, ref: dict[str, Any]) -> list[str]:
    data = await gql(page, CASES, {"figure": ref})
    return sorted(e["node"]["caseNo"] for e in data["cases"]["edges"])


async def _click_bar(page: Page, table_id: str, row: int, column: int) -> None:
    """Click the middle of a bar (ECharts says where it drew it)."""
    holder = page.locator(f'.stats-block[data-table="{table_id}"] .stats-chart')
    point = await holder.evaluate(
        """(node, [row, column]) => {
            const chart = echarts.getInstanceByDom(node);
            const index = chart.getOption().series.findIndex((s) => s.name === node.__columns[column]);
            const bar = chart.getModel().getSeriesByIndex(index).getData().getItemLayout(row);
            const [x, y] = [bar.x + bar.width / 2, bar.y + bar.height / 2];
            const top = node.getBoundingClientRect().top;
            window.scrollBy(0, top + y - innerHeight / 2); // the bar in the middle of the window
            const box = node.getBoundingClientRect();
            return [box.left + x, box.top + y];
        }""",
        [row, column],
    )
    await page.mouse.click(point[0], point[1])


async def test_the_charts_draw_and_a_bar_lists_its_cases(world: World, browsers: Browsers) -> None:
    await _data()
    office = await browsers.open("office")
    page = await _open_statistics(office)
    query = parse_qs(urlparse(page.url).fragment.split("?", 1)[1])
    assert query["from"] == [f"{clock.today().year}-01-01"] and query["to"] == [
        clock.today().isoformat()
    ]

    # every chart is drawn on a canvas of the block's width, and nothing broke the CSP
    charts = page.locator(".stats-chart")
    assert await charts.count() >= 4
    for index in range(await charts.count()):
        canvas = charts.nth(index).locator("canvas").first
        await expect(canvas).to_be_visible()
        box = await canvas.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
    assert await page.evaluate("window.__csp") == []
    await expect(
        page.locator('.stats-block[data-table="unit_ranking"] .stats-chart')
    ).to_have_attribute("data-chart", "HBAR")
    await expect(
        page.locator('.stats-block[data-table="monthly_trend"] .stats-chart')
    ).to_have_attribute("data-chart", "LINE")

    # a bar of the task list's progress and one of the ranking: each lists its figure's cases
    stats = (
        await gql(page, STATISTICS, {"input": {"from": query["from"][0], "to": query["to"][0]}})
    )["statistics"]
    tables = {t["id"]: t for t in stats["tables"]}
    picked = 0
    for table_id in ("task_by_category", "unit_ranking", "ageing_by_kind"):
        table = tables[table_id]
        chartable = await page.locator(
            f'.stats-block[data-table="{table_id}"] .stats-chart'
        ).evaluate("(node) => node.__columns")
        spot = next(
            (
                (r, c, cell)
                for r, row in enumerate(table["rows"])
                for c, cell in enumerate(row["cells"])
                if table["columns"][c]["label"] in chartable and cell["value"] > 0
            ),
            None,
        )
        if spot is None:
            continue
        r, c, cell = spot
        await _click_bar(page, table_id, r, chartable.index(table["columns"][c]["label"]))
        panel = page.locator("#stats-cases")
        await expect(panel).to_have_attribute("data-ready", "true")
        await expect(panel.get_by_role("heading", level=2)).to_contain_text(
            table["rows"][r]["label"]
        )
        expected = await _cases_of(page, cell["cases"])
        assert expected, (table_id, cell)
        if not cell["rate"]:
            assert len(expected) == cell["value"]
        else:
            assert len(expected) == cell["numerator"]
        shown = await panel.locator(".stats-list a.case-link").evaluate_all(
            "(links) => links.map((a) => a.dataset.caseNo)"
        )
        assert sorted(shown) == expected
        await page.keyboard.press("Escape")
        await expect(panel).to_be_hidden()
        picked += 1
    assert picked >= 2

    # a number in a table lists its cases the same way
    first_cell = page.locator('.stats-block[data-table="task_by_category"] td .stat-link').first
    await first_cell.click()
    await expect(page.locator("#stats-cases")).to_have_attribute("data-ready", "true")
    # a case in the list opens over its kind's board; back returns to the figures
    link = page.locator("#stats-cases .stats-list a.case-link").first
    if await link.count():
        case_no = await link.get_attribute("data-case-no")
        await link.click()
        await expect(office.detail.locator(".detail-doc")).to_have_text(case_no or "")
        await page.go_back()
        await expect(page.locator("#stats-view")).to_have_attribute("data-ready", "true")
    assert await page.evaluate("window.__csp") == []

    await page.keyboard.press("Escape")
    await page.evaluate("scrollTo(0, 0)")
    await page.screenshot(path=SHOTS / "statistics-1440.png")
    await page.screenshot(path=SHOTS / "statistics-1440-full.png", full_page=True)


async def test_the_filters_round_trip_through_the_url(world: World, browsers: Browsers) -> None:
    await _data()
    office = await browsers.open("office")
    page = office.page
    units = (await gql(page, "{ units { id name } }"))["units"]
    unit = next(u for u in units if u["name"] == "市生态环境局")
    sent: list[dict[str, Any]] = []

    def on_request(request: Any) -> None:
        if (
            request.url.endswith("/graphql")
            and request.post_data
            and "statistics(" in request.post_data
        ):
            sent.append(request.post_data_json["variables"]["input"])

    page.on("request", on_request)
    year = clock.today().year
    hash_ = f"#/statistics?from={year}-01-01&to={year}-06-30&kinds=recommendation,pil_case&units={unit['id']}"
    await _open_statistics(office, hash_)
    assert sent[-1] == {
        "from": f"{year}-01-01",
        "to": f"{year}-06-30",
        "kinds": ["RECOMMENDATION", "PIL_CASE"],
        "unitIds": [unit["id"]],
    }
    form = page.get_by_role("search", name="统计筛选")
    await expect(form.get_by_label("起始日期")).to_have_value(f"{year}-01-01")
    await expect(form.get_by_label("截止日期")).to_have_value(f"{year}-06-30")
    await expect(form.get_by_label("单位")).to_have_value(unit["id"])
    kinds = form.get_by_role("group", name="案件类型")
    await expect(kinds.get_by_role("checkbox", name="检察建议")).to_be_checked()
    await expect(kinds.get_by_role("checkbox", name="行政争议实质性化解")).not_to_be_checked()
    export = page.get_by_role("link", name="导出台账（Excel）")
    href = await export.get_attribute("href")
    assert href == (
        f"/export/ledger.xlsx?from={year}-01-01&to={year}-06-30"
        f"&kinds=recommendation%2Cpil_case&unitIds={unit['id'].replace('=', '%3D')}"
    )

    # a new period from the form goes into the URL, and survives a reload
    await form.get_by_label("截止日期").fill(f"{year}-09-30")
    await form.get_by_role("button", name="统计").click()
    await expect(page).to_have_url(
        f"{browsers.base_url}/#/statistics?from={year}-01-01&to={year}-09-30"
        f"&kinds=recommendation%2Cpil_case&units={unit['id'].replace('=', '%3D')}"
    )
    await expect(page.locator("#stats-view")).to_have_attribute("data-ready", "true")
    assert sent[-1]["to"] == f"{year}-09-30"
    await page.reload()
    await expect(page.locator("#stats-view")).to_have_attribute("data-ready", "true")
    await expect(form.get_by_label("截止日期")).to_have_value(f"{year}-09-30")
    assert sent[-1]["to"] == f"{year}-09-30" and sent[-1]["unitIds"] == [unit["id"]]

    # the ledger downloads with the session
    response = await page.request.get(
        browsers.base_url + (await export.get_attribute("href") or "")
    )
    assert response.status == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

    # back to the board from the page
    await page.get_by_role("link", name="← 返回看板").first.click()
    await expect(page.locator("#board-view")).to_be_visible()
    await expect(page.locator("#stats-view")).to_be_hidden()


async def test_the_page_on_a_phone(world: World, browsers: Browsers) -> None:
    """A unit's liaison on a phone: the figures of their own unit, as the server scopes them."""
    await _data()
    phone = await browsers.open("liaison_a", viewport={"width": 390, "height": 844}, has_touch=True)
    page = await _open_statistics(phone)
    scope = await gql(page, STATISTICS_SCOPE, {"input": {"from": "2026-01-01", "to": "2026-12-31"}})
    await expect(page.locator("#stats-view .stats-period")).to_contain_text(
        scope["statistics"]["scopeLabel"]
    )
    scroll, client = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client
    canvas = page.locator(".stats-chart canvas").first
    box = await canvas.bounding_box()
    assert box is not None and 300 <= box["width"] <= 390
    await page.screenshot(path=SHOTS / "statistics-390.png")
    await page.locator('.stats-block[data-table="unit_ranking"]').scroll_into_view_if_needed()
    await page.screenshot(path=SHOTS / "statistics-390-chart.png")
