"""The demo data: the city document's units, one liaison per member unit, cases in every state."""

from __future__ import annotations

from collections import Counter

from hub.domain.engine import is_clock_overdue
from hub.domain.kinds import CaseKind
from hub.domain.roles import Role, UnitKind
from hub.kinds.recommendation.spec import REPLY, State
from hub.kinds.registry import SPECS
from hub.models import Case, CaseEvent, Unit, User
from hub.services.demo import load_demo
from tests.factories import TODAY, facts, reply_clock


async def test_demo_data_follows_the_city_document(db: str) -> None:
    counts = await load_demo("demo-password", today=TODAY)
    assert counts["units"] == 35
    assert await Unit.filter(kind=UnitKind.MEMBER).count() == 28
    assert await Unit.filter(code="procuratorate", kind=UnitKind.PROCURATORATE).exists()
    liaisons = Counter(await User.filter(role=Role.UNIT_LIAISON).values_list("unit_id", flat=True))
    assert len(liaisons) == 28 and set(liaisons.values()) == {1}
    recs = await Case.filter(kind=CaseKind.RECOMMENDATION)
    # The demo PIL case and dispute each open one pre-suit / linked recommendation of their own.
    own = [r for r in recs if r.source_id is None]
    assert counts["recommendations"] == len(own) and len(recs) - len(own) == 2
    assert counts["cases"] == await Case.exclude(kind=CaseKind.RECOMMENDATION).count()
    # Every kind of the registry has demo cases, in more than one state where it has several.
    for spec in SPECS:
        kind_states = {c.state for c in await Case.filter(kind=spec.kind)}
        assert kind_states, f"no demo {spec.label}"
        assert len(kind_states) >= min(2, len(spec.states)), f"demo {spec.label}: {kind_states}"
    states = Counter(r.state for r in recs)
    assert len(recs) >= 12
    assert {State.DRAFT, State.PENDING_APPROVAL, State.APPROVED, State.SERVED, State.RECTIFYING,
            State.REPLIED, State.OBJECTION_REVIEW, State.CLOSED_ADOPTED, State.WITHDRAWN} <= set(states)  # fmt: skip
    overdue, due_soon = [], []
    for r in recs:
        late = is_clock_overdue(await facts(r.id), REPLY, TODAY)
        clock = await reply_clock(r.id)
        if late:
            overdue.append(r)
        elif (
            r.state in (State.SERVED, State.RECTIFYING)
            and clock is not None
            and clock.due_on is not None
            and (clock.due_on - TODAY).days <= 7
        ):
            due_soon.append(r)
    assert len(overdue) >= 2 and len(due_soon) >= 2
    every = await Case.all()
    assert await CaseEvent.all().count() == sum(c.version for c in every)
