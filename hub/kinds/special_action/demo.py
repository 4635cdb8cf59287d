"""Demo special actions from the city document §三(四) (开展专项行动): black-and-odorous water
in the city and food safety, one under way with reports, one summarised; made through the
kind's own form steps."""

from __future__ import annotations

from datetime import timedelta

from hub import clock
from hub.domain.roles import Actor
from hub.kinds.special_action.spec import Action
from hub.kinds.special_action.steps import STEPS
from hub.models import Unit, User
from hub.services.auth import actor_for_user
from hub.services.cases import take_step
from hub.services.forms import create_from_form, take_form_step


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    by_id = {u.id: u for u in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    today = clock.today()
    office, water, housing = actor("office"), actor("liaison_water"), actor("liaison_ecology_env")
    water_action = await create_from_form(STEPS, office, {
        "caseNo": f"宿府检专〔{today.year}〕1号", "title": "城区黑臭水体整治专项行动",
        "theme": "联合排查城区黑臭水体及入河排污口，建立问题清单，督促责任单位限期整治。",
        "startsOn": today - timedelta(days=60), "endsOn": today + timedelta(days=90),
        "participantUnitIds": [units[c].id for c in ("ecology_env", "water", "housing_urban_rural",
                                                      "urban_mgmt")],
    })  # fmt: skip
    case = water_action.case
    version = (await take_step(office, case.id, case.version, Action.LAUNCH)).case.version
    for who, days, text, found in (
        (housing, 40, "完成城区 12 条河道巡查，发现排污口 7 处，已建立清单。", 7),
        (water, 20, "对 3 处黑臭水体开展清淤，2 处完成截污纳管。", 3),
    ):
        values = {"reportedOn": today - timedelta(days=days), "progress": text, "casesFound": found}
        change = await take_form_step(STEPS, who, case.id, version, Action.REPORT_PROGRESS, values)
        version = change.case.version
    food = await create_from_form(STEPS, actor("prosecutor"), {
        "caseNo": f"宿府检专〔{today.year}〕2号", "title": "校园及周边食品安全“守护”专项行动",
        "theme": "联合市场监管、教育体育部门检查校园食堂及周边餐饮，发现问题线索依法移送。",
        "startsOn": today - timedelta(days=150), "endsOn": today - timedelta(days=30),
        "participantUnitIds": [units["market_supervision"].id, units["edu_sports"].id],
    })  # fmt: skip
    prosecutor = actor("prosecutor")
    version = (
        await take_step(prosecutor, food.case.id, food.case.version, Action.LAUNCH)
    ).case.version
    await take_form_step(STEPS, prosecutor, food.case.id, version, Action.SUMMARISE, {
        "summary": "检查学校食堂 46 家、周边餐饮 120 家，发现问题 18 个，制发检察建议 2 件。",
        "casesFound": 18, "casesRectified": 16,
    })  # fmt: skip
    return 2
