"""What a viewer may do with a card now, and where each step takes it on the board."""

from __future__ import annotations

from datetime import date

from hub.domain.engine import (
    CaseFacts,
    ClockFacts,
    ClockStatus,
    available_transitions,
    board_column,
    clock_facts,
)
from hub.domain.kinds import Transition
from hub.domain.roles import Actor, ActorKind
from hub.resolvers.cases import CaseData


def actions_for(actor: Actor, case: CaseData, today: date) -> list[Transition]:
    """The engine's steps for this actor on this case now, one per action, in table order."""
    return available_transitions(case.spec, actor, case.facts, today)


def target_column(
    case: CaseData, transition: Transition, today: date, current: str | None = None
) -> str | None:
    """The column the card lands in after ``transition``; None when it stays in its column
    (``current``, the card's column now, when the caller knows it).

    The state becomes the target, stopped clocks stop and started ones start afresh (a new
    last day is never past), so an overdue card that is only acknowledged stays overdue.
    """
    if transition.target is None:
        return None
    spec, target = case.spec, transition.target
    clocks: dict[str, ClockFacts] = {}
    for c in case.clocks:
        status = ClockStatus.STOPPED if c.name in transition.stops else c.status
        clocks[c.name] = clock_facts(spec, target, c.name, status, c.due_on)
    for name in transition.starts:
        clocks[name] = clock_facts(spec, target, name, ClockStatus.RUNNING, None)
    after = CaseFacts(target, case.parties, clocks, case.flags | transition.sets)
    column = board_column(spec, after, today).id
    current = current or board_column(spec, case.facts, today).id
    return None if column == current else column


def may_edit(actor: Actor, case: CaseData) -> bool:
    """The author may edit the case while it is in one of its kind's draft states."""
    return (
        case.state in case.spec.draft_states
        and actor.kind is ActorKind.USER
        and case.row["author_id"] == actor.id
    )
