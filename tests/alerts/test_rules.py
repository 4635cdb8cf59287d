"""The alert rules as data: levels by date, recipients by level, the Chinese email, the URL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from strawberry.relay import to_base64

from hub.alerts.send import backoff
from hub.alerts.smtp import parse_smtp_url
from hub.alerts.worker import AlertReport
from hub.domain.alerts import (
    AlertContent,
    AlertLevel,
    Directory,
    Person,
    Recipient,
    RecipientRole,
    alert_level,
    case_link,
    dedupe_key,
    due_range,
    level_ranges,
    recipients,
    render_body,
    render_subject,
    scan_horizon,
    still_applies,
)
from hub.domain.engine import ClockFacts, ClockStatus, Party, clock_facts
from hub.domain.kinds import (
    DEADLINE_WORDING,
    REPLY_WORDING,
    AlertPolicy,
    AlertRecipient,
    PartyRole,
)
from hub.kinds.recommendation.spec import REPLY, REPLY_CLOCK, SPEC, State

DUE = date(2026, 11, 25)
assert REPLY_CLOCK.alert is not None
POLICY: AlertPolicy = REPLY_CLOCK.alert


def facts(state: State = State.SERVED, due: date | None = DUE) -> ClockFacts:
    """The recommendation's running reply clock as the rules see it in ``state``."""
    return clock_facts(SPEC, state, REPLY, ClockStatus.RUNNING, due)


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
    assert alert_level(POLICY, facts(), today) is level
    assert alert_level(POLICY, facts(State.RECTIFYING), today) is level
    # The SQL filter never drops a case the rule would alert on.
    assert (level is not None) == (scan_horizon(POLICY, today) > DUE)


def test_due_ranges_are_the_levels_as_sql_filters() -> None:
    today = date(2026, 11, 28)
    for offset in range(-400, 400):
        due = today + timedelta(days=offset)
        level = alert_level(POLICY, facts(due=due), today)
        for candidate in AlertLevel:
            first, last = due_range(POLICY, candidate, today)
            inside = (first is None or first <= due) and due <= last
            assert inside == (level is candidate), (offset, candidate)


@pytest.mark.parametrize(
    "state",
    [State.DRAFT, State.APPROVED, State.OBJECTION_REVIEW, State.REPLIED, State.CLOSED_ADOPTED],
)
def test_no_alert_unless_a_reply_is_awaited(state: State) -> None:
    assert alert_level(POLICY, facts(state), DUE + timedelta(days=10)) is None


def test_no_alert_without_a_deadline() -> None:
    assert alert_level(POLICY, facts(due=None), DUE) is None


def test_an_alert_stops_applying_when_the_case_moves_on() -> None:
    overdue_day = DUE + timedelta(days=2)
    assert still_applies(POLICY, AlertLevel.OVERDUE, facts(), overdue_day)
    assert not still_applies(POLICY, AlertLevel.OVERDUE, facts(State.REPLIED), overdue_day)
    assert not still_applies(POLICY, AlertLevel.OVERDUE, facts(), DUE + timedelta(days=7))
    assert not still_applies(POLICY, AlertLevel.DUE_SOON, facts(), overdue_day)


def person(user_id: int, email: str) -> Person:
    return Person(user_id, f"用户{user_id}", email)


ISSUER, ADDRESSEE = 10, 20  # unit ids
PARTIES = (
    Party(PartyRole.ISSUER, ISSUER),
    Party(PartyRole.ADDRESSEE, ADDRESSEE),
    Party(PartyRole.HANDLING_PROSECUTOR, ISSUER, 3),
)
PEOPLE = Directory(
    by_id={n: person(n, e) for n, e in ((3, "p@example.test"), (7, "other@example.test"))},
    liaisons={
        ADDRESSEE: (person(1, "l1@example.test"), person(2, "l2@example.test")),
        99: (person(8, "elsewhere@example.test"),),
    },
    office=(person(4, "office@example.test"), person(5, "P@Example.test ")),
    approvers={ISSUER: (person(6, "chief@example.test"),)},
)


def test_due_soon_and_overdue_go_to_the_liaisons_and_the_prosecutor() -> None:
    for level in (AlertLevel.DUE_SOON, AlertLevel.OVERDUE):
        assert [(r.role, r.person.user_id) for r in recipients(POLICY, level, PEOPLE, PARTIES)] == [
            (RecipientRole.LIAISON, 1),
            (RecipientRole.LIAISON, 2),
            (RecipientRole.PROSECUTOR, 3),
        ]


def test_escalation_adds_the_office_and_the_approver_once_per_address() -> None:
    # User 5 of the office has the prosecutor's address (other case, spaces): one email.
    escalation = recipients(POLICY, AlertLevel.ESCALATION, PEOPLE, PARTIES)
    assert [(r.role, r.person.user_id) for r in escalation] == [
        (RecipientRole.LIAISON, 1),
        (RecipientRole.LIAISON, 2),
        (RecipientRole.PROSECUTOR, 3),
        (RecipientRole.OFFICE, 4),
        (RecipientRole.APPROVER, 6),
    ]


def test_nobody_to_tell() -> None:
    assert recipients(POLICY, AlertLevel.ESCALATION, Directory(), PARTIES) == []
    assert recipients(POLICY, AlertLevel.OVERDUE, Directory(office=PEOPLE.office), PARTIES) == []


def test_dedupe_key_names_case_clock_version_level_and_address() -> None:
    assert (
        dedupe_key(7, "reply", 2, AlertLevel.OVERDUE, " Li@Example.test")
        == "7:reply:2:overdue:li@example.test"
    )


CONTENT = AlertContent(
    kind_label="检察建议",
    case_no_label="文号",
    case_no="宿检行建〔2026〕1号",
    title="关于加强危险废物监管的检察建议",
    agencies=(("被建议单位", "市生态环境局"),),
    clock_label="回复期限",
    due_on=DUE,
    due_explanation="2026年9月25日送达，期限两个月，届满日为2026年11月25日。",
    link="https://hub.example.test/#/case/UmVjb21tZW5kYXRpb246MQ==",
    wording=REPLY_WORDING,
)
LIAISON = Recipient(RecipientRole.LIAISON, person(1, "l1@example.test"), "被建议单位联络员")


def test_overdue_email_in_chinese() -> None:
    assert (
        render_subject(AlertLevel.OVERDUE, CONTENT)
        == "【府检联动】检察建议回复已逾期：宿检行建〔2026〕1号"
    )
    body = render_body(AlertLevel.OVERDUE, CONTENT, LIAISON, DUE + timedelta(days=3))
    assert body.startswith("用户1：\n")
    for line in (
        "回复期限已过，已逾期3日，尚未收到书面整改回复。",
        "文号：宿检行建〔2026〕1号",
        "标题：关于加强危险废物监管的检察建议",
        "被建议单位：市生态环境局",
        "回复期限：2026年11月25日",
        "期限说明：2026年9月25日送达，期限两个月，届满日为2026年11月25日。",
        CONTENT.link,
        "您收到本邮件，是因为您是该检察建议的被建议单位联络员。",
    ):
        assert line in body.splitlines()


def test_due_soon_and_escalation_wording() -> None:
    assert render_subject(AlertLevel.DUE_SOON, CONTENT).startswith(
        "【府检联动】检察建议回复即将到期"
    )
    soon = render_body(AlertLevel.DUE_SOON, CONTENT, LIAISON, DUE - timedelta(days=2))
    assert "距回复期限还有2日，请按期提交书面整改回复。" in soon
    today = render_body(AlertLevel.DUE_SOON, CONTENT, LIAISON, DUE)
    assert "回复期限为今日" in today
    chief = Recipient(RecipientRole.APPROVER, person(6, "chief@example.test"), "检察长")
    escalation = render_body(AlertLevel.ESCALATION, CONTENT, chief, DUE + timedelta(days=9))
    assert "回复期限已过9日" in escalation and "提请府检联动办公室和检察长督办" in escalation
    assert "该检察建议的检察长" in escalation


def test_link_carries_the_global_id() -> None:
    assert (
        case_link("https://hub.example.test/", to_base64("Recommendation", 1))
        == "https://hub.example.test/#/case/UmVjb21tZW5kYXRpb246MQ=="
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


# A clock of another kind: the handling prosecutor only, 3 days before and when overdue.
PROSECUTOR_ONLY = AlertPolicy(
    due_soon_days=3,
    escalate_after_days=None,
    recipients=(AlertRecipient.person(PartyRole.HANDLING_PROSECUTOR),),
    escalation_recipients=(),
    wording=DEADLINE_WORDING,
)


def running(due: date | None = DUE) -> ClockFacts:
    return ClockFacts(ClockStatus.RUNNING, due)


@pytest.mark.parametrize(
    ("days_after_due", "level"),
    [(-4, None), (-3, AlertLevel.DUE_SOON), (0, AlertLevel.DUE_SOON), (1, AlertLevel.OVERDUE),
     (7, AlertLevel.OVERDUE), (400, AlertLevel.OVERDUE)],
)  # fmt: skip
def test_a_policy_without_escalation_stays_overdue(
    days_after_due: int, level: AlertLevel | None
) -> None:
    today = DUE + timedelta(days=days_after_due)
    assert alert_level(PROSECUTOR_ONLY, running(), today) is level
    assert (level is not None) == (scan_horizon(PROSECUTOR_ONLY, today) > DUE)


@pytest.mark.parametrize(
    "policy",
    [
        PROSECUTOR_ONLY,
        AlertPolicy(due_soon_days=None),
        AlertPolicy(due_soon_days=0, escalate_after_days=1),
        AlertPolicy(due_soon_days=7, escalate_after_days=30),
    ],
)
def test_due_ranges_follow_each_policy(policy: AlertPolicy) -> None:
    today = date(2026, 11, 28)
    for offset in range(-400, 400):
        due = today + timedelta(days=offset)
        level = alert_level(policy, running(due), today)
        for candidate in AlertLevel:
            first, last = due_range(policy, candidate, today)
            inside = (first is None or first <= due) and due <= last
            assert inside == (level is candidate), (policy, offset, candidate)
        assert (level is not None) == (scan_horizon(policy, today) > due)
    ranges = level_ranges(policy, today)
    assert all(first is not None for _, first, _ in ranges[:-1])  # the scan's CASE relies on it


def test_a_stopped_or_suspended_clock_never_alerts() -> None:
    for status in (ClockStatus.STOPPED, ClockStatus.SUSPENDED):
        assert alert_level(POLICY, ClockFacts(status, DUE), DUE + timedelta(days=1)) is None


def test_the_prosecutor_only_policy_names_nobody_else() -> None:
    for level in AlertLevel:
        assert [
            (r.role, r.person.user_id, r.label)
            for r in recipients(PROSECUTOR_ONLY, level, PEOPLE, PARTIES)
        ] == [(RecipientRole.PROSECUTOR, 3, "承办检察官")]


def test_recipients_are_found_through_the_parties_a_case_has() -> None:
    dispute = (
        Party(PartyRole.ISSUER, ISSUER),
        Party(PartyRole.RESPONDENT, ADDRESSEE),
        Party(PartyRole.HANDLING_PROSECUTOR, ISSUER, 7),
    )
    assert [
        (r.role, r.person.user_id, r.label)
        for r in recipients(POLICY, AlertLevel.ESCALATION, PEOPLE, dispute)
    ] == [
        (RecipientRole.LIAISON, 1, "被申请行政机关联络员"),
        (RecipientRole.LIAISON, 2, "被申请行政机关联络员"),
        (RecipientRole.PROSECUTOR, 7, "承办检察官"),
        (RecipientRole.OFFICE, 4, "府检联动办公室"),
        (RecipientRole.OFFICE, 5, "府检联动办公室"),
        (RecipientRole.APPROVER, 6, "检察长"),
    ]
    # No handling prosecutor and no agency party: only the office and the approvers remain.
    bare = (Party(PartyRole.ISSUER, ISSUER),)
    assert [r.person.user_id for r in recipients(POLICY, AlertLevel.ESCALATION, PEOPLE, bare)] == [
        4, 5, 6,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "build",
    [
        lambda: AlertRecipient(RecipientRole.OFFICE, (PartyRole.ISSUER,)),
        lambda: AlertRecipient.liaisons(),
        lambda: AlertRecipient.liaisons(PartyRole.HANDLING_PROSECUTOR),
        lambda: AlertRecipient.person(PartyRole.ADDRESSEE),
        lambda: AlertRecipient.approvers(PartyRole.OFFICE),
        lambda: AlertPolicy(due_soon_days=-1),
        lambda: AlertPolicy(escalate_after_days=0),
        lambda: AlertPolicy(escalate_after_days=None),  # escalation recipients, no escalation
    ],
)
def test_a_policy_that_cannot_work_is_refused(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=r"alert recipient|due_soon_days|escalat"):
        build()


PIL_CONTENT = AlertContent(
    kind_label="行政公益诉讼案件",
    case_no_label="案件编号",
    case_no="宿检行公〔2026〕3号",
    title="某河道非法采砂公益诉讼案",
    agencies=(("被建议单位", "市水利局"),),
    clock_label="立案决定书送达期限",
    due_on=DUE,
    due_explanation="2026年11月18日立案，期限7日，届满日为2026年11月25日。",
    link="https://hub.example.test/#/case/UGlsQ2FzZTozCg==",
    wording=DEADLINE_WORDING,
)
PROSECUTOR = Recipient(RecipientRole.PROSECUTOR, person(3, "p@example.test"), "承办检察官")


def test_plain_deadline_wording_names_the_kind_and_the_clock() -> None:
    assert (
        render_subject(AlertLevel.DUE_SOON, PIL_CONTENT)
        == "【府检联动】行政公益诉讼案件立案决定书送达期限即将届满：宿检行公〔2026〕3号"
    )
    assert (
        render_subject(AlertLevel.OVERDUE, PIL_CONTENT)
        == "【府检联动】行政公益诉讼案件立案决定书送达期限已逾期：宿检行公〔2026〕3号"
    )
    body = render_body(AlertLevel.DUE_SOON, PIL_CONTENT, PROSECUTOR, DUE - timedelta(days=2))
    assert body == (
        "用户3：\n\n距立案决定书送达期限届满还有2日，请按期办理。\n\n"
        "案件编号：宿检行公〔2026〕3号\n标题：某河道非法采砂公益诉讼案\n被建议单位：市水利局\n"
        "立案决定书送达期限：2026年11月25日\n期限说明：2026年11月18日立案，期限7日，届满日为2026年11月25日。\n\n"
        "查看并处理：\nhttps://hub.example.test/#/case/UGlsQ2FzZTozCg==\n\n"
        "您收到本邮件，是因为您是该行政公益诉讼案件的承办检察官。\n"
        "本邮件由府检联动平台自动发送，请勿直接回复。\n"
    )
    today = render_body(AlertLevel.DUE_SOON, PIL_CONTENT, PROSECUTOR, DUE)
    assert "立案决定书送达期限于今日届满，请于今日内办理。" in today
    late = render_body(AlertLevel.OVERDUE, PIL_CONTENT, PROSECUTOR, DUE + timedelta(days=4))
    assert "立案决定书送达期限已过，已逾期4日。" in late
