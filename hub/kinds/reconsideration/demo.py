"""A demo reconsideration invitation (the city document's task 4: 行政复议陪议、旁听): 市司法局
invites the procuratorate to co-deliberate a case accepted three weeks ago (the chief has
accepted and assigned 赵雪, prosecutor2) and to observe another (awaiting the chief); made
through the kind's own form steps."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from hub import clock
from hub.clock import BUSINESS_TZ
from hub.domain.roles import Actor
from hub.kinds.reconsideration.spec import Action
from hub.kinds.reconsideration.steps import STEPS
from hub.models import Unit, User
from hub.services.auth import actor_for_user
from hub.services.forms import create_from_form, take_form_step


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    by_id = {u.id: u for u in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    today = clock.today()
    made = await create_from_form(STEPS, actor("liaison_justice"), {
        "caseNo": f"宿司复邀〔{today.year}〕5号",
        "title": "王某不服市市场监督管理局行政处罚决定复议案",
        "reconsiderationNo": f"宿政复〔{today.year}〕31号", "applicant": "王某",
        "respondent": "市市场监督管理局", "matter": "请求撤销罚款五万元的行政处罚决定",
        "acceptedOn": today - timedelta(days=21),
        "sessionAt": datetime.combine(today + timedelta(days=7), time(9, 30), BUSINESS_TZ),
        "requestedMode": "co_deliberation",
    })  # fmt: skip
    chief = actor("chief")
    accepted = await take_form_step(STEPS, chief, made.case.id, made.case.version, Action.ACCEPT,
                                    {"mode": "co_deliberation"})  # fmt: skip
    await take_form_step(STEPS, chief, made.case.id, accepted.case.version, Action.ASSIGN,
                         {"prosecutor": users["prosecutor2"].id,
                          "comment": "由赵雪检察官参加听证并提出书面意见"})  # fmt: skip
    await create_from_form(STEPS, actor("liaison_justice"), {
        "caseNo": f"宿司复邀〔{today.year}〕6号",
        "title": "某公司不服市自然资源和规划局土地登记复议案",
        "reconsiderationNo": f"宿政复〔{today.year}〕34号", "applicant": "某置业有限公司",
        "respondent": "市自然资源和规划局", "matter": "请求确认不动产登记行为违法",
        "acceptedOn": today - timedelta(days=5), "requestedMode": "observation",
    })  # fmt: skip
    return 2
