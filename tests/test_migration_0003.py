"""Migration 0003 moves recommendations onto cases: a database of 0002 with real-looking rows,
migrated to the latest schema, keeps every row, every id and every value.

Rows are written with raw SQL in the old schema (the old models are gone), then read back as
the new models and as raw rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from strawberry.relay import from_base64, to_base64
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import TortoiseContext
from tortoise.migrations.api.migrate import migrate

from hub.db import tortoise_config
from hub.domain.engine import available_transitions
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.domain.visibility import Audience
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import RecommendationDetail
from hub.kinds.recommendation.spec import SPEC, Action, RecommendationType
from hub.kinds.registry import BY_TYPE_NAME
from hub.models import Case, CaseClock, CaseParty, EventCounter
from hub.services.visibility import facts_of, visible_cases, visible_events

AT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
PROC, UNIT_A, UNIT_B = 1, 2, 3
PROSECUTOR, CHIEF, OFFICE, LIAISON_A, LIAISON_B = 1, 2, 3, 4, 5


def _t(days: int, hours: int = 0) -> datetime:
    return AT + timedelta(days=days, hours=hours)


UNITS = [
    {"id": PROC, "code": "procuratorate", "name": "宿州市人民检察院", "name_en": "Procuratorate",
     "kind": "procuratorate", "side": "procuratorate", "aliases": "[]", "position": 1},
    {"id": UNIT_A, "code": "ecology_env", "name": "市生态环境局", "name_en": "", "kind": "member",
     "side": "government", "aliases": '["生态环境局"]', "position": 2},
    {"id": UNIT_B, "code": "transport", "name": "市交通运输局", "name_en": "", "kind": "member",
     "side": "government", "aliases": "[]", "position": 3},
]  # fmt: skip
USERS = [
    {"id": uid, "username": name, "display_name": f"{name}-姓名", "password_hash": "x",
     "role": role, "title": "", "email": f"{name}@example.test", "phone": "", "is_active": True,
     "created_at": AT, "unit_id": unit}
    for uid, name, role, unit in (
        (PROSECUTOR, "prosecutor", "prosecutor", PROC),
        (CHIEF, "chief", "procurator_approver", PROC),
        (OFFICE, "office", "office_admin", PROC),
        (LIAISON_A, "liaison_a", "unit_liaison", UNIT_A),
        (LIAISON_B, "liaison_b", "unit_liaison", UNIT_B),
    )
]  # fmt: skip


def _rec(rec_id: int, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": rec_id, "doc_no": f"宿检行建〔2026〕{rec_id}号", "title": f"检察建议 {rec_id}",
        "rec_type": "social_governance", "issues": f"问题 {rec_id}", "suggestions": f"建议 {rec_id}",
        "legal_basis": f"依据 {rec_id}", "internal_note": f"内部 {rec_id}", "state": "draft",
        "urgent": False, "reply_rule": "statutory_2m", "custom_period_amount": None,
        "custom_period_unit": None, "served_on": None, "service_method": None, "reply_due": None,
        "due_provisional": False, "due_explanation": "", "deadline_version": 0, "version": 1,
        "created_at": _t(-rec_id), "updated_at": _t(0, rec_id), "closed_at": None,
        "addressee_unit_id": UNIT_A, "issuer_unit_id": PROC, "prosecutor_id": PROSECUTOR,
    }  # fmt: skip
    return row | values


RECOMMENDATIONS = [
    _rec(3, rec_type="public_interest", state="rectifying", urgent=True, reply_rule="urgent_15d",
         served_on=date(2024, 9, 16), service_method="written", reply_due=date(2024, 10, 8),
         due_explanation="2024-09-16 送达，期限15日，届满日 2024-10-01 为国庆节假日，顺延至 2024-10-08。",
         deadline_version=1, version=6),
    _rec(5, state="served", reply_rule="custom", custom_period_amount=20, custom_period_unit="days",
         served_on=date(2026, 11, 2), service_method="announced", reply_due=date(2026, 11, 23),
         due_explanation="2026-11-02 送达，期限20日，届满日 2026-11-22 为星期日，顺延至 2026-11-23。",
         deadline_version=1, version=4, addressee_unit_id=UNIT_B),
    _rec(8, rec_type="correction", internal_note=""),
    _rec(13, rec_type="other", state="withdrawn", served_on=date(2026, 10, 10),
         service_method="written", reply_due=date(2026, 12, 10),
         due_explanation="2026-10-10 送达，期限两个月，届满日为 2026-12-10。", deadline_version=1,
         version=7, closed_at=_t(20), prosecutor_id=None),
    _rec(21, state="objection_review", served_on=date(2026, 11, 20), service_method="written",
         reply_due=date(2027, 1, 20), due_provisional=True,
         due_explanation="2026-11-20 送达，期限两个月，届满日为 2027-01-20（2027年节假日安排尚未公布，按周末推算，待公布后重新计算）。",
         deadline_version=2, version=8),
    _rec(34, rec_type="public_interest", state="closed_adopted", served_on=date(2026, 8, 3),
         service_method="written", reply_due=date(2026, 10, 9),
         due_explanation="2026-08-03 送达，期限两个月，届满日 2026-10-03 为国庆节假日，顺延至 2026-10-09。",
         deadline_version=1, version=9, closed_at=_t(5), addressee_unit_id=UNIT_B),
]  # fmt: skip
REPLIES = [
    {"id": 1, "recommendation_id": 3, "content": "已整改", "measures": "措施", "completeness": "partial",
     "submitted_by": "liaison_a-姓名", "submitted_at": _t(1), "decision": "partially_adopted",
     "review_comment": "第二项未落实", "reviewed_by": "prosecutor-姓名", "reviewed_at": _t(2)},
    {"id": 2, "recommendation_id": 34, "content": "全部整改", "measures": "", "completeness": "full",
     "submitted_by": "liaison_b-姓名", "submitted_at": _t(3), "decision": "adopted",
     "review_comment": "", "reviewed_by": "prosecutor-姓名", "reviewed_at": _t(4)},
]  # fmt: skip
OBJECTIONS = [
    {"id": 1, "recommendation_id": 21, "grounds": "不属于我局职责", "raised_by": "liaison_a-姓名",
     "raised_at": _t(6), "decision": None, "reasons": "", "decided_by": "", "decided_at": None},
    {"id": 2, "recommendation_id": 13, "grounds": "已另案处理", "raised_by": "liaison_a-姓名",
     "raised_at": _t(7), "decision": "withdrawn", "reasons": "撤回", "decided_by": "chief-姓名",
     "decided_at": _t(8)},
]  # fmt: skip


def _event(
    seq: int, rec_id: int, action: str, actor: tuple[str, int, str, int], **values: Any
) -> dict[str, Any]:
    kind, actor_id, name, unit = actor
    row: dict[str, Any] = {
        "id": 100 + seq, "seq": seq, "recommendation_id": rec_id, "action": action,
        "from_state": None, "to_state": "draft", "version": 1, "actor_kind": kind,
        "actor_id": actor_id, "actor_name": name, "actor_unit_id": unit, "comment": "",
        "payload": "{}", "internal": True, "created_at": _t(seq, 1),
    }  # fmt: skip
    return row | values


_P = ("user", PROSECUTOR, "prosecutor-姓名", PROC)
_O = ("user", OFFICE, "office-姓名", PROC)
_A = ("user", LIAISON_A, "liaison_a-姓名", UNIT_A)
_SYS = ("system", 0, "系统", 0)
EVENTS = [
    *(_event(n, rec["id"], "create", _P) for n, rec in enumerate(RECOMMENDATIONS, start=1)),
    _event(7, 3, "serve", _P, from_state="approved", to_state="served", version=4, internal=False,
           payload=json.dumps({"servedOn": "2024-09-16", "replyDue": "2024-10-08"})),
    _event(8, 3, "acknowledge", _A, from_state="served", to_state="rectifying", version=5,
           internal=False),
    _event(9, 3, "urge", _O, from_state="rectifying", to_state="rectifying", version=6,
           comment="请尽快回复", internal=False),
    _event(10, 13, "urge", _P, from_state="served", to_state="served", version=5,
           comment="已逾期", internal=False),
    _event(11, 21, "recompute_deadline", _SYS, from_state="served", to_state="served", version=7,
           comment="重新计算", internal=False,
           payload=json.dumps({"from": "2027-01-19", "to": "2027-01-20"})),
]  # fmt: skip
OUTBOX = [
    {"id": 1, "dedupe_key": "3:1:due_soon:liaison_a@example.test", "recommendation_id": 3,
     "deadline_version": 1, "level": "due_soon", "recipient_user_id": LIAISON_A,
     "recipient_role": "liaison", "recipient_name": "liaison_a-姓名",
     "recipient_email": "liaison_a@example.test", "subject": "回复即将到期", "body": "正文一",
     "status": "sent", "attempts": 1, "next_attempt_at": _t(1), "claimed_until": None,
     "claim_token": None, "last_error": "", "created_at": _t(1), "sent_at": _t(1, 1)},
    {"id": 2, "dedupe_key": "3:1:overdue:office@example.test", "recommendation_id": 3,
     "deadline_version": 1, "level": "overdue", "recipient_user_id": None,
     "recipient_role": "office", "recipient_name": "府检联动办公室",
     "recipient_email": "office@example.test", "subject": "已逾期", "body": "正文二",
     "status": "pending", "attempts": 2, "next_attempt_at": _t(9), "claimed_until": _t(9, 1),
     "claim_token": "abc123", "last_error": "timeout", "created_at": _t(8), "sent_at": None},
    {"id": 3, "dedupe_key": "13:1:escalation:chief@example.test", "recommendation_id": 13,
     "deadline_version": 1, "level": "escalation", "recipient_user_id": CHIEF,
     "recipient_role": "approver", "recipient_name": "chief-姓名",
     "recipient_email": "chief@example.test", "subject": "提请督办", "body": "正文三",
     "status": "held", "attempts": 0, "next_attempt_at": _t(10), "claimed_until": None,
     "claim_token": None, "last_error": "", "created_at": _t(10), "sent_at": None},
]  # fmt: skip
CHILD_TABLES = ("reply", "objection", "case_event", "outbox_email")


@dataclass(frozen=True)
class Expected:
    """A recommendation's reply clock as the migration must write it."""

    rule: str
    status: str


CLOCKS = {
    3: Expected("ji21_15d", "running"),
    5: Expected("jy_custom", "running"),
    13: Expected("jy_2m", "stopped"),
    21: Expected("jy_2m", "running"),
    34: Expected("ji21_2m", "stopped"),
}
FLAGS = {3: "public_interest,urged", 5: "", 8: "", 13: "urged", 21: "", 34: "public_interest"}


def _sql(conn: BaseDBAsyncClient, sql: str) -> str:
    """``?`` placeholders, numbered for asyncpg."""
    if conn.capabilities.dialect != "postgres":
        return sql
    parts = sql.split("?")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


async def _insert(conn: BaseDBAsyncClient, table: str, rows: Sequence[dict[str, Any]]) -> None:
    for row in rows:
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
        await conn.execute_query(_sql(conn, sql), list(row.values()))


async def _rows(conn: BaseDBAsyncClient, table: str) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.execute_query_dict(f'SELECT * FROM "{table}" ORDER BY id')]


async def _tables(conn: BaseDBAsyncClient) -> set[str]:
    if conn.capabilities.dialect == "postgres":
        sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {r["name"] for r in await conn.execute_query_dict(sql)}


async def _write_old_rows(conn: BaseDBAsyncClient) -> None:
    await _insert(conn, "unit", UNITS)
    await _insert(conn, "user", USERS)
    await _insert(conn, "recommendation", RECOMMENDATIONS)
    await _insert(conn, "reply", REPLIES)
    await _insert(conn, "objection", OBJECTIONS)
    await _insert(conn, "case_event", EVENTS)
    await _insert(conn, "outbox_email", OUTBOX)
    await conn.execute_query(
        _sql(conn, "UPDATE event_counter SET value = ? WHERE id = 1"), [len(EVENTS)]
    )
    if conn.capabilities.dialect == "postgres":  # as if the rows had been inserted one by one
        for table in ("unit", "user", "recommendation", "reply", "objection", "case_event",
                      "outbox_email"):  # fmt: skip
            await conn.execute_query(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT MAX(id) FROM "{table}"))'
            )


async def test_migration_0003_keeps_every_recommendation(unmigrated_database: str) -> None:
    url = unmigrated_database
    name = f"m0003_{'postgres' if url.startswith('postgres') else 'sqlite'}"
    config = tortoise_config(url, connection=name)
    with TortoiseContext() as ctx:
        try:
            await migrate(config=config, target="hub.0002_outbox")
            conn = ctx.connections.get(name)
            assert "recommendation" in await _tables(conn) and "case" not in await _tables(conn)
            await _write_old_rows(conn)
            before = {table: await _rows(conn, table) for table in CHILD_TABLES}
            await migrate(config=config)
        finally:
            await ctx.close_connections()
    with TortoiseContext() as ctx:  # the models as the hub uses them
        await ctx.init(config=config)
        try:
            conn = ctx.connections.get(name)
            assert "recommendation" not in await _tables(conn)
            await _check_cases()
            await _check_children(conn, before)
            await _check_visibility()
            await _check_new_rows_get_fresh_ids()
        finally:
            await ctx.close_connections()


async def _check_cases() -> None:
    cases = {c.id: c for c in await Case.all()}
    assert sorted(cases) == [r["id"] for r in RECOMMENDATIONS]
    for old in RECOMMENDATIONS:
        case = cases[old["id"]]
        assert (case.kind, case.case_no, case.title, case.state, case.version) == (
            CaseKind.RECOMMENDATION, old["doc_no"], old["title"], old["state"], old["version"],
        )  # fmt: skip
        assert case.flags == FLAGS[case.id]
        assert (case.internal_note, case.author_id, case.source_id) == (
            old["internal_note"], old["prosecutor_id"], None,
        )  # fmt: skip
        assert (case.created_at, case.updated_at, case.closed_at) == (
            old["created_at"], old["updated_at"], old["closed_at"],
        )  # fmt: skip

        parties = {(p.role, p.unit_id, p.user_id) for p in await CaseParty.filter(case_id=case.id)}
        expected = {
            (PartyRole.ISSUER, PROC, None),
            (PartyRole.ADDRESSEE, old["addressee_unit_id"], None),
        }
        if old["prosecutor_id"] is not None:
            expected.add((PartyRole.HANDLING_PROSECUTOR, PROC, old["prosecutor_id"]))
        assert parties == expected, case.id

        detail = await RecommendationDetail.get(case_id=case.id)
        assert (detail.rec_type, detail.issues, detail.suggestions, detail.legal_basis) == (
            RecommendationType(old["rec_type"]), old["issues"], old["suggestions"], old["legal_basis"],
        )  # fmt: skip
        assert (detail.served_on, detail.service_method) == (
            old["served_on"],
            old["service_method"],
        )

        clocks = await CaseClock.filter(case_id=case.id)
        if case.id not in CLOCKS:
            assert clocks == [], case.id  # never served: no clock
            continue
        assert [c.name for c in clocks] == ["reply"]
        clock = clocks[0]
        assert (clock.rule, clock.status) == (CLOCKS[case.id].rule, CLOCKS[case.id].status)
        assert (clock.started_on, clock.due_on, clock.explanation, clock.provisional) == (
            old["served_on"], old["reply_due"], old["due_explanation"], old["due_provisional"],
        )  # fmt: skip
        assert clock.version == old["deadline_version"]
        assert (clock.custom_amount, clock.custom_unit) == (
            old["custom_period_amount"], old["custom_period_unit"],
        )  # fmt: skip
        assert (clock.started_at, clock.due_at, clock.suspended_on) == (None, None, None)


async def _check_children(conn: BaseDBAsyncClient, before: dict[str, list[dict[str, Any]]]) -> None:
    """Replies, objections, events and outbox rows point at the case; nothing else moved."""
    for table in CHILD_TABLES:
        after = await _rows(conn, table)
        expected = []
        for row in before[table]:
            moved = {k: v for k, v in row.items() if k != "recommendation_id"}
            moved["case_id"] = row["recommendation_id"]
            if table == "outbox_email":
                moved["clock"] = "reply"  # every old alert was on the reply deadline
            expected.append(moved)
        if table == "case_event":  # later migrations chain the events (hub audit verify)
            assert all(len(row.pop("hash")) == 64 for row in after)
        assert after == expected, table
    counter = await EventCounter.get(id=1)
    assert counter.value == len(EVENTS)


async def _ids(audience: Audience) -> list[int]:
    return sorted(c.id for c in await visible_cases(audience).only("id"))


def _viewer(unit: int, side: Side, *, office: bool = False) -> Audience:
    return Audience(office, unit, side)


async def _check_visibility() -> None:
    office = _viewer(PROC, Side.PROCURATORATE, office=True)
    all_ids = [r["id"] for r in RECOMMENDATIONS]
    # An old global ID (``Recommendation:<id>`` in an email already sent) names the same case.
    for rec_id in all_ids:
        type_name, node_id = from_base64(to_base64("Recommendation", rec_id))
        case = await visible_cases(office).get(id=int(node_id))
        assert BY_TYPE_NAME[type_name].kind == case.kind == CaseKind.RECOMMENDATION
    procuratorate = _viewer(PROC, Side.PROCURATORATE)
    assert await _ids(procuratorate) == all_ids
    unit_a = _viewer(UNIT_A, Side.GOVERNMENT)
    assert await _ids(unit_a) == [3, 13, 21]
    unit_b = _viewer(UNIT_B, Side.GOVERNMENT)
    assert await _ids(unit_b) == [5, 34]
    seen = sorted(e.seq for e in await visible_events(unit_a))
    assert seen == [7, 8, 9, 10, 11]  # the internal "create" events stay hidden

    # The flags drive the engine: 3 was urged and is overdue, so the chief may escalate.
    case = await Case.get(id=3)
    facts = facts_of(case, await CaseParty.filter(case_id=3), await CaseClock.filter(case_id=3))
    chief = Actor(
        ActorKind.USER, CHIEF, "chief-姓名", Role.PROCURATOR_APPROVER, PROC, Side.PROCURATORATE
    )
    actions = [t.action for t in available_transitions(SPEC, chief, facts, date(2026, 11, 28))]
    assert actions == [Action.ESCALATE]


async def _check_new_rows_get_fresh_ids() -> None:
    """New cases number on from the old ids (PostgreSQL: the sequence was moved), and a step on
    a migrated case carries on its version and the event sequence."""
    prosecutor = Actor(
        ActorKind.USER, PROSECUTOR, "prosecutor-姓名", Role.PROSECUTOR, PROC, Side.PROCURATORATE
    )
    new = await recs.create_recommendation(
        prosecutor,
        recs.NewRecommendation(doc_no="宿检行建〔2026〕99号", title="新建议",
                               rec_type=RecommendationType.OTHER, addressee_unit_id=UNIT_A),
        now=NOW,
    )  # fmt: skip
    assert new.case.id == max(r["id"] for r in RECOMMENDATIONS) + 1
    assert new.event.seq == len(EVENTS) + 1
    liaison_b = Actor(
        ActorKind.USER, LIAISON_B, "liaison_b-姓名", Role.UNIT_LIAISON, UNIT_B, Side.GOVERNMENT
    )
    step = await recs.acknowledge(liaison_b, 5, 4, now=NOW)
    assert (step.case.state, step.case.version, step.event.seq) == (
        "rectifying",
        5,
        len(EVENTS) + 2,
    )
    assert step.event.case_id == 5 and step.event.id > max(e["id"] for e in EVENTS)
