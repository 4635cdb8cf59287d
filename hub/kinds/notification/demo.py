"""Demo notification items from the city document §三(二): 两法衔接 and 行政复议 reports of member
units to the procuratorate (one monthly, one quarterly), the procuratorate's report on the
rectification of its recommendations (acknowledged by part of its recipients), a new
normative document awaiting the Office and a draft; made through the kind's own form steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hub import clock
from hub.domain.roles import Actor
from hub.kinds.notification.spec import Action, Category, Period
from hub.kinds.notification.steps import STEPS, period_start
from hub.models import Case, Unit, User
from hub.services.auth import actor_for_user
from hub.services.forms import create_from_form, take_form_step

PROCURATORATE = "procuratorate"


@dataclass(frozen=True, slots=True)
class _Item:
    author: str
    case_no: str
    title: str
    category: Category
    to: list[int]
    body: str
    period: Period | None
    of: date | None
    acks: tuple[str, ...] | None  # None: not yet delivered


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    by_id = {u.id: u for u in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    today = clock.today()
    year = today.year
    last_month = period_start(period_start(today, Period.MONTHLY) - timedelta(days=1),
                              Period.MONTHLY)  # fmt: skip
    last_quarter = period_start(period_start(today, Period.QUARTERLY) - timedelta(days=1),
                                Period.QUARTERLY)  # fmt: skip
    office, proc = actor("office"), units[PROCURATORATE].id
    items = (
        _Item("liaison_public_security", f"宿公通〔{year}〕12号",
              f"{last_month.month}月份行政执法与刑事司法衔接情况", Category.GOV_TWO_LAWS, [proc],
              "本月受理行政执法机关移送涉嫌犯罪案件5件，立案4件，不予立案1件（已书面通知移送机关）。",
              Period.MONTHLY, last_month, ("prosecutor",)),
        _Item("liaison_justice", f"宿司通〔{year}〕3号", "上季度行政复议案件受理、办理情况",
              Category.GOV_RECONSIDERATION, [proc, units["public_security"].id],
              "本季度受理行政复议申请38件，审结31件，其中调解和解结案9件；"
              "涉公安行政处罚案件占比最高。",
              Period.QUARTERLY, last_quarter, ()),
        _Item("prosecutor", f"宿检通〔{year}〕5号", "行政机关对检察建议的整改落实和反馈情况",
              Category.PROC_RECTIFICATION,
              [units[c].id for c in ("ecology_env", "natural_resources", "water")],
              "本年度制发社会治理检察建议12件，已书面回复10件，2件逾期未回复，请相关单位督促落实。",
              None, None, ("liaison_ecology_env",)),
        _Item("liaison_ecology_env", f"宿环通〔{year}〕2号",
              "《宿州市生态环境行政处罚裁量基准》印发情况", Category.GOV_NORMATIVE_DOCS, [proc],
              "新印发的裁量基准自下月起施行，涉及移送司法机关的情形见第十二条。",
              None, None, None),
    )  # fmt: skip
    for item in items:
        who = actor(item.author)
        change = await create_from_form(STEPS, who, {
            "caseNo": item.case_no, "title": item.title, "category": item.category.value,
            "recipientUnitIds": item.to, "body": item.body,
            "period": item.period and item.period.value, "periodOf": item.of,
        })  # fmt: skip
        case: Case = change.case
        case = (await take_form_step(STEPS, who, case.id, case.version, Action.SUBMIT, {})).case
        if item.acks is None:
            continue  # awaiting the Office
        case = (await take_form_step(STEPS, office, case.id, case.version, Action.DELIVER,
                                     {"officeNote": "请接收单位及时签收"})).case  # fmt: skip
        for username in item.acks:
            case = (await take_form_step(STEPS, actor(username), case.id, case.version,
                                         Action.ACKNOWLEDGE, {"note": "已收悉"})).case  # fmt: skip
    draft = actor("prosecutor2")
    await create_from_form(STEPS, draft, {
        "caseNo": f"宿检通〔{year}〕6号", "title": "开展法律监督工作中发现的行政执法普遍性问题",
        "category": Category.PROC_COMMON_PROBLEMS.value,
        "recipientUnitIds": [units["market_supervision"].id, units["urban_mgmt"].id],
        "body": "部分行政处罚案件存在告知程序不完整、证据固定不规范等问题。",
    })  # fmt: skip
    return len(items) + 1
