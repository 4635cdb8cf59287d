"""The 台账 (ledger) as an Excel workbook: a summary sheet with the figures, the task-list
report, and one sheet per kind with the columns its ``stats`` module declares.

Streaming: cases are read in chunks by id (keyset) and written row by row with xlsxwriter's
``constant_memory`` mode, so memory stays bounded whatever the number of cases. The rows of a
kind's sheet are exactly the cases its figures start from (``statistics.period_where``): the
viewer's visible cases of the period and the units. Writing runs in a worker thread, chunk by
chunk, so the event loop is never held for long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import xlsxwriter  # type: ignore[import-untyped]

from hub.domain.statistics import KindStats, LedgerColumn, Overdue
from hub.domain.visibility import Audience
from hub.kinds.registry import BY_KIND, STATS
from hub.kinds.task_measure.report import COLUMNS as TASK_COLUMNS
from hub.kinds.task_measure.report import task_list_report
from hub.models import Case
from hub.services import statistics as st

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class LedgerInput:
    start: date
    end: date
    kinds: tuple[Any, ...] | None = None  # CaseKind values; None: every kind with a ledger
    unit_ids: tuple[int, ...] | None = None


def _q(name: str) -> str:
    return f'"{name}"'


def _select(sql: st.SqlBuilder, stats: KindStats, column: LedgerColumn) -> str:
    """The SQL expression of one column (over ``"case" c`` and the detail row ``dt``)."""
    source = column.source
    agg = "group_concat(u.name, '、')" if sql.sqlite else "string_agg(u.name, '、')"
    if source == "state":
        return "c.state"
    if source.startswith("case."):
        return f"c.{_q(source[5:])}"
    if source.startswith("detail."):
        return f"dt.{_q(source[7:])}"
    kind, _, arg = source.partition(":")
    if kind == "party":
        return (
            f"(SELECT {agg} FROM case_party q JOIN unit u ON u.id = q.unit_id "
            f"WHERE q.case_id = c.id AND q.role = {sql.lit(arg)})"
        )
    if kind in ("clock_due", "clock_note"):
        col = "due_on" if kind == "clock_due" else "explanation"
        return (
            f"(SELECT k.{col} FROM case_clock k WHERE k.case_id = c.id AND k.name = {sql.lit(arg)})"
        )
    if kind in ("first", "last"):
        table, _, col = arg.partition(".")
        return f"{_child_alias(kind, table)}.{_q(col)}"
    if kind == "overdue_days":
        late = sql.criterion(Overdue(arg), BY_KIND[stats.kind])
        name = sql.lit(arg)
        due = f"(SELECT k.due_on FROM case_clock k WHERE k.case_id = c.id AND k.name = {name})"
        return f"CASE WHEN {late} THEN {due} END"
    if kind == "lookup":
        col, _, rest = arg.partition(":")
        table, _, label = rest.partition(".")
        return f"(SELECT l.{_q(label)} FROM {_q(table)} l WHERE l.id = dt.{_q(col)})"
    raise ValueError(f"{stats.kind}: unknown ledger source {source!r}")


def _child_alias(kind: str, table: str) -> str:
    return f"{kind}_{table}"


def _child_joins(stats: KindStats) -> str:
    """The first or last child row of each case a column reads (one join each; uncorrelated,
    so a child table needs no index on its case)."""
    joins = []
    seen = set()
    for column in stats.ledger:
        kind, _, arg = column.source.partition(":")
        if kind not in ("first", "last"):
            continue
        table = arg.partition(".")[0]
        alias = _child_alias(kind, table)
        if alias in seen:
            continue
        seen.add(alias)
        agg = "MIN" if kind == "first" else "MAX"
        joins.append(
            f"LEFT JOIN (SELECT case_id, {agg}(id) AS row_id FROM {_q(table)} GROUP BY case_id) "
            f"{alias}_id ON {alias}_id.case_id = c.id "
            f"LEFT JOIN {_q(table)} {alias} ON {alias}.id = {alias}_id.row_id"
        )
    return " ".join(joins)


def _as_date(value: Any, tz: ZoneInfo) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(tz).date()
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) <= 10:
        return date.fromisoformat(text)
    return _as_date(datetime.fromisoformat(text), tz)


def _cell(column: LedgerColumn, value: Any, today: date, tz: ZoneInfo) -> Any:
    if column.source.startswith("overdue_days:"):
        due = _as_date(value, tz)
        return (today - due).days if due is not None else None
    if column.type == "date":
        return _as_date(value, tz)
    if value is None:
        return column.labels.get("", "") if column.labels else ""
    if column.type == "money":
        return float(value) if isinstance(value, Decimal | int | float | str) else value
    if column.type == "int":
        return int(value)
    if column.labels:
        return column.labels.get(str(value), str(value))
    return value


class _Book:
    """The workbook and its formats; every call runs in the worker thread."""

    def __init__(self, target: str | IO[bytes]) -> None:
        self.wb = xlsxwriter.Workbook(
            target, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
        )
        self.head = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                        "text_wrap": True, "valign": "vcenter"})  # fmt: skip
        self.date = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})

    def sheet(self, name: str, headers: list[tuple[str, int]], first_row: int = 0) -> Any:
        ws = self.wb.add_worksheet(name[:31])
        for i, (_, width) in enumerate(headers):
            ws.set_column(i, i, width)
        for i, (header, _) in enumerate(headers):
            ws.write_string(first_row, i, header, self.head)
        ws.freeze_panes(first_row + 1, 0)
        return ws

    def row(self, ws: Any, r: int, values: list[Any]) -> None:
        for i, v in enumerate(values):
            if v is None or v == "":
                continue
            if isinstance(v, date):
                ws.write_datetime(r, i, datetime(v.year, v.month, v.day), self.date)
            elif isinstance(v, bool):
                ws.write_string(r, i, "是" if v else "否")
            elif isinstance(v, int | float):
                ws.write_number(r, i, v)
            else:
                text = str(v)
                ws.write_string(r, i, text, self.wrap if "\n" in text else None)


async def _run(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


async def write_ledger(
    audience: Audience, inp: LedgerInput, target: str | Path | IO[bytes], *, today: date,
    timezone: str, agencies_see_city_totals: bool = False,
) -> dict[str, int]:  # fmt: skip
    """Write the workbook to ``target``; returns the number of rows of each kind's sheet."""
    tz = ZoneInfo(timezone)
    kinds = inp.kinds
    figures = await st.compute(
        audience, st.StatsInput(inp.start, inp.end, kinds, inp.unit_ids), today=today,
        timezone=timezone, agencies_see_city_totals=agencies_see_city_totals,
    )  # fmt: skip
    book = _Book(str(target) if isinstance(target, Path) else target)
    await _run(_summary, book, figures)
    report = await task_list_report(audience, inp.end.year, today=today)
    if report is not None and (kinds is None or "task_measure" in kinds):
        await _run(_task_sheet, book, report)
    counts: dict[str, int] = {}
    sql = st.SqlBuilder(today, timezone)
    for stats in STATS:
        if not stats.ledger or (kinds is not None and stats.kind not in kinds):
            continue
        counts[stats.kind.value] = await _kind_sheet(book, sql, stats, audience, inp, today, tz)
    await _run(book.wb.close)
    return counts


def _summary(book: _Book, s: st.Statistics) -> None:
    headers = [("统计类别", 18), ("统计项", 26), ("数值", 10), ("单位", 6), ("分子", 8),
               ("分母", 8), ("全市合计", 10), ("统计口径", 60)]  # fmt: skip
    ws = book.wb.add_worksheet("汇总")
    ws.write_string(0, 0, f"府检联动台账汇总（{s.start.isoformat()} 至 {s.end.isoformat()}，"
                          f"{s.scope_label}，截至 {s.as_of.isoformat()}）", book.title)  # fmt: skip
    for i, (header, width) in enumerate(headers):
        ws.set_column(i, i, width)
        ws.write_string(1, i, header, book.head)
    ws.freeze_panes(2, 0)
    r = 2
    for section in s.sections:
        for f in section.figures:
            book.row(ws, r, [section.label, f.label, f.value, f.unit_label, f.numerator,
                             f.denominator, f.city_value, f.explanation])  # fmt: skip
            r += 1
    ws.autofilter(1, 0, max(r - 1, 1), len(headers) - 1)


def _task_sheet(book: _Book, report: Any) -> None:
    widths = (30, 60, 16, 30, 60)
    ws = book.sheet("任务清单", [("任务类别", 14), *zip(TASK_COLUMNS, widths, strict=True)], 1)
    ws.write_string(0, 0, f"{report.title}（截至 {report.as_of.isoformat()}）", book.title)
    r = 2
    for category in report.categories:
        for task in category.tasks:
            for m in task.measures:
                book.row(ws, r, [category.label, f"{task.no}. {task.title}", f"{m.seq}{m.text}",
                                 m.deadline, m.units, m.progress])  # fmt: skip
                r += 1
    ws.autofilter(1, 0, max(r - 1, 1), len(TASK_COLUMNS))


async def _kind_sheet(
    book: _Book, sql: st.SqlBuilder, stats: KindStats, audience: Audience, inp: LedgerInput,
    today: date, tz: ZoneInfo,
) -> int:  # fmt: skip
    columns = stats.ledger
    headers = [(c.header, c.width) for c in columns]
    ws = await _run(book.sheet, stats.label, headers)
    where = st.period_where(sql, stats, audience, inp.start, inp.end, inp.unit_ids)
    select = ", ".join(f"{_select(sql, stats, c)} AS v{i}" for i, c in enumerate(columns))
    join = f"LEFT JOIN {_q(stats.detail)} dt ON dt.case_id = c.id" if stats.detail else ""
    join = f"{join} {_child_joins(stats)}"
    db = Case._meta.db
    last, r = 0, 1
    while True:
        query = (
            f'SELECT c.id AS id, {select} FROM "case" c {join} WHERE {where} '
            f"AND c.id > {last} ORDER BY c.id LIMIT {CHUNK}"
        )
        rows = await db.execute_query_dict(query)
        if not rows:
            break
        values = [
            [_cell(c, row[f"v{i}"], today, tz) for i, c in enumerate(columns)] for row in rows
        ]
        await _run(_write_rows, book, ws, r, values)
        r += len(rows)
        last = int(rows[-1]["id"])
        if len(rows) < CHUNK:
            break
    await _run(ws.autofilter, 0, 0, max(r - 1, 1), len(columns) - 1)
    return r - 1


def _write_rows(book: _Book, ws: Any, first: int, values: list[list[Any]]) -> None:
    for offset, row in enumerate(values):
        book.row(ws, first + offset, row)
