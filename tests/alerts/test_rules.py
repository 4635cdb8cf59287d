"""The alert rules as data: levels by date, recipients by level, the Chinese email, the URL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hub.alerts.decide import recommendation_link
from hub.alerts.send import backoff
from hub.alerts.smtp import parse_smtp_url
from hub.alerts.worker import AlertReport
from hub.domain.alerts import (
    AlertContent,
    AlertLevel,
    CasePeople,
    Person,
    Recipient,
    RecipientRole,
    alert_level,
    dedupe_key,
    due_range,
    recipients,
    render_body,
    render_subject,
    scan_horizon,
    still_applies,
)
from hub.domain.lifecycle import CaseFacts, State

DUE = date(2026, 11, 25)


def facts(state: State = State.SERVED, due: date | None = DUE) -> CaseFacts:
    return CaseFacts(state, issuer_unit_id=1, addressee_unit_id=2, reply_due=due)


@pytest.mark.parametrize(
    ("days_after_due", "level"),
    [
        (-4, None),
        (-3, AlertLevel.DUE_SOON),
        (0, AlertLevel.DUE_SOON),
        (1, AlertLevel.OVERDUE),
        (6, AlertLevel.OVERDUE),
        (7, AlertLevel.ESCALATION),
        (400, AlertLevel.ESCALATION),
    ],
)
def test_one_level_per_day(days_after_due: int, level: AlertLevel | None) -> None:
    today = DUE + timedelta(days=days_after_due)
    assert alert_level(facts(), today) is level
    assert alert_level(facts(State.RECTIFYING), today) is level
    # The SQL filter never drops a case the rule would alert on.
    assert (level is not None) == (scan_horizon(today) > DUE)


def test_due_ranges_are_the_levels_as_sql_filters() -> None:
    today = date(2026, 11, 28)
    for offset in range(-400, 400):
        due = today + timedelta(days=offset)
        level = alert_level(facts(due=due), today)
        for candidate in AlertLevel:
            first, last = due_range(candidate, today)
            inside = (first is None or first <= due) and due <= last
            assert inside == (level is candidate), (offset, candidate)


@pytest.mark.parametrize(
    "state",
    [State.DRAFT, State.APPROVED, State.OBJECTION_REVIEW, State.REPLIED, State.CLOSED_ADOPTED],
)
def test_no_alert_unless_a_reply_is_awaited(state: State) -> None:
    assert alert_level(facts(state), DUE + timedelta(days=10)) is None


def test_no_alert_without_a_deadline() -> None:
    assert alert_level(facts(due=None), DUE) is None


def test_an_alert_stops_applying_when_the_case_moves_on() -> None:
    overdue_day = DUE + timedelta(days=2)
    assert still_applies(AlertLevel.OVERDUE, facts(), overdue_day)
    assert not still_applies(AlertLevel.OVERDUE, facts(State.REPLIED), overdue_day)
    assert not still_applies(AlertLevel.OVERDUE, facts(), DUE + timedelta(days=7))
    assert not still_applies(AlertLevel.DUE_SOON, facts(), overdue_day)


def person(user_id: int, email: str) -> Person:
    return Person(user_id, f"用户{user_id}", email)


PEOPLE = CasePeople(
    liaisons=(person(1, "l1@example.test"), person(2, "l2@example.test")),
    prosecutor=person(3, "p@example.test"),
    office=(person(4, "office@example.test"), person(5, "P@Example.test ")),
    approvers=(person(6, "chief@example.test"),),
)


def test_due_soon_and_overdue_go_to_the_liaisons_and_the_prosecutor() -> None:
    for level in (AlertLevel.DUE_SOON, AlertLevel.OVERDUE):
        assert [(r.role, r.person.user_id) for r in recipients(level, PEOPLE)] == [
            (RecipientRole.LIAISON, 1),
            (RecipientRole.LIAISON, 2),
            (RecipientRole.PROSECUTOR, 3),
        ]


def test_escalation_adds_the_office_and_the_approver_once_per_address() -> None:
    # User 5 of the office has the prosecutor's address (other case, spaces): one email.
    assert [(r.role, r.person.user_id) for r in recipients(AlertLevel.ESCALATION, PEOPLE)] == [
        (RecipientRole.LIAISON, 1),
        (RecipientRole.LIAISON, 2),
        (RecipientRole.PROSECUTOR, 3),
        (RecipientRole.OFFICE, 4),
        (RecipientRole.APPROVER, 6),
    ]


def test_nobody_to_tell() -> None:
    assert recipients(AlertLevel.ESCALATION, CasePeople()) == []
    assert recipients(AlertLevel.OVERDUE, CasePeople(office=PEOPLE.office)) == []


def test_dedupe_key_names_case_deadline_version_level_and_address() -> None:
    assert dedupe_key(7, 2, AlertLevel.OVERDUE, " Li@Example.test") == "7:2:overdue:li@example.test"


CONTENT = AlertContent(
    doc_no="宿检行建〔2026〕1号",
    title="关于加强危险废物监管的检察建议",
    addressee_unit="市生态环境局",
    reply_due=DUE,
    due_explanation="2026-09-25 送达，期限两个月，届满日为 2026-11-25。",
    link="https://hub.example.test/#/recommendation/UmVjb21tZW5kYXRpb246MQ==",
)
LIAISON = Recipient(RecipientRole.LIAISON, person(1, "l1@example.test"))


def test_overdue_email_in_chinese() -> None:
    assert (
        render_subject(AlertLevel.OVERDUE, CONTENT)
        == "【府检联动】检察建议回复已逾期：宿检行建〔2026〕1号"
    )
    body = render_body(AlertLevel.OVERDUE, CONTENT, LIAISON, DUE + timedelta(days=3))
    assert body.startswith("用户1：\n")
    for line in (
        "回复期限已过，已逾期 3 日，尚未收到书面整改回复。",
        "文号：宿检行建〔2026〕1号",
        "标题：关于加强危险废物监管的检察建议",
        "被建议单位：市生态环境局",
        "回复期限：2026-11-25",
        "期限说明：2026-09-25 送达，期限两个月，届满日为 2026-11-25。",
        CONTENT.link,
        "您收到本邮件，是因为您是该检察建议的被建议单位联络员。",
    ):
        assert line in body.splitlines()


def test_due_soon_and_escalation_wording() -> None:
    assert render_subject(AlertLevel.DUE_SOON, CONTENT).startswith(
        "【府检联动】检察建议回复即将到期"
    )
    soon = render_body(AlertLevel.DUE_SOON, CONTENT, LIAISON, DUE - timedelta(days=2))
    assert "距回复期限还有 2 日，请按期提交书面整改回复。" in soon
    today = render_body(AlertLevel.DUE_SOON, CONTENT, LIAISON, DUE)
    assert "回复期限为今日" in today
    chief = Recipient(RecipientRole.APPROVER, person(6, "chief@example.test"))
    escalation = render_body(AlertLevel.ESCALATION, CONTENT, chief, DUE + timedelta(days=9))
    assert "回复期限已过 9 日" in escalation and "提请府检联动办公室和检察长督办" in escalation
    assert "该检察建议的检察长" in escalation


def test_link_carries_the_global_id() -> None:
    assert (
        recommendation_link("https://hub.example.test/", 1)
        == "https://hub.example.test/#/recommendation/UmVjb21tZW5kYXRpb246MQ=="
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.test", ("mail.example.test", 25, False, False, None, None)),
        ("smtp://mail.example.test:2525", ("mail.example.test", 2525, False, False, None, None)),
        (
            "smtp://u%40x:p%3Aw@mail.example.test:587",
            ("mail.example.test", 587, False, True, "u@x", "p:w"),
        ),
        (
            "smtp://mail.example.test:25?starttls=1",
            ("mail.example.test", 25, False, True, None, None),
        ),
        (
            "smtp://mail.example.test:587?starttls=0",
            ("mail.example.test", 587, False, False, None, None),
        ),
        ("smtps://u:p@mail.example.test", ("mail.example.test", 465, True, False, "u", "p")),
        ("smtps://mail.example.test:2465", ("mail.example.test", 2465, True, False, None, None)),
    ],
)
def test_smtp_url(url: str, expected: tuple[object, ...]) -> None:
    target = parse_smtp_url(url, timeout=4.0)
    got = (
        target.hostname,
        target.port,
        target.use_tls,
        target.start_tls,
        target.username,
        target.password,
    )
    assert got == expected
    assert target.timeout == 4.0
    assert target.start_tls in (True, False)  # never None: None falls back to plaintext
    assert "password" not in repr(target)
    client = target.client()
    assert client._start_tls_on_connect is target.start_tls
    assert client.use_tls is target.use_tls


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.test",
        "smtp://",
        "smtps://mail.example.test?starttls=1",
        "smtp://h?starttls=maybe",
    ],
)
def test_bad_smtp_url(url: str) -> None:
    with pytest.raises(ValueError, match="HUB_SMTP_URL"):
        parse_smtp_url(url, timeout=1.0)


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 7, 8, 50)] == [
        30, 60, 120, 240, 1920, 3600, 3600,
    ]  # fmt: skip


def test_report_summary() -> None:
    assert AlertReport(3, 3, 0, 0).summary() == "新增提醒 3 封，发送 3 封，失败 0 封，暂存 0 封"
    assert (
        AlertReport(decided=2, held=2, failed=1, rejected=1, cancelled=1).summary()
        == "新增提醒 2 封，发送 0 封，失败 1 封，暂存 2 封（其中被拒收 1 封，不再重试），作废 1 封"
    )
