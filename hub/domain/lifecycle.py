"""The procuratorial-recommendation lifecycle (domain.md §5.2) as a transition table.

Overdue is not a stored state: it is derived from the reply deadline (``board_column``).
The board's drop targets, the mutations and the services all read this one table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hub.domain.errors import InvalidTransition, PermissionDenied
from hub.domain.roles import Actor, Role


class State(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    SERVED = "served"
    RECTIFYING = "rectifying"
    OBJECTION_REVIEW = "objection_review"
    REPLIED = "replied"
    CLOSED_ADOPTED = "closed_adopted"
    WITHDRAWN = "withdrawn"


class Column(StrEnum):
    """A board column: every state, plus OVERDUE which is derived from the deadline."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    SERVED = "served"
    RECTIFYING = "rectifying"
    OVERDUE = "overdue"
    OBJECTION_REVIEW = "objection_review"
    REPLIED = "replied"
    CLOSED_ADOPTED = "closed_adopted"
    WITHDRAWN = "withdrawn"


STATE_LABELS: dict[State, str] = {
    State.DRAFT: "草稿",
    State.PENDING_APPROVAL: "待审批",
    State.APPROVED: "已批准",
    State.SERVED: "已送达",
    State.RECTIFYING: "整改中",
    State.OBJECTION_REVIEW: "异议复核",
    State.REPLIED: "已回复",
    State.CLOSED_ADOPTED: "已采纳结案",
    State.WITHDRAWN: "已撤回",
}
COLUMN_LABELS: dict[Column, str] = {Column(s.value): label for s, label in STATE_LABELS.items()}
COLUMN_LABELS[Column.OVERDUE] = "逾期未回复"

# States in which a reply is awaited and the deadline runs.
AWAITING_REPLY = frozenset({State.SERVED, State.RECTIFYING})
# States the addressee unit may see; earlier ones are internal to the procuratorate.
ISSUED = frozenset(State) - {State.DRAFT, State.PENDING_APPROVAL, State.APPROVED}
CLOSED = frozenset({State.CLOSED_ADOPTED, State.WITHDRAWN})


class Action(StrEnum):
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    RETURN_FOR_REVISION = "return_for_revision"
    SERVE = "serve"
    ACKNOWLEDGE = "acknowledge"
    SUBMIT_REPLY = "submit_reply"
    ADOPT_REPLY = "adopt_reply"
    PARTIALLY_ADOPT_REPLY = "partially_adopt_reply"
    RAISE_OBJECTION = "raise_objection"
    REJECT_OBJECTION = "reject_objection"
    AMEND_AND_RESERVE = "amend_and_reserve"
    WITHDRAW = "withdraw"
    URGE = "urge"


class Party(StrEnum):
    """How an actor must relate to the case to take a step."""

    ISSUER = "issuer"  # a user of the procuratorate that issued it
    ADDRESSEE = "addressee"  # a user or system of the unit it is addressed to
    OFFICE = "office"  # the Linkage Office


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State | None  # None: the step is recorded and the state stays
    party: Party
    roles: frozenset[Role]
    label: str
    needs_overdue: bool = False
    internal: bool = False  # hidden from the addressee's event stream


def _t(
    action: Action,
    sources: Iterable[State],
    target: State | None,
    party: Party,
    roles: Iterable[Role],
    label: str,
    *,
    needs_overdue: bool = False,
    internal: bool = False,
) -> Transition:
    return Transition(
        action, frozenset(sources), target, party, frozenset(roles), label, needs_overdue, internal
    )


S, R = State, Role
TRANSITIONS: tuple[Transition, ...] = (
    _t(
        Action.SUBMIT_FOR_APPROVAL,
        [S.DRAFT],
        S.PENDING_APPROVAL,
        Party.ISSUER,
        [R.PROSECUTOR],
        "提请审批",
        internal=True,
    ),
    _t(
        Action.APPROVE,
        [S.PENDING_APPROVAL],
        S.APPROVED,
        Party.ISSUER,
        [R.PROCURATOR_APPROVER],
        "批准",
        internal=True,
    ),
    _t(
        Action.RETURN_FOR_REVISION,
        [S.PENDING_APPROVAL],
        S.DRAFT,
        Party.ISSUER,
        [R.PROCURATOR_APPROVER],
        "退回修改",
        internal=True,
    ),
    _t(Action.SERVE, [S.APPROVED], S.SERVED, Party.ISSUER, [R.PROSECUTOR], "送达"),
    _t(
        Action.ACKNOWLEDGE,
        [S.SERVED],
        S.RECTIFYING,
        Party.ADDRESSEE,
        [R.UNIT_LIAISON, R.UNIT_LEADER],
        "签收并整改",
    ),
    _t(
        Action.SUBMIT_REPLY,
        AWAITING_REPLY,
        S.REPLIED,
        Party.ADDRESSEE,
        [R.UNIT_LIAISON, R.UNIT_LEADER],
        "提交整改回复",
    ),
    _t(
        Action.ADOPT_REPLY,
        [S.REPLIED],
        S.CLOSED_ADOPTED,
        Party.ISSUER,
        [R.PROSECUTOR],
        "采纳回复并结案",
    ),
    _t(
        Action.PARTIALLY_ADOPT_REPLY,
        [S.REPLIED],
        S.RECTIFYING,
        Party.ISSUER,
        [R.PROSECUTOR],
        "部分采纳，继续整改",
    ),
    _t(
        Action.RAISE_OBJECTION,
        AWAITING_REPLY,
        S.OBJECTION_REVIEW,
        Party.ADDRESSEE,
        [R.UNIT_LIAISON, R.UNIT_LEADER],
        "提出异议",
    ),
    _t(
        Action.REJECT_OBJECTION,
        [S.OBJECTION_REVIEW],
        S.SERVED,
        Party.ISSUER,
        [R.PROCURATOR_APPROVER],
        "异议不成立",
    ),
    _t(
        Action.AMEND_AND_RESERVE,
        [S.OBJECTION_REVIEW],
        S.SERVED,
        Party.ISSUER,
        [R.PROCURATOR_APPROVER],
        "异议成立，修改后重新送达",
    ),
    _t(
        Action.WITHDRAW,
        [S.OBJECTION_REVIEW],
        S.WITHDRAWN,
        Party.ISSUER,
        [R.PROCURATOR_APPROVER],
        "异议成立，撤回检察建议",
    ),
    _t(
        Action.URGE,
        AWAITING_REPLY,
        None,
        Party.OFFICE,
        [R.OFFICE_ADMIN],
        "督促回复",
        needs_overdue=True,
    ),
    _t(
        Action.URGE,
        AWAITING_REPLY,
        None,
        Party.ISSUER,
        [R.PROSECUTOR],
        "督促回复",
        needs_overdue=True,
    ),
)
del S, R


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rules need to know about one recommendation."""

    state: State
    issuer_unit_id: int
    addressee_unit_id: int
    reply_due: date | None


def is_overdue(facts: CaseFacts, today: date) -> bool:
    """Overdue means a reply is awaited and the last day to reply has passed."""
    return facts.state in AWAITING_REPLY and facts.reply_due is not None and today > facts.reply_due


class DeadlineLevel(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"


DUE_SOON_DAYS = 7


def deadline_level(facts: CaseFacts, today: date) -> DeadlineLevel:
    """Red when overdue, yellow within ``DUE_SOON_DAYS``, green otherwise, while awaited."""
    if facts.state not in AWAITING_REPLY or facts.reply_due is None:
        return DeadlineLevel.NONE
    days_left = (facts.reply_due - today).days
    if days_left < 0:
        return DeadlineLevel.RED
    return DeadlineLevel.YELLOW if days_left <= DUE_SOON_DAYS else DeadlineLevel.GREEN


def board_column(facts: CaseFacts, today: date) -> Column:
    return Column.OVERDUE if is_overdue(facts, today) else Column(facts.state.value)


def column_criteria(column: Column) -> tuple[frozenset[State], bool | None]:
    """The stored states, and whether overdue (None: either), of the cards in ``column``."""
    if column is Column.OVERDUE:
        return AWAITING_REPLY, True
    state = State(column.value)
    return frozenset({state}), (False if state in AWAITING_REPLY else None)


def relates(actor: Actor, party: Party, facts: CaseFacts) -> bool:
    match party:
        case Party.ISSUER:
            return actor.unit_id == facts.issuer_unit_id
        case Party.ADDRESSEE:
            return actor.unit_id == facts.addressee_unit_id
        case Party.OFFICE:
            return True


def may_take(actor: Actor, transition: Transition, facts: CaseFacts) -> bool:
    return actor.role in transition.roles and relates(actor, transition.party, facts)


def choose_transition(action: Action, actor: Actor, facts: CaseFacts, today: date) -> Transition:
    """The table row for this step, or a typed error saying why it is refused."""
    rows = [t for t in TRANSITIONS if t.action is action]
    from_here = [t for t in rows if facts.state in t.sources]
    if not from_here:
        label = rows[0].label if rows else action.value
        raise InvalidTransition(f"当前状态“{STATE_LABELS[facts.state]}”不能执行“{label}”")
    permitted = [t for t in from_here if may_take(actor, t, facts)]
    if not permitted:
        raise PermissionDenied(f"您无权执行“{from_here[0].label}”")
    transition = permitted[0]
    if transition.needs_overdue and not is_overdue(facts, today):
        raise InvalidTransition(f"尚未逾期，不能{transition.label}")
    return transition


def available_transitions(actor: Actor, facts: CaseFacts, today: date) -> list[Transition]:
    """The steps this actor may take now, in table order, one per action."""
    seen: set[Action] = set()
    result: list[Transition] = []
    for t in TRANSITIONS:
        if t.action in seen or facts.state not in t.sources or not may_take(actor, t, facts):
            continue
        if t.needs_overdue and not is_overdue(facts, today):
            continue
        seen.add(t.action)
        result.append(t)
    return result
