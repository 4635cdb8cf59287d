"""Statistics as data: what each kind counts, and the pure rules every figure shares.

A kind declares its figures in its own package (``hub.kinds.<kind>.stats``, listed in the
registry): which of its cases are counted (``Criterion``), over which period (``PeriodOn``),
for which units (the party roles in ``unit_roles``), rates as one figure over others, the
breakdowns of its tables, and the columns of its ledger sheet. One engine
(``hub.services.statistics``) turns the declarations into SQL. A figure's cases are always
the kind's visible cases of the period (and units) that meet its criteria, so the list behind
a figure is exactly what it counts. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from hub.domain.kinds import CaseKind, PartyRole

# --- What a case must meet to be counted --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cond:
    """A condition on a column of a row: ``op`` is ``=``, ``in``, ``null`` or ``not_null``."""

    column: str
    op: str = "="
    value: str | int | bool | tuple[str, ...] = ""

    def __post_init__(self) -> None:
        if self.op not in {"=", "in", "null", "not_null"}:
            raise ValueError(f"unknown condition {self.op!r}")


@dataclass(frozen=True, slots=True)
class States:
    """The case is in one of these states."""

    states: frozenset[str]


@dataclass(frozen=True, slots=True)
class Flag:
    """The case has this flag set."""

    flag: str


@dataclass(frozen=True, slots=True)
class Row:
    """A row of ``table`` points at the case through ``key`` and meets ``where`` (a detail
    row, a child row such as a reply or an objection, a case opened from this one)."""

    table: str
    where: tuple[Cond, ...] = ()
    key: str = "case_id"


@dataclass(frozen=True, slots=True)
class Overdue:
    """The case's ``clock`` is overdue today: running, its last day passed, and the case in a
    state in which the clock counts (the board's overdue column)."""

    clock: str


@dataclass(frozen=True, slots=True)
class Timely:
    """The date of a row (the first of them, or the last with ``last``) compared with the
    last day of ``clock``: on or before it (``on_time``), or after it. ``table`` may be the
    kind's detail table; ``local_datetime`` says the column is an instant, compared as its
    date in the hub's timezone."""

    clock: str
    table: str
    column: str
    on_time: bool = True
    where: tuple[Cond, ...] = ()
    last: bool = False
    local_datetime: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    criterion: Criterion


@dataclass(frozen=True, slots=True)
class AnyOf:
    criteria: tuple[Criterion, ...]


Criterion = States | Flag | Row | Overdue | Timely | Not | AnyOf


# --- The period a case belongs to ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodOn:
    """A case belongs to the period in which this date falls (a served recommendation on the
    day it was served). ``table`` is ``case`` or a table keyed by ``case_id``; with ``year``
    the column holds a year and the period's years count; with ``local_datetime`` the column
    is an instant, taken as its date in the hub's timezone."""

    table: str
    column: str
    label: str  # what the date is, for explanations: 送达日期
    year: bool = False
    local_datetime: bool = False


# --- Figures ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dimension:
    """A column a figure or a table is broken down by: static ``labels`` (value → label), or
    the rows of a lookup table (``lookup`` = table, key column, label column, order column)."""

    id: str
    label: str
    table: str
    column: str
    labels: Mapping[str, str] = field(default_factory=dict)
    lookup: tuple[str, str, str, str] | None = None


@dataclass(frozen=True, slots=True)
class Count:
    """The number of cases of the period meeting every criterion (none: all of them)."""

    id: str
    label: str
    criteria: tuple[Criterion, ...] = ()
    explanation: str = ""
    by: Dimension | None = None  # the section also shows one figure per value
    unit_label: str = "件"


@dataclass(frozen=True, slots=True)
class Rate:
    """``numerator`` over ``denominator`` (figure ids of the same kind), in percent."""

    id: str
    label: str
    numerator: str
    denominator: str
    explanation: str = ""


Figure = Count | Rate


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A table of the kind: one row per value of ``dimension`` (None: per unit of the
    kind's ``unit_roles``), one column per figure."""

    id: str
    label: str
    figures: tuple[str, ...]
    dimension: Dimension | None = None


# --- Ledger columns -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LedgerColumn:
    """One column of the kind's ledger sheet. ``source`` says where the value comes from:

    - ``case.<column>``: the case row (``case.case_no``, ``case.title``);
    - ``state``: the state's label;
    - ``detail.<column>``: the kind's detail table (``detail`` names it in ``KindStats``);
    - ``party:<role>``: the names of the units holding that party role;
    - ``clock_due:<clock>`` / ``clock_note:<clock>``: the clock's last day / explanation;
    - ``first:<table>.<column>`` / ``last:<table>.<column>``: a child row's value;
    - ``overdue_days:<clock>``: days past the clock's last day while it is overdue;
    - ``lookup:<column>:<table>.<label column>``: a detail column's label in a lookup table.

    ``labels`` translates stored codes; ``type`` is ``text``, ``date``, ``int`` or ``money``."""

    header: str
    source: str
    type: str = "text"
    width: int = 14
    labels: Mapping[Any, str] = field(default_factory=dict)  # stored code (or enum) → label


# --- A kind's whole declaration -----------------------------------------------------------


@dataclass(frozen=True)
class KindStats:
    kind: CaseKind
    label: str  # the section's heading: 检察建议
    period: PeriodOn
    unit_roles: tuple[PartyRole, ...]  # the units a case is counted for
    unit_label: str  # 被建议单位 / 责任单位
    figures: tuple[Figure, ...]
    detail: str = ""  # the kind's detail table (``detail.<column>`` in ledger columns)
    ranking: str | None = None  # a rate ranked per unit in the unit ranking
    trend: tuple[str, ...] = ()  # counts shown per month in the monthly trend
    breakdowns: tuple[Breakdown, ...] = ()
    ledger: tuple[LedgerColumn, ...] = ()

    def __post_init__(self) -> None:
        ids = [f.id for f in self.figures]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.kind}: duplicate figure ids")
        counts = {f.id for f in self.figures if isinstance(f, Count)}
        for f in self.figures:
            if isinstance(f, Rate) and not {f.numerator, f.denominator} <= counts:
                raise ValueError(f"{self.kind}: rate {f.id} over unknown counts")
        named = {self.ranking, *self.trend, *(i for b in self.breakdowns for i in b.figures)}
        unknown = named - {None, *ids}
        if unknown:
            raise ValueError(f"{self.kind}: unknown figures {sorted(map(str, unknown))}")

    def figure(self, figure_id: str) -> Figure:
        for f in self.figures:
            if f.id == figure_id:
                return f
        raise KeyError(figure_id)

    def count(self, figure_id: str) -> Count:
        found = self.figure(figure_id)
        if not isinstance(found, Count):
            raise KeyError(figure_id)
        return found


# --- Overdue ageing -----------------------------------------------------------------------

# Working days past the last day: (bucket id, label, first day, last day or None).
AGEING_BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("1_5", "1–5个工作日", 1, 5),
    ("6_10", "6–10个工作日", 6, 10),
    ("11_30", "11–30个工作日", 11, 30),
    ("over_30", "30个工作日以上", 31, None),
)
AGEING = "ageing"  # the figure id prefix of the ageing buckets: ageing@6_10


def ageing_bucket(working_days: int) -> str | None:
    """The bucket of a case overdue by ``working_days`` working days (0: not yet)."""
    for bucket, _, first, last in AGEING_BUCKETS:
        if working_days >= first and (last is None or working_days <= last):
            return bucket
    return None


def working_days_between(after: date, until: date, is_workday: Callable[[date], bool]) -> int:
    """Working days in (``after``, ``until``]: how many working days a clock whose last day
    was ``after`` is overdue on ``until``."""
    count, day = 0, after
    while day < until:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


# --- Rates and references -----------------------------------------------------------------


def rate(numerator: int, denominator: int) -> float:
    """A rate in percent with one decimal; 0 when nothing is counted."""
    return round(100 * numerator / denominator, 1) if denominator else 0.0


def figure_ref(figure_id: str, dimension: str | None = None, value: str | None = None) -> str:
    """A figure's reference id: ``recommendation.served``, ``dispute.resolved@outcome=settled``."""
    return figure_id if dimension is None else f"{figure_id}@{dimension}={value}"


@dataclass(frozen=True, slots=True)
class ParsedRef:
    kind: str  # a kind id, or AGEING
    figure: str  # the figure id within the kind (for ageing: the bucket)
    part: str = ""  # "" the figure, "denominator": a rate's denominator
    dimension: str | None = None
    value: str | None = None


def parse_ref(ref: str) -> ParsedRef:
    """Read ``kind.figure[#denominator][@dimension=value]`` or ``ageing@bucket``."""
    base, _, rest = ref.partition("@")
    dimension = value = None
    if rest:
        dimension, sep, value = rest.partition("=")
        if not sep:
            dimension, value = None, rest
    base, _, part = base.partition("#")
    if base == AGEING:
        if value not in {b[0] for b in AGEING_BUCKETS}:
            raise ValueError(ref)
        return ParsedRef(AGEING, value or "", "")
    kind, sep, figure = base.partition(".")
    if not sep or not figure:
        raise ValueError(ref)
    return ParsedRef(kind, figure, part, dimension, value)


def months(start: date, end: date) -> Iterator[tuple[str, date, date]]:
    """The months overlapping [start, end]: ``YYYY-MM``, first and last day (clipped)."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        nxt = date(year + month // 12, month % 12 + 1, 1)
        yield f"{year:04d}-{month:02d}", max(first, start), min(nxt - timedelta(days=1), end)
        year, month = nxt.year, nxt.month


def by_id(stats: Sequence[KindStats]) -> Mapping[str, KindStats]:
    return MappingProxyType({s.kind.value: s for s in stats})
