"""The transition table and the visibility rule, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from hub.domain.errors import InvalidTransition, PermissionDenied
from hub.domain.lifecycle import (
    AWAITING_REPLY,
    TRANSITIONS,
    Action,
    CaseFacts,
    Column,
    DeadlineLevel,
    State,
    available_transitions,
    board_column,
    choose_transition,
    column_criteria,
    deadline_level,
    is_overdue,
)
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.domain.visibility import Reach, audience_of, case_scope

PROC, UNIT_A, UNIT_B = 1, 2, 3
TODAY = date(2026, 11, 28)


def actor(role: Role, unit: int, side: Side) -> Actor:
    return Actor(ActorKind.USER, 1, "x", role, unit, side)


PROSECUTOR = actor(Role.PROSECUTOR, PROC, Side.PROCURATORATE)
CHIEF = actor(Role.PROCURATOR_APPROVER, PROC, Side.PROCURATORATE)
OFFICE = actor(Role.OFFICE_ADMIN, PROC, Side.PROCURATORATE)
LIAISON_A = actor(Role.UNIT_LIAISON, UNIT_A, Side.GOVERNMENT)
LIAISON_B = actor(Role.UNIT_LIAISON, UNIT_B, Side.GOVERNMENT)


def facts(state: State, due: date | None = date(2026, 12, 20)) -> CaseFacts:
    return CaseFacts(state, PROC, UNIT_A, due)


@pytest.mark.parametrize(
    ("state", "action", "who", "target"),
    [
        (State.DRAFT, Action.SUBMIT_FOR_APPROVAL, PROSECUTOR, State.PENDING_APPROVAL),
        (State.PENDING_APPROVAL, Action.APPROVE, CHIEF, State.APPROVED),
        (State.PENDING_APPROVAL, Action.RETURN_FOR_REVISION, CHIEF, State.DRAFT),
        (State.APPROVED, Action.SERVE, PROSECUTOR, State.SERVED),
        (State.SERVED, Action.ACKNOWLEDGE, LIAISON_A, State.RECTIFYING),
        (State.SERVED, Action.SUBMIT_REPLY, LIAISON_A, State.REPLIED),
        (State.RECTIFYING, Action.SUBMIT_REPLY, LIAISON_A, State.REPLIED),
        (State.REPLIED, Action.ADOPT_REPLY, PROSECUTOR, State.CLOSED_ADOPTED),
        (State.REPLIED, Action.PARTIALLY_ADOPT_REPLY, PROSECUTOR, State.RECTIFYING),
        (State.SERVED, Action.RAISE_OBJECTION, LIAISON_A, State.OBJECTION_REVIEW),
        (State.OBJECTION_REVIEW, Action.REJECT_OBJECTION, CHIEF, State.SERVED),
        (State.OBJECTION_REVIEW, Action.AMEND_AND_RESERVE, CHIEF, State.SERVED),
        (State.OBJECTION_REVIEW, Action.WITHDRAW, CHIEF, State.WITHDRAWN),
    ],
)
def test_allowed_steps(state: State, action: Action, who: Actor, target: State) -> None:
    assert choose_transition(action, who, facts(state), TODAY).target is target


@pytest.mark.parametrize(
    ("state", "action", "who", "error"),
    [
        (State.DRAFT, Action.SERVE, PROSECUTOR, InvalidTransition),
        (State.SERVED, Action.APPROVE, CHIEF, InvalidTransition),
        (State.CLOSED_ADOPTED, Action.SUBMIT_REPLY, LIAISON_A, InvalidTransition),
        (State.WITHDRAWN, Action.RAISE_OBJECTION, LIAISON_A, InvalidTransition),
        (State.PENDING_APPROVAL, Action.APPROVE, PROSECUTOR, PermissionDenied),
        (State.SERVED, Action.ACKNOWLEDGE, LIAISON_B, PermissionDenied),  # not its case
        (State.SERVED, Action.ACKNOWLEDGE, OFFICE, PermissionDenied),
        (State.REPLIED, Action.ADOPT_REPLY, LIAISON_A, PermissionDenied),
        (State.SERVED, Action.URGE, OFFICE, InvalidTransition),  # not overdue yet
    ],
)
def test_refused_steps(state: State, action: Action, who: Actor, error: type[Exception]) -> None:
    with pytest.raises(error):
        choose_transition(action, who, facts(state), TODAY)


def test_overdue_is_a_column_derived_from_the_deadline() -> None:
    late = facts(State.RECTIFYING, due=date(2026, 11, 27))
    assert board_column(late, TODAY) is Column.OVERDUE
    assert board_column(facts(State.RECTIFYING, due=TODAY), TODAY) is Column.RECTIFYING
    assert board_column(facts(State.REPLIED, due=date(2026, 1, 1)), TODAY) is Column.REPLIED
    assert Column.OVERDUE.value not in {s.value for s in State}  # never stored
    assert [t.action for t in available_transitions(OFFICE, late, TODAY)] == [Action.URGE]


@pytest.mark.parametrize(
    ("due", "level"),
    [
        (date(2026, 11, 27), DeadlineLevel.RED),
        (TODAY, DeadlineLevel.YELLOW),
        (date(2026, 12, 5), DeadlineLevel.YELLOW),
        (date(2026, 12, 6), DeadlineLevel.GREEN),
    ],
)
def test_deadline_chip_colours(due: date, level: DeadlineLevel) -> None:
    assert deadline_level(facts(State.SERVED, due), TODAY) is level
    assert deadline_level(facts(State.REPLIED, due), TODAY) is DeadlineLevel.NONE


def test_every_awaiting_state_can_be_answered_and_every_state_is_reachable() -> None:
    targets = {t.target for t in TRANSITIONS if t.target} | {State.DRAFT}
    assert targets == set(State)
    for state in AWAITING_REPLY:
        assert any(t.action is Action.SUBMIT_REPLY and state in t.sources for t in TRANSITIONS)


def test_available_actions_follow_the_table() -> None:
    actions = [t.action for t in available_transitions(LIAISON_A, facts(State.SERVED), TODAY)]
    assert actions == [Action.ACKNOWLEDGE, Action.SUBMIT_REPLY, Action.RAISE_OBJECTION]
    assert available_transitions(LIAISON_B, facts(State.SERVED), TODAY) == []


def test_visibility_by_audience() -> None:
    assert audience_of(OFFICE).reach is Reach.ALL
    assert audience_of(CHIEF).reach is Reach.ISSUER
    assert audience_of(LIAISON_A).reach is Reach.ADDRESSEE
    agency = case_scope(audience_of(LIAISON_A))
    assert agency.matches(facts(State.SERVED))
    assert not agency.matches(facts(State.APPROVED))  # not issued yet
    assert not case_scope(audience_of(LIAISON_B)).matches(facts(State.SERVED))
    other_procuratorate = actor(Role.PROSECUTOR, 99, Side.PROCURATORATE)
    assert not case_scope(audience_of(other_procuratorate)).matches(facts(State.DRAFT))
    assert case_scope(audience_of(OFFICE)).matches(CaseFacts(State.DRAFT, 99, 98, None))
    assert not audience_of(LIAISON_A).sees_internal and audience_of(PROSECUTOR).sees_internal


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("due", [date(2026, 11, 27), TODAY, date(2026, 12, 20), None])
def test_column_criteria_agree_with_board_column(state: State, due: date | None) -> None:
    case = facts(state, due)
    for column in Column:
        states, overdue = column_criteria(column)
        selected = state in states and (overdue is None or overdue == is_overdue(case, TODAY))
        assert selected == (board_column(case, TODAY) is column), (state, due, column)
