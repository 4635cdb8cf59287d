"""The demo data: the city document's units, one liaison per member unit, cases in every state."""

from __future__ import annotations

from collections import Counter

from hub.domain.lifecycle import State, is_overdue
from hub.domain.roles import Role, UnitKind
from hub.models import CaseEvent, Recommendation, Unit, User
from hub.services.demo import load_demo
from hub.services.visibility import facts_of
from tests.factories import TODAY


async def test_demo_data_follows_the_city_document(db: str) -> None:
    counts = await load_demo("demo-password", today=TODAY)
    assert counts["units"] == 35
    assert await Unit.filter(kind=UnitKind.MEMBER).count() == 28
    assert await Unit.filter(code="procuratorate", kind=UnitKind.PROCURATORATE).exists()
    liaisons = Counter(await User.filter(role=Role.UNIT_LIAISON).values_list("unit_id", flat=True))
    assert len(liaisons) == 28 and set(liaisons.values()) == {1}
    recs = await Recommendation.all()
    states = Counter(r.state for r in recs)
    assert len(recs) >= 12
    assert {State.DRAFT, State.PENDING_APPROVAL, State.APPROVED, State.SERVED, State.RECTIFYING,
            State.REPLIED, State.OBJECTION_REVIEW, State.CLOSED_ADOPTED, State.WITHDRAWN} <= set(states)  # fmt: skip
    overdue = [r for r in recs if is_overdue(facts_of(r), TODAY)]
    due_soon = [r for r in recs if not is_overdue(facts_of(r), TODAY) and r.state in (State.SERVED, State.RECTIFYING)
                and r.reply_due is not None and (r.reply_due - TODAY).days <= 7]  # fmt: skip
    assert len(overdue) >= 2 and len(due_soon) >= 2
    assert await CaseEvent.all().count() == sum(r.version for r in recs)
