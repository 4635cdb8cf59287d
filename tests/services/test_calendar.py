"""Holiday data entered by an administrator: provisional deadlines are recomputed once."""

from __future__ import annotations

from datetime import date

from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import ObjectionDecision
from hub.models import Case, CaseClock, CaseEvent
from hub.services import calendar
from hub.services.clocks import recompute_provisional_clocks
from tests.factories import NOW, World, reply_clock, served

NEW_YEAR_2027 = [
    (date(2027, 1, 1), False, "元旦"),
    (date(2027, 1, 2), False, "元旦"),
    (date(2027, 1, 3), False, "元旦"),
]


async def _clock(case_id: int) -> CaseClock:
    clock = await reply_clock(case_id)
    assert clock is not None
    return clock


async def test_publishing_a_year_recomputes_provisional_deadlines(world: World) -> None:
    calendar.forget_calendar()
    rec = await served(world, served_on=date(2026, 11, 1))  # + 2 months = 2027-01-01
    before = await _clock(rec.id)
    assert before.due_on == date(2027, 1, 1) and before.provisional
    settled = await served(world, served_on=date(2026, 9, 1))
    events_before = await CaseEvent.all().count()

    entered = await calendar.publish_year(
        2027, NEW_YEAR_2027, source="国务院办公厅通知（测试）", now=NOW
    )
    assert entered == 3
    assert await recompute_provisional_clocks(now=NOW) == 1

    after = await _clock(rec.id)
    assert after.due_on == date(2027, 1, 4)
    assert after.provisional is False
    assert after.version == before.version + 1
    assert (await Case.get(id=rec.id)).version == rec.version + 1
    assert "元旦" in after.explanation and "顺延至2027年1月4日" in after.explanation
    event = await CaseEvent.filter(case_id=rec.id).order_by("-seq").first()
    assert event is not None and event.action == "recompute_deadline"
    assert event.payload == {"clock": "reply", "from": "2027-01-01", "to": "2027-01-04"}
    assert (await Case.get(id=settled.id)).version == settled.version
    assert await CaseEvent.all().count() == events_before + 1
    assert await recompute_provisional_clocks(now=NOW) == 0  # nothing left to do
    calendar.forget_calendar()


async def test_a_closed_case_keeps_an_up_to_date_deadline(world: World) -> None:
    """As before the engine: every provisional deadline is recomputed, whatever the state."""
    calendar.forget_calendar()
    rec = await served(world, served_on=date(2026, 11, 1))
    v = (await recs.raise_objection(world.liaison_a, rec.id, rec.version, grounds="异议", now=NOW)).case.version  # fmt: skip
    v = (await recs.decide_objection(world.chief, rec.id, v, decision=ObjectionDecision.WITHDRAWN, reasons="撤回", now=NOW)).case.version  # fmt: skip
    assert (await _clock(rec.id)).provisional

    await calendar.publish_year(2027, NEW_YEAR_2027, now=NOW)
    assert await recompute_provisional_clocks(now=NOW) == 1
    after = await _clock(rec.id)
    assert (after.due_on, after.provisional) == (date(2027, 1, 4), False)
    stored = await Case.get(id=rec.id)
    assert (stored.state, stored.version) == ("withdrawn", v + 1)
    calendar.forget_calendar()
