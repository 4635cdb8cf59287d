"""The outbox grouped by alert: one row per alert with the recipients the viewer may see."""

from __future__ import annotations

from datetime import date

from hub.alerts.decide import decide_alerts
from hub.domain.alerts import AlertLevel
from hub.services.outbox import count_alerts, list_alerts
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api
from tests.factories import World, served

SERVED_ON = date(2026, 9, 25)  # reply due 2026-11-25


async def test_each_alert_is_one_row_with_its_recipients(world: World) -> None:
    first = await served(world, served_on=SERVED_ON)
    second = await served(world, served_on=SERVED_ON, addressee=world.unit_b)
    await decide_alerts(alert_settings(), now=on_day(date(2026, 11, 22)))  # due soon: 4 emails
    await decide_alerts(alert_settings(), now=on_day(date(2026, 11, 26)))  # overdue: 4 more
    office = await list_alerts(world.office)
    assert [(a.case.id, a.level) for a in office] == [
        (second.id, AlertLevel.OVERDUE), (first.id, AlertLevel.OVERDUE),
        (second.id, AlertLevel.DUE_SOON), (first.id, AlertLevel.DUE_SOON),
    ]  # fmt: skip
    assert [sorted(e.recipient_user_id or 0 for e in a.emails) for a in office[:2]] == [
        sorted([world.liaison_b.id, world.prosecutor.id]),
        sorted([world.liaison_a.id, world.prosecutor.id]),
    ]
    assert await count_alerts(world.office) == 4
    # Anyone else: the alerts addressed to them, each with themselves as the one recipient.
    mine = await list_alerts(world.liaison_a)
    assert [(a.case.id, a.level) for a in mine] == [
        (first.id, AlertLevel.OVERDUE), (first.id, AlertLevel.DUE_SOON),
    ]  # fmt: skip
    assert all([e.recipient_user_id for e in a.emails] == [world.liaison_a.id] for a in mine)
    assert await count_alerts(world.liaison_a) == 2
    assert len(await list_alerts(world.office, first=1)) == 1


ALERTS = """{ outboxAlertCount outboxAlerts(first: 10) {
  level subject status clockLabel case { caseNo } recipients { recipientName status }
} }"""


async def test_graphql_gives_one_row_per_alert_and_counts_alerts(world: World, api: Api) -> None:
    rec = await served(world, served_on=SERVED_ON)
    await decide_alerts(alert_settings(), now=on_day(date(2026, 11, 26)))  # overdue: 2 emails
    async with api.as_user("office") as office:
        data = (await office(ALERTS))["data"]
    assert data["outboxAlertCount"] == 1
    (alert,) = data["outboxAlerts"]
    assert alert["level"] == "OVERDUE" and alert["status"] == "HELD"
    assert alert["case"]["caseNo"] == rec.case_no and alert["clockLabel"] == "回复期限"
    assert sorted(r["recipientName"] for r in alert["recipients"]) == [
        "liaison_a-姓名", "prosecutor-姓名",
    ]  # fmt: skip
    async with api.as_user("liaison_a") as liaison:
        data = (await liaison(ALERTS))["data"]
    assert data["outboxAlertCount"] == 1
    assert [r["recipientName"] for r in data["outboxAlerts"][0]["recipients"]] == ["liaison_a-姓名"]
    async with api.as_user("liaison_b") as other:
        assert (await other(ALERTS))["data"] == {"outboxAlertCount": 0, "outboxAlerts": []}
