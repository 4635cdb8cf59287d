"""One lifecycle engine for every kind: the spec is a parameter, never a branch.

``choose_transition`` decides whether a step may be taken (or says why not),
``available_transitions`` lists what an actor may do now (the board's drop targets and the
step menu), and ``board_column`` places a card, deriving overdue columns from clocks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from hub.domain.errors import InvalidTransition, PermissionDenied
from hub.domain.kinds import PERSON_PARTIES, Column, KindSpec, PartyRole, Transition
from hub.domain.roles import Actor, ActorKind, Role


class ClockStatus(StrEnum):
    RUNNING = "running"
    SUSPENDED = "suspended"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class ClockFacts:
    status: ClockStatus
    due_on: date | None


@dataclass(frozen=True, slots=True)
class Party:
    role: PartyRole
    unit_id: int
    user_id: int | None = None


_NO_CLOCKS: Mapping[str, ClockFacts] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rules need to know about one case of any kind."""

    state: str
    parties: tuple[Party, ...]
    clocks: Mapping[str, ClockFacts] = field(default_factory=lambda: _NO_CLOCKS)
    flags: frozenset[str] = frozenset()  # kind-specific facts guards test, e.g. public_interest

    def units(self, role: PartyRole) -> frozenset[int]:
        return frozenset(p.unit_id for p in self.parties if p.role is role)

    def people(self, role: PartyRole) -> frozenset[int]:
        return frozenset(p.user_id for p in self.parties if p.role is role and p.user_id)

    def unit(self, role: PartyRole) -> int | None:
        return next((p.unit_id for p in self.parties if p.role is role), None)


def clock_facts(
    spec: KindSpec, state: str, name: str, status: ClockStatus, due_on: date | None
) -> ClockFacts:
    """A stored clock as the rules see it: a started clock counts only in its ``runs_in``
    states (the reply clock pauses while an objection or a reply is reviewed)."""
    runs_in = spec.clock(name).runs_in
    if status is ClockStatus.RUNNING and runs_in is not None and state not in runs_in:
        status = ClockStatus.STOPPED
    return ClockFacts(status, due_on)


def is_clock_overdue(facts: CaseFacts, clock: str, today: date) -> bool:
    """A running clock whose last day has passed."""
    c = facts.clocks.get(clock)
    return (
        c is not None
        and c.status is ClockStatus.RUNNING
        and c.due_on is not None
        and today > c.due_on
    )


def relates(actor: Actor, party: PartyRole, facts: CaseFacts) -> bool:
    if party is PartyRole.OFFICE:
        return actor.role is Role.OFFICE_ADMIN
    if party in PERSON_PARTIES:
        return actor.kind is ActorKind.USER and actor.id in facts.people(party)
    return actor.unit_id in facts.units(party)


def _guards_hold(t: Transition, facts: CaseFacts) -> bool:
    return t.when <= facts.flags and not (t.unless & facts.flags)


def _clock_allows(t: Transition, facts: CaseFacts) -> bool:
    if t.clock_op is None or t.clock is None:
        return True
    clock = facts.clocks.get(t.clock)
    if clock is None:
        return False
    wanted = ClockStatus.SUSPENDED if t.clock_op == "resume" else ClockStatus.RUNNING
    return clock.status is wanted


def may_take(actor: Actor, t: Transition, facts: CaseFacts) -> bool:
    if t.unless_party is not None and actor.unit_id in facts.units(t.unless_party):
        return False
    return actor.role in t.roles and relates(actor, t.party, facts)


def choose_transition(
    spec: KindSpec, action: str, actor: Actor, facts: CaseFacts, today: date
) -> Transition:
    """The table row for this step, or a typed error saying why it is refused."""
    rows = [t for t in spec.transitions if t.action == action]
    label = rows[0].label if rows else action
    from_here = [t for t in rows if facts.state in t.sources and _guards_hold(t, facts)]
    if not from_here:
        raise InvalidTransition(f"当前状态“{spec.state_label(facts.state)}”不能执行“{label}”")
    permitted = [t for t in from_here if may_take(actor, t, facts)]
    if not permitted:
        raise PermissionDenied(f"您无权执行“{from_here[0].label}”")
    transition = permitted[0]
    if not _clock_allows(transition, facts):
        raise InvalidTransition(f"期限当前状态不能执行“{transition.label}”")
    if transition.needs_overdue and not is_clock_overdue(facts, transition.needs_overdue, today):
        raise InvalidTransition(f"尚未逾期，不能{transition.label}")
    return transition


# Per spec and state, the table rows leaving that state, in table order (a board asks for
# every card; specs are frozen). Keyed by the spec's identity, the spec kept with its rows.
_leaving: dict[tuple[int, str], tuple[KindSpec, tuple[Transition, ...]]] = {}


def _transitions_from(spec: KindSpec, state: str) -> tuple[Transition, ...]:
    cached = _leaving.get((id(spec), state))
    if cached is not None and cached[0] is spec:
        return cached[1]
    if len(_leaving) > 4096:  # specs made on the fly (tests): never more than a few
        _leaving.clear()
    rows = tuple(t for t in spec.transitions if state in t.sources)
    _leaving[(id(spec), state)] = (spec, rows)
    return rows


def available_transitions(
    spec: KindSpec, actor: Actor, facts: CaseFacts, today: date
) -> list[Transition]:
    """The steps this actor may take now, in table order, one per action."""
    seen: set[str] = set()
    result: list[Transition] = []
    for t in _transitions_from(spec, facts.state):
        if t.action in seen or not _guards_hold(t, facts):
            continue
        if not may_take(actor, t, facts) or not _clock_allows(t, facts):
            continue
        if t.needs_overdue and not is_clock_overdue(facts, t.needs_overdue, today):
            continue
        seen.add(t.action)
        result.append(t)
    return result


def board_column(spec: KindSpec, facts: CaseFacts, today: date) -> Column:
    """The overdue column whose clock has passed, else the column holding the state."""
    plain: Column | None = None
    for column in spec.columns:
        if facts.state not in column.states:
            continue
        if column.overdue_clock is None:
            plain = plain or column
        elif is_clock_overdue(facts, column.overdue_clock, today):
            return column
    if plain is None:  # pragma: no cover - the spec test checks every state has a column
        raise ValueError(f"{spec.kind}: state {facts.state!r} has no column")
    return plain


@dataclass(frozen=True, slots=True)
class ColumnCriteria:
    """The cards of one column as a filter: states, and per overdue clock whether it must be
    overdue (True) or not (False)."""

    states: frozenset[str]
    overdue: Mapping[str, bool]


def column_criteria(spec: KindSpec, column_id: str) -> ColumnCriteria:
    column = spec.column(column_id)
    if column.overdue_clock is not None:
        return ColumnCriteria(column.states, {column.overdue_clock: True})
    # A state column leaves out the cards an overdue column of the same states takes.
    overdue = {
        c.overdue_clock: False
        for c in spec.columns
        if c.overdue_clock is not None and c.states & column.states
    }
    return ColumnCriteria(column.states, overdue)


class DeadlineLevel(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"


def deadline_level(clock: ClockFacts | None, today: date, due_soon_days: int) -> DeadlineLevel:
    """Red when overdue, yellow within ``due_soon_days``, green otherwise, while running."""
    if clock is None or clock.status is not ClockStatus.RUNNING or clock.due_on is None:
        return DeadlineLevel.NONE
    days_left = (clock.due_on - today).days
    if days_left < 0:
        return DeadlineLevel.RED
    return DeadlineLevel.YELLOW if days_left <= due_soon_days else DeadlineLevel.GREEN
