"""Cases as the GraphQL layer reads them, for every kind alike.

A ``CaseData`` is one case's loaded columns with its parties, its clocks and (when a field
needs it) its kind's detail row, the same for every viewer (a board event's is shared by all
its audiences). ``load_cases`` reads any number of cases in a fixed number of queries — the
rows, all their parties, all their clocks, and one query per kind for details — as plain
values, never one query per case: loading Tortoise model objects cost about three times as
much as the values here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.models import Model
from tortoise.queryset import QuerySet

from hub.domain.engine import CaseFacts, ClockStatus, Party, clock_facts
from hub.domain.kinds import CaseKind, KindSpec, PartyRole
from hub.kinds.registry import spec_of
from hub.models import Case, CaseClock, CaseParty

# What every view loads whatever is selected: the facts the rules and visibility need.
ALWAYS = ("id", "kind", "state", "flags")
_PARTY_COLUMNS = ("case_id", "role", "unit_id", "user_id")
_CLOCK_COLUMNS = (
    "case_id", "name", "rule", "status", "started_on", "due_on", "due_at", "provisional",
    "explanation",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ClockRow:
    """A stored clock as loaded (its status as stored; ``CaseData.facts`` applies runs_in)."""

    name: str
    rule: str
    status: ClockStatus
    started_on: date
    due_on: date | None
    due_at: datetime | None
    provisional: bool
    explanation: str


class CaseData:
    """One loaded case. ``row`` holds the loaded columns of the ``case`` table by
    field name (always ``ALWAYS``); ``detail`` the kind's detail columns when loaded."""

    __slots__ = ("_facts", "clocks", "detail", "id", "parties", "row", "spec")

    def __init__(
        self,
        row: Mapping[str, Any],
        parties: Sequence[Party] = (),
        clocks: Sequence[ClockRow] = (),
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self.id: int = row["id"]
        self.spec: KindSpec = spec_of(row["kind"])
        self.row = row
        self.parties = tuple(parties)
        self.clocks = tuple(clocks)
        self.detail: Mapping[str, Any] = detail or {}
        self._facts: CaseFacts | None = None

    @property
    def kind(self) -> CaseKind:
        return self.spec.kind

    @property
    def state(self) -> str:
        state: str = self.row["state"]
        return state

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(f for f in self.row["flags"].split(",") if f)

    @property
    def facts(self) -> CaseFacts:
        """What the engine and visibility need, computed once per view."""
        if self._facts is None:
            state, spec = self.state, self.spec
            self._facts = CaseFacts(
                state=state,
                parties=self.parties,
                clocks={
                    c.name: clock_facts(spec, state, c.name, c.status, c.due_on)
                    for c in self.clocks
                },
                flags=self.flags,
            )
        return self._facts

    def clock(self, name: str) -> ClockRow | None:
        return next((c for c in self.clocks if c.name == name), None)

    def unit_of(self, role: PartyRole) -> int | None:
        return next((p.unit_id for p in self.parties if p.role is role), None)

    def person_of(self, role: PartyRole) -> int | None:
        return next((p.user_id for p in self.parties if p.role is role and p.user_id), None)


# Which detail table each kind keeps its own columns in (primary key ``case_id``); the
# GraphQL layer registers them from the kinds' schema modules (hub.schema.kinds).
DETAIL_MODELS: dict[CaseKind, type[Model]] = {}

# Per kind: the detail columns to load (None: all of them); a kind missing here gets none.
Details = Mapping[CaseKind, Sequence[str] | None]


def all_details() -> Details:
    return dict.fromkeys(DETAIL_MODELS)


async def load_cases(
    query: QuerySet[Case],
    *,
    columns: Collection[str] | None = None,
    details: Details | None = None,
) -> list[CaseData]:
    """The cases ``query`` selects, in its order. ``columns``: the case columns to load besides
    ``ALWAYS`` (None: all); ``details``: which kinds' detail rows (None: every kind's, whole)."""
    if columns is None:
        rows = await query.values()
    else:
        rows = await query.values(*dict.fromkeys((*ALWAYS, *columns)))
    return await cases_of(rows, details=all_details() if details is None else details)


async def cases_of(rows: Sequence[Mapping[str, Any]], *, details: Details) -> list[CaseData]:
    """Data of already loaded case rows: their parties, clocks and details in a few queries."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    parties: dict[int, list[Party]] = defaultdict(list)
    for case_id, role, unit_id, user_id in await _children(CaseParty, _PARTY_COLUMNS, ids):
        parties[case_id].append(Party(PartyRole(role), unit_id, user_id))
    clocks: dict[int, list[ClockRow]] = defaultdict(list)
    for case_id, name, rule, status, started, due, due_at, provisional, text in await _children(
        CaseClock, _CLOCK_COLUMNS, ids
    ):
        clocks[case_id].append(ClockRow(
            name, rule, ClockStatus(status), _date(started), _date(due), _instant(due_at),
            bool(provisional), text,
        ))  # fmt: skip
    detail_rows = await _details(rows, details)
    return [
        CaseData(row, parties[row["id"]], clocks[row["id"]], detail_rows.get(row["id"]))
        for row in rows
    ]


async def _children(model: type[Model], columns: Sequence[str], ids: Iterable[int]) -> Any:
    """The ``columns`` of ``model``'s rows of these cases, in id order, as the driver returns
    them: a board reads some 2,000 such rows, and converting them through the ORM's fields
    took four times as long as the query (dates are parsed below, once)."""
    meta = model._meta
    case_ids = ",".join(str(int(i)) for i in ids)  # integers only: safe to inline
    sql = (
        f'SELECT {", ".join(columns)} FROM "{meta.db_table}" '
        f"WHERE case_id IN ({case_ids}) ORDER BY id"
    )
    _, found = await meta.db.execute_query(sql)
    return found


def _date(value: date | str | None) -> Any:
    """A date column: SQLite gives its ISO text, asyncpg a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _instant(value: datetime | str | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


async def _details(
    rows: Iterable[Mapping[str, Any]], details: Details
) -> dict[int, dict[str, Any]]:
    by_kind: dict[CaseKind, list[int]] = defaultdict(list)
    for row in rows:
        by_kind[CaseKind(row["kind"])].append(row["id"])
    found: dict[int, dict[str, Any]] = {}
    for kind, ids in by_kind.items():
        model = DETAIL_MODELS.get(kind)
        if model is None or kind not in details:
            continue
        wanted = details[kind]
        query = model.filter(case_id__in=ids)
        values = await (query.values() if wanted is None else query.values("case_id", *wanted))
        found.update((value["case_id"], value) for value in values)
    return found
