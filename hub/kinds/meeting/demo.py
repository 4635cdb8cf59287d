"""Demo meetings from the city document (宿政秘〔2022〕31号 §三(一)(二)): the 2022 first
全体联席会议, which adopted the year's task list, prepared by a liaison meeting, with four of
its resolutions (drawn from the task list: the list itself, task 4①, task 2①, task 11⑥) in
different states — made through the meeting's and the resolution's own form steps.

The dates are illustrative (the document gives none; D16: "每年年初"): the liaison meeting on
2022-03-18, the joint meeting on 2022-03-25, its minutes on 2022-04-01; the task list it
adopted was issued with the opinion on 2022-05-10.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hub.domain.roles import Actor, UnitKind
from hub.kinds.meeting.spec import CREATE, Action
from hub.kinds.meeting.steps import STEPS, create
from hub.kinds.resolution.spec import Action as ResAction
from hub.kinds.resolution.steps import STEPS as RES_STEPS
from hub.models import Case, Unit, User
from hub.services.auth import actor_for_user
from hub.services.cases import take_step
from hub.services.forms import read_values, take_form_step

LIAISON_ON, HELD_ON, MINUTES_ON = date(2022, 3, 18), date(2022, 3, 25), date(2022, 4, 1)

# (title, content, matter, lead unit, other responsible units, due date, steps after recording)
Resolution = tuple[str, str, str, str | None, tuple[str, ...], date, tuple[str, ...]]
RESOLUTIONS: tuple[Resolution, ...] = (
    ("印发实施2022年度府检联动重点工作任务清单",
     "会议审议通过《2022年度“府检联动”重点工作任务清单》（5类14项45条），由府检联动工作办公室随实施意见印发，"
     "明确责任单位和完成期限。", "task_list", "procuratorate", (), date(2022, 5, 31),
     ("report", "claim", "accept")),
    ("研究制定在行政复议中推进行政争议实质性化解的意见",
     "明确检察机关应行政机关邀请，以陪议、旁听等方式参与行政复议环节矛盾化解工作（任务清单第4项①）。",
     "reconsideration_dispute", "justice", ("procuratorate",), date(2022, 12, 31),
     ("report", "claim")),
    ("召开数据共享工作会商会",
     "强化相关数据共享需求的沟通协调，充分了解数据共享需求、各自平台功能特点和对接模式，做好技术准备（任务清单第2项①）。",
     "enforcement_support", "data_resources", ("procuratorate",), date(2022, 8, 31),
     ("report",)),
    ("检察建议问题按期整改回复",
     "对检察建议提出的问题，及时整改，按期回复，并举一反三、全面自查（任务清单第11项⑥）。",
     "pil_support", None, ("ecology_env", "housing_urban_rural", "natural_resources"),
     date(2022, 12, 31), ("report", "claim", "return")),
)  # fmt: skip


def _at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    by_id = {u.id: u for u in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    office = actor("office")
    members = [u.id for u in units.values() if u.kind is UnitKind.MEMBER]
    attendees = [units["municipal_gov"].id, *members]
    values = await read_values(CREATE.fields, {
        "caseNo": "宿府检会〔2022〕2号", "title": "2022年第一次府检联动全体联席会议",
        "meetingType": "joint", "scheduledOn": HELD_ON, "place": "市政府第一会议室",
        "attendeeUnitIds": attendees,
    })  # fmt: skip
    joint = (await create(office, values, now=_at(date(2022, 3, 1)))).case

    async def step(case_id: int, action: str, values: dict[str, Any], day: date) -> int:
        case = await Case.get(id=case_id)
        change = await take_form_step(STEPS, office, case.id, case.version, action, values,
                                      now=_at(day))  # fmt: skip
        return int(change.event.payload.get("liaisonMeetingId") or change.case.id)

    prep_id = await step(joint.id, Action.PREPARE, {
        "caseNo": "宿府检会〔2022〕1号", "title": "2022年府检联动联络员会议（联席会议筹备）",
        "scheduledOn": LIAISON_ON}, date(2022, 3, 2))  # fmt: skip
    proc, gov = units["procuratorate"].id, units["municipal_gov"].id
    await step(prep_id, Action.SET_AGENDA, {"agenda": [
        {"topic": "研究联席会议筹备及议题", "proposerUnitId": proc, "matter": "other"},
        {"topic": "征集2022年度重点工作任务清单建议", "proposerUnitId": proc,
         "matter": "task_list"},
    ]}, date(2022, 3, 15))  # fmt: skip
    await step(prep_id, Action.HOLD, {"heldOn": LIAISON_ON, "chair": "府检联动工作办公室负责人"},
               LIAISON_ON)  # fmt: skip
    await step(joint.id, Action.SET_AGENDA, {"agenda": [
        {"topic": "审议2022年度“府检联动”重点工作任务清单", "proposerUnitId": proc,
         "matter": "task_list"},
        {"topic": "行政复议中重大、复杂行政争议的协同化解", "proposerUnitId": units["justice"].id,
         "matter": "reconsideration_dispute"},
        {"topic": "政务数据与检察办案数据共享", "proposerUnitId": units["data_resources"].id,
         "matter": "enforcement_support"},
        {"topic": "通报行政公益诉讼诉前检察建议落实情况", "proposerUnitId": proc,
         "matter": "pil_support"},
        {"topic": "府检联动工作机制实施意见（送审稿）", "proposerUnitId": gov, "matter": "other"},
    ]}, date(2022, 3, 21))  # fmt: skip
    await step(joint.id, Action.HOLD, {"heldOn": HELD_ON, "chair": "市政府主要负责同志（召集人）"},
               HELD_ON)  # fmt: skip
    await step(joint.id, Action.PUBLISH_MINUTES, {
        "minutesNo": "宿府检纪〔2022〕1号", "publishedOn": MINUTES_ON,
        "minutes": "会议听取了府检联动工作筹备情况汇报，"
                   "审议通过《2022年度“府检联动”重点工作任务清单》，"
                   "研究了行政复议矛盾化解、数据共享和公益诉讼协作配合等事项，形成议定事项四项。"},
        MINUTES_ON)  # fmt: skip
    for title, content, matter, lead, others, due, steps in RESOLUTIONS:
        responsible = [units[c].id for c in ((lead,) if lead else ()) + others]
        case = await Case.get(id=joint.id)
        change = await take_form_step(STEPS, office, case.id, case.version,
                                      Action.RECORD_RESOLUTION, {
            "title": title, "content": content, "matter": matter,
            "responsibleUnitIds": responsible, "leadUnitId": units[lead].id if lead else None,
            "dueOn": due}, now=_at(MINUTES_ON, 3))  # fmt: skip
        await _work(change.event.payload["resolutionId"], steps, lead or others[0], actor, office)
    joint_case = await Case.get(id=joint.id)
    await take_step(office, joint.id, joint_case.version, Action.CLOSE, now=_at(date(2022, 4, 6)))
    return 2 + len(RESOLUTIONS)


async def _work(case_id: int, steps: tuple[str, ...], unit: str, actor: Any, office: Actor) -> None:
    """Take a demo resolution through ``steps`` as its (lead) unit and the Office."""
    staff = actor("prosecutor") if unit == "procuratorate" else actor(f"liaison_{unit}")
    days = {"report": date(2022, 7, 15), "claim": date(2022, 11, 25), "accept": date(2022, 12, 2),
            "return": date(2022, 12, 5)}  # fmt: skip
    if "accept" in steps:  # the task list itself: done within weeks
        days = {
            "report": date(2022, 5, 10),
            "claim": date(2022, 5, 12),
            "accept": date(2022, 5, 13),
        }
    values: dict[str, tuple[Actor, str, dict[str, Any]]] = {
        "report": (staff, ResAction.REPORT_PROGRESS,
                   {"progress": "已召开专题会议研究部署，明确分工和时间节点。"}),
        "claim": (staff, ResAction.CLAIM_DONE, {"summary": "议定事项已落实，相关文件已印发。",
                                                 "evidence": "印发文件及会议记录"}),
        "accept": (office, ResAction.ACCEPT, {"opinion": "经核查，已按期完成。"}),
        "return": (office, ResAction.RETURN,
                   {"reason": "部分单位整改回复尚未报送，请补充后再申报。"}),
    }  # fmt: skip
    for name in steps:
        who, action, raw = values[name]
        day = days[name]
        raw = {**raw, "reportedOn": day, "completedOn": day}
        case = await Case.get(id=case_id)
        await take_form_step(RES_STEPS, who, case_id, case.version, action, raw, now=_at(day))
