"""Demo: the city document's 2022 task list imported, a few measures moved along in 2022
through the same steps (in progress, claimed, completed, inspected, reviewed at year end);
the dated measures nobody moved are overdue."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from hub.clock import BUSINESS_TZ
from hub.domain.kinds import CaseKind
from hub.kinds.task_measure.spec import Action
from hub.kinds.task_measure.steps import STEPS
from hub.kinds.task_measure.tasklist import import_tasklist
from hub.models import Case, Unit, User
from hub.services.auth import actor_for_user
from hub.services.cases import take_step
from hub.services.demo import load_tasklist
from hub.services.forms import take_form_step

KIND = CaseKind.TASK_MEASURE
D = date


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=BUSINESS_TZ)


def _report(day: date, text: str, evidence: str = "") -> dict[str, Any]:
    return {"reportedOn": day, "progress": text, "evidence": evidence}


def _claim(day: date, text: str, evidence: str) -> dict[str, Any]:
    return {"completedOn": day, "summary": text, "evidence": evidence}


# (measure number, who, action, day, form values or None for a data-less step)
MOVES: tuple[tuple[str, str, str, date, dict[str, Any] | None], ...] = (
    ("2022-任务02-①", "liaison_data_resources", Action.START, D(2022, 5, 20), None),
    ("2022-任务02-①", "liaison_data_resources", Action.REPORT_PROGRESS, D(2022, 6, 30),
     _report(D(2022, 6, 30), "已召开数据共享需求对接会，梳理共享数据目录 12 类。", "会议纪要")),
    ("2022-任务01-④", "prosecutor", Action.REPORT_PROGRESS, D(2022, 7, 15),
     _report(D(2022, 7, 15), "《关于推进企业合规建设工作的意见》已形成征求意见稿。")),
    ("2022-任务01-④", "prosecutor", Action.CLAIM_COMPLETE, D(2022, 10, 20),
     _claim(D(2022, 10, 20), "意见已印发，第三方监督评估机制管委会已成立。",
            "宿检发〔2022〕18号；管委会成立会议纪要")),
    ("2022-任务03-③", "prosecutor", Action.REPORT_PROGRESS, D(2022, 9, 1),
     _report(D(2022, 9, 1), "与市司法局会签行刑衔接工作办法。")),
    ("2022-任务03-③", "prosecutor", Action.CLAIM_COMPLETE, D(2022, 11, 30),
     _claim(D(2022, 11, 30), "行刑衔接协调机制已建立并运行。", "会签文件；联席会议记录")),
    ("2022-任务03-③", "office", Action.ACCEPT, D(2022, 12, 10), None),
    ("2022-任务06-①", "liaison_ecology_env", Action.START, D(2022, 6, 1), None),
    ("2022-任务06-①", "liaison_ecology_env", Action.REPORT_PROGRESS, D(2022, 8, 10),
     _report(D(2022, 8, 10), "联合检察院对环保督察领域行政争议开展专题调研 2 次。")),
    ("2022-任务09-②", "liaison_local_finance", Action.REPORT_PROGRESS, D(2022, 7, 5),
     _report(D(2022, 7, 5), "与市检察院建立金融风险防控季度会商机制。")),
    ("2022-任务14-①", "liaison_emergency", Action.START, D(2022, 6, 15), None),
    ("2022-任务14-①", "office", Action.INSPECT, D(2022, 9, 20),
     {"heldOn": D(2022, 9, 20), "findings": "抽查 3 家危化品企业整改台账，落实较好。",
      "requirements": "10月底前报送阶段性总结。"}),
    ("2022-任务14-①", "office", Action.JOINT_VISIT, D(2022, 11, 8),
     {"heldOn": D(2022, 11, 8), "participantUnitIds": ["emergency", "procuratorate"],
      "findings": "联合督导调研“八号检察建议”落实情况。", "requirements": ""}),
    ("2022-任务11-④", "office", Action.CLOSE_FOR_YEAR, D(2022, 12, 20),
     {"note": "全年通过诉前磋商结案 15 件，本年度办结，2023 年继续坚持。"}),
    ("2022-任务05-④", "office", Action.CARRY_OVER, D(2022, 12, 20),
     {"note": "乡镇检察服务站已建成 6 个，其余结转 2023 年度。"}),
)  # fmt: skip


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    data = load_tasklist()
    issued = date.fromisoformat(data["document"]["date"])
    report = await import_tasklist(data, now=_at(issued))
    by_unit = {unit.id: unit for unit in units.values()}
    carried = 0  # a carry-over opens next year's measure
    for case_no, username, action, day, raw in MOVES:
        carried += action is Action.CARRY_OVER
        user = users[username]
        who = actor_for_user(user, by_unit[user.unit_id])
        case = await Case.get(case_no=case_no)
        if raw is None:
            await take_step(who, case.id, case.version, action, kind=KIND, now=_at(day))
            continue
        if "participantUnitIds" in raw:
            raw = {**raw, "participantUnitIds": [units[c].id for c in raw["participantUnitIds"]]}
        await take_form_step(STEPS, who, case.id, case.version, action, raw, now=_at(day))
    return report.created + carried
