"""Every registered kind's spec is consistent: the engine can trust its tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hub.domain.clock_rules import RULES
from hub.domain.kinds import FieldType, Form, FormField, KindSpec
from hub.kinds.registry import BY_KIND, BY_TYPE_NAME, SPECS

specs = pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind.value)


def _forms(spec: KindSpec) -> Iterator[tuple[str, Form]]:
    for t in spec.transitions:
        yield t.action, t.form
    if spec.create_form is not None:
        yield "create", spec.create_form


def _fields(fields: tuple[FormField, ...]) -> Iterator[FormField]:
    for f in fields:
        yield f
        yield from _fields(f.fields)


def test_kinds_are_registered_once() -> None:
    assert len(BY_KIND) == len(SPECS) and len(BY_TYPE_NAME) == len(SPECS)


@specs
def test_states_initial_closed_and_drafts_exist(spec: KindSpec) -> None:
    states = set(spec.states)
    assert spec.initial in states
    assert spec.closed <= states and spec.closed
    assert spec.draft_states <= states
    assert spec.initial not in spec.closed
    assert all(label for label in spec.states.values())


@specs
def test_transitions_name_states_of_the_kind(spec: KindSpec) -> None:
    states = set(spec.states)
    for t in spec.transitions:
        assert t.sources and t.sources <= states, t.action
        assert t.target is None or t.target in states, t.action
        assert t.roles and t.label, t.action


@specs
def test_every_state_is_reachable_from_the_initial_state(spec: KindSpec) -> None:
    reached, frontier = {spec.initial}, [spec.initial]
    while frontier:
        state = frontier.pop()
        for t in spec.transitions:
            if state not in t.sources:
                continue
            targets = {*t.outcomes, *([t.target] if t.target is not None else [])}
            for target in targets - reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(spec.states)


@specs
def test_closed_states_have_no_way_out(spec: KindSpec) -> None:
    """From a closed state only recording steps (no target) are possible; a kind that one day
    reopens cases must declare it in its spec, and none does today."""
    leaving = [
        (t.action, sorted(t.sources & spec.closed))
        for t in spec.transitions
        if t.sources & spec.closed and t.target is not None
    ]
    assert leaving == []


@specs
def test_columns_place_every_state_once(spec: KindSpec) -> None:
    states = set(spec.states)
    ids = [c.id for c in spec.columns]
    assert len(ids) == len(set(ids))
    for column in spec.columns:
        assert column.states and column.states <= states, column.id
        assert column.label, column.id
    for state in states:
        plain = [c.id for c in spec.columns if c.overdue_clock is None and state in c.states]
        assert len(plain) == 1, (state, plain)


@specs
def test_named_clocks_exist(spec: KindSpec) -> None:
    clocks = {c.name for c in spec.clocks}
    assert len(clocks) == len(spec.clocks)
    for t in spec.transitions:
        named = {*t.starts, *t.stops} | {c for c in (t.clock, t.needs_overdue) if c is not None}
        assert named <= clocks, t.action
        assert (t.clock_op is None) == (t.clock is None), t.action  # an operation names its clock
    for column in spec.columns:
        assert column.overdue_clock is None or column.overdue_clock in clocks, column.id


@specs
def test_clock_rules_exist(spec: KindSpec) -> None:
    states = set(spec.states)
    for clock in spec.clocks:
        assert clock.default_rule in RULES, clock.name
        assert clock.rule_sets, clock.name
        for rule_set in clock.rule_sets:
            assert rule_set.rules, (clock.name, rule_set.flag)
            assert set(rule_set.rules) <= set(RULES), (clock.name, rule_set.flag)
        assert any(clock.default_rule in rs.rules for rs in clock.rule_sets), clock.name
        assert clock.runs_in is None or clock.runs_in <= states, clock.name


@specs
def test_sees_names_existing_states(spec: KindSpec) -> None:
    assert spec.sees, "nobody but the Office would see the kind"
    for party, states in spec.sees.items():
        assert states is None or states <= set(spec.states), party


@specs
def test_rule_fields_name_a_clock(spec: KindSpec) -> None:
    clocks = {c.name for c in spec.clocks}
    for action, form in _forms(spec):
        for f in _fields(form.fields):
            if f.type is FieldType.RULE:
                assert f.clock in clocks, (action, f.name)
