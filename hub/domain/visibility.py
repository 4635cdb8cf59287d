"""Who may see which case: decided here, once, for every way a case can be reached.

A viewer's ``Audience`` depends only on their role class and unit, so everything shown to
one audience (a query result, a subscription payload) can be computed once and shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hub.domain.lifecycle import ISSUED, CaseFacts, State
from hub.domain.roles import Actor, Role, Side


class Reach(StrEnum):
    ALL = "all"  # the Linkage Office sees every case
    ISSUER = "issuer"  # a procuratorate sees the cases it issued, drafts included
    ADDRESSEE = "addressee"  # a unit sees cases addressed to it, once issued


@dataclass(frozen=True, slots=True)
class Audience:
    reach: Reach
    unit_id: int

    @property
    def sees_internal(self) -> bool:
        """Internal notes and internal steps are for the procuratorate side only."""
        return self.reach is not Reach.ADDRESSEE

    @property
    def key(self) -> str:
        return f"{self.reach.value}:{self.unit_id}"


@dataclass(frozen=True, slots=True)
class CaseScope:
    """The set of cases an audience may see, as data the database layer can translate."""

    everything: bool
    issuer_unit_id: int | None
    addressee_unit_id: int | None
    states: frozenset[State] | None  # None: any state

    def matches(self, facts: CaseFacts) -> bool:
        if self.everything:
            return True
        if self.issuer_unit_id is not None and facts.issuer_unit_id != self.issuer_unit_id:
            return False
        if self.addressee_unit_id is not None and facts.addressee_unit_id != self.addressee_unit_id:
            return False
        return self.states is None or facts.state in self.states


def audience_of(actor: Actor) -> Audience:
    if actor.role is Role.OFFICE_ADMIN:
        return Audience(Reach.ALL, actor.unit_id)
    if actor.side is Side.PROCURATORATE:
        return Audience(Reach.ISSUER, actor.unit_id)
    return Audience(Reach.ADDRESSEE, actor.unit_id)


def case_scope(audience: Audience) -> CaseScope:
    match audience.reach:
        case Reach.ALL:
            return CaseScope(True, None, None, None)
        case Reach.ISSUER:
            return CaseScope(False, audience.unit_id, None, None)
        case Reach.ADDRESSEE:
            return CaseScope(False, None, audience.unit_id, ISSUED)
