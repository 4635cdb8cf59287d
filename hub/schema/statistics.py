"""GraphQL of the statistics (统计分析) and the task-list report: ``statistics(input:)`` and
``taskListReport(year:)``. Every figure names the ``cases`` filter that lists its cases."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.relay import GlobalID

from hub.domain.errors import ValidationFailed
from hub.kinds.registry import STATS
from hub.resolvers.mutations import unit_pk
from hub.schema.context import Info
from hub.schema.enums import CaseKind
from hub.schema.inputs import FigureInput
from hub.services import statistics as stats


@strawberry.input(description="统计条件：期间（含首尾两日）、种类和单位")
class StatisticsInput:
    from_: date = strawberry.field(name="from", description="开始日期")
    to: date = strawberry.field(description="结束日期")
    kinds: list[CaseKind] | None = strawberry.field(default=None, description="种类；空为全部")
    unit_ids: list[GlobalID] | None = strawberry.field(
        default=None, description="单位（被建议单位、责任单位等）；空为您可见的全部"
    )


@strawberry.type(description="一项统计数字对应的案件列表：作为 cases(filter: {figure: …}) 的参数")
class FigureRef:
    id: str
    from_: date = strawberry.field(name="from")
    to: date
    kinds: list[CaseKind]
    unit_ids: list[GlobalID]


@strawberry.type(description="一项统计数字（件数或比率）")
class StatFigure:
    id: str
    label: str
    value: float = strawberry.field(description="件数，或百分比（0–100，保留一位小数）")
    rate: bool
    numerator: int | None = strawberry.field(description="比率的分子；件数为 null")
    denominator: int | None = strawberry.field(description="比率的分母；件数为 null")
    unit_label: str = strawberry.field(description="件 / %")
    city_value: float | None = strawberry.field(description="全市合计（无权查看时为 null）")
    explanation: str = strawberry.field(description="统计口径")
    cases: FigureRef = strawberry.field(description="所统计的案件（比率：分子的案件）")
    denominator_cases: FigureRef | None = strawberry.field(description="比率分母的案件")


@strawberry.type
class StatSection:
    id: str
    kind: CaseKind | None
    label: str
    figures: list[StatFigure]


@strawberry.type
class StatColumn:
    id: str
    label: str


@strawberry.type
class StatRow:
    id: str
    label: str
    cells: list[StatFigure] = strawberry.field(description="按列的顺序")


@strawberry.type(description="统计表：单位排名、按月趋势、按类别、账龄等")
class StatTable:
    id: str
    label: str
    row_header: str
    columns: list[StatColumn]
    rows: list[StatRow]


@strawberry.type
class Statistics:
    from_: date = strawberry.field(name="from")
    to: date
    as_of: date = strawberry.field(description="逾期与账龄截至的日期（今日）")
    scope_label: str
    city_totals: bool = strawberry.field(description="是否提供全市合计（cityValue）")
    sections: list[StatSection]
    tables: list[StatTable]


# How long the lists can be, for the cost model (hub.schema.guard): a section's figures
# (PIL cases by domain, disputes by outcome), a table's rows (units, months of at most four
# years, domains, categories) and cells (figures of a breakdown, the trend's columns).
COST_SIZES = {
    "Statistics.sections": len(STATS) + 1,
    "StatSection.figures": 40,
    "Statistics.tables": 12,
    "StatTable.columns": 12,
    "StatTable.rows": 50,
    "StatRow.cells": 12,
    "FigureRef.kinds": 12,
    "FigureRef.unitIds": stats.MAX_UNITS,
}


def _unit_ids(ids: list[GlobalID] | None) -> tuple[int, ...] | None:
    if ids is None:
        return None
    return tuple(pk for pk in (unit_pk(g) for g in ids) if pk is not None)


def unit_gid(pk: int) -> GlobalID:
    return GlobalID("Unit", str(pk))


def ref_of(ref: stats.Ref) -> FigureRef:
    return FigureRef(id=ref.id, from_=ref.start, to=ref.end, kinds=list(ref.kinds),
                     unit_ids=[unit_gid(u) for u in ref.unit_ids])  # fmt: skip


def figure_of(f: stats.FigureValue) -> StatFigure:
    return StatFigure(
        id=f.id, label=f.label, value=f.value, rate=f.rate, numerator=f.numerator,
        denominator=f.denominator, unit_label=f.unit_label, city_value=f.city_value,
        explanation=f.explanation, cases=ref_of(f.ref),
        denominator_cases=ref_of(f.denominator_ref) if f.denominator_ref else None,
    )  # fmt: skip


def stats_input(i: StatisticsInput) -> stats.StatsInput:
    kinds = tuple(i.kinds) if i.kinds else None
    return stats.StatsInput(i.from_, i.to, kinds, _unit_ids(i.unit_ids) or None)


async def figure_case_ids(info: Info, figure: FigureInput) -> list[int]:
    """The cases ``figure`` counted, for ``cases(filter: {figure: …})``."""
    if figure.to < figure.from_:
        raise ValidationFailed("结束日期不能早于开始日期", field="figure")
    ref = stats.Ref(figure.id, figure.from_, figure.to, tuple(figure.kinds or ()),
                    _unit_ids(figure.unit_ids) or ())  # fmt: skip
    ctx = info.context
    return await stats.figure_case_ids(
        ctx.audience, ref, today=ctx.today, timezone=ctx.settings.timezone
    )


@strawberry.type
class StatisticsQueries:
    @strawberry.field(description="统计分析：各类案件的统计数字和统计表（按您的可见范围）")
    async def statistics(self, info: Info, input: StatisticsInput) -> Statistics:
        ctx = info.context
        ctx.require_actor()
        result = await stats.compute(
            ctx.audience, stats_input(input), today=ctx.today, timezone=ctx.settings.timezone,
            agencies_see_city_totals=ctx.settings.statistics_city_totals_for_agencies,
        )  # fmt: skip
        return Statistics(
            from_=result.start, to=result.end, as_of=result.as_of,
            scope_label=result.scope_label, city_totals=result.city_totals,
            sections=[StatSection(id=s.id, kind=s.kind, label=s.label,
                                  figures=[figure_of(f) for f in s.figures])
                      for s in result.sections],
            tables=[StatTable(id=t.id, label=t.label, row_header=t.row_header,
                              columns=[StatColumn(id=c, label=lbl) for c, lbl in t.columns],
                              rows=[StatRow(id=r.id, label=r.label,
                                            cells=[figure_of(c) for c in r.cells])
                                    for r in t.rows])
                    for t in result.tables],
        )  # fmt: skip
