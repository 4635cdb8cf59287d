"""Who may see which case: decided here, once, for every way a case can be reached.

A viewer sees a case when the Linkage Office is asking, or when the viewer's unit is a party
to the case in a role the kind's ``sees`` table shows in the case's current state. Internal
notes and internal steps are for the procuratorate side only.

What one viewer is shown depends on their ``Audience`` (unit and side) and, for the steps
offered, on their role and — where a kind reserves a step for one person (the handling
prosecutor) — on who they are: ``render_key`` is that whole key, so a render shared by
several subscribers (``hub.subscriptions.fanout``) never shows one person another's steps.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from hub.domain.engine import CaseFacts
from hub.domain.kinds import PERSON_PARTIES, KindSpec
from hub.domain.roles import Actor, Role, Side


@dataclass(frozen=True, slots=True)
class Audience:
    everything: bool  # the Linkage Office sees every case
    unit_id: int
    side: Side

    @property
    def sees_internal(self) -> bool:
        """Internal notes and steps: the Linkage Office and the procuratorate side."""
        return self.everything or self.side is Side.PROCURATORATE

    @property
    def key(self) -> str:
        return f"{'all' if self.everything else self.side.value}:{self.unit_id}"


def audience_of(actor: Actor) -> Audience:
    return Audience(actor.role is Role.OFFICE_ADMIN, actor.unit_id, actor.side)


def can_see(audience: Audience, spec: KindSpec, facts: CaseFacts) -> bool:
    if audience.everything:
        return True
    for party in facts.parties:
        if party.unit_id != audience.unit_id or party.role not in spec.sees:
            continue
        states = spec.sees[party.role]
        if states is None or facts.state in states:
            return True
    return False


def personal_roles(specs: Iterable[KindSpec]) -> frozenset[Role]:
    """Roles that some step reserves for one person of a unit."""
    return frozenset(
        role
        for spec in specs
        for t in spec.transitions
        if t.party in PERSON_PARTIES
        for role in t.roles
    )


def render_key(actor: Actor, personal: frozenset[Role]) -> Hashable:
    """Everything a rendered case can depend on for this viewer."""
    person = actor.id if actor.role in personal else None
    return (actor.role, actor.unit_id, actor.side, person)
