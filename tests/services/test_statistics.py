"""The statistics engine on the fixed data set (tests.services.stats_data), on SQLite and
PostgreSQL: every figure hand-computed, and each figure's case list exactly what it counts."""

from __future__ import annotations

from datetime import date

from hub.domain.kinds import CaseKind
from hub.domain.visibility import audience_of
from hub.kinds.pil_case.models import PilDomain
from hub.kinds.task_measure.report import task_list_report
from hub.services import statistics as st
from tests.factories import TODAY, World
from tests.services.stats_data import YEAR, build

TZ = "Asia/Shanghai"


async def _compute(actor: object, **kw: object) -> st.Statistics:
    inp = st.StatsInput(*YEAR, **kw)  # type: ignore[arg-type]
    return await st.compute(audience_of(actor), inp, today=TODAY, timezone=TZ)  # type: ignore[arg-type]


def _section(s: st.Statistics, section: str) -> dict[str, st.FigureValue]:
    (found,) = [x for x in s.sections if x.id == section]
    return {f.id: f for f in found.figures}


def _values(s: st.Statistics, section: str) -> dict[str, float]:
    return {k: f.value for k, f in _section(s, section).items()}


def _table(s: st.Statistics, table: str) -> st.Table:
    (found,) = [t for t in s.tables if t.id == table]
    return found


async def _ids(actor: object, ref: st.Ref) -> list[int]:
    return await st.figure_case_ids(audience_of(actor), ref, today=TODAY, timezone=TZ)  # type: ignore[arg-type]


async def test_every_figure_for_the_office(world: World) -> None:
    d = await build(world)
    s = await _compute(world.office)
    assert s.scope_label == "全市" and s.city_totals
    assert _values(s, "recommendation") == {
        "served": 5, "replied_on_time": 2, "replied_late": 1, "overdue": 2, "reply_due": 4,
        "on_time_rate": 50.0, "reviewed": 2, "adopted": 1, "partly_adopted": 1,
        "adoption_rate": 50.0, "objections": 1, "objections_upheld": 1,
    }  # fmt: skip
    rate = _section(s, "recommendation")["on_time_rate"]
    assert (rate.numerator, rate.denominator, rate.unit_label) == (2, 4, "%")
    domain = await PilDomain.get(code="ecology_resources")
    pil = _values(s, "pil_case")
    assert pil[f"filed_by_domain@domain={domain.id}"] == 2
    assert {k: v for k, v in pil.items() if "@" not in k} == {
        "filed": 2, "consulted": 1, "closed_after_consultation": 1,
        "closed_after_recommendation": 0, "closed_presuit": 1, "litigated": 1,
        "presuit_base": 2, "presuit_rate": 50.0,
    }  # fmt: skip
    assert _values(s, "task_measure") == {
        "measures": 3, "completed_on_time": 1, "completed_late": 0, "overdue": 1,
        "in_progress": 0, "ongoing": 1, "due": 2, "on_time_rate": 50.0,
    }  # fmt: skip
    assert _values(s, "dispute")["accepted"] == 0
    assert _values(s, "resolution")["resolutions"] == 0
    # overdue ageing as of today, whatever the period: R3 19 working days; R0, R2, T3 over 30
    assert _values(s, "ageing") == {"1_5": 0, "6_10": 0, "11_30": 1, "over_30": 3}
    by_unit = {r.label: [c.value for c in r.cells] for r in _table(s, "ageing_by_unit").rows}
    assert by_unit == {"市生态环境局": [0, 0, 0, 3], "市交通运输局": [0, 0, 1, 0],
                       "宿州市人民检察院": [0, 0, 0, 1]}  # fmt: skip
    by_kind = {r.id: [c.value for c in r.cells] for r in _table(s, "ageing_by_kind").rows}
    assert by_kind == {"recommendation": [0, 0, 1, 2], "task_measure": [0, 0, 0, 1]}
    # the unit ranking: on-time reply rate, then the task list's on-time rate
    table = _table(s, "unit_ranking")
    assert [c for c, _ in table.columns] == [
        "recommendation.on_time_rate",
        "resolution.on_time_rate",
        "task_measure.on_time_rate",
    ]
    ranking = {r.label: [c.value for c in r.cells] for r in table.rows}
    assert ranking == {"市生态环境局": [66.7, 0.0, 50.0], "宿州市人民检察院": [0.0, 0.0, 50.0],
                       "市交通运输局": [0.0, 0.0, 0.0]}  # fmt: skip
    # by the first rate; a unit without cases of a column ranks after those with
    assert [r.label for r in table.rows] == ["市生态环境局", "市交通运输局", "宿州市人民检察院"]
    trend = {r.id: r.cells[0].value for r in _table(s, "monthly_trend").rows}
    assert (trend["2026-03"], trend["2026-09"], trend["2026-11"], trend["2026-01"]) == (2, 2, 1, 0)
    category = {r.id: [c.value for c in r.cells] for r in _table(s, "task_by_category").rows}
    assert category["risk"] == [3, 1, 0, 1, 0, 1, 50.0] and category["reform"][0] == 0
    assert d.r and d.p and d.t


async def test_a_figures_cases_are_exactly_the_ones_it_counts(world: World) -> None:
    d = await build(world)
    s = await _compute(world.office)
    checked = 0
    cells = [f for sec in s.sections for f in sec.figures]
    cells += [c for t in s.tables for r in t.rows for c in r.cells]
    for f in cells:
        ids = await _ids(world.office, f.ref)
        expected = f.numerator if f.rate else f.value
        assert len(ids) == expected, f.ref
        if f.denominator_ref is not None:
            assert len(await _ids(world.office, f.denominator_ref)) == f.denominator
        checked += 1
    assert checked > 100
    by = {f.id: f for f in _section(s, "recommendation").values()}
    assert await _ids(world.office, by["replied_late"].ref) == [d.r["R2"]]
    assert await _ids(world.office, by["overdue"].ref) == sorted([d.r["R2"], d.r["R3"]])
    pil = _section(s, "pil_case")
    assert await _ids(world.office, pil["closed_after_consultation"].ref) == [d.p["P1"]]
    assert await _ids(world.office, pil["litigated"].ref) == [d.p["P2"]]
    tasks = _section(s, "task_measure")
    assert await _ids(world.office, tasks["ongoing"].ref) == [d.t["T2"]]
    ageing = _section(s, "ageing")
    assert await _ids(world.office, ageing["over_30"].ref) == sorted(
        [d.r["R0"], d.r["R2"], d.t["T3"]])  # fmt: skip


async def test_an_agency_sees_its_own_figures_and_no_city_totals(world: World) -> None:
    d = await build(world)
    s = await _compute(world.liaison_b)
    assert s.scope_label == "本单位（市交通运输局）" and not s.city_totals
    rec = _section(s, "recommendation")
    assert {k: rec[k].value for k in ("served", "overdue", "reply_due", "on_time_rate")} == {
        "served": 1, "overdue": 1, "reply_due": 1, "on_time_rate": 0.0}  # fmt: skip
    assert rec["served"].city_value is None
    assert await _ids(world.liaison_b, rec["served"].ref) == [d.r["R3"]]
    # the same reference asked by unit B lists none of unit A's cases
    office = _section(await _compute(world.office), "recommendation")
    assert await _ids(world.liaison_b, office["served"].ref) == [d.r["R3"]]
    assert _values(s, "ageing") == {"1_5": 0, "6_10": 0, "11_30": 1, "over_30": 0}
    a = _section(await _compute(world.liaison_a), "recommendation")
    assert (a["served"].value, a["on_time_rate"].value) == (4, 66.7)
    allowed = await st.compute(audience_of(world.liaison_b), st.StatsInput(*YEAR), today=TODAY,
                               timezone=TZ, agencies_see_city_totals=True)  # fmt: skip
    assert _section(allowed, "recommendation")["served"].city_value == 5


async def test_period_kinds_and_units_filter(world: World) -> None:
    d = await build(world)
    march = await st.compute(audience_of(world.office), st.StatsInput(date(2026, 3, 1), date(2026, 3, 31)),
                             today=TODAY, timezone=TZ)  # fmt: skip
    assert _values(march, "recommendation")["served"] == 2
    only = await _compute(
        world.office, kinds=(CaseKind.RECOMMENDATION,), unit_ids=(world.unit_b.id,)
    )
    assert [x.id for x in only.sections] == ["recommendation", "ageing"]
    assert _values(only, "recommendation")["served"] == 1
    assert _values(only, "ageing")["over_30"] == 0
    ref = _section(only, "recommendation")["served"].ref
    assert ref.unit_ids == (world.unit_b.id,) and await _ids(world.office, ref) == [d.r["R3"]]


async def test_the_task_list_report_fills_progress_from_the_latest_reports(world: World) -> None:
    await build(world)
    report = await task_list_report(audience_of(world.office), 2026, today=TODAY)
    assert report is not None and report.year == 2026
    (category,) = report.categories
    assert category.label == "重大风险防控"
    (task,) = category.tasks
    assert (task.no, task.title) == (9, "防范化解金融风险")
    rows = {m.seq: m for m in task.measures}
    assert rows["①"].deadline == "4月底前" and rows["①"].units == "市生态环境局、宿州市人民检察院"
    assert rows["②"].progress == "市生态环境局（2026年5月10日）：已开展两次联合排查"
    assert rows["②"].deadline == "长期坚持"
    assert rows["③"].overdue and not rows["②"].overdue
    assert await task_list_report(audience_of(world.office), 2031, today=TODAY) is None
    unit_b = await task_list_report(audience_of(world.liaison_b), 2026, today=TODAY)
    assert unit_b is not None and unit_b.categories == []
