"""Building blocks for tests: a small world of units and people, and cases in given states."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hub.domain.deadlines import ReplyRule
from hub.domain.engine import CaseFacts
from hub.domain.roles import Actor, Role, Side, UnitKind
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import (
    Objection,
    RecommendationDetail,
    Reply,
    ServiceMethod,
)
from hub.kinds.recommendation.spec import RecommendationType
from hub.models import Case, CaseClock, CaseEvent, CaseParty, Unit, User
from hub.services.auth import actor_for_user, hash_password
from hub.services.visibility import facts_of

# A fixed instant: Saturday 2026-11-28, 10:00 in Asia/Shanghai.
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
PASSWORD = "correct-horse-9"
_doc_numbers = itertools.count(1)


@dataclass
class World:
    procuratorate: Unit
    unit_a: Unit
    unit_b: Unit
    prosecutor: Actor
    chief: Actor
    office: Actor
    liaison_a: Actor
    liaison_b: Actor
    users: dict[str, User]


async def _unit(code: str, name: str, kind: UnitKind, side: Side) -> Unit:
    return await Unit.create(code=code, name=name, kind=kind, side=side)


async def make_world() -> World:
    procuratorate = await _unit(
        "procuratorate", "宿州市人民检察院", UnitKind.PROCURATORATE, Side.PROCURATORATE
    )
    unit_a = await _unit("ecology_env", "市生态环境局", UnitKind.MEMBER, Side.GOVERNMENT)
    unit_b = await _unit("transport", "市交通运输局", UnitKind.MEMBER, Side.GOVERNMENT)
    password_hash = hash_password(PASSWORD)
    users: dict[str, User] = {}
    actors: dict[str, Actor] = {}
    for username, role, unit in (
        ("prosecutor", Role.PROSECUTOR, procuratorate),
        ("chief", Role.PROCURATOR_APPROVER, procuratorate),
        ("office", Role.OFFICE_ADMIN, procuratorate),
        ("liaison_a", Role.UNIT_LIAISON, unit_a),
        ("liaison_b", Role.UNIT_LIAISON, unit_b),
    ):
        user = await User.create(
            username=username,
            display_name=f"{username}-姓名",
            password_hash=password_hash,
            role=role,
            unit_id=unit.id,
            email=f"{username}@example.test",
        )
        users[username] = user
        actors[username] = actor_for_user(user, unit)
    return World(
        procuratorate, unit_a, unit_b, actors["prosecutor"], actors["chief"], actors["office"],
        actors["liaison_a"], actors["liaison_b"], users,
    )  # fmt: skip


async def draft(
    world: World,
    *,
    addressee: Unit | None = None,
    rec_type: RecommendationType = RecommendationType.SOCIAL_GOVERNANCE,
    now: datetime = NOW - timedelta(days=90),
) -> Case:
    change = await recs.create_recommendation(
        world.prosecutor,
        recs.NewRecommendation(
            doc_no=f"宿检行建〔2026〕{next(_doc_numbers)}号",
            title="关于加强某项监管的检察建议",
            rec_type=rec_type,
            addressee_unit_id=(addressee or world.unit_a).id,
            suggestions="一、依法履职。",
            internal_note="内部：承办组意见",
        ),
        now=now,
    )
    return change.case


async def served(
    world: World,
    *,
    served_on: date,
    addressee: Unit | None = None,
    rec_type: RecommendationType = RecommendationType.SOCIAL_GOVERNANCE,
    rule: ReplyRule = ReplyRule.STATUTORY_2_MONTHS,
) -> Case:
    """A recommendation taken through approval and served on ``served_on``."""
    at = datetime(served_on.year, served_on.month, served_on.day, 2, tzinfo=UTC)
    rec = await draft(world, addressee=addressee, rec_type=rec_type, now=at - timedelta(days=3))
    v = (await recs.submit_for_approval(world.prosecutor, rec.id, rec.version, now=at)).case.version
    v = (await recs.approve(world.chief, rec.id, v, now=at)).case.version
    change = await recs.serve(
        world.prosecutor, rec.id, v, served_on=served_on, method=ServiceMethod.WRITTEN, rule=rule,
        now=at,
    )  # fmt: skip
    return change.case


async def snapshot(rec_id: int) -> dict[str, Any]:
    """Everything a step could change about one case, to assert that nothing did."""
    return {
        "row": await Case.filter(id=rec_id).values(),
        "detail": await RecommendationDetail.filter(case_id=rec_id).values(),
        "parties": await CaseParty.filter(case_id=rec_id).order_by("id").values(),
        "clocks": await CaseClock.filter(case_id=rec_id).order_by("id").values(),
        "events": await CaseEvent.filter(case_id=rec_id).count(),
        "replies": await Reply.filter(case_id=rec_id).count(),
        "objections": await Objection.filter(case_id=rec_id).count(),
        "all_events": await CaseEvent.all().count(),
    }  # fmt: skip


async def reply_clock(case_id: int) -> CaseClock | None:
    """The recommendation's reply clock (None before service)."""
    return await CaseClock.get_or_none(case_id=case_id, name="reply")


async def facts(case_id: int) -> CaseFacts:
    """What the rules know about the stored case: its row, parties and clocks."""
    case = await Case.get(id=case_id)
    parties = await CaseParty.filter(case_id=case_id).order_by("id")
    clocks = await CaseClock.filter(case_id=case_id)
    return facts_of(case, parties, clocks)
