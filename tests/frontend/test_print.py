"""The printouts, as Chromium prints them (``page.pdf``, A4): a case's file from its detail
panel and the task list's report. The PDF's text is read back with pypdf: every field, clock
with its explanation, record and history entry the server gives is in it, and nothing of the
board's chrome (buttons, the top bar, the toolbar) is."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect
from pypdf import PdfReader

from hub.kinds.task_measure.tasklist import import_tasklist
from hub.models import Case, CaseEvent
from hub.services.demo import load_tasklist, load_units
from tests.factories import World
from tests.frontend.conftest import Browsers
from tests.frontend.test_layout import load_every_demo

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

SHOTS = Path("/tmp/shots/P")
A4_POINTS = (595.3, 841.9)  # 210 × 297 mm in points
# The board's chrome: none of it belongs on paper.
CHROME = (
    "退出",
    "筛选",
    "打印",
    "提醒邮件",
    "新建",
    "跳到看板",
    "已连接",
    "关闭",
    "期限充裕",
    "看板",
)


async def gql(page: Page, query: str, variables: dict[str, Any] | None = None) -> Any:
    """A GraphQL request with the page's own session (the viewer's visibility applies)."""
    body = await page.evaluate(
        """async ([query, variables]) => {
            const response = await fetch("/graphql", {
              method: "POST", credentials: "same-origin",
              headers: {"content-type": "application/json"},
              body: JSON.stringify({query, variables}),
            });
            return response.json();
        }""",
        [query, variables or {}],
    )
    assert not body.get("errors"), body["errors"]
    return body["data"]


# CJK Radicals Supplement characters a PDF text layer may use for the ideograph the page
# showed (NFKC leaves these alone; it maps the Kangxi radicals itself, ⼾ to the traditional 戶).
RADICALS = str.maketrans(
    "⺠⻓⻅⻔⻢⻋⻚⻛⻜⻥⻦⻰⻬⻮⻩⻉⻄⻆⺟⻣⻨⻘⻤⻪⻧⻙⻝戶",
    "民长见门马车页风飞鱼鸟龙齐齿黄贝西角母骨麦青鬼黾卤韦食户",
)


def keep(path: Path, data: bytes) -> None:
    """Keep a printout to look at."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def squash(text: str) -> str:
    """Text without whitespace (the PDF breaks lines where the page does), NFKC-normalised
    (the PDF's text layer names some characters by their Kangxi radical: ⾏ for 行)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))


async def pdf_text(page: Page, name: str) -> tuple[str, PdfReader]:
    # the page's own @page rule (statistics.css: A4 portrait, its margins) decides the paper
    data = await page.pdf(prefer_css_page_size=True, print_background=True)
    keep(SHOTS / name, data)
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() or "" for p in reader.pages), reader


def assert_a4_portrait(reader: PdfReader) -> None:
    for pdf_page in reader.pages:
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)


CASE_FILE = """query CaseFile($id: ID!) { node(id: $id) { ... on Case {
  caseNo title stateLabel kindLabel
  parties { roleLabel userName unit { name } }
  clocks { label explanation legalBasis }
  events { actionLabel actorName comment }
  details { title facts { label value } items { heading facts { label value } } }
} } }"""


async def test_a_case_file_prints_whole_without_the_board(world: World, browsers: Browsers) -> None:
    await load_every_demo()
    # the recommendation with the longest history
    cases = await Case.filter(kind="recommendation")
    counts = {c.id: await CaseEvent.filter(case_id=c.id).count() for c in cases}
    rec = max(cases, key=lambda c: counts[c.id])
    office = await browsers.open("office")
    page = office.page
    found = await gql(
        page, "query($no: String!) { caseByNo(caseNo: $no) { id } }", {"no": rec.case_no}
    )
    case_id = found["caseByNo"]["id"]
    await page.goto(f"{browsers.base_url}/#/case/{case_id}")
    detail = office.detail
    await expect(detail.get_by_role("heading", level=2)).to_have_text(rec.title)
    await expect(detail.get_by_role("button", name="打印")).to_be_visible()
    node = (await gql(page, CASE_FILE, {"id": case_id}))["node"]
    assert node["events"], "a case with a history"

    text, reader = await pdf_text(page, "case-file.pdf")
    assert_a4_portrait(reader)
    flat = squash(text)
    expected = [node["caseNo"], node["title"], node["stateLabel"], node["kindLabel"]]
    for party in node["parties"]:
        expected.append(party["userName"] or party["unit"]["name"])
    for clock in node["clocks"]:
        expected += [clock["label"], clock["explanation"] or "", clock["legalBasis"] or ""]
    for event in node["events"]:
        expected += [event["actionLabel"], event["actorName"], event["comment"] or ""]
    for section in node["details"]:
        expected.append(section["title"])
        for fact in section["facts"]:
            expected += [fact["label"], fact["value"]]
        for item in section["items"]:
            expected.append(item["heading"])
            expected += [v for fact in item["facts"] for v in (fact["label"], fact["value"])]
    missing = [e for e in expected if e and squash(e) not in flat]
    assert not missing, missing
    for chrome in CHROME:
        assert chrome not in flat, chrome
    # the board under the panel is not printed either: no card of another case
    others = [c.case_no for c in cases if c.id != rec.id]
    assert not [
        no for no in others if squash(no) in flat and squash(no) not in squash(node["title"])
    ]


async def test_the_task_list_report_prints_as_the_documents_table(
    world: World, browsers: Browsers
) -> None:
    await load_units()
    await import_tasklist(load_tasklist(), now=datetime(2022, 5, 10, 2, tzinfo=UTC))
    office = await browsers.open("office")
    page = office.page
    await page.goto(f"{browsers.base_url}/#/tasklist-report?year=2022")
    view = page.locator("#report-view")
    await expect(view).to_have_attribute("data-ready", "true")
    report = (
        await gql(
            page,
            """query { taskListReport(year: 2022) { title docNo columns categories { label
                 tasks { no title measures { seq text deadline units progress } } } } }""",
        )
    )["taskListReport"]
    table = view.locator("table.report-table")
    await expect(table.locator("thead th")).to_have_text(report["columns"])
    measures = [m for c in report["categories"] for t in c["tasks"] for m in t["measures"]]
    await expect(table.locator("tbody tr[data-measure]")).to_have_count(len(measures))
    await page.screenshot(path=SHOTS / "tasklist-report-1440.png", full_page=False)

    text, reader = await pdf_text(page, "tasklist-report.pdf")
    assert_a4_portrait(reader)
    flat = squash(text)
    expected = [report["title"], report["docNo"], *report["columns"]]
    for category in report["categories"]:
        expected.append(category["label"])
        for task in category["tasks"]:
            expected.append(task["title"])
            for m in task["measures"]:
                expected += [m["text"], m["deadline"], m["units"], m["progress"]]
    missing = [e for e in expected if e and squash(e) not in flat]
    assert not missing, missing[:10]
    for chrome in (*CHROME, "返回统计分析", "统计分析", "查看"):
        assert chrome not in flat, chrome
