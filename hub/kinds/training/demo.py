"""Demo trainings from the city document §三(六) (加强交流培训): one open for registration with
places taken by member units, one held; made through the kind's own form steps."""

from __future__ import annotations

from datetime import timedelta

from hub import clock
from hub.domain.roles import Actor
from hub.kinds.training.spec import Action
from hub.kinds.training.steps import STEPS
from hub.models import Unit, User
from hub.services.auth import actor_for_user
from hub.services.forms import create_from_form, take_form_step


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    by_id = {u.id: u for u in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    today = clock.today()
    office = actor("office")
    invited = [units[c].id for c in ("ecology_env", "natural_resources", "market_supervision",
                                     "emergency", "justice")]  # fmt: skip
    open_one = await create_from_form(STEPS, office, {
        "caseNo": f"宿府检培〔{today.year}〕2号", "title": "行政执法与刑事司法衔接业务培训",
        "topic": "涉嫌犯罪案件移送标准、证据收集固定保全与移送程序",
        "heldOn": today + timedelta(days=20), "venue": "市人民检察院三楼报告厅", "places": 30,
        "registrationDeadline": today + timedelta(days=10), "invitedUnitIds": invited,
    })  # fmt: skip
    version = open_one.case.version
    for code, count, people in (("ecology_env", 4, "张某（执法支队）\n李某（法规科）\n王某\n赵某"),
                                ("justice", 2, "刘某（复议科）\n陈某")):  # fmt: skip
        values = {"count": count, "attendees": people}
        change = await take_form_step(STEPS, actor(f"liaison_{code}"), open_one.case.id, version,
                                      Action.TAKE_PLACES, values)  # fmt: skip
        version = change.case.version
    held = await create_from_form(STEPS, actor("liaison_justice"), {
        "caseNo": f"宿府检培〔{today.year}〕1号", "title": "行政复议与行政检察业务交流座谈",
        "topic": "行政复议陪议、旁听的程序与典型案例交流",
        "heldOn": today - timedelta(days=5), "venue": "市司法局会议室", "places": 10,
        "registrationDeadline": today - timedelta(days=12),
        "invitedUnitIds": [units["procuratorate"].id],
    })  # fmt: skip
    report = {"attendance": 18, "summary": "交流典型案例 4 件。"}
    justice = actor("liaison_justice")
    await take_form_step(STEPS, justice, held.case.id, held.case.version, Action.HOLD, report)
    return 2
