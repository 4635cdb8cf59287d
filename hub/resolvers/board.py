"""One kind's board over every case a viewer may see: per column the exact count and one page
of cards in sort order, in a fixed number of queries whatever the number of cases.

The cases are those of ``hub.resolvers.queries.filtered`` (visibility and the board filter,
in SQL). Around that query, SQL places each case in its column exactly as
``hub.domain.engine.board_column`` does (an overdue column takes the cards whose clock is
overdue, else the first column holding the state) and computes its sort key:

* DUE — the last day of its earliest running clock that counts in its state (``runs_in``),
  cases without one last; ties by id;
* UPDATED — ``updated_at``, newest first; ties by id, highest first.

One grouped query counts every column (and the overdue and due-soon cards); one query with
a window function takes the first page of every column; the cards are then read by id
(``hub.resolvers.cases``). Cursors are keyset: the sort key and the id of the last card.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.expressions import Subquery

from hub.domain.board import BoardCriteria, BoardSort
from hub.domain.engine import ClockStatus
from hub.domain.errors import LimitExceeded, ValidationFailed
from hub.domain.ids import database_id
from hub.domain.kinds import PERSON_PARTIES, KindSpec
from hub.domain.roles import Actor, ActorKind
from hub.domain.visibility import Audience
from hub.models import Case, CaseParty
from hub.resolvers.cases import ALWAYS, CaseData, Details, cases_of
from hub.resolvers.queries import CaseQuery, Mine, filtered
from hub.resolvers.rows import all_fields, rows_where_in
from hub.services.visibility import visible_cases

NO_DUE = "9999-12-31"  # the DUE key of a case without a running clock: after every date
_RUNNING = ClockStatus.RUNNING.value
_KEY = re.compile(r"[0-9T:. +\-]{1,40}")  # a date or an instant as the database gave it
HANDLERS_MAX = 200  # people the filter bar offers at most


@dataclass(frozen=True, slots=True)
class ColumnPage:
    column: str  # the spec's column id
    total: int
    ids: list[int]
    has_more: bool
    end_cursor: str | None


@dataclass(frozen=True, slots=True)
class BoardCounts:
    columns: dict[str, int]  # per shown column
    total: int
    overdue: int
    due_soon: int


def case_query(spec: KindSpec, criteria: BoardCriteria, actor: Actor, today: date) -> CaseQuery:
    """The board filter as a query over the kind's cases (columns are placed around it)."""
    days = criteria.due_within_days
    states = None
    if criteria.columns is not None:
        states = {s for c in spec.columns if c.id in criteria.columns for s in c.states}
    mine = None
    if criteria.mine:
        person = actor.id if actor.kind is ActorKind.USER else None
        mine = Mine(user_id=person, unit_id=actor.unit_id)
    return CaseQuery(
        specs=(spec,),
        states=states,
        unit_id=criteria.unit_id,
        overdue=criteria.overdue,
        due_before=today + timedelta(days=days) if days is not None else None,
        due_after=today if days is not None else None,
        search=criteria.search,
        person_id=criteria.handler_id,
        mine=mine,
    )


# ---- SQL around the filtered cases ----------------------------------------------------------


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in(values: Collection[str]) -> str:
    return ", ".join(_lit(v) for v in sorted(values))


def _counts_in_state(spec: KindSpec, clock: str) -> str:
    runs_in = spec.clock(clock).runs_in
    return "1=1" if runs_in is None else f'c."state" IN ({_in(runs_in)})'


def _clock_exists(condition: str) -> str:
    return (
        'EXISTS (SELECT 1 FROM "case_clock" k WHERE k."case_id" = c."id" '
        f"AND k.\"status\" = '{_RUNNING}' AND {condition})"
    )


def _overdue(spec: KindSpec, clock: str, today: date) -> str:
    late = _clock_exists(f'k."name" = {_lit(clock)} AND k."due_on" < {_lit(today.isoformat())}')
    return f"({late} AND {_counts_in_state(spec, clock)})"


def _any_overdue(spec: KindSpec, today: date) -> str:
    parts = [_overdue(spec, c.name, today) for c in spec.clocks]
    return "(" + " OR ".join(parts) + ")" if parts else "1=0"


def _due_soon(spec: KindSpec, today: date) -> str:
    """A running clock in its yellow days (``deadline_level``): today … due_soon_days ahead."""
    first = _lit(today.isoformat())
    parts = []
    for clock in spec.clocks:
        last = _lit((today + timedelta(days=clock.due_soon_days)).isoformat())
        window = f'k."name" = {_lit(clock.name)} AND k."due_on" >= {first} AND k."due_on" <= {last}'
        parts.append(f"({_clock_exists(window)} AND {_counts_in_state(spec, clock.name)})")
    return "(" + " OR ".join(parts) + ")" if parts else "1=0"


def _column(spec: KindSpec, today: date) -> str:
    """The card's column id, as ``board_column`` decides it."""
    whens = [
        f'WHEN c."state" IN ({_in(col.states)}) AND {_overdue(spec, col.overdue_clock, today)} '
        f"THEN {_lit(col.id)}"
        for col in spec.columns
        if col.overdue_clock is not None and col.states
    ]
    whens += [
        f'WHEN c."state" IN ({_in(col.states)}) THEN {_lit(col.id)}'
        for col in spec.columns
        if col.overdue_clock is None and col.states
    ]
    return "CASE " + " ".join(whens) + " ELSE NULL END" if whens else "NULL"


def _due_key(spec: KindSpec) -> str:
    options = []
    for clock in spec.clocks:
        counts = _counts_in_state(spec, clock.name)
        options.append(f'(k."name" = {_lit(clock.name)} AND {counts})')
    if not options:
        return _lit(NO_DUE)
    earliest = (
        'SELECT MIN(k."due_on") FROM "case_clock" k WHERE k."case_id" = c."id" '
        f"AND k.\"status\" = '{_RUNNING}' AND ({' OR '.join(options)})"
    )
    return f"COALESCE(({earliest}), {_lit(NO_DUE)})"


def _key(spec: KindSpec, sort: BoardSort) -> str:
    return _due_key(spec) if sort is BoardSort.DUE else 'c."updated_at"'


def _order(sort: BoardSort, alias: str) -> str:
    way = "ASC" if sort is BoardSort.DUE else "DESC"
    return f'{alias}."k" {way}, {alias}."id" {way}'


class _Inner:
    """The filtered cases' ids as SQL with its parameters, and the connection to run it on."""

    def __init__(self, audience: Audience, query: CaseQuery, today: date) -> None:
        ids = filtered(audience, query, today).values_list("id", flat=True)
        ids._choose_db_if_not_chosen()
        ids._make_query()
        self.sql, self.params = ids.query.get_parameterized_sql()
        self.db = ids._db

    async def rows(self, sql: str) -> list[Sequence[Any]]:
        _, found = await self.db.execute_query(sql, list(self.params))
        return [tuple(row) for row in found]


def _cases(spec: KindSpec, today: date, inner: _Inner, extra: str) -> str:
    return (
        f'SELECT c."id" AS "id", {_column(spec, today)} AS "col"{extra} '
        f'FROM "case" c WHERE c."id" IN ({inner.sql})'
    )


async def count_columns(
    audience: Audience, spec: KindSpec, query: CaseQuery, criteria: BoardCriteria, today: date
) -> BoardCounts:
    """Every column's exact count under the filter, and the overdue and due-soon cards of
    the shown columns, in one query."""
    inner = _Inner(audience, query, today)
    extra = (
        f', CASE WHEN {_any_overdue(spec, today)} THEN 1 ELSE 0 END AS "late"'
        f', CASE WHEN {_due_soon(spec, today)} THEN 1 ELSE 0 END AS "soon"'
    )
    sql = (
        f'SELECT b."col", COUNT(*), SUM(b."late"), SUM(b."soon") '
        f'FROM ({_cases(spec, today, inner, extra)}) b GROUP BY b."col"'
    )
    shown = set(criteria.columns) if criteria.columns is not None else None
    columns = {c.id: 0 for c in spec.columns if shown is None or c.id in shown}
    total = overdue = due_soon = 0
    for column, n, late, soon in await inner.rows(sql):
        if column is None or (shown is not None and column not in shown):
            continue
        columns[column] = int(n)
        total, overdue, due_soon = (
            total + int(n),
            overdue + int(late or 0),
            due_soon + int(soon or 0),
        )
    return BoardCounts(columns, total, overdue, due_soon)


def _key_text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def encode_cursor(sort: BoardSort, column: str, key: Any, case_id: int) -> str:
    raw = json.dumps([sort.value, column, _key_text(key), case_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str, sort: BoardSort, column: str) -> tuple[str, int]:
    """The sort key and id a cursor of this column and sort names; else VALIDATION_FAILED."""
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value = None
    if isinstance(value, list) and len(value) == 4:
        given_sort, given_column, key, case_id = value
        if (
            given_sort == sort.value
            and given_column == column
            and isinstance(key, str)
            and _KEY.fullmatch(key)
            and isinstance(case_id, int)
            and not isinstance(case_id, bool)
            and database_id(str(case_id)) is not None
        ):
            return key, case_id
    raise ValidationFailed("无效的分页游标（请从第一页重新读取）", field="after")


def check_first(first: int, largest: int) -> int:
    if first < 0 or first > largest:
        raise LimitExceeded(f"first 必须在 0 到 {largest} 之间", field="first")
    return first


async def first_pages(
    audience: Audience,
    spec: KindSpec,
    query: CaseQuery,
    counts: BoardCounts,
    sort: BoardSort,
    first: int,
    today: date,
    *,
    fetch: bool = True,
) -> list[ColumnPage]:
    """The first ``first`` cards of every shown column, in one query (none with ``fetch``
    false: only the counts are wanted)."""
    shown = [c.id for c in spec.columns if c.id in counts.columns]
    found: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    filled = [c for c in shown if counts.columns[c] > 0]
    if fetch and first > 0 and filled:
        inner = _Inner(audience, query, today)
        cases = _cases(spec, today, inner, f', {_key(spec, sort)} AS "k"')
        sql = (
            'SELECT p."id", p."col", p."k" FROM ('
            f'SELECT b."id", b."col", b."k", ROW_NUMBER() OVER '
            f'(PARTITION BY b."col" ORDER BY {_order(sort, "b")}) AS "rn" '
            f'FROM ({cases}) b WHERE b."col" IN ({_in(filled)})'
            f') p WHERE p."rn" <= {int(first) + 1} ORDER BY p."col", p."rn"'
        )
        for case_id, column, key in await inner.rows(sql):
            found[column].append((int(case_id), key))
    fetched = fetch and first > 0
    return [
        _page(sort, column, counts.columns[column], found[column], first, fetched)
        for column in shown
    ]


def _page(
    sort: BoardSort,
    column: str,
    total: int,
    rows: list[tuple[int, Any]],
    first: int,
    fetched: bool = True,
) -> ColumnPage:
    page = rows[:first]
    cursor = encode_cursor(sort, column, page[-1][1], page[-1][0]) if page else None
    more = len(rows) > first if fetched else total > first
    return ColumnPage(column, total, [i for i, _ in page], more, cursor)


async def column_page(
    audience: Audience,
    spec: KindSpec,
    query: CaseQuery,
    column: str,
    sort: BoardSort,
    first: int,
    after: str | None,
    today: date,
) -> list[tuple[int, Any]]:
    """Up to ``first + 1`` cards of one column after the cursor, in sort order."""
    inner = _Inner(audience, query, today)
    where = f'b."col" = {_lit(column)}'
    if after is not None:
        key, case_id = decode_cursor(after, sort, column)
        beyond = ">" if sort is BoardSort.DUE else "<"
        where += (
            f' AND (b."k" {beyond} {_lit(key)} OR (b."k" = {_lit(key)} '
            f'AND b."id" {beyond} {int(case_id)}))'
        )
    cases = _cases(spec, today, inner, f', {_key(spec, sort)} AS "k"')
    sql = (
        f'SELECT b."id", b."k" FROM ({cases}) b WHERE {where} '
        f"ORDER BY {_order(sort, 'b')} LIMIT {int(first) + 1}"
    )
    return [(int(case_id), key) for case_id, key in await inner.rows(sql)]


def page_of(
    sort: BoardSort, column: str, total: int, rows: list[tuple[int, Any]], first: int
) -> ColumnPage:
    """One column's page from ``column_page``'s rows (none read when ``first`` is 0)."""
    return _page(sort, column, total, rows, first, fetched=first > 0)


async def load_by_ids(
    ids: Sequence[int], *, columns: Collection[str] | None, details: Details
) -> dict[int, CaseData]:
    """The cases of ``ids`` (already known visible), by id, in a fixed number of queries."""
    if not ids:
        return {}
    names = all_fields(Case) if columns is None else tuple(dict.fromkeys((*ALWAYS, *columns)))
    rows = [
        dict(zip(names, values, strict=True))
        for values in await rows_where_in(Case, names, "id", ids)
    ]
    return {data.id: data for data in await cases_of(rows, details=details)}


# ---- what the filter bar offers ------------------------------------------------------------


async def party_units(audience: Audience, spec: KindSpec) -> set[int]:
    """The units holding any party role in a case of ``spec`` the viewer may see."""
    visible = visible_cases(audience).filter(kind=spec.kind.value).values("id")
    found: list[Any] = await (
        CaseParty.filter(case_id__in=Subquery(visible)).distinct().values_list("unit_id", flat=True)
    )
    return {int(u) for u in found}


async def handlers(audience: Audience, spec: KindSpec) -> list[tuple[int, str]]:
    """The people holding a person party (handling prosecutor, handler) in a case of
    ``spec`` the viewer may see, by name."""
    visible = visible_cases(audience).filter(kind=spec.kind.value).values("id")
    found: list[Any] = await (
        CaseParty.filter(
            case_id__in=Subquery(visible),
            role__in=sorted(PERSON_PARTIES),
            user_id__not_isnull=True,
        )
        .distinct()
        .values_list("user_id", "user__display_name")
    )
    people = sorted({(int(pk), str(name)) for pk, name in found}, key=lambda p: (p[1], p[0]))
    return people[:HANDLERS_MAX]
