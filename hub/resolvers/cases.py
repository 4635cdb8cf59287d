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
from hub.resolvers.rows import all_fields, rows_where_in

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

    __slots__ = ("_facts", "_flags", "clocks", "detail", "id", "parties", "row", "spec")

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
        self._flags: frozenset[str] | None = None

    @property
    def kind(self) -> CaseKind:
        return self.spec.kind

    @property
    def state(self) -> str:
        state: str = self.row["state"]
        return state

    @property
    def flags(self) -> frozenset[str]:
        if self._flags is None:
            self._flags = frozenset(f for f in self.row["flags"].split(",") if f)
        return self._flags

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
    ``ALWAYS`` (None: all); ``details``: which kinds' detail rows (None: every kind's, whole).

    The query itself only picks ids (its filters are the ORM's: visibility, board columns);
    the rows are then read by id (``hub.resolvers.rows``)."""
    ids: list[int] = await query.values_list("id", flat=True)  # type: ignore[assignment]
    names = all_fields(Case) if columns is None else tuple(dict.fromkeys((*ALWAYS, *columns)))
    found = {
        row["id"]: row
        for row in (dict(zip(names, values, strict=True))
                    for values in await rows_where_in(Case, names, "id", ids))
    }  # fmt: skip
    rows = [found[i] for i in ids if i in found]
    return await cases_of(rows, details=all_details() if details is None else details)


async def cases_of(rows: Sequence[Mapping[str, Any]], *, details: Details) -> list[CaseData]:
    """Data of already loaded case rows: their parties, clocks and details in a few queries."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    parties: dict[int, list[Party]] = defaultdict(list)
    for case_id, role, unit_id, user_id in await rows_where_in(
        CaseParty, _PARTY_COLUMNS, "case_id", ids
    ):
        parties[case_id].append(Party(role, unit_id, user_id))
    clocks: dict[int, list[ClockRow]] = defaultdict(list)
    for case_id, *values in await rows_where_in(CaseClock, _CLOCK_COLUMNS, "case_id", ids):
        clocks[case_id].append(ClockRow(*values))
    detail_rows = await _details(rows, details)
    return [
        CaseData(row, parties[row["id"]], clocks[row["id"]], detail_rows.get(row["id"]))
        for row in rows
    ]


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
        names = all_fields(model) if wanted is None else ("case_id", *wanted)
        for values in await rows_where_in(model, names, "case_id", ids):
            detail = dict(zip(names, values, strict=True))
            found[detail["case_id"]] = detail
    return found
