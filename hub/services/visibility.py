"""The database side of the one visibility rule in ``hub.domain.visibility``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from hub.domain.engine import CaseFacts, ClockStatus, Party, clock_facts
from hub.domain.kinds import KindSpec
from hub.domain.visibility import Audience
from hub.kinds.registry import SPECS, spec_of
from hub.models import Case, CaseClock, CaseEvent, CaseParty


def scope_q(audience: Audience, prefix: str = "", specs: Iterable[KindSpec] = SPECS) -> Q:
    """The cases ``audience`` may see, as a filter (``prefix`` reaches them via a relation).

    One condition per kind and party role of the kind's ``sees`` table: the kind, the
    states that role sees, and the viewer's unit holding that role in the case.
    """
    if audience.everything:
        return Q()
    conditions = []
    for spec in specs:
        for role, states in spec.sees.items():
            held = CaseParty.filter(unit_id=audience.unit_id, role=role).values("case_id")
            where: dict[str, Any] = {
                f"{prefix}kind": spec.kind.value,
                f"{prefix}id__in": Subquery(held),
            }
            if states is not None:
                where[f"{prefix}state__in"] = sorted(states)
            conditions.append(Q(**where))
    if not conditions:
        nothing: dict[str, Any] = {f"{prefix}id__in": []}
        return Q(**nothing)
    return Q(*conditions, join_type="OR")


def visible_cases(audience: Audience) -> QuerySet[Case]:
    return Case.filter(scope_q(audience))


def visible_events(audience: Audience) -> QuerySet[CaseEvent]:
    query = CaseEvent.filter(scope_q(audience, prefix="case__"))
    return query if audience.sees_internal else query.filter(internal=False)


def flags_of(case: Case) -> frozenset[str]:
    return frozenset(f for f in case.flags.split(",") if f)


def facts_of(
    case: Case, parties: Iterable[CaseParty], clocks: Iterable[CaseClock] = ()
) -> CaseFacts:
    spec = spec_of(case.kind)
    return CaseFacts(
        state=case.state,
        parties=tuple(Party(p.role, p.unit_id, p.user_id) for p in parties),
        clocks={c.name: clock_facts(spec, case.state, c.name, c.status, c.due_on) for c in clocks},
        flags=flags_of(case),
    )


def overdue_q(spec: KindSpec, clock: str, today: date, *, overdue: bool) -> Q:
    """Cases of ``spec`` whose ``clock`` is (or is not) overdue today, as a filter."""
    runs_in = spec.clock(clock).runs_in
    late = CaseClock.filter(name=clock, status=ClockStatus.RUNNING, due_on__lt=today).values(
        "case_id"
    )
    q = Q(id__in=Subquery(late))
    if runs_in is not None:
        q &= Q(state__in=sorted(runs_in))
    return q if overdue else ~q
