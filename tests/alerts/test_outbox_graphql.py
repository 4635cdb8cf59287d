"""Without SMTP, alert emails stay in the outbox and the app lists them, each to whom it may."""

from __future__ import annotations

from datetime import date

from strawberry.relay import to_base64

from hub.alerts.worker import run_once
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api
from tests.factories import served

QUERY = "{ outboxEmails { subject status level recipientName recipientEmail body attempts lastError createdAt sentAt docNo } }"
CASE_QUERY = "{ outboxEmails { clockLabel docNo case { id kind kindLabel caseNo title } } }"


async def test_held_emails_are_listed_by_who_may_see_them(api: Api) -> None:
    world = api.world
    rec_a = await served(world, served_on=date(2026, 9, 25))
    rec_b = await served(world, served_on=date(2026, 9, 25), addressee=world.unit_b)
    report = await run_once(alert_settings(), now=on_day(date(2026, 11, 26)))
    assert report.summary() == "新增提醒 4 封，发送 0 封，失败 0 封，暂存 4 封"

    async with api.as_user("office") as c:
        office = (await c(QUERY))["data"]["outboxEmails"]
    assert len(office) == 4
    assert {(e["docNo"], e["recipientEmail"]) for e in office} == {
        (rec_a.case_no, "liaison_a@example.test"),
        (rec_a.case_no, "prosecutor@example.test"),
        (rec_b.case_no, "liaison_b@example.test"),
        (rec_b.case_no, "prosecutor@example.test"),
    }
    assert {(e["status"], e["level"], e["attempts"], e["sentAt"]) for e in office} == {
        ("HELD", "OVERDUE", 0, None)
    }

    async with api.as_user("liaison_a") as c:
        mine = (await c(QUERY))["data"]["outboxEmails"]
    assert [(e["docNo"], e["recipientName"]) for e in mine] == [(rec_a.case_no, "liaison_a-姓名")]
    assert mine[0]["subject"] == f"【府检联动】检察建议回复已逾期：{rec_a.case_no}"
    assert "回复期限：2026年11月25日" in mine[0]["body"]

    async with api.as_user("prosecutor") as c:
        theirs = (await c(QUERY))["data"]["outboxEmails"]
    assert sorted(e["docNo"] for e in theirs) == sorted([rec_a.case_no, rec_b.case_no])

    async with api.as_user("chief") as c:
        assert (await c(QUERY))["data"]["outboxEmails"] == []
    async with api.as_token("ecology_env") as c:
        assert (await c(QUERY))["data"]["outboxEmails"] == []
    async with api.client() as c:
        anonymous = await c(QUERY)
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_filter_by_status_and_page_size(api: Api) -> None:
    await served(api.world, served_on=date(2026, 9, 25))
    await run_once(alert_settings(), now=on_day(date(2026, 11, 26)))
    async with api.as_user("office") as c:
        held = await c("{ outboxEmails(status: HELD) { status } }")
        sent = await c("{ outboxEmails(status: SENT) { status } }")
        one = await c("{ outboxEmails(first: 1) { status } }")
        too_many = await c("{ outboxEmails(first: 100000) { status } }")
    assert len(held["data"]["outboxEmails"]) == 2
    assert sent["data"]["outboxEmails"] == []
    assert len(one["data"]["outboxEmails"]) == 1
    assert too_many["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


async def test_each_email_names_its_case(api: Api) -> None:
    rec = await served(api.world, served_on=date(2026, 9, 25))
    await run_once(alert_settings(), now=on_day(date(2026, 11, 26)))
    async with api.as_user("liaison_a") as c:
        (email,) = (await c(CASE_QUERY))["data"]["outboxEmails"]
    assert email == {
        "clockLabel": "回复期限",
        "docNo": rec.case_no,
        "case": {
            "id": to_base64("Recommendation", rec.id),
            "kind": "RECOMMENDATION",
            "kindLabel": "检察建议",
            "caseNo": rec.case_no,
            "title": rec.title,
        },
    }
