"""The notification item (通报事项) on real databases: through the Office to each recipient,
acknowledged one by one; the periodic schedule's next-report clock; who sees what; refusals
that change nothing; its alert."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from strawberry.relay import to_base64

from hub import clock
from hub.alerts.decide import decide_alerts
from hub.domain.engine import ClockStatus, board_column
from hub.domain.errors import (
    HubError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    VersionConflict,
)
from hub.domain.roles import Actor, Role, Side, UnitKind
from hub.domain.visibility import audience_of
from hub.kinds.notification.models import NotificationAcknowledgement, NotificationDetail
from hub.kinds.notification.spec import SPEC, Action, Category, Period
from hub.kinds.notification.steps import STEPS, next_due, period_start
from hub.models import Case, CaseClock, CaseEvent, CaseParty, OutboxEmail, Unit, User
from hub.services.auth import actor_for_user, hash_password
from hub.services.cases import Change
from hub.services.forms import create_from_form, take_form_step
from hub.services.visibility import visible_cases, visible_events
from tests.alerts.conftest import alert_settings, on_day
from tests.app_clients import Api
from tests.factories import PASSWORD, World, facts

_numbers = iter(range(1, 10_000))


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


@pytest.fixture
async def police(world: World) -> Actor:
    """A third unit (市公安局) with its liaison, to be added by the Office."""
    unit = await Unit.create(code="public_security", name="市公安局", kind=UnitKind.MEMBER,
                             side=Side.GOVERNMENT)  # fmt: skip
    user = await User.create(
        username="liaison_police", display_name="liaison_police-姓名", password_hash=hash_password(PASSWORD),
        role=Role.UNIT_LIAISON, unit_id=unit.id, email="police@example.test",
    )  # fmt: skip
    return actor_for_user(user, unit)


def new_item(w: World, **over: Any) -> dict[str, Any]:
    return {
        "caseNo": f"宿府检通〔2026〕{next(_numbers)}号", "title": "2026年9月两法衔接情况通报",
        "category": Category.GOV_TWO_LAWS.value,
        "recipientUnitIds": [w.procuratorate.id, w.unit_b.id],
        "body": "本月移送涉嫌犯罪案件3件。", "period": Period.MONTHLY.value,
        "periodOf": date(2026, 9, 1), **over,
    }  # fmt: skip


async def step(actor: Actor, case: Case, action: str, day: date, **raw: Any) -> Case:
    change = await take_form_step(STEPS, actor, case.id, case.version, action, raw, now=at(day))
    return change.case


async def delivered(w: World, **over: Any) -> Case:
    case = (await create_from_form(STEPS, w.liaison_a, new_item(w, **over))).case
    case = await step(w.liaison_a, case, Action.SUBMIT, date(2026, 9, 28))
    return await step(w.office, case, Action.DELIVER, date(2026, 9, 29))


async def snapshot(case_id: int) -> tuple[Any, ...]:
    case = await Case.get(id=case_id)
    return (
        case.state, case.version, case.flags,
        await CaseEvent.filter(case_id=case_id).count(),
        sorted(await CaseParty.filter(case_id=case_id).values_list("role", "unit_id")),
        sorted(await NotificationAcknowledgement.filter(case_id=case_id)
               .values_list("unit_id", "acknowledged_at")),
        sorted(await CaseClock.filter(case_id=case_id).values_list("name", "status", "due_on")),
    )  # fmt: skip


async def refused(error: type[HubError], case_id: int, take: Awaitable[Change]) -> HubError:
    before = await snapshot(case_id)
    with pytest.raises(error) as caught:
        await take
    assert await snapshot(case_id) == before
    return caught.value


_FIELDS = """
  ... on Notification { id version state stateLabel column category categoryLabel direction
    period nextDueOn recipients { name } officeNote
    acknowledgements { unit { name } acknowledged acknowledgedBy note }
    clocks { name dueOn rule }
    availableActions { action form { mutation } }
    details { title facts { label value } items { heading facts { label value } } }
    parties { roleLabel unit { name } } }
"""
_RESULT = "__typename ... on CaseStepSuccess { case { %s } } ... on Error { code message field }"
_CREATE = "mutation($input: CreateNotificationInput!) { createNotification(input: $input) { %s } }"
_SUBMIT = "mutation($input: SubmitNotificationInput!) { submitNotification(input: $input) { %s } }"
_DELIVER = (
    "mutation($input: DeliverNotificationInput!) { deliverNotification(input: $input) { %s } }"
)
_ACK = (
    "mutation($input: AcknowledgeNotificationInput!) "
    "{ acknowledgeNotification(input: $input) { %s } }"
)
_TAKE = "mutation($input: TakeStepInput!) { takeStep(input: $input) { %s } }"
_READ = f"query($id: ID!) {{ node(id: $id) {{ {_FIELDS} }} }}"


def _q(template: str) -> str:
    return template % (_RESULT % _FIELDS)


def gid(unit: Unit) -> str:
    return to_base64("Unit", unit.id)


def _out(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


def _facts(case: dict[str, Any], title: str) -> dict[str, str]:
    section = next(s for s in case["details"] if s["title"] == title)
    return {f["label"]: f["value"] for f in section["facts"]}


async def test_main_path_from_a_unit_through_the_office_to_each_recipient(
    api: Api, police: Actor
) -> None:
    w = api.world
    today = clock.today()
    month = period_start(today, Period.MONTHLY)
    new = {
        "caseNo": "宿环通〔2026〕1号", "title": "两法衔接情况月度通报", "category": "GOV_TWO_LAWS",
        "recipientUnitIds": [gid(w.procuratorate), gid(w.unit_b)],
        "body": "本月移送涉嫌环境污染犯罪案件2件。", "period": "MONTHLY",
        "periodOf": month.isoformat(),
    }  # fmt: skip
    async with api.as_user("liaison_a") as liaison:
        for bad, field in (
            ({"category": "PROC_PIL"}, "category"),
            ({"recipientUnitIds": [gid(w.unit_b)]}, "recipientUnitIds"),
            ({"recipientUnitIds": [gid(w.unit_a), gid(w.procuratorate)]}, "recipientUnitIds"),
            ({"category": "GOV_OTHER"}, "period"),
            ({"periodOf": None}, "periodOf"),
            ({"periodOf": (month + timedelta(days=40)).isoformat()}, "periodOf"),
        ):
            out = _out(await liaison(_q(_CREATE), {"input": {**new, **bad}}), "createNotification")
            assert (out["code"], out["field"]) == ("VALIDATION_FAILED", field), bad
        assert not await Case.filter(kind=SPEC.kind).exists()
        case = _out(await liaison(_q(_CREATE), {"input": new}), "createNotification")["case"]
        assert (case["state"], case["stateLabel"], case["direction"]) == (
            "DRAFT", "草稿", "TO_PROCURATORATE")  # fmt: skip
        assert case["categoryLabel"] == "〔政府→检察〕3. 行政执法与刑事司法衔接相关情况"
        assert [p["roleLabel"] for p in case["parties"]] == [
            "通报单位", "承办人", "接收单位", "接收单位"]  # fmt: skip
        async with api.as_user("prosecutor") as prosecutor:  # a recipient, not yet delivered
            assert (await prosecutor(_READ, {"id": case["id"]}))["data"]["node"] is None
        sub = {"id": case["id"], "version": case["version"], "comment": "请转送"}
        case = _out(await liaison(_q(_SUBMIT), {"input": sub}), "submitNotification")["case"]
        due = next_due(month, Period.MONTHLY)
        assert case["state"] == "SUBMITTED" and case["nextDueOn"] == due.isoformat()
        assert case["clocks"] == [{"name": "next_report", "dueOn": due.isoformat(),
                                   "rule": "assigned_date"}]  # fmt: skip
    async with api.as_user("office") as office:
        deliver = {"id": case["id"], "version": case["version"],
                   "addRecipientUnitIds": [gid(w.unit_a)], "officeNote": "请各单位签收"}  # fmt: skip
        out = _out(await office(_q(_DELIVER), {"input": deliver}), "deliverNotification")
        assert (out["code"], out["field"]) == ("VALIDATION_FAILED", "addRecipientUnitIds")
        deliver["addRecipientUnitIds"] = [to_base64("Unit", police.unit_id)]
        case = _out(await office(_q(_DELIVER), {"input": deliver}), "deliverNotification")["case"]
        assert case["state"] == "DELIVERED"
        assert [r["name"] for r in case["recipients"]] == [
            "宿州市人民检察院", "市交通运输局", "市公安局"]  # fmt: skip
    async with api.as_user("prosecutor") as prosecutor:
        seen = (await prosecutor(_READ, {"id": case["id"]}))["data"]["node"]
        assert [a["action"] for a in seen["availableActions"]] == ["ACKNOWLEDGE"]
        ack = {"id": case["id"], "version": case["version"], "note": "已收悉"}
        case = _out(await prosecutor(_q(_ACK), {"input": ack}), "acknowledgeNotification")["case"]
        assert case["state"] == "DELIVERED" and case["availableActions"] == []
        assert _facts(case, "签收情况") == {"已签收": "宿州市人民检察院",
                                        "未签收": "市交通运输局、市公安局"}  # fmt: skip
        again = {**ack, "version": case["version"]}
        out = _out(await prosecutor(_q(_ACK), {"input": again}), "acknowledgeNotification")
        assert out["code"] == "PERMISSION_DENIED"
    for username in ("liaison_b", "liaison_police"):
        async with api.as_user(username) as recipient:
            ack = {"id": case["id"], "version": case["version"]}
            case = _out(await recipient(_q(_ACK), {"input": ack}),
                        "acknowledgeNotification")["case"]  # fmt: skip
    assert case["state"] == "ACKNOWLEDGED"
    assert [(a["unit"]["name"], a["acknowledged"]) for a in case["acknowledgements"]] == [
        ("宿州市人民检察院", True), ("市交通运输局", True), ("市公安局", True)]  # fmt: skip
    assert case["acknowledgements"][0]["note"] == "已收悉"
    assert [p["roleLabel"] for p in case["parties"]].count("已签收单位") == 3
    async with api.as_user("liaison_a") as liaison:
        archive = {"id": case["id"], "version": case["version"], "action": "ARCHIVE"}
        case = _out(await liaison(_q(_TAKE), {"input": archive}), "takeStep")["case"]
        assert case["state"] == "ARCHIVED"
    pk = (await Case.get(case_no="宿环通〔2026〕1号")).id
    actions = [e.action for e in await CaseEvent.filter(case_id=pk).order_by("seq")]
    assert actions == ["create", "submit", "deliver", "acknowledge", "acknowledge",
                       "acknowledge", "archive"]  # fmt: skip


async def test_the_next_report_clock_ends_on_the_next_periods_last_day(world: World) -> None:
    w = world
    sept = await delivered(w)
    row = await CaseClock.get(case_id=sept.id, name="next_report")
    # September's report, submitted 2026-09-28: October's is due by 2026-10-31 (a Saturday:
    # a date the schedule sets is not moved off rest days).
    assert (row.rule, row.started_on, row.due_on) == ("assigned_date", date(2026, 9, 28),
                                                      date(2026, 10, 31))  # fmt: skip
    assert row.explanation == "2026年9月28日本期报送，指定完成日期2026年10月31日。"
    quarter = await delivered(w, category=Category.GOV_RECONSIDERATION.value,
                              period=Period.QUARTERLY.value, periodOf=date(2026, 8, 15))  # fmt: skip
    q = await CaseClock.get(case_id=quarter.id, name="next_report")
    assert q.due_on == date(2026, 12, 31)  # Q3 in: Q4 due by the quarter's last day
    # A late report for August (its period long over) starts from August's last day.
    late = await delivered(w, category=Category.GOV_PIL_RECOMMENDATIONS.value,
                           periodOf=date(2026, 8, 3))  # fmt: skip
    assert (await CaseClock.get(case_id=late.id, name="next_report")).due_on == date(2026, 9, 30)
    # Unsubmitted October: on 2026-11-01 September's item shows in 下期逾期未报.
    stored = await Case.get(id=sept.id)
    assert board_column(SPEC, await facts(stored.id), date(2026, 10, 31)).id == "DELIVERED"
    assert board_column(SPEC, await facts(stored.id), date(2026, 11, 1)).id == "NEXT_OVERDUE"
    # October's report comes in: September's clock stops, recorded on it as a step.
    october = (await create_from_form(STEPS, w.liaison_a, new_item(
        w, title="2026年10月两法衔接情况通报", periodOf=date(2026, 10, 9)))).case  # fmt: skip
    before = (await Case.get(id=sept.id)).version
    await step(w.liaison_a, october, Action.SUBMIT, date(2026, 11, 2))
    stored = await Case.get(id=sept.id)
    assert stored.version == before + 1 and "schedule_closed" in stored.flags
    assert (await CaseClock.get(case_id=sept.id, name="next_report")).status is ClockStatus.STOPPED
    assert board_column(SPEC, await facts(stored.id), date(2026, 11, 2)).id == "DELIVERED"
    event = await CaseEvent.filter(case_id=sept.id).order_by("-seq").first()
    assert event is not None and event.action == "next_submitted"
    assert (await NotificationDetail.get(case_id=sept.id)).successor_id == october.id
    new_row = await CaseClock.get(case_id=october.id, name="next_report")
    assert new_row.due_on == date(2026, 11, 30)
    # The other schedules of the unit (other categories) are untouched.
    assert (await CaseClock.get(case_id=quarter.id, name="next_report")).status is (
        ClockStatus.RUNNING)  # fmt: skip


def every_step(case: Case, w: World) -> dict[str, Callable[[Actor], Awaitable[Change]]]:
    d = date(2026, 9, 30)

    def take(action: str, **raw: Any) -> Callable[[Actor], Awaitable[Change]]:
        return lambda a: take_form_step(STEPS, a, case.id, case.version, action, raw, now=at(d))

    from hub.services.cases import take_step

    def plain(action: str) -> Callable[[Actor], Awaitable[Change]]:
        return lambda a: take_step(a, case.id, case.version, action, kind=SPEC.kind, now=at(d))

    return {
        "submit": take(Action.SUBMIT), "deliver": take(Action.DELIVER),
        "acknowledge": take(Action.ACKNOWLEDGE), "archive": plain(Action.ARCHIVE),
        "return": plain(Action.RETURN), "end": plain(Action.END_SCHEDULE),
        "withdraw": plain(Action.WITHDRAW),
    }  # fmt: skip


_LISTS = """query($no: String!) {
  cases(first: 50) { edges { node { caseNo } } }
  caseByNo(caseNo: $no) { caseNo }
  board(kind: NOTIFICATION) { cards { caseNo } }
}"""


async def test_a_unit_that_is_no_party_sees_nothing_and_every_step_is_not_found(
    api: Api, police: Actor
) -> None:
    w = api.world
    item = await delivered(w, recipientUnitIds=[w.procuratorate.id])
    draft = (await create_from_form(STEPS, w.liaison_a, new_item(w))).case
    for case in (item, draft):
        for name, take in every_step(case, w).items():
            refusal = await refused(NotFound, case.id, take(w.liaison_b))
            assert refusal.message == "通报事项不存在", name
    outsider = audience_of(w.liaison_b)
    assert await visible_cases(outsider).count() == 0
    assert await visible_events(outsider).count() == 0
    async with api.as_user("liaison_b") as other:
        body = await other(_LISTS, {"no": item.case_no})
        assert body["data"] == {"cases": {"edges": []}, "caseByNo": None,
                                "board": {"cards": []}}  # fmt: skip
        node = await other(_READ, {"id": to_base64("Notification", item.id)})
        assert node["data"]["node"] is None
    # The procuratorate, a recipient, sees the delivered item but not the draft.
    mine = audience_of(w.prosecutor)
    assert [c.id for c in await visible_cases(mine).filter(kind=SPEC.kind)] == [item.id]
    assert (
        await visible_events(mine).filter(case_id=item.id).count() == 3
    )  # create (internal), submit, deliver


async def test_wrong_state_wrong_role_stale_version_and_bad_input_change_nothing(
    world: World,
) -> None:
    w = world
    draft = (await create_from_form(STEPS, w.liaison_a, new_item(w))).case
    steps = every_step(draft, w)
    await refused(InvalidTransition, draft.id, steps["deliver"](w.office))
    await refused(InvalidTransition, draft.id, steps["archive"](w.liaison_a))
    await refused(PermissionDenied, draft.id, steps["submit"](w.office))
    item = await delivered(w)
    steps = every_step(item, w)
    await refused(PermissionDenied, item.id, steps["acknowledge"](w.liaison_a))
    await refused(InvalidTransition, item.id, steps["withdraw"](w.liaison_a))
    await refused(VersionConflict, item.id, take_form_step(
        STEPS, w.prosecutor, item.id, item.version - 1, Action.ACKNOWLEDGE, {}))  # fmt: skip
    long_note = {"note": "意" * 2001}
    error = await refused(ValidationFailed, item.id, take_form_step(
        STEPS, w.prosecutor, item.id, item.version, Action.ACKNOWLEDGE, long_note))  # fmt: skip
    assert error.field == "note"
    # The issuer may end a schedule once; then the step is no more.
    ended = await steps["end"](w.liaison_a)
    assert (await CaseClock.get(case_id=item.id, name="next_report")).status is (
        ClockStatus.STOPPED)  # fmt: skip
    again = take_step_plain(w.liaison_a, ended.case, Action.END_SCHEDULE)
    await refused(InvalidTransition, item.id, again)


def take_step_plain(actor: Actor, case: Case, action: str) -> Awaitable[Change]:
    from hub.services.cases import take_step

    async def run() -> Change:
        return await take_step(actor, case.id, case.version, action, kind=SPEC.kind,
                               now=at(date(2026, 10, 2)))  # fmt: skip

    return run()


async def test_a_missing_report_alerts_the_issuing_unit_once_then_the_office(
    world: World,
) -> None:
    item = await delivered(world)  # October's report due 2026-10-31
    settings = alert_settings()

    async def decide(day: date) -> int:
        return (await decide_alerts(settings, now=on_day(day))).inserted

    assert await decide(date(2026, 10, 27)) == 0
    assert await decide(date(2026, 10, 28)) == 1  # 3 days before
    assert await decide(date(2026, 11, 1)) == 1
    assert await decide(date(2026, 11, 1)) == 0
    assert await decide(date(2026, 11, 4)) == 0
    assert await decide(date(2026, 11, 5)) == 2  # 5 days past the last day: the Office too
    assert await decide(date(2026, 11, 6)) == 0
    rows = [(r.level.value, r.recipient_role.value, r.recipient_email)
            for r in await OutboxEmail.filter(case_id=item.id).order_by("id")]  # fmt: skip
    # liaison_a is the unit's liaison and the item's author: one email to the address.
    assert rows == [
        ("due_soon", "liaison", "liaison_a@example.test"),
        ("overdue", "liaison", "liaison_a@example.test"),
        ("escalation", "liaison", "liaison_a@example.test"),
        ("escalation", "office", "office@example.test"),
    ]
    overdue = await OutboxEmail.get(case_id=item.id, level="overdue")
    assert overdue.subject == f"【府检联动】通报事项下期报送期限已逾期：{item.case_no}"


async def test_demo_items_are_made_through_the_steps(db: str) -> None:
    from hub.kinds.notification.demo import load_demo
    from hub.services.demo import load_accounts, load_units

    units = await load_units()
    users = await load_accounts(units, "demo-password-1")
    assert await load_demo(units, users) == 5
    cases = await Case.filter(kind=SPEC.kind).order_by("id")
    assert [c.state for c in cases] == ["acknowledged", "delivered", "delivered", "submitted",
                                        "draft"]  # fmt: skip
    acks = await NotificationAcknowledgement.filter(case_id=cases[2].id).order_by("id")
    assert [a.acknowledged_at is not None for a in acks] == [True, False, False]
    clocks = await CaseClock.filter(case_id__in=[c.id for c in cases]).count()
    assert clocks == 2  # the monthly and the quarterly report
