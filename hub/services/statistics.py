"""The statistics engine: every kind's declared figures (``hub.kinds.<kind>.stats``) counted in
SQL for a period, kinds and units, as one viewer may see them.

A figure counts the cases of its kind that the viewer may see (``hub.services.visibility``),
whose period date falls in the period, that have one of the chosen units in the kind's unit
roles, and that meet the figure's criteria. ``figure_case_ids`` lists exactly those cases for
a figure's reference, so ``cases(filter: {figure: …})`` shows what a figure counted. Overdue
figures and the ageing are as of ``today``: the same rule as the board's overdue column.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.queryset import QuerySet, ValuesListQuery

from hub.domain.board import agency_role
from hub.domain.errors import ValidationFailed
from hub.domain.holidays import weekend_rule
from hub.domain.kinds import CaseKind, KindSpec, PartyRole
from hub.domain.statistics import (
    AGEING,
    AGEING_BUCKETS,
    AnyOf,
    Breakdown,
    Cond,
    Count,
    Criterion,
    Dimension,
    Flag,
    KindStats,
    Not,
    Overdue,
    PeriodOn,
    Rate,
    Row,
    States,
    Timely,
    ageing_bucket,
    figure_ref,
    months,
    parse_ref,
    rate,
    working_days_between,
)
from hub.domain.visibility import Audience
from hub.kinds.registry import BY_KIND, SPECS, STATS, STATS_BY_KIND
from hub.models import Case, Unit
from hub.services.calendar import current_calendar
from hub.services.visibility import overdue_q, visible_cases

MAX_DAYS = 4 * 366  # the longest period asked for: four years (48 months of trend)
MAX_UNITS = 10  # the most units one statistics request names


@dataclass(frozen=True, slots=True)
class StatsInput:
    start: date
    end: date
    kinds: tuple[CaseKind, ...] | None = None  # None: every kind
    unit_ids: tuple[int, ...] | None = None  # None: every unit the viewer sees

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed("统计期间的结束日期不能早于开始日期", field="to")
        if (self.end - self.start).days > MAX_DAYS:
            raise ValidationFailed("统计期间不能超过四年", field="from")
        if self.unit_ids is not None and len(self.unit_ids) > MAX_UNITS:
            raise ValidationFailed(f"一次最多统计 {MAX_UNITS} 个单位", field="unitIds")


@dataclass(frozen=True, slots=True)
class Ref:
    """What lists a figure's cases: ``cases(filter: {figure: …})`` takes these fields."""

    id: str
    start: date
    end: date
    kinds: tuple[CaseKind, ...]
    unit_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FigureValue:
    id: str
    label: str
    value: float
    rate: bool
    numerator: int | None
    denominator: int | None
    unit_label: str
    explanation: str
    ref: Ref
    denominator_ref: Ref | None = None
    city_value: float | None = None


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    kind: CaseKind | None
    label: str
    figures: list[FigureValue]


@dataclass(frozen=True, slots=True)
class TableRow:
    id: str
    label: str
    cells: list[FigureValue]


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    label: str
    row_header: str
    columns: list[tuple[str, str]]
    rows: list[TableRow]


@dataclass(frozen=True, slots=True)
class Statistics:
    start: date
    end: date
    as_of: date
    scope_label: str
    city_totals: bool
    sections: list[Section]
    tables: list[Table]


# --- SQL ----------------------------------------------------------------------------------


def _q(name: str) -> str:
    return f'"{name}"'


class _Sql:
    """Builds one statement: literals inline, embedded ORM subqueries inlined the same way."""

    def __init__(self, today: date, timezone: str) -> None:
        self.today = today
        self.timezone = timezone
        self.sqlite = Case._meta.db.capabilities.dialect == "sqlite"

    def lit(self, value: object) -> str:
        if isinstance(value, bool):
            return ("1" if value else "0") if self.sqlite else ("TRUE" if value else "FALSE")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, datetime):
            raise TypeError("instants are not compared in statistics")
        if isinstance(value, date):
            return f"'{value.isoformat()}'"
        return "'" + str(value).replace("'", "''") + "'"

    def lits(self, values: Iterable[object]) -> str:
        items = [self.lit(v) for v in values]
        return ", ".join(items) if items else "NULL"

    def embed(self, qs: QuerySet[Any] | ValuesListQuery[Any]) -> str:
        """An ORM query as SQL text with its parameters inlined (they are ids and codes)."""
        qs._choose_db_if_not_chosen()
        qs._make_query()
        sql, params = qs.query.get_parameterized_sql()
        if self.sqlite:
            values = iter(params)
            return re.sub(r"\?", lambda _: self.lit(next(values)), sql)
        return re.sub(r"\$(\d+)", lambda m: self.lit(params[int(m[1]) - 1]), sql)

    def local_date(self, expr: str) -> str:
        if self.sqlite:
            offset = ZoneInfo(self.timezone).utcoffset(datetime(self.today.year, 1, 1))
            minutes = int(offset.total_seconds() // 60) if offset else 0
            return f"date({expr}, '{minutes:+d} minutes')"
        return f"CAST(({expr} AT TIME ZONE {self.lit(self.timezone)}) AS DATE)"

    def month(self, expr: str) -> str:
        return f"substr({expr}, 1, 7)" if self.sqlite else f"to_char({expr}, 'YYYY-MM')"

    def cond(self, alias: str, c: Cond) -> str:
        col = f"{alias}.{_q(c.column)}"
        if c.op == "null":
            return f"{col} IS NULL"
        if c.op == "not_null":
            return f"{col} IS NOT NULL"
        if c.op == "in":
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            return f"{col} IN ({self.lits(values)})"
        return f"{col} = {self.lit(c.value)}"

    def conds(self, alias: str, where: Sequence[Cond]) -> str:
        return "".join(f" AND {self.cond(alias, c)}" for c in where)

    def criterion(self, c: Criterion, spec: KindSpec) -> str:
        if isinstance(c, States):
            return f"c.state IN ({self.lits(sorted(c.states))})"
        if isinstance(c, Flag):
            return f"(',' || c.flags || ',') LIKE {self.lit(f'%,{c.flag},%')}"
        if isinstance(c, Row):  # uncorrelated: child tables need no index on case_id
            key = f"r.{_q(c.key)}"
            where = self.conds("r", c.where)
            return f"c.id IN (SELECT {key} FROM {_q(c.table)} r WHERE {key} IS NOT NULL{where})"
        if isinstance(c, Overdue):
            late = Case.filter(overdue_q(spec, c.clock, self.today, overdue=True))
            return f"c.id IN ({self.embed(late.values_list('id', flat=True))})"
        if isinstance(c, Timely):
            col = f"r.{_q(c.column)}"
            value = self.local_date(col) if c.local_datetime else col
            agg = "MAX" if c.last else "MIN"
            op = "<=" if c.on_time else ">"
            return (
                f"c.id IN (SELECT r.case_id FROM {_q(c.table)} r JOIN case_clock k "
                f"ON k.case_id = r.case_id AND k.name = {self.lit(c.clock)} "
                f"WHERE k.due_on IS NOT NULL{self.conds('r', c.where)} "
                f"GROUP BY r.case_id, k.due_on HAVING {agg}({value}) {op} k.due_on)"
            )
        if isinstance(c, Not):
            return f"NOT ({self.criterion(c.criterion, spec)})"
        if isinstance(c, AnyOf):
            if not c.criteria:
                return "1 = 0"
            return "(" + " OR ".join(self.criterion(x, spec) for x in c.criteria) + ")"
        raise TypeError(c)

    def all_of(self, criteria: Sequence[Criterion], spec: KindSpec) -> str:
        return " AND ".join(f"({self.criterion(c, spec)})" for c in criteria) or "1 = 1"

    def period_value(self, period: PeriodOn, alias: str) -> str:
        col = f"{alias}.{_q(period.column)}"
        return self.local_date(col) if period.local_datetime else col

    def in_period(self, period: PeriodOn, start: date, end: date) -> str:
        if period.year:
            between = f"BETWEEN {start.year} AND {end.year}"
        else:
            between = f"BETWEEN {self.lit(start)} AND {self.lit(end)}"
        if period.table == "case":
            return f"{self.period_value(period, 'c')} {between}"
        return (
            f"EXISTS (SELECT 1 FROM {_q(period.table)} pd WHERE pd.case_id = c.id "
            f"AND {self.period_value(period, 'pd')} {between})"
        )

    def units(self, roles: Sequence[PartyRole], unit_ids: Sequence[int]) -> str:
        return (
            f"EXISTS (SELECT 1 FROM case_party q WHERE q.case_id = c.id "
            f"AND q.role IN ({self.lits(r.value for r in roles)}) "
            f"AND q.unit_id IN ({self.lits(unit_ids)}))"
        )

    def visible(self, audience: Audience | None, kind: CaseKind) -> str:
        if audience is None or audience.everything:
            return "1 = 1"
        ids = visible_cases(audience).filter(kind=kind.value).values_list("id", flat=True)
        return f"c.id IN ({self.embed(ids)})"


@dataclass(frozen=True, slots=True)
class _Scope:
    """The cases a figure starts from: the viewer's (None: the whole city), in the period,
    of the units (None: any), of one value of a dimension."""

    audience: Audience | None
    start: date
    end: date
    unit_ids: tuple[int, ...] | None
    dimension: tuple[Dimension, str] | None = None


def _base(sql: _Sql, stats: KindStats, scope: _Scope) -> str:
    parts = [
        f"c.kind = {sql.lit(stats.kind.value)}",
        sql.visible(scope.audience, stats.kind),
        sql.in_period(stats.period, scope.start, scope.end),
    ]
    if scope.unit_ids is not None:
        parts.append(sql.units(stats.unit_roles, scope.unit_ids))
    if scope.dimension is not None:
        dim, value = scope.dimension
        parts.append(
            f"EXISTS (SELECT 1 FROM {_q(dim.table)} dm WHERE dm.case_id = c.id "
            f"AND dm.{_q(dim.column)} = {sql.lit(value)})"
        )
    return " AND ".join(f"({p})" for p in parts)


def _counts(stats: KindStats) -> list[Count]:
    return [f for f in stats.figures if isinstance(f, Count)]


async def _rows(query: str) -> list[dict[str, Any]]:
    return await Case._meta.db.execute_query_dict(query)


async def _count_all(
    sql: _Sql, stats: KindStats, scope: _Scope, group: tuple[str, str] | None = None
) -> dict[str, dict[str, int]]:
    """Every count of ``stats`` in ``scope``: {group value: {figure id: n}} ("" ungrouped).
    ``group`` is (the grouped expression, the FROM joins it needs)."""
    spec = BY_KIND[stats.kind]
    counts = _counts(stats)
    select = ", ".join(
        f"SUM(CASE WHEN {sql.all_of(f.criteria, spec)} THEN 1 ELSE 0 END) AS f{i}"
        for i, f in enumerate(counts)
    )
    expr, joins = group or ("''", "")
    where = _base(sql, stats, scope)
    grouped = f" GROUP BY {expr}" if group else ""
    query = f'SELECT {expr} AS g, {select} FROM "case" c {joins} WHERE {where}{grouped}'
    result: dict[str, dict[str, int]] = {}
    for row in await _rows(query):
        result[str(row["g"])] = {f.id: int(row[f"f{i}"] or 0) for i, f in enumerate(counts)}
    return result


async def _dimension_labels(dim: Dimension) -> list[tuple[str, str]]:
    if dim.lookup is None:
        return list(dim.labels.items())
    table, key, label, order = dim.lookup
    order_by = f"{_q(order)}, {_q(key)}"
    rows = await _rows(
        f"SELECT {_q(key)} AS k, {_q(label)} AS l FROM {_q(table)} ORDER BY {order_by}"
    )
    return [(str(r["k"]), str(r["l"])) for r in rows]


def _unit_join(sql: _Sql, roles: Sequence[PartyRole]) -> str:
    return (
        f"JOIN (SELECT DISTINCT case_id, unit_id FROM case_party "
        f"WHERE role IN ({sql.lits(r.value for r in roles)})) q ON q.case_id = c.id"
    )


def _period_join(sql: _Sql, period: PeriodOn) -> tuple[str, str]:
    if period.table == "case":
        return sql.month(sql.period_value(period, "c")), ""
    join = f"JOIN {_q(period.table)} pj ON pj.case_id = c.id"
    return sql.month(sql.period_value(period, "pj")), join


# --- Figures ------------------------------------------------------------------------------


@dataclass
class _Builder:
    sql: _Sql
    inp: StatsInput
    audience: Audience
    city: bool
    unit_names: dict[int, str] = field(default_factory=dict)

    def ref(
        self, ref_id: str, kinds: tuple[CaseKind, ...], units: tuple[int, ...] | None = None,
        start: date | None = None, end: date | None = None,
    ) -> Ref:  # fmt: skip
        unit_ids = units if units is not None else (self.inp.unit_ids or ())
        return Ref(ref_id, start or self.inp.start, end or self.inp.end, kinds, unit_ids)

    def values(
        self,
        stats: KindStats,
        counts: dict[str, int],
        figure_ids: Iterable[str],
        *,
        suffix: tuple[str, str] | None = None,
        units: tuple[int, ...] | None = None,
        start: date | None = None,
        end: date | None = None,
        city: dict[str, int] | None = None,
    ) -> list[FigureValue]:
        out = []
        kinds = (stats.kind,)
        dim, value = suffix if suffix else (None, None)
        for figure_id in figure_ids:
            f = stats.figure(figure_id)
            full = f"{stats.kind.value}.{f.id}"
            ref = self.ref(figure_ref(full, dim, value), kinds, units, start, end)
            why = f"{f.explanation}；按{stats.period.label}计入统计期间"
            if isinstance(f, Rate):
                num, den = counts.get(f.numerator, 0), counts.get(f.denominator, 0)
                den_ref = self.ref(figure_ref(f"{full}#denominator", dim, value), kinds, units,
                                   start, end)  # fmt: skip
                city_value = (
                    rate(city.get(f.numerator, 0), city.get(f.denominator, 0)) if city else None
                )
                out.append(FigureValue(f.id, f.label, rate(num, den), True, num, den, "%", why,
                                       ref, den_ref, city_value))  # fmt: skip
            else:
                n = counts.get(f.id, 0)
                city_value = float(city.get(f.id, 0)) if city else None
                out.append(FigureValue(f.id, f.label, float(n), False, None, None, f.unit_label,
                                       why, ref, None, city_value))  # fmt: skip
        return out

    def scope(self, **changes: Any) -> _Scope:
        base = _Scope(self.audience, self.inp.start, self.inp.end, self.inp.unit_ids)
        return _Scope(**{**{k: getattr(base, k) for k in base.__slots__}, **changes})

    async def section(self, stats: KindStats) -> Section:
        counts = (await _count_all(self.sql, stats, self.scope())).get("", {})
        city = None
        if self.city:
            city_scope = self.scope(audience=None, unit_ids=None)
            city = (await _count_all(self.sql, stats, city_scope)).get("", {})
        figures: list[FigureValue] = []
        for f in stats.figures:
            if isinstance(f, Count) and f.by is not None:
                figures.extend(await self.by_dimension(stats, f, f.by))
                continue
            figures.extend(self.values(stats, counts, [f.id], city=city))
        return Section(stats.kind.value, stats.kind, stats.label, figures)

    async def by_dimension(self, stats: KindStats, f: Count, dim: Dimension) -> list[FigureValue]:
        grouped = await _count_all(
            self.sql, stats, self.scope(), (f"dj.{_q(dim.column)}", _dim_join(dim))
        )
        out = []
        for value, label in await _dimension_labels(dim):
            (cell,) = self.values(stats, grouped.get(value, {}), [f.id], suffix=(dim.id, value))
            out.append(_relabel(cell, f"{f.label}·{label}", f"{f.id}@{dim.id}={value}"))
        return out

    async def breakdown(self, stats: KindStats, b: Breakdown) -> Table:
        columns = [(i, stats.figure(i).label) for i in b.figures]
        rows: list[TableRow] = []
        if b.dimension is not None:
            dim = b.dimension
            group = (f"dj.{_q(dim.column)}", _dim_join(dim))
            grouped = await _count_all(self.sql, stats, self.scope(), group)
            for value, label in await _dimension_labels(dim):
                cells = self.values(stats, grouped.get(value, {}), b.figures,
                                    suffix=(dim.id, value))  # fmt: skip
                rows.append(TableRow(value, label, cells))
            return Table(b.id, b.label, dim.label, columns, rows)
        for unit_id, counts in await self.per_unit(stats):
            cells = self.values(stats, counts, b.figures, units=(unit_id,))
            rows.append(TableRow(str(unit_id), self.unit_names.get(unit_id, ""), cells))
        return Table(b.id, b.label, stats.unit_label, columns, rows)

    async def per_unit(self, stats: KindStats) -> list[tuple[int, dict[str, int]]]:
        group = ("q.unit_id", _unit_join(self.sql, stats.unit_roles))
        grouped = await _count_all(self.sql, stats, self.scope(), group)
        wanted = set(self.inp.unit_ids) if self.inp.unit_ids is not None else None
        ordered = sorted(grouped.items(), key=lambda item: int(item[0]))
        return [(int(u), c) for u, c in ordered if wanted is None or int(u) in wanted]

    async def ranking(self, chosen: Sequence[KindStats]) -> Table:
        ranked = [s for s in chosen if s.ranking is not None]
        columns = [(f"{s.kind.value}.{s.ranking}",
                    f"{s.label}{s.figure(s.ranking or '').label}") for s in ranked]  # fmt: skip
        cells: dict[int, dict[str, FigureValue]] = defaultdict(dict)
        for s in ranked:
            for unit_id, counts in await self.per_unit(s):
                (cell,) = self.values(s, counts, [s.ranking or ""], units=(unit_id,))
                cells[unit_id][f"{s.kind.value}.{s.ranking}"] = cell
        rows = []
        for unit_id, by_column in cells.items():
            row = [by_column.get(c) or _empty(c, label, self.ref(c, (), (unit_id,)))
                   for c, label in columns]  # fmt: skip
            rows.append(TableRow(str(unit_id), self.unit_names.get(unit_id, ""), row))

        def key(row: TableRow) -> tuple[float, ...]:
            return tuple(-(c.value if c.denominator else -1.0) for c in row.cells)

        rows.sort(key=key)
        return Table("unit_ranking", "按单位按期率排名", "单位", columns, rows)

    async def trend(self, chosen: Sequence[KindStats]) -> Table:
        with_trend = [s for s in chosen if s.trend and not s.period.year]
        columns = [(f"{s.kind.value}.{i}", f"{s.label}·{s.figure(i).label}")
                   for s in with_trend for i in s.trend]  # fmt: skip
        per_kind = {}
        for s in with_trend:
            per_kind[s.kind] = await _count_all(self.sql, s, self.scope(),
                                                _period_join(self.sql, s.period))  # fmt: skip
        rows = []
        for month, first, last in months(self.inp.start, self.inp.end):
            cells: list[FigureValue] = []
            for s in with_trend:
                counts = per_kind[s.kind].get(month, {})
                cells.extend(self.values(s, counts, s.trend, start=first, end=last))
            rows.append(TableRow(month, f"{int(month[:4])}年{int(month[5:])}月", cells))
        return Table("monthly_trend", "按月趋势", "月份", columns, rows)


def _dim_join(dim: Dimension) -> str:
    return f"JOIN {_q(dim.table)} dj ON dj.case_id = c.id"


def _relabel(cell: FigureValue, label: str, figure_id: str) -> FigureValue:
    return FigureValue(figure_id, label, cell.value, cell.rate, cell.numerator, cell.denominator,
                       cell.unit_label, cell.explanation, cell.ref, cell.denominator_ref,
                       cell.city_value)  # fmt: skip


def _empty(column: str, label: str, ref: Ref) -> FigureValue:
    return FigureValue(column, label, 0.0, True, 0, 0, "%", "该单位无此类案件", ref, ref)


# --- Ageing -------------------------------------------------------------------------------


def _ageing_roles(spec: KindSpec) -> tuple[PartyRole, ...]:
    stats = STATS_BY_KIND.get(spec.kind)
    if stats is not None:
        return stats.unit_roles
    role = agency_role(spec)
    return (role,) if role is not None else ()


async def _is_workday() -> Callable[[date], bool]:
    calendar = await current_calendar()
    memo: dict[date, bool] = {}

    def is_workday(day: date) -> bool:
        if day not in memo:
            memo[day] = (calendar.day_info(day) or weekend_rule(day)).is_workday
        return memo[day]

    return is_workday


@dataclass(frozen=True, slots=True)
class _Overdue:
    case_id: int
    kind: CaseKind
    bucket: str
    units: frozenset[int]


async def _overdue_cases(
    sql: _Sql, audience: Audience, kinds: Iterable[CaseKind], unit_ids: tuple[int, ...] | None
) -> list[_Overdue]:
    """Every overdue case the viewer sees (of the kinds, of the units), with its bucket: the
    working days past the earliest last day of its overdue clocks."""
    is_workday = await _is_workday()
    found: list[_Overdue] = []
    for kind in kinds:
        spec = BY_KIND[kind]
        if not spec.clocks:
            continue
        roles = _ageing_roles(spec)
        overdue = sql.criterion(AnyOf(tuple(Overdue(c.name) for c in spec.clocks)), spec)
        parts = [f"c.kind = {sql.lit(kind.value)}", sql.visible(audience, kind), overdue]
        if unit_ids is not None:
            parts.append(sql.units(roles, unit_ids) if roles else "1 = 0")
        due = (
            f"(SELECT MIN(k.due_on) FROM case_clock k WHERE k.case_id = c.id "
            f"AND k.status = 'running' AND k.due_on < {sql.lit(sql.today)})"
        )
        units = (
            f"LEFT JOIN (SELECT DISTINCT case_id, unit_id FROM case_party WHERE role IN "
            f"({sql.lits(r.value for r in roles)})) q ON q.case_id = c.id"
        )
        where = " AND ".join(f"({p})" for p in parts)
        select = f"SELECT c.id AS id, {due} AS due, q.unit_id AS unit"
        query = f'{select} FROM "case" c {units} WHERE {where}'
        by_case: dict[int, tuple[date, set[int]]] = {}
        for row in await _rows(query):
            day = row["due"] if isinstance(row["due"], date) else date.fromisoformat(row["due"])
            _, held = by_case.setdefault(int(row["id"]), (day, set()))
            if row["unit"] is not None:
                held.add(int(row["unit"]))
        for case_id, (day, held) in by_case.items():
            bucket = ageing_bucket(working_days_between(day, sql.today, is_workday))
            if bucket is not None:
                found.append(_Overdue(case_id, kind, bucket, frozenset(held)))
    return found


def _ageing_cells(
    b: _Builder, cases: Sequence[_Overdue], kinds: tuple[CaseKind, ...],
    units: tuple[int, ...] | None,
) -> list[FigureValue]:  # fmt: skip
    cells = []
    for bucket, label, _, _ in AGEING_BUCKETS:
        n = sum(1 for c in cases if c.bucket == bucket)
        ref = b.ref(f"{AGEING}@{bucket}", kinds, units)
        why = "截至今日已逾期的工作日数（按节假日安排计算），取最早届满的期限"
        cells.append(FigureValue(bucket, label, float(n), False, None, None, "件", why, ref))
    return cells


async def _ageing(b: _Builder, kinds: tuple[CaseKind, ...]) -> tuple[Section, Table, Table]:
    cases = await _overdue_cases(b.sql, b.audience, kinds, b.inp.unit_ids)
    section = Section(AGEING, None, "逾期账龄（工作日）", _ageing_cells(b, cases, kinds, None))
    columns = [(bucket, label) for bucket, label, _, _ in AGEING_BUCKETS]
    kind_rows = [
        TableRow(k.value, BY_KIND[k].label,
                 _ageing_cells(b, [c for c in cases if c.kind is k], (k,), None))
        for k in kinds if any(c.kind is k for c in cases)
    ]  # fmt: skip
    unit_ids = sorted({u for c in cases for u in c.units})
    if b.inp.unit_ids is not None:
        unit_ids = [u for u in unit_ids if u in b.inp.unit_ids]
    unit_rows = [
        TableRow(str(u), b.unit_names.get(u, ""),
                 _ageing_cells(b, [c for c in cases if u in c.units], kinds, (u,)))
        for u in unit_ids
    ]  # fmt: skip
    return (
        section,
        Table("ageing_by_unit", "逾期账龄·按单位", "单位", columns, unit_rows),
        Table("ageing_by_kind", "逾期账龄·按种类", "种类", columns, kind_rows),
    )


# --- Entry points -------------------------------------------------------------------------


def _chosen(kinds: tuple[CaseKind, ...] | None) -> list[KindStats]:
    return [s for s in STATS if kinds is None or s.kind in kinds]


def _ageing_kinds(kinds: tuple[CaseKind, ...] | None) -> tuple[CaseKind, ...]:
    return tuple(s.kind for s in SPECS if s.clocks and (kinds is None or s.kind in kinds))


async def compute(
    audience: Audience,
    inp: StatsInput,
    *,
    today: date,
    timezone: str,
    agencies_see_city_totals: bool = False,
) -> Statistics:
    """Every figure and table of the chosen kinds, as ``audience`` may see them."""
    sql = _Sql(today, timezone)
    city = audience.everything or agencies_see_city_totals
    names = {u.id: u.name for u in await Unit.all()}
    b = _Builder(sql, inp, audience, city, names)
    chosen = _chosen(inp.kinds)
    sections = [await b.section(s) for s in chosen]
    tables = [await b.ranking(chosen), await b.trend(chosen)]
    for s in chosen:
        tables.extend([await b.breakdown(s, br) for br in s.breakdowns])
    ageing, by_unit, by_kind = await _ageing(b, _ageing_kinds(inp.kinds))
    sections.append(ageing)
    tables.extend([by_unit, by_kind])
    own = names.get(audience.unit_id, "")
    scope = "全市" if audience.everything else f"本单位（{own}）"
    return Statistics(inp.start, inp.end, today, scope, city, sections, tables)


async def figure_case_ids(audience: Audience, ref: Ref, *, today: date, timezone: str) -> list[int]:
    """The ids of exactly the cases ``ref``'s figure counted for ``audience``, in id order."""
    try:
        parsed = parse_ref(ref.id)
    except ValueError:
        raise ValidationFailed(f"没有统计项 {ref.id}", field="figure") from None
    sql = _Sql(today, timezone)
    kinds = ref.kinds or None
    unit_ids = ref.unit_ids or None
    if parsed.kind == AGEING:
        cases = await _overdue_cases(sql, audience, _ageing_kinds(kinds), unit_ids)
        return sorted(c.case_id for c in cases if c.bucket == parsed.figure)
    stats = STATS_BY_KIND.get(CaseKind(parsed.kind)) if parsed.kind in set(CaseKind) else None
    try:
        if stats is None:
            raise KeyError(parsed.kind)
        figure = stats.figure(parsed.figure)
        dimension = _dimension(stats, parsed.dimension) if parsed.dimension else None
    except KeyError:
        raise ValidationFailed(f"没有统计项 {ref.id}", field="figure") from None
    if kinds is not None and stats.kind not in kinds:
        return []
    if isinstance(figure, Rate):
        figure = stats.count(figure.denominator if parsed.part else figure.numerator)
    spec = BY_KIND[stats.kind]
    dim = (dimension, parsed.value or "") if dimension is not None else None
    scope = _Scope(audience, ref.start, ref.end, unit_ids, dim)
    where = f"{_base(sql, stats, scope)} AND {sql.all_of(figure.criteria, spec)}"
    rows = await _rows(f'SELECT c.id AS id FROM "case" c WHERE {where} ORDER BY c.id')
    return [int(r["id"]) for r in rows]


def _dimension(stats: KindStats, dimension_id: str) -> Dimension:
    dims = [f.by for f in stats.figures if isinstance(f, Count) and f.by is not None]
    dims += [b.dimension for b in stats.breakdowns if b.dimension is not None]
    for dim in dims:
        if dim.id == dimension_id:
            return dim
    raise KeyError(dimension_id)


def period_where(
    sql: SqlBuilder, stats: KindStats, audience: Audience, start: date, end: date,
    unit_ids: tuple[int, ...] | None,
) -> str:  # fmt: skip
    """The condition (over ``"case" c``) of the cases every figure of ``stats`` starts from:
    the ledger lists exactly these."""
    return _base(sql, stats, _Scope(audience, start, end, unit_ids))


SqlBuilder = _Sql
