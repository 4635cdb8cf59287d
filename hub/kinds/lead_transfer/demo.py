"""Demo lead transfers from the city document (task 3: 两法衔接和行政检察双向衔接; §三(二)
公益诉讼协作配合): a suspected pollution crime of 市生态环境局 transferred to 市公安局 and awaiting
the police decision, and a PIL lead of 市市场监管局 awaiting the procuratorate; made through the
kind's own form steps."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from hub import clock
from hub.clock import BUSINESS_TZ
from hub.domain.roles import Actor
from hub.kinds.lead_transfer.spec import Action
from hub.kinds.lead_transfer.steps import STEPS
from hub.models import Unit, User
from hub.services.auth import actor_for_user
from hub.services.cases import take_step
from hub.services.forms import create_from_form, take_form_step


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    by_id = {u.id: u for u in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    today = clock.today()
    agency, police = actor("liaison_ecology_env"), actor("liaison_public_security")
    year = today.year
    made = await create_from_form(STEPS, agency, {
        "caseNo": f"宿环移〔{year}〕3号", "title": "某化工公司非法倾倒危险废物案",
        "direction": "crime_to_police", "recipientUnitId": units["public_security"].id,
        "subject": "执法检查发现某化工公司将废矿物油约20吨倾倒于厂区外沟渠，经检测属危险废物，"
                   "涉嫌污染环境罪，依照两法衔接规定移送。",
        "offence": "污染环境罪",
    })  # fmt: skip
    case, version = made.case, made.case.version

    async def step(who: Actor, action: Action, values: dict[str, object]) -> None:
        nonlocal version
        version = (await take_form_step(STEPS, who, case.id, version, action, values)).case.version

    def moment(days_ago: int, hour: int) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(hour), BUSINESS_TZ)

    await step(agency, Action.SUBMIT_REPORT, {"reportedOn": today - timedelta(days=3),
                                              "report": "案情、证据及涉嫌罪名的报告"})  # fmt: skip
    await step(
        agency, Action.APPROVE, {"approvedBy": "市生态环境局局长", "approvedAt": moment(2, 16)}
    )
    await step(agency, Action.TRANSFER, {
        "transferredAt": moment(1, 10), "materialNote": "另附现场照片及执法记录仪视频",
        "materials": ["transfer_letter", "investigation_report", "exhibit_list", "expert_report"],
    })  # fmt: skip
    await step(police, Action.SIGN_RECEIPT, {"receivedOn": today - timedelta(days=1),
                                             "receiptNo": f"宿公回〔{year}〕21号"})  # fmt: skip
    lead = await create_from_form(STEPS, actor("liaison_market_supervision"), {
        "caseNo": f"宿市监线〔{year}〕2号", "title": "农贸市场销售过期食品公益诉讼线索",
        "direction": "pil_lead", "recipientUnitId": units["procuratorate"].id,
        "subject": "日常检查发现城区两处农贸市场多次销售过期食品，涉及不特定消费者权益，"
                   "移送检察机关。",
    })  # fmt: skip
    await take_step(actor("liaison_market_supervision"), lead.case.id, lead.case.version,
                    Action.SUBMIT_LEAD)  # fmt: skip
    return 2
