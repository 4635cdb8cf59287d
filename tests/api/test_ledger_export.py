"""``GET /export/ledger.xlsx`` on SQLite and PostgreSQL: the workbook opened with openpyxl —
sheets, Chinese headers, a row's values with real dates, the frozen header, the autofilter —
and a unit's export (session or token) holding none of another unit's cases."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.workbook.workbook import Workbook  # type: ignore[import-untyped]

from hub import clock as hub_clock
from hub.models import Case
from tests.app_clients import Api
from tests.factories import NOW
from tests.services.stats_data import build

URL = "/export/ledger.xlsx?from=2026-01-01&to=2026-12-31"
REC_HEADERS = ["文号", "标题", "检察建议类型", "被建议单位", "送达日期", "回复期限", "期限说明",
               "状态", "回复日期", "审查结论", "异议", "逾期天数"]  # fmt: skip


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(hub_clock, "now", lambda: NOW)  # Saturday 2026-11-28
    return date(2026, 11, 28)


def _open(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def _case_nos(wb: Workbook) -> set[str]:
    """Every text cell of every sheet, to look for case numbers."""
    return {
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    }


async def test_the_office_ledger(api: Api) -> None:
    d = await build(api.world)
    async with api.as_user("office") as office:
        response = await office.http.get(URL)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = _open(response.content)
    assert wb.sheetnames == ["汇总", "任务清单", "检察建议", "行政公益诉讼", "行政争议实质性化解",
                             "会议议定事项", "年度重点工作任务清单"]  # fmt: skip
    ws = wb["检察建议"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == REC_HEADERS
    assert len(rows) == 1 + 5  # R1–R5; R0 was served in 2025
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L6"
    assert ws.column_dimensions["A"].width > 20
    r2 = (await Case.get(id=d.r["R2"])).case_no
    (row,) = [r for r in rows if r[0] == r2]
    values = dict(zip(REC_HEADERS, row, strict=True))
    assert values["被建议单位"] == "市生态环境局" and values["状态"] == "整改中"
    assert values["送达日期"] == datetime(2026, 3, 2)  # a real date, not text
    assert values["回复日期"] == datetime(2026, 6, 15)
    assert isinstance(values["回复期限"], datetime) and values["回复期限"] < datetime(2026, 6, 15)
    assert values["审查结论"] == "部分采纳" and values["检察建议类型"] == "社会治理检察建议"
    assert values["逾期天数"] == (date(2026, 11, 28) - values["回复期限"].date()).days
    assert "届满" in values["期限说明"]
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary[1][:3] == ("统计类别", "统计项", "数值")
    assert ("检察建议", "按期回复率", 50, "%", 2, 4) in [r[:6] for r in summary]
    tasks = list(wb["任务清单"].iter_rows(values_only=True))
    assert tasks[1] == ("任务类别", "重点任务", "具体措施", "完成时限", "责任单位", "进展情况")
    assert any(r[5] == "市生态环境局（2026年5月10日）：已开展两次联合排查" for r in tasks)
    pil = list(wb["行政公益诉讼"].iter_rows(values_only=True))
    assert len(pil) == 3 and {r[3] for r in pil[1:]} == {"生态环境和资源保护"}


async def test_a_units_ledger_holds_only_its_own_cases(api: Api) -> None:
    d = await build(api.world)
    unit_a_nos = {
        (await Case.get(id=i)).case_no for i in (d.r["R1"], d.r["R2"], d.r["R4"], d.p["P1"])
    }
    r3 = (await Case.get(id=d.r["R3"])).case_no
    async with api.as_user("liaison_b") as b:
        response = await b.http.get(URL)
    wb = _open(response.content)
    rows = list(wb["检察建议"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [r3]
    assert not unit_a_nos & _case_nos(wb)
    async with api.as_token("transport") as token:
        response = await token.http.get(URL + "&kinds=recommendation")
    assert response.status_code == 200
    wb = _open(response.content)
    assert wb.sheetnames == ["汇总", "检察建议"]
    assert [r[0] for r in list(wb["检察建议"].iter_rows(values_only=True))[1:]] == [r3]
    assert not unit_a_nos & _case_nos(wb)


async def test_refusals(api: Api) -> None:
    async with api.client() as anonymous:
        response = await anonymous.http.get(URL)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    async with api.as_user("office") as office:
        bad = await office.http.get("/export/ledger.xlsx?from=2026-13-01")
        wrong = await office.http.get("/export/ledger.xlsx?kinds=nothing")
    assert bad.status_code == wrong.status_code == 400
    assert bad.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
