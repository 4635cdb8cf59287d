"""Demo consultations from the city document §三(二)(三): a question on the 立案追诉标准 of a
waste-dumping case routed to the procuratorate and the police and answered by one of them
(mid-way), an urgent matter awaiting the Office, and a divergent-law question converted into
a coordination meeting, which opens its MEETING case (counted here); made through the kind's
own form steps."""

from __future__ import annotations

from datetime import timedelta

from hub import clock
from hub.domain.roles import Actor
from hub.kinds.consultation.spec import Action, MeetingType, Topic
from hub.kinds.consultation.steps import STEPS
from hub.models import Unit, User
from hub.services.auth import actor_for_user
from hub.services.forms import create_from_form, take_form_step


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    by_id = {u.id: u for u in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    today, office = clock.today(), actor("office")
    year = today.year
    ecology = actor("liaison_ecology_env")
    first = (await create_from_form(STEPS, ecology, {
        "caseNo": f"宿环询〔{year}〕1号", "title": "跨区倾倒工业固废案立案追诉标准咨询",
        "topic": Topic.PROSECUTION_STANDARD.value,
        "question": "某企业将一般工业固废约20吨跨区倾倒至农田，是否达到污染环境罪的立案追诉标准？"
                    "移送前还需固定哪些证据？",
        "suggestedUnitIds": [units["procuratorate"].id, units["public_security"].id],
    })).case  # fmt: skip
    first = (await take_form_step(STEPS, office, first.id, first.version, Action.ROUTE, {
        "responderUnitIds": [units["procuratorate"].id, units["public_security"].id],
        "officeNote": "请检察院、公安局分别从追诉标准和证据角度答复",
    })).case  # fmt: skip
    await take_form_step(STEPS, actor("prosecutor"), first.id, first.version, Action.ANSWER, {
        "answer": "依照两高关于办理环境污染刑事案件的司法解释，非法倾倒一般工业固废的数量"
                  "是认定标准之一，建议同步开展固废属性鉴定。",
        "basis": "《最高人民法院、最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释》",
    })  # fmt: skip
    await create_from_form(STEPS, actor("liaison_emergency"), {
        "caseNo": f"宿应询〔{year}〕1号", "title": "危险化学品仓库火灾事故调查取证紧急会商",
        "topic": Topic.URGENT.value,
        "question": "事故现场证据易灭失，请检察机关、公安机关提前介入，明确证据收集固定要求。",
    })  # fmt: skip
    third = (await create_from_form(STEPS, actor("prosecutor2"), {
        "caseNo": f"宿检询〔{year}〕2号", "title": "非诉执行案件中土地违法认定标准不一致",
        "topic": Topic.LAW_APPLICATION.value,
        "question": "对未批先建的认定，自然资源部门与法院非诉审查标准不一致，"
                    "请共同研究统一适用标准。",
    })).case  # fmt: skip
    third = (await take_form_step(STEPS, office, third.id, third.version, Action.ROUTE, {
        "responderUnitIds": [units["natural_resources"].id, units["justice"].id],
    })).case  # fmt: skip
    await take_form_step(STEPS, office, third.id, third.version, Action.CONVENE, {
        "meetingType": MeetingType.COORDINATION.value, "meetingOn": today + timedelta(days=7),
        "place": "市人民检察院第一会议室", "reason": "涉及多个单位，书面答复难以统一认识",
    })  # fmt: skip
    return 4  # three consultations and the coordination meeting
