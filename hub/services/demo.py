"""Demo data from the city document (宿政秘〔2022〕31号): its units, one liaison officer per
member unit, procuratorate staff, and recommendations in every state, dated around today.

The recommendations are made through the same services as real ones, with past instants, so
their events, deadlines and versions are exactly what the hub would have recorded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import import_module, resources
from typing import Any

from hub import clock
from hub.domain.deadlines import ReplyRule
from hub.domain.roles import Actor, Role, Side, UnitKind
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import (
    Completeness,
    ObjectionDecision,
    ReplyDecision,
    ServiceMethod,
)
from hub.kinds.recommendation.spec import RecommendationType
from hub.kinds.registry import DEMO_MODULES
from hub.models import Unit, User
from hub.services.auth import actor_for_user, hash_password

PROCURATORATE = "procuratorate"
_KINDS = {
    "convenor": UnitKind.GOVERNMENT,
    "convenor_and_office_host": UnitKind.PROCURATORATE,
    "member": UnitKind.MEMBER,
    "non_member": UnitKind.OTHER,
}


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    unit_code: str


STAFF = (
    DemoAccount("office", "王敏（府检联动办公室）", Role.OFFICE_ADMIN, PROCURATORATE),
    DemoAccount("prosecutor", "李建国", Role.PROSECUTOR, PROCURATORATE),
    DemoAccount("prosecutor2", "赵雪", Role.PROSECUTOR, PROCURATORATE),
    DemoAccount("chief", "陈检察长", Role.PROCURATOR_APPROVER, PROCURATORATE),
)


def load_tasklist() -> dict[str, Any]:
    text = resources.files("hub.data").joinpath("tasklist_2022.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def liaison_username(unit_code: str) -> str:
    return f"liaison_{unit_code}"


async def load_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for position, raw in enumerate(load_tasklist()["units"]):
        kind = _KINDS.get(raw["kind"])
        if kind is None:  # groups such as 各成员单位 are not units
            continue
        side = Side.PROCURATORATE if kind is UnitKind.PROCURATORATE else Side.GOVERNMENT
        units[raw["id"]], _ = await Unit.update_or_create(
            code=raw["id"],
            defaults={
                "name": raw["name_zh"],
                "name_en": raw.get("name_en", ""),
                "kind": kind,
                "side": side,
                "aliases": raw.get("aliases_zh", []),
                "position": position,
            },
        )
    return units


async def load_accounts(units: dict[str, Unit], password: str) -> dict[str, User]:
    password_hash = hash_password(password)
    accounts = list(STAFF) + [
        DemoAccount(liaison_username(code), f"{unit.name}联络员", Role.UNIT_LIAISON, code)
        for code, unit in units.items()
        if unit.kind is UnitKind.MEMBER
    ]
    users: dict[str, User] = {}
    for account in accounts:
        users[account.username], _ = await User.update_or_create(
            username=account.username,
            defaults={
                "display_name": account.display_name,
                "password_hash": password_hash,
                "role": account.role,
                "unit_id": units[account.unit_code].id,
                "email": f"{account.username}@demo.fujian-hub.local",
                "title": "联络员" if account.role is Role.UNIT_LIAISON else "",
            },
        )
    return users


@dataclass(frozen=True, slots=True)
class DemoCase:
    unit: str
    rec_type: RecommendationType
    title: str
    served_ago: int | None  # days before today; None: not served yet
    steps: tuple[str, ...]  # from the draft on; steps after "serve" come 6 days apart
    rule: ReplyRule = ReplyRule.STATUTORY_2_MONTHS


_SERVED = ("submit", "approve", "serve")
PIL, SOCIAL, CORRECTION = (
    RecommendationType.PUBLIC_INTEREST,
    RecommendationType.SOCIAL_GOVERNANCE,
    RecommendationType.CORRECTION,
)
CASES = (
    DemoCase("ecology_env", PIL, "关于督促整治城区黑臭水体的检察建议", 80, _SERVED),
    DemoCase("housing_urban_rural", SOCIAL, "关于加强建筑工地扬尘污染防治的检察建议", 72,
             (*_SERVED, "acknowledge")),
    DemoCase("market_supervision", PIL, "关于加强农贸市场食品安全监管的检察建议", 58, _SERVED),
    DemoCase("emergency", PIL, "关于督促整治危险化学品储存安全隐患的检察建议", 10,
             (*_SERVED, "acknowledge"), ReplyRule.URGENT_15_DAYS),
    DemoCase("natural_resources", PIL, "关于督促追缴国有土地使用权出让金的检察建议", 56,
             (*_SERVED, "acknowledge")),
    DemoCase("edu_sports", SOCIAL, "关于规范校外培训机构管理的检察建议", 25,
             (*_SERVED, "acknowledge", "reply")),
    DemoCase("health", PIL, "关于加强医疗废物处置监管的检察建议", 110,
             (*_SERVED, "acknowledge", "reply", "adopt")),
    DemoCase("transport", CORRECTION, "关于纠正道路运输行政处罚程序违法的检察建议", 30,
             (*_SERVED, "object")),
    DemoCase("forestry", PIL, "关于督促履行林地保护监管职责的检察建议", 95,
             (*_SERVED, "acknowledge", "reply", "partial")),
    DemoCase("civil_affairs", SOCIAL, "关于加强养老机构消防安全管理的检察建议", 15, _SERVED),
    DemoCase("hrss", SOCIAL, "关于加强社会保险基金监管的检察建议", 45,
             (*_SERVED, "object", "withdraw")),
    DemoCase("water", PIL, "关于加强农村饮水安全工程管护的检察建议", None, ("submit", "approve")),
    DemoCase("urban_mgmt", SOCIAL, "关于规范占道经营执法的检察建议", None, ("submit",)),
    DemoCase("agri_rural", PIL, "关于督促规范农药包装废弃物回收的检察建议", None, ()),
)  # fmt: skip


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.BUSINESS_TZ).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Cast:
    prosecutor: Actor
    chief: Actor
    liaison: Actor


async def _take(step: str, case: DemoCase, rec_id: int, version: int, who: _Cast, day: date) -> int:
    at = _at(day)
    match step:
        case "submit":
            change = await recs.submit_for_approval(who.prosecutor, rec_id, version, now=at)
        case "approve":
            change = await recs.approve(who.chief, rec_id, version, now=at)
        case "serve":
            change = await recs.serve(
                who.prosecutor,
                rec_id,
                version,
                served_on=day,
                method=ServiceMethod.WRITTEN,
                rule=case.rule,
                now=at,
            )
        case "acknowledge":
            change = await recs.acknowledge(who.liaison, rec_id, version, now=at)
        case "reply":
            change = await recs.submit_reply(
                who.liaison,
                rec_id,
                version,
                now=at,
                completeness=Completeness.FULL,
                content="我单位高度重视，已成立专项整改小组，逐项落实检察建议。",
                measures="一、开展专项排查；二、建立问题台账；三、完善长效制度。",
            )
        case "adopt" | "partial":
            decision = ReplyDecision.ADOPTED if step == "adopt" else ReplyDecision.PARTIALLY_ADOPTED
            comment = "整改到位。" if step == "adopt" else "第二项尚未落实，请继续整改。"
            change = await recs.review_reply(
                who.prosecutor, rec_id, version, now=at, decision=decision, comment=comment
            )
        case "object":
            change = await recs.raise_objection(
                who.liaison, rec_id, version, now=at, grounds="该事项不属于我单位法定职责范围。"
            )
        case "withdraw":
            change = await recs.decide_objection(
                who.chief,
                rec_id,
                version,
                now=at,
                decision=ObjectionDecision.WITHDRAWN,
                reasons="经复核，异议成立，撤回检察建议。",
            )
        case _:
            raise ValueError(f"unknown demo step {step}")
    return change.case.version


async def load_recommendations(units: dict[str, Unit], users: dict[str, User], today: date) -> int:
    by_id = {unit.id: unit for unit in units.values()}

    def actor(username: str) -> Actor:
        user = users[username]
        return actor_for_user(user, by_id[user.unit_id])

    for n, case in enumerate(CASES, start=1):
        who = _Cast(actor("prosecutor"), actor("chief"), actor(liaison_username(case.unit)))
        served_on = today - timedelta(days=case.served_ago or 0)
        day = served_on - timedelta(days=8)
        unit = units[case.unit]
        change = await recs.create_recommendation(
            who.prosecutor,
            recs.NewRecommendation(
                doc_no=f"宿检行建〔{today.year}〕{n}号",
                title=case.title,
                rec_type=case.rec_type,
                addressee_unit_id=unit.id,
                issues=f"经调查，{unit.name}在相关领域履职中存在监管不到位的问题。",
                suggestions="一、依法全面履行监管职责；二、建立长效机制；三、及时书面回复整改情况。",
                legal_basis="《中华人民共和国人民检察院组织法》第二十一条",
                internal_note="承办组合议意见：建议持续跟进。",
            ),
            now=_at(day, 9),
        )
        version = change.case.version
        for step in case.steps:
            if step == "serve":
                day = served_on
            elif day >= served_on:
                day = min(day + timedelta(days=6), today)
            version = await _take(step, case, change.case.id, version, who, day)
    return len(CASES)


async def load_demo(password: str, *, today: date | None = None) -> dict[str, int]:
    units = await load_units()
    users = await load_accounts(units, password)
    count = await load_recommendations(units, users, today or clock.today())
    others = 0
    for module in DEMO_MODULES:
        others += await import_module(module).load_demo(units, users)
    return {"units": len(units), "users": len(users), "recommendations": count, "cases": others}


async def is_loaded() -> bool:
    return await Unit.exists()
