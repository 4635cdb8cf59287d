"""Holiday data entered by an administrator: provisional deadlines are recomputed once."""

from __future__ import annotations

from datetime import date

from hub.models import CaseEvent, Recommendation
from hub.services import calendar
from hub.services.deadlines import recompute_provisional_deadlines
from tests.factories import NOW, World, served


async def test_publishing_a_year_recomputes_provisional_deadlines(world: World) -> None:
    calendar.forget_calendar()
    rec = await served(world, served_on=date(2026, 11, 1))  # + 2 months = 2027-01-01
    assert rec.reply_due == date(2027, 1, 1) and rec.due_provisional
    settled = await served(world, served_on=date(2026, 9, 1))
    events_before = await CaseEvent.all().count()

    entered = await calendar.publish_year(
        2027,
        [(date(2027, 1, 1), False, "元旦"), (date(2027, 1, 2), False, "元旦"),
         (date(2027, 1, 3), False, "元旦")],
        source="国务院办公厅通知（测试）",
        now=NOW,
    )  # fmt: skip
    assert entered == 3
    assert await recompute_provisional_deadlines(now=NOW) == 1

    after = await Recommendation.get(id=rec.id)
    assert after.reply_due == date(2027, 1, 4)
    assert after.due_provisional is False
    assert after.deadline_version == rec.deadline_version + 1
    assert after.version == rec.version + 1
    assert "元旦" in after.due_explanation and "顺延至 2027-01-04" in after.due_explanation
    event = await CaseEvent.filter(recommendation_id=rec.id).order_by("-seq").first()
    assert event is not None and event.action == "recompute_deadline"
    assert event.payload == {"from": "2027-01-01", "to": "2027-01-04"}
    assert (await Recommendation.get(id=settled.id)).version == settled.version
    assert await CaseEvent.all().count() == events_before + 1
    assert await recompute_provisional_deadlines(now=NOW) == 0  # nothing left to do
    calendar.forget_calendar()
