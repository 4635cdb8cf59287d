"""``statistics(input:)``, ``cases(filter: {figure: …})`` and ``taskListReport(year:)`` over
HTTP on SQLite and PostgreSQL, on the fixed data set of tests.services.stats_data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub import clock as hub_clock
from tests.app_clients import Api
from tests.factories import NOW
from tests.services.stats_data import build

STATISTICS = """
query($input: StatisticsInput!) {
  statistics(input: $input) {
    from to asOf scopeLabel cityTotals
    sections { id kind label figures { id label value rate numerator denominator unitLabel
      cityValue explanation cases { id from to kinds unitIds }
      denominatorCases { id from to kinds unitIds } } }
    tables { id label rowHeader columns { id label }
      rows { id label cells { id value numerator cases { id from to kinds unitIds } } } }
  }
}"""
CASES = """
query($figure: FigureInput!, $after: String) {
  cases(filter: {figure: $figure}, first: 200, after: $after) {
    totalCount edges { node { id caseNo } } pageInfo { hasNextPage endCursor }
  }
}"""
REPORT = """
query($year: Int!) {
  taskListReport(year: $year) { year title columns
    categories { label tasks { no title measures { id seq text deadline units stateLabel overdue progress } } } }
}"""
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(hub_clock, "now", lambda: NOW)  # Saturday 2026-11-28
    return date(2026, 11, 28)


def _figures(data: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    (found,) = [s for s in data["statistics"]["sections"] if s["id"] == section]
    return {f["id"]: f for f in found["figures"]}


async def _case_nos(client: Any, ref: dict[str, Any]) -> list[str]:
    body = await client(CASES, {"figure": ref})
    assert "errors" not in body, body
    conn = body["data"]["cases"]
    assert conn["totalCount"] == len(conn["edges"])
    return sorted(e["node"]["caseNo"] for e in conn["edges"])


async def test_statistics_over_graphql_and_each_figures_cases(api: Api) -> None:
    await build(api.world)
    async with api.as_user("office") as office:
        body = await office(STATISTICS, {"input": YEAR})
        assert "errors" not in body, body
        stats = body["data"]["statistics"]
        assert (stats["asOf"], stats["scopeLabel"], stats["cityTotals"]) == (
            "2026-11-28",
            "全市",
            True,
        )
        rec = _figures(body["data"], "recommendation")
        rate = rec["on_time_rate"]
        assert (rate["value"], rate["numerator"], rate["denominator"], rate["unitLabel"]) == (
            50.0,
            2,
            4,
            "%",
        )
        assert rate["cases"]["id"] == "recommendation.on_time_rate"
        assert rate["denominatorCases"]["id"] == "recommendation.on_time_rate#denominator"
        assert rec["replied_late"]["explanation"].startswith("首次书面回复晚于")
        # every section figure lists exactly as many cases as it counts
        for section in stats["sections"]:
            for f in section["figures"]:
                expected = f["numerator"] if f["rate"] else f["value"]
                assert len(await _case_nos(office, f["cases"])) == expected, f["id"]
        # and so does every cell of the unit ranking and the ageing by unit
        for table in stats["tables"]:
            if table["id"] in ("unit_ranking", "ageing_by_unit", "task_by_category"):
                for row in table["rows"]:
                    for cell in row["cells"]:
                        expected = (
                            cell["numerator"] if cell["numerator"] is not None else cell["value"]
                        )
                        assert len(await _case_nos(office, cell["cases"])) == expected
        late = await _case_nos(office, rec["replied_late"]["cases"])
        assert len(late) == 1
        bad = await office(CASES, {"figure": {**rate["cases"], "id": "recommendation.nothing"}})
        assert bad["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


async def test_an_agencys_statistics_and_a_token_of_another_unit(api: Api) -> None:
    await build(api.world)
    async with api.as_user("office") as office:
        served = _figures((await office(STATISTICS, {"input": YEAR}))["data"], "recommendation")[
            "served"
        ]
        all_served = await _case_nos(office, served["cases"])
    assert len(all_served) == 5
    async with api.as_user("liaison_b") as b:
        body = await b(STATISTICS, {"input": YEAR})
        mine = _figures(body["data"], "recommendation")
        assert body["data"]["statistics"]["cityTotals"] is False
        assert (mine["served"]["value"], mine["served"]["cityValue"]) == (1, None)
        # the Office's reference, asked by unit B, lists only unit B's case
        assert len(await _case_nos(b, served["cases"])) == 1
    async with api.as_token("transport") as token:
        body = await token(STATISTICS, {"input": YEAR})
        assert _figures(body["data"], "recommendation")["served"]["value"] == 1
        assert await _case_nos(token, served["cases"]) == await _case_nos(token, served["cases"])
    async with api.client() as anonymous:
        body = await anonymous(STATISTICS, {"input": YEAR})
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_task_list_report_for_the_printable_page(api: Api) -> None:
    await build(api.world)
    async with api.as_user("office") as office:
        body = await office(REPORT, {"year": 2026})
        report = body["data"]["taskListReport"]
        assert report["columns"] == ["重点任务", "具体措施", "完成时限", "责任单位", "进展情况"]
        (category,) = report["categories"]
        (task,) = category["tasks"]
        measures = {m["seq"]: m for m in task["measures"]}
        assert measures["②"]["progress"] == "市生态环境局（2026年5月10日）：已开展两次联合排查"
        assert measures["③"]["overdue"] is True and measures["①"]["stateLabel"] == "已完成"
        assert (await office(REPORT, {"year": 2030}))["data"]["taskListReport"] is None
