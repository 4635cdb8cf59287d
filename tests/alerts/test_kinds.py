"""Every kind's alerting clocks, through the registry: the PIL case's filing-service and
litigation-review clocks and the dispute's follow-up clock alert the handling prosecutor only,
due soon and overdue, never escalated, in their own words; moot alerts are not sent.

The cases are stored rows (case, parties, clock), as each kind's steps would leave them: the
alert scan reads nothing else.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from strawberry.relay import to_base64

from hub.alerts.decide import decide_alerts
from hub.alerts.worker import run_once
from hub.domain.dates import text_date
from hub.domain.engine import ClockStatus
from hub.domain.kinds import CaseKind, ClockSpec, KindSpec, PartyRole
from hub.kinds.registry import BY_KIND
from hub.models import Case, CaseClock, CaseParty, OutboxEmail, OutboxStatus
from tests.alerts.conftest import BASE_URL, StartSmtp, alert_settings, free_port, on_day
from tests.factories import World, served

DUE = date(2026, 11, 25)
_numbers = itertools.count(1)

# (kind, clock, the party the agency holds) of every new kind's alerting clock.
NEW_CLOCKS = [
    pytest.param(CaseKind.PIL_CASE, "filing_service", PartyRole.ADDRESSEE, id="pil-filing"),
    pytest.param(CaseKind.PIL_CASE, "litigation_review", PartyRole.ADDRESSEE, id="pil-review"),
    pytest.param(CaseKind.DISPUTE, "follow_up", PartyRole.RESPONDENT, id="dispute-follow-up"),
]


def clock_of(kind: CaseKind, name: str) -> tuple[KindSpec, ClockSpec]:
    spec = BY_KIND[kind]
    return spec, spec.clock(name)


def counting_state(clock: ClockSpec) -> str:
    assert clock.runs_in
    return sorted(clock.runs_in)[0]


async def open_case(
    world: World, kind: CaseKind, name: str, agency: PartyRole, due_on: date = DUE
) -> Case:
    """A case of ``kind`` whose clock ``name`` runs and ends on ``due_on``."""
    _, clock = clock_of(kind, name)
    at = datetime(2026, 9, 1, 2, tzinfo=UTC)
    case = await Case.create(
        kind=kind, case_no=f"宿检{kind.value}〔2026〕{next(_numbers)}号", title="关于某项监管的案件",
        state=counting_state(clock), created_at=at, updated_at=at,
    )  # fmt: skip
    prosecutor = world.prosecutor
    for role, unit_id, user_id in (
        (PartyRole.ISSUER, world.procuratorate.id, None),
        (agency, world.unit_a.id, None),
        (PartyRole.HANDLING_PROSECUTOR, world.procuratorate.id, prosecutor.id),
    ):
        await CaseParty.create(case_id=case.id, role=role, unit_id=unit_id, user_id=user_id)
    await CaseClock.create(
        case_id=case.id, name=name, rule=clock.default_rule, status=ClockStatus.RUNNING,
        started_on=at.date(), due_on=due_on, explanation=f"{clock.start_label}后依法计算的期限。",
        version=1,
    )  # fmt: skip
    return case


async def rows() -> list[tuple[str, str, str, str]]:
    return [
        (r.clock, r.level.value, r.recipient_role.value, r.recipient_email)
        for r in await OutboxEmail.all().order_by("id")
    ]


@pytest.mark.parametrize(("kind", "name", "agency"), NEW_CLOCKS)
async def test_a_new_kinds_clock_alerts_only_the_handling_prosecutor(
    world: World, kind: CaseKind, name: str, agency: PartyRole
) -> None:
    spec, clock = clock_of(kind, name)
    policy = clock.alert
    assert policy is not None and policy.due_soon_days is not None
    case = await open_case(world, kind, name, agency)
    settings = alert_settings()
    soon = policy.due_soon_days

    async def decide(day: date) -> int:
        return (await decide_alerts(settings, now=on_day(day))).inserted

    assert await decide(DUE - timedelta(days=soon + 1)) == 0
    assert await decide(DUE - timedelta(days=soon)) == 1
    assert await decide(DUE) == 0
    assert await decide(DUE + timedelta(days=1)) == 1
    for later in (7, 8, 30, 400):  # no escalation, however late
        assert await decide(DUE + timedelta(days=later)) == 0
    assert await rows() == [
        (name, "due_soon", "prosecutor", "prosecutor@example.test"),
        (name, "overdue", "prosecutor", "prosecutor@example.test"),
    ]

    overdue = await OutboxEmail.get(level="overdue")
    assert overdue.case_id == case.id and overdue.deadline_version == 1
    assert overdue.recipient_user_id == world.prosecutor.id
    assert overdue.status is OutboxStatus.HELD
    assert overdue.subject == f"【府检联动】{spec.label}{clock.label}已逾期：{case.case_no}"
    lines = overdue.body.splitlines()
    assert lines[0] == "prosecutor-姓名："
    assert lines[2] == f"{clock.label}已过，已逾期1日。"
    for line in (
        f"{spec.case_no_label}：{case.case_no}",
        "标题：关于某项监管的案件",
        f"{clock.label}：{text_date(DUE)}",
        f"期限说明：{clock.start_label}后依法计算的期限。",
        f"{BASE_URL}/#/case/{to_base64(spec.graphql_type, case.id)}",
        f"您收到本邮件，是因为您是该{spec.label}的承办检察官。",
    ):
        assert line in lines, (line, lines)
    due_soon = await OutboxEmail.get(level="due_soon")
    assert due_soon.subject == f"【府检联动】{spec.label}{clock.label}即将届满：{case.case_no}"
    assert f"距{clock.label}届满还有{soon}日，请按期办理。" in due_soon.body.splitlines()


@pytest.mark.parametrize(("kind", "name", "agency"), NEW_CLOCKS)
async def test_a_clock_counts_only_in_its_states(
    world: World, kind: CaseKind, name: str, agency: PartyRole
) -> None:
    _, clock = clock_of(kind, name)
    case = await open_case(world, kind, name, agency)
    other = next(s for s in BY_KIND[kind].states if s not in (clock.runs_in or ()))
    await Case.filter(id=case.id).update(state=other)
    assert (
        await decide_alerts(alert_settings(), now=on_day(DUE + timedelta(days=1)))
    ).inserted == 0


async def test_every_kind_in_one_pass_each_email_once(world: World) -> None:
    """A recommendation and a case of each new kind, overdue on one day: one pass decides all
    of them, by their own policies; deciding again, even concurrently, inserts nothing."""
    rec = await served(world, served_on=date(2026, 9, 25))  # reply due 2026-11-25
    cases = [await open_case(world, *p.values) for p in NEW_CLOCKS]  # type: ignore[arg-type]
    settings = alert_settings()
    day_after = on_day(DUE + timedelta(days=1))
    report = await run_once(settings, now=day_after)
    assert report.summary() == "新增提醒 5 封，发送 0 封，失败 0 封，暂存 5 封"
    assert sorted(await rows()) == sorted(
        [
            ("reply", "overdue", "liaison", "liaison_a@example.test"),
            ("reply", "overdue", "prosecutor", "prosecutor@example.test"),
            ("filing_service", "overdue", "prosecutor", "prosecutor@example.test"),
            ("litigation_review", "overdue", "prosecutor", "prosecutor@example.test"),
            ("follow_up", "overdue", "prosecutor", "prosecutor@example.test"),
        ]
    )
    assert {r.case_id for r in await OutboxEmail.all()} == {rec.id, *(c.id for c in cases)}
    again = await decide_alerts(settings, now=day_after, chunk_size=1)
    assert again.inserted == 0


MOOT = {
    "left-its-states": lambda case, clock: Case.filter(id=case.id).update(
        state=next(s for s in BY_KIND[CaseKind(case.kind)].closed)
    ),
    "stopped": lambda case, clock: CaseClock.filter(case_id=case.id).update(
        status=ClockStatus.STOPPED
    ),
    "suspended": lambda case, clock: CaseClock.filter(case_id=case.id).update(
        status=ClockStatus.SUSPENDED
    ),
    "moved": lambda case, clock: CaseClock.filter(case_id=case.id).update(
        version=2, due_on=DUE + timedelta(days=30)
    ),
}


@pytest.mark.parametrize("change", sorted(MOOT))
@pytest.mark.parametrize(("kind", "name", "agency"), NEW_CLOCKS)
async def test_a_moot_alert_of_a_new_kind_is_cancelled(
    world: World, start_smtp: StartSmtp, kind: CaseKind, name: str, agency: PartyRole, change: str
) -> None:
    case = await open_case(world, kind, name, agency)
    port = free_port()
    settings = alert_settings(f"smtp://127.0.0.1:{port}")
    day_after = on_day(DUE + timedelta(days=1))
    down = await run_once(settings, now=day_after)  # server down: the row waits
    assert down.summary() == "新增提醒 1 封，发送 0 封，失败 1 封，暂存 0 封"
    await MOOT[change](case, name)
    server = start_smtp(port)
    report = await run_once(settings, now=day_after + timedelta(hours=1))
    assert report.summary() == "新增提醒 0 封，发送 0 封，失败 0 封，暂存 0 封，作废 1 封"
    assert server.received == []
    assert {r.status for r in await OutboxEmail.all()} == {OutboxStatus.CANCELLED}


async def test_a_new_kinds_email_arrives_once(world: World, start_smtp: StartSmtp) -> None:
    spec, clock = clock_of(CaseKind.DISPUTE, "follow_up")
    case = await open_case(world, CaseKind.DISPUTE, "follow_up", PartyRole.RESPONDENT)
    server = start_smtp()
    settings = alert_settings(server.url)
    day_after = on_day(DUE + timedelta(days=1))
    first = await run_once(settings, now=day_after)
    again = await run_once(settings, now=day_after + timedelta(minutes=5))
    assert (first.sent, again.sent, again.decided) == (1, 0, 0)
    (mail,) = server.received
    assert mail.rcpt_tos == ["prosecutor@example.test"]
    assert mail.subject == f"【府检联动】{spec.label}{clock.label}已逾期：{case.case_no}"
    assert f"被申请行政机关：{world.unit_a.name}" in mail.body.splitlines()
