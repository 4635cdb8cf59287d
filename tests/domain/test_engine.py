"""The one engine over the recommendation's spec (and small synthetic specs), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from hub.domain.engine import (
    CaseFacts,
    ClockFacts,
    ClockStatus,
    DeadlineLevel,
    Party,
    available_transitions,
    board_column,
    choose_transition,
    clock_facts,
    column_criteria,
    deadline_level,
    is_clock_overdue,
)
from hub.domain.errors import InvalidTransition, PermissionDenied
from hub.domain.kinds import (
    CaseKind,
    ClockOp,
    ClockSpec,
    Column,
    KindSpec,
    PartyRole,
    RuleSet,
    step,
)
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.domain.visibility import audience_of, can_see, personal_roles, render_key
from hub.kinds.recommendation.spec import (
    AWAITING_REPLY,
    LINKED_PIL,
    PUBLIC_INTEREST,
    REPLY,
    REPLY_CLOCK,
    SPEC,
    TRANSITIONS,
    URGED,
    Action,
    State,
)

PROC, UNIT_A, UNIT_B = 1, 2, 3
TODAY = date(2026, 11, 28)


def actor(role: Role, unit: int, side: Side, id: int = 1) -> Actor:
    return Actor(ActorKind.USER, id, "x", role, unit, side)


PROSECUTOR = actor(Role.PROSECUTOR, PROC, Side.PROCURATORATE)
CHIEF = actor(Role.PROCURATOR_APPROVER, PROC, Side.PROCURATORATE)
OFFICE = actor(Role.OFFICE_ADMIN, PROC, Side.PROCURATORATE)
LIAISON_A = actor(Role.UNIT_LIAISON, UNIT_A, Side.GOVERNMENT)
LIAISON_B = actor(Role.UNIT_LIAISON, UNIT_B, Side.GOVERNMENT)
PARTIES = (Party(PartyRole.ISSUER, PROC), Party(PartyRole.ADDRESSEE, UNIT_A))


def facts(
    state: State, due: date | None = date(2026, 12, 20), flags: frozenset[str] = frozenset()
) -> CaseFacts:
    """A recommendation in ``state`` whose reply clock (started, due ``due``) counts as stored
    clocks do: only while a reply is awaited."""
    clocks = (
        {} if due is None else {REPLY: clock_facts(SPEC, state, REPLY, ClockStatus.RUNNING, due)}
    )
    return CaseFacts(state, PARTIES, clocks, flags)


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
    assert choose_transition(SPEC, action, who, facts(state), TODAY).target == target


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
        choose_transition(SPEC, action, who, facts(state), TODAY)


@pytest.mark.parametrize(
    ("state", "action", "who", "error", "message"),
    [
        (State.DRAFT, Action.SERVE, PROSECUTOR, InvalidTransition, "当前状态“草稿”不能执行“送达”"),
        (State.SERVED, "no_such_step", PROSECUTOR, InvalidTransition,
         "当前状态“已送达”不能执行“no_such_step”"),
        (State.PENDING_APPROVAL, Action.APPROVE, PROSECUTOR, PermissionDenied, "您无权执行“批准”"),
        (State.SERVED, Action.URGE, OFFICE, InvalidTransition, "尚未逾期，不能督促回复"),
        # A guard that fails hides the row: the step does not exist from here.
        (State.SERVED, Action.CONVERT_TO_LITIGATION, CHIEF, InvalidTransition,
         "当前状态“已送达”不能执行“转入公益诉讼起诉审查”"),
    ],
)  # fmt: skip
def test_choose_transition_says_why_not(
    state: State, action: str, who: Actor, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{message}$"):
        choose_transition(SPEC, action, who, facts(state), TODAY)


def test_overdue_is_a_column_derived_from_the_reply_clock() -> None:
    late = facts(State.RECTIFYING, due=date(2026, 11, 27))
    assert board_column(SPEC, late, TODAY).id == "overdue"
    assert board_column(SPEC, facts(State.RECTIFYING, due=TODAY), TODAY).id == "rectifying"
    assert board_column(SPEC, facts(State.REPLIED, due=date(2026, 1, 1)), TODAY).id == "replied"
    assert "overdue" not in SPEC.states  # never stored
    assert [t.action for t in available_transitions(SPEC, OFFICE, late, TODAY)] == [Action.URGE]
    assert is_clock_overdue(late, REPLY, TODAY)
    assert not is_clock_overdue(late, REPLY, date(2026, 11, 27))  # the last day is in time
    assert not is_clock_overdue(facts(State.REPLIED, due=date(2026, 1, 1)), REPLY, TODAY)
    assert not is_clock_overdue(facts(State.SERVED, due=None), REPLY, TODAY)
    stopped = CaseFacts(State.SERVED, PARTIES, {REPLY: ClockFacts(ClockStatus.STOPPED, TODAY)})
    assert not is_clock_overdue(stopped, REPLY, date(2027, 1, 1))


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
    days = REPLY_CLOCK.due_soon_days
    assert days == 7
    assert deadline_level(facts(State.SERVED, due).clocks[REPLY], TODAY, days) is level
    assert (
        deadline_level(facts(State.REPLIED, due).clocks[REPLY], TODAY, days) is DeadlineLevel.NONE
    )
    assert deadline_level(None, TODAY, days) is DeadlineLevel.NONE


def test_every_awaiting_state_can_be_answered_and_every_state_is_reachable() -> None:
    targets = {t.target for t in TRANSITIONS if t.target} | {State.DRAFT}
    assert targets == set(State) == set(SPEC.states)
    for state in AWAITING_REPLY:
        assert any(t.action == Action.SUBMIT_REPLY and state in t.sources for t in TRANSITIONS)


def _actions(who: Actor, known: CaseFacts) -> list[str]:
    return [t.action for t in available_transitions(SPEC, who, known, TODAY)]


def test_available_actions_follow_the_table() -> None:
    assert _actions(LIAISON_A, facts(State.SERVED)) == [
        Action.ACKNOWLEDGE, Action.SUBMIT_REPLY, Action.RAISE_OBJECTION,
    ]  # fmt: skip
    assert _actions(LIAISON_B, facts(State.SERVED)) == []


@pytest.mark.parametrize(
    ("who", "state", "flags", "due", "actions"),
    [
        (PROSECUTOR, State.DRAFT, (), None, [Action.SUBMIT_FOR_APPROVAL]),
        (CHIEF, State.DRAFT, (), None, []),
        (CHIEF, State.PENDING_APPROVAL, (), None, [Action.APPROVE, Action.RETURN_FOR_REVISION]),
        (PROSECUTOR, State.APPROVED, (), None, [Action.SERVE]),
        (LIAISON_A, State.APPROVED, (), None, []),
        (LIAISON_A, State.RECTIFYING, (), None, [Action.SUBMIT_REPLY, Action.RAISE_OBJECTION]),
        (PROSECUTOR, State.REPLIED, (), None, [Action.ADOPT_REPLY, Action.PARTIALLY_ADOPT_REPLY]),
        (CHIEF, State.OBJECTION_REVIEW, (), None,
         [Action.REJECT_OBJECTION, Action.AMEND_AND_RESERVE, Action.WITHDRAW]),
        (OFFICE, State.SERVED, (), date(2026, 11, 27), [Action.URGE]),
        (PROSECUTOR, State.SERVED, (), date(2026, 11, 27), [Action.URGE]),
        (PROSECUTOR, State.SERVED, (), date(2026, 12, 20), []),
        (LIAISON_A, State.SERVED, (), date(2026, 11, 27),
         [Action.ACKNOWLEDGE, Action.SUBMIT_REPLY, Action.RAISE_OBJECTION]),
        # Escalation (D6) only after the unit was urged and while still overdue.
        (CHIEF, State.RECTIFYING, (), date(2026, 11, 27), []),
        (CHIEF, State.RECTIFYING, (URGED,), date(2026, 11, 27), [Action.ESCALATE]),
        (CHIEF, State.RECTIFYING, (URGED,), date(2026, 12, 20), []),
        # Conversion to litigation review: a public-interest case linked to a PIL case.
        (CHIEF, State.REPLIED, (PUBLIC_INTEREST,), None, []),
        (CHIEF, State.REPLIED, (PUBLIC_INTEREST, LINKED_PIL), None, [Action.CONVERT_TO_LITIGATION]),
        (PROSECUTOR, State.REPLIED, (PUBLIC_INTEREST, LINKED_PIL), None,
         [Action.ADOPT_REPLY, Action.PARTIALLY_ADOPT_REPLY]),
        (OFFICE, State.CLOSED_ADOPTED, (), None, []),
    ],
)  # fmt: skip
def test_available_transitions_per_role(
    who: Actor, state: State, flags: tuple[str, ...], due: date | None, actions: list[str]
) -> None:
    known = facts(state, due, frozenset(flags))
    assert _actions(who, known) == actions
    for action in actions:  # what is offered can be taken
        assert choose_transition(SPEC, action, who, known, TODAY).action == action


def test_visibility_by_audience() -> None:
    assert audience_of(OFFICE).everything
    assert not audience_of(CHIEF).everything and audience_of(CHIEF).side is Side.PROCURATORATE
    assert audience_of(LIAISON_A).side is Side.GOVERNMENT
    agency = audience_of(LIAISON_A)
    assert can_see(agency, SPEC, facts(State.SERVED))
    assert not can_see(agency, SPEC, facts(State.APPROVED))  # not issued yet
    assert not can_see(audience_of(LIAISON_B), SPEC, facts(State.SERVED))
    other_procuratorate = actor(Role.PROSECUTOR, 99, Side.PROCURATORATE)
    assert not can_see(audience_of(other_procuratorate), SPEC, facts(State.DRAFT))
    assert can_see(audience_of(PROSECUTOR), SPEC, facts(State.DRAFT))
    strangers = CaseFacts(
        State.DRAFT, (Party(PartyRole.ISSUER, 99), Party(PartyRole.ADDRESSEE, 98))
    )
    assert can_see(audience_of(OFFICE), SPEC, strangers)
    assert not audience_of(LIAISON_A).sees_internal and audience_of(PROSECUTOR).sees_internal
    government_office = actor(Role.OFFICE_ADMIN, UNIT_A, Side.GOVERNMENT)
    assert audience_of(government_office).sees_internal  # the Office sees internal notes


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("due", [date(2026, 11, 27), TODAY, date(2026, 12, 20), None])
def test_column_criteria_agree_with_board_column(state: State, due: date | None) -> None:
    case = facts(state, due)
    for column in SPEC.columns:
        criteria = column_criteria(SPEC, column.id)
        selected = state in criteria.states and all(
            is_clock_overdue(case, clock, TODAY) is overdue
            for clock, overdue in criteria.overdue.items()
        )
        assert selected == (board_column(SPEC, case, TODAY) == column), (state, due, column.id)


def test_column_criteria_of_the_recommendation() -> None:
    overdue = column_criteria(SPEC, "overdue")
    assert overdue.states == AWAITING_REPLY
    assert dict(overdue.overdue) == {REPLY: True}
    served = column_criteria(SPEC, State.SERVED)
    assert served.states == frozenset({State.SERVED})
    assert dict(served.overdue) == {REPLY: False}  # the overdue column takes the late ones
    replied = column_criteria(SPEC, State.REPLIED)
    assert replied.states == frozenset({State.REPLIED})
    assert dict(replied.overdue) == {}  # late or not, a replied card stays in its column
    with pytest.raises(KeyError):
        column_criteria(SPEC, "nope")


# --- a small synthetic kind: person parties, flag guards, clock operations -----------------

P = PartyRole
CLOCK = "c"
TOY = KindSpec(
    kind=CaseKind.DISPUTE,
    label="测试",
    graphql_type="Toy",
    states={"open": "进行中", "done": "已结"},
    initial="open",
    closed=frozenset({"done"}),
    transitions=(
        step("handle", ["open"], "done", P.HANDLING_PROSECUTOR, [Role.PROSECUTOR], "亲自办理"),
        step("flagged", ["open"], None, P.ISSUER, [Role.PROSECUTOR], "需标记", when={"a", "b"}),
        step("unflagged", ["open"], None, P.ISSUER, [Role.PROSECUTOR], "未标记", unless={"x"}),
        step("suspend", ["open"], None, P.ISSUER, [Role.PROCURATOR_APPROVER], "中止",
             clock_op=ClockOp.SUSPEND, clock=CLOCK),
        step("resume", ["open"], None, P.ISSUER, [Role.PROCURATOR_APPROVER], "恢复",
             clock_op=ClockOp.RESUME, clock=CLOCK),
        step("extend", ["open"], None, P.ISSUER, [Role.PROCURATOR_APPROVER], "延长",
             clock_op=ClockOp.EXTEND, clock=CLOCK),
    ),
    columns=(Column("open", "进行中", frozenset({"open"})), Column("done", "已结", frozenset({"done"}))),
    clocks=(ClockSpec(CLOCK, "期限", "受理", (RuleSet(None, ("custom_days",)),), "custom_days",
                      suspendable=True, extendable=True),),
    sees={P.ISSUER: None},
)  # fmt: skip
HANDLER = actor(Role.PROSECUTOR, PROC, Side.PROCURATORATE, id=7)
COLLEAGUE = actor(Role.PROSECUTOR, PROC, Side.PROCURATORATE, id=8)
TOY_PARTIES = (Party(P.ISSUER, PROC), Party(P.HANDLING_PROSECUTOR, PROC, HANDLER.id))


def toy(flags: tuple[str, ...] = (), clock: ClockStatus | None = None) -> CaseFacts:
    clocks = {} if clock is None else {CLOCK: ClockFacts(clock, date(2026, 12, 20))}
    return CaseFacts("open", TOY_PARTIES, clocks, frozenset(flags))


def _toy_actions(who: Actor, known: CaseFacts) -> list[str]:
    return [t.action for t in available_transitions(TOY, who, known, TODAY)]


def test_a_person_party_step_is_offered_only_to_that_person() -> None:
    assert "handle" in _toy_actions(HANDLER, toy())
    assert choose_transition(TOY, "handle", HANDLER, toy(), TODAY).target == "done"
    assert "handle" not in _toy_actions(COLLEAGUE, toy())  # same unit, same role, not the handler
    with pytest.raises(PermissionDenied, match="亲自办理"):
        choose_transition(TOY, "handle", COLLEAGUE, toy(), TODAY)
    token = Actor(
        ActorKind.API_TOKEN, HANDLER.id, "系统", Role.PROSECUTOR, PROC, Side.PROCURATORATE
    )
    assert "handle" not in _toy_actions(token, toy())  # a token with the same number is no person
    # The shared render of a card keys on the person wherever such a step exists.
    personal = personal_roles([TOY])
    assert personal == {Role.PROSECUTOR}
    assert render_key(HANDLER, personal) != render_key(COLLEAGUE, personal)
    chief = actor(Role.PROCURATOR_APPROVER, PROC, Side.PROCURATORATE, id=9)
    other_chief = actor(Role.PROCURATOR_APPROVER, PROC, Side.PROCURATORATE, id=10)
    assert render_key(chief, personal) == render_key(other_chief, personal)
    assert personal_roles([SPEC]) == frozenset()


@pytest.mark.parametrize(
    ("flags", "offered"),
    [
        ((), ["unflagged"]),
        (("a",), ["unflagged"]),
        (("a", "b"), ["flagged", "unflagged"]),
        (("a", "b", "x"), ["flagged"]),
        (("x",), []),
    ],
)
def test_when_and_unless_guards(flags: tuple[str, ...], offered: list[str]) -> None:
    actions = [a for a in _toy_actions(COLLEAGUE, toy(flags)) if a in ("flagged", "unflagged")]
    assert actions == offered
    for action in ("flagged", "unflagged"):
        if action in offered:
            assert choose_transition(TOY, action, COLLEAGUE, toy(flags), TODAY).action == action
        else:
            with pytest.raises(InvalidTransition):
                choose_transition(TOY, action, COLLEAGUE, toy(flags), TODAY)


@pytest.mark.parametrize(
    ("clock", "allowed"),
    [
        (None, set()),  # not started
        (ClockStatus.RUNNING, {"suspend", "extend"}),
        (ClockStatus.SUSPENDED, {"resume"}),
        (ClockStatus.STOPPED, set()),
    ],
)
def test_clock_operations_follow_the_clock(clock: ClockStatus | None, allowed: set[str]) -> None:
    chief = actor(Role.PROCURATOR_APPROVER, PROC, Side.PROCURATORATE)
    known = toy(clock=clock)
    assert set(_toy_actions(chief, known)) == allowed
    for action, label in (("suspend", "中止"), ("resume", "恢复"), ("extend", "延长")):
        if action in allowed:
            assert choose_transition(TOY, action, chief, known, TODAY).clock_op == action
        else:
            with pytest.raises(InvalidTransition, match=f"^期限当前状态不能执行“{label}”$"):
                choose_transition(TOY, action, chief, known, TODAY)
