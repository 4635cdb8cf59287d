"""Reading cases as one viewer may: filters in SQL, keyset pagination, totals, the board.

Every query starts from ``hub.services.visibility.visible_cases``: what a viewer may not see is
never loaded, counted or paged over.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from hub.domain.board import agency_role
from hub.domain.engine import ClockStatus, column_criteria
from hub.domain.errors import LimitExceeded, ValidationFailed
from hub.domain.ids import database_id
from hub.domain.kinds import PERSON_PARTIES, KindSpec
from hub.domain.visibility import Audience
from hub.models import Case, CaseClock, CaseParty
from hub.resolvers.cases import CaseData, load_cases
from hub.services.visibility import overdue_q, visible_cases

NOTHING = Q(id__in=[])


@dataclass(frozen=True, slots=True)
class Mine:
    """ "My cases" (我承办的): those where the user holds a person party (handling prosecutor,
    handler), and those addressed to the viewer's unit (the kind's agency role)."""

    user_id: int | None  # None: not a person (an API token)
    unit_id: int


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """Filters over cases, all optional and combined with AND. States and columns are ids as
    stored (lower case); ``unit_id`` is a unit holding any party role in the case."""

    specs: Sequence[KindSpec]
    states: Collection[str] | None = None
    column: str | None = None
    unit_id: int | None = None
    party_roles: Collection[str] | None = None  # with unit_id: only these roles
    overdue: bool | None = None
    overdue_clocks: Collection[str] | None = None  # None: every clock of the kind
    due_before: date | None = None
    due_clock: str | None = None  # None: any running clock; else that clock in any status
    due_after: date | None = None  # with due_before: the running clock's last day from this day
    search: str | None = None
    case_no: str | None = None
    person_id: int | None = None  # a user holding a person party (handling prosecutor, handler)
    mine: Mine | None = None
    case_ids: Collection[int] | None = None  # only these (a statistic's cases)


@dataclass(frozen=True, slots=True)
class Page:
    items: list[CaseData]
    has_next: bool
    has_previous: bool
    total: int


def encode_cursor(case_id: int, prefix: str = "case") -> str:
    return base64.urlsafe_b64encode(f"{prefix}:{case_id}".encode()).decode()


def decode_cursor(cursor: str, prefix: str = "case") -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if raw.startswith(f"{prefix}:") and (pk := database_id(raw.removeprefix(f"{prefix}:"))):
            return pk
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationFailed("无效的分页游标", field="after")


def _kind_q(spec: KindSpec, query: CaseQuery, today: date) -> Q:
    """The filters that depend on the kind: its states, columns and clocks."""
    q = Q(kind=spec.kind.value)
    if query.states is not None:
        states = set(query.states) & spec.states.keys()
        if not states:
            return NOTHING
        q &= Q(state__in=sorted(states))
    if query.column is not None:
        # Column ids are compared without case: some kinds spell theirs in upper case.
        wanted = query.column.lower()
        column_id = next((c.id for c in spec.columns if c.id.lower() == wanted), None)
        if column_id is None:
            return NOTHING
        criteria = column_criteria(spec, column_id)
        q &= Q(state__in=sorted(criteria.states))
        for clock, overdue in criteria.overdue.items():
            q &= overdue_q(spec, clock, today, overdue=overdue)
    if query.overdue is not None:
        names = [c.name for c in spec.clocks]
        if query.overdue_clocks is not None:
            names = [n for n in names if n in query.overdue_clocks]
        late = [overdue_q(spec, name, today, overdue=True) for name in names]
        any_late = Q(*late, join_type="OR") if late else NOTHING
        q &= any_late if query.overdue else ~any_late
    if query.due_before is not None:
        q &= _due_before_q(spec, query.due_before, query.due_clock, query.due_after)
    if query.mine is not None:
        q &= _mine_q(spec, query.mine)
    return q


def _mine_q(spec: KindSpec, mine: Mine) -> Q:
    options = []
    if mine.user_id is not None:
        held = CaseParty.filter(user_id=mine.user_id, role__in=sorted(PERSON_PARTIES))
        options.append(Q(id__in=Subquery(held.values("case_id"))))
    agency = agency_role(spec)
    if agency is not None:
        addressed = CaseParty.filter(unit_id=mine.unit_id, role=agency)
        options.append(Q(id__in=Subquery(addressed.values("case_id"))))
    return Q(*options, join_type="OR") if options else NOTHING


def _due_before_q(spec: KindSpec, day: date, clock: str | None, after: date | None = None) -> Q:
    """A clock whose last day is ``day`` or earlier (and ``after`` or later): the named one
    whatever its status, or any clock of the kind that is running and counts in the case's
    state (its ``runs_in``)."""
    since = {} if after is None else {"due_on__gte": after}
    if clock is not None:
        due = CaseClock.filter(name=clock, due_on__lte=day, **since).values("case_id")
        return Q(id__in=Subquery(due))
    options = []
    for clock_spec in spec.clocks:
        running = CaseClock.filter(
            name=clock_spec.name, status=ClockStatus.RUNNING, due_on__lte=day, **since
        ).values("case_id")
        q = Q(id__in=Subquery(running))
        if clock_spec.runs_in is not None:
            q &= Q(state__in=sorted(clock_spec.runs_in))
        options.append(q)
    return Q(*options, join_type="OR") if options else NOTHING


def filtered(audience: Audience, query: CaseQuery, today: date) -> QuerySet[Case]:
    qs = visible_cases(audience)
    kinds = [_kind_q(spec, query, today) for spec in query.specs]
    qs = qs.filter(Q(*kinds, join_type="OR") if kinds else NOTHING)
    if query.unit_id is not None:
        parties = CaseParty.filter(unit_id=query.unit_id)
        if query.party_roles is not None:
            parties = parties.filter(role__in=sorted(query.party_roles))
        qs = qs.filter(id__in=Subquery(parties.values("case_id")))
    if query.search:
        text = query.search.strip()
        qs = qs.filter(Q(case_no__icontains=text) | Q(title__icontains=text))
    if query.case_no is not None:
        qs = qs.filter(case_no=query.case_no)
    if query.person_id is not None:
        people = CaseParty.filter(user_id=query.person_id, role__in=sorted(PERSON_PARTIES))
        qs = qs.filter(id__in=Subquery(people.values("case_id")))
    if query.case_ids is not None:
        qs = qs.filter(id__in=list(query.case_ids)) if query.case_ids else qs.filter(NOTHING)
    return qs


async def list_cases(
    audience: Audience,
    query: CaseQuery,
    *,
    today: date,
    first: int,
    after: str | None,
    max_page: int,
    cursor_prefix: str = "case",
) -> Page:
    if first < 0 or first > max_page:
        raise LimitExceeded(f"first 必须在 0 到 {max_page} 之间", field="first")
    after_id = decode_cursor(after, cursor_prefix) if after else None
    qs = filtered(audience, query, today)
    total = await qs.count()
    page_qs = qs.order_by("id")
    if after_id is not None:
        page_qs = page_qs.filter(id__gt=after_id)
    cases = await load_cases(page_qs.limit(first + 1))
    return Page(cases[:first], len(cases) > first, after_id is not None, total)
