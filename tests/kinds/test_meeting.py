"""The meeting (联席会议及其他会议): the Office plans a joint meeting, prepares it with a liaison
meeting, sets the agenda, holds it, publishes its minutes and records resolutions, each of
which opens its own RESOLUTION card — all through the mutations generated from its forms."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hub import clock
from hub.domain.kinds import CaseKind
from hub.domain.visibility import audience_of
from hub.kinds.meeting.demo import load_demo
from hub.kinds.meeting.models import MeetingAgendaItem, MeetingDetail
from hub.models import Case, CaseClock, CaseEvent
from hub.services.demo import load_accounts, load_units
from hub.services.visibility import visible_events
from tests.app_clients import Api
from tests.kinds.meetings import TAKE, gid, mutation, outcome, police, snapshot

FIELDS = """
  ... on Meeting { id version state stateLabel caseNo meetingType meetingTypeLabel heldOn chair
    minutesNo attendees { name } agenda { topic matterLabel proposerUnit { name } }
    availableActions { action }
    sourceCase { caseNo } linkedCases { caseNo kind state }
    details { title facts { label value } items { heading facts { label value } } emptyText }
    parties { roleLabel unit { name } } }
"""
CREATE = mutation("createMeeting", FIELDS)
PREPARE = mutation("prepareJointMeeting", FIELDS)
AGENDA = mutation("setMeetingAgenda", FIELDS)
HOLD = mutation("holdMeeting", FIELDS)
MINUTES = mutation("publishMeetingMinutes", FIELDS)
RECORD = mutation("recordMeetingResolution", FIELDS)
CANCEL = mutation("cancelMeeting", FIELDS)
STEP = TAKE.replace(
    "%s",
    "__typename ... on CaseStepSuccess { case { " + FIELDS + " } } ... on Error { code field }",
)
READ = "query($id: ID!) { node(id: $id) { " + FIELDS + " } }"
RESOLUTION = """query($id: ID!) { node(id: $id) { ... on Resolution { caseNo state column
  matterLabel dueOn leadUnit { name } responsibleUnits { name } sourceCase { caseNo }
  clocks { name label dueOn status } } } }"""


def _ids(case: dict[str, Any]) -> dict[str, Any]:
    return {"id": case["id"], "version": case["version"]}


async def test_a_joint_meeting_prepared_held_minuted_and_its_resolutions(api: Api) -> None:
    world = api.world
    today = clock.today()
    a, b, proc = (gid("Unit", u.id) for u in (world.unit_a, world.unit_b, world.procuratorate))
    new = {"caseNo": "宿府检会〔2026〕1号", "title": "2026年第一次府检联动全体联席会议",
           "meetingType": "JOINT", "scheduledOn": (today - timedelta(days=20)).isoformat(),
           "place": "市政府第一会议室", "attendeeUnitIds": [a, b]}  # fmt: skip
    for who in ("liaison_a", "prosecutor"):
        async with api.as_user(who) as user:
            refused = outcome(await user(CREATE, {"input": new}), "createMeeting")
            assert refused["code"] == "PERMISSION_DENIED"
    assert not await Case.filter(kind=CaseKind.MEETING).exists()

    async with api.as_user("office") as office:
        case = outcome(await office(CREATE, {"input": new}), "createMeeting")["case"]
        assert (case["state"], case["meetingTypeLabel"]) == ("PLANNED", "全体联席会议")
        assert [p["roleLabel"] for p in case["parties"]] == [
            "组织单位",
            "承办人",
            "参会单位",
            "参会单位",
        ]
        # A joint meeting is prepared by a liaison meeting first: no agenda before it.
        assert [x["action"] for x in case["availableActions"]] == ["PREPARE", "CANCEL"]
        agenda = {**_ids(case), "agenda": [
            {"topic": "审议2026年度府检联动重点工作任务清单", "proposerUnitId": proc,
             "matter": "TASK_LIST"},
            {"topic": "城区黑臭水体整治中的公益诉讼配合", "proposerUnitId": a,
             "matter": "PIL_SUPPORT"},
        ]}  # fmt: skip
        joint_pk = (await Case.get(case_no=new["caseNo"])).id
        before = await snapshot(joint_pk)
        refused = outcome(await office(AGENDA, {"input": agenda}), "setMeetingAgenda")
        assert refused["code"] == "INVALID_TRANSITION"
        assert await snapshot(joint_pk) == before

        prep = {**_ids(case), "caseNo": "宿府检会〔2026〕1-1号", "title": "联席会议筹备联络员会议",
                "scheduledOn": (today - timedelta(days=30)).isoformat()}  # fmt: skip
        late = {**prep, "scheduledOn": today.isoformat()}
        bad = outcome(await office(PREPARE, {"input": late}), "prepareJointMeeting")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "scheduledOn")
        assert await snapshot(joint_pk) == before
        case = outcome(await office(PREPARE, {"input": prep}), "prepareJointMeeting")["case"]
        (linked,) = case["linkedCases"]
        assert linked == {"caseNo": prep["caseNo"], "kind": "MEETING", "state": "PLANNED"}
        assert [x["action"] for x in case["availableActions"]] == ["SET_AGENDA", "CANCEL"]
        # … but the liaison meeting must have been held before the agenda is set.
        agenda = {**agenda, **_ids(case)}
        refused = outcome(await office(AGENDA, {"input": agenda}), "setMeetingAgenda")
        assert refused["code"] == "INVALID_TRANSITION"

        liaison_pk = (await Case.get(case_no=prep["caseNo"])).id
        liaison = outcome(await office(READ, {"id": gid("Meeting", liaison_pk)}), "node")
        assert liaison["meetingType"] == "LIAISON"
        assert liaison["sourceCase"] == {"caseNo": new["caseNo"]}
        assert [u["name"] for u in liaison["attendees"]] == [world.unit_a.name, world.unit_b.name]
        topics = {**_ids(liaison), "agenda": [
            {"topic": "研究联席会议议题", "proposerUnitId": a, "matter": "OTHER"}]}  # fmt: skip
        liaison = outcome(await office(AGENDA, {"input": topics}), "setMeetingAgenda")["case"]
        held = {**_ids(liaison), "heldOn": (today - timedelta(days=25)).isoformat(),
                "chair": "府检联动办公室主任"}  # fmt: skip
        liaison = outcome(await office(HOLD, {"input": held}), "holdMeeting")["case"]
        assert liaison["state"] == "HELD"

        case = outcome(await office(AGENDA, {"input": agenda}), "setMeetingAgenda")["case"]
        assert case["state"] == "AGENDA_SET"
        assert [(i["topic"], i["matterLabel"], i["proposerUnit"]["name"]) for i in case["agenda"]] == [
            ("审议2026年度府检联动重点工作任务清单", "研究确定年度重点工作任务清单", world.procuratorate.name),
            ("城区黑臭水体整治中的公益诉讼配合", "行政公益诉讼办案中需要行政机关配合支持的事项", world.unit_a.name),
        ]  # fmt: skip
        foreign = {
            **agenda,
            **_ids(case),
            "agenda": [
                {"topic": "x", "proposerUnitId": gid("Case", world.unit_a.id), "matter": "OTHER"}
            ],
        }
        bad = outcome(await office(AGENDA, {"input": foreign}), "setMeetingAgenda")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "proposerUnitId")
        assert await MeetingAgendaItem.filter(case_id=joint_pk).count() == 2

        held_on = today - timedelta(days=10)
        future = {**_ids(case), "heldOn": (today + timedelta(days=1)).isoformat(), "chair": "市长"}
        bad = outcome(await office(HOLD, {"input": future}), "holdMeeting")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "heldOn")
        hold = {**future, "heldOn": held_on.isoformat(), "chair": "市政府主要负责同志"}
        case = outcome(await office(HOLD, {"input": hold}), "holdMeeting")["case"]
        assert (case["state"], case["heldOn"]) == ("HELD", held_on.isoformat())
        stale = {**hold, "version": case["version"] - 1}
        before = await snapshot(joint_pk)
        assert outcome(await office(HOLD, {"input": stale}), "holdMeeting")["code"] in (
            "VERSION_CONFLICT", "INVALID_TRANSITION")  # fmt: skip
        assert await snapshot(joint_pk) == before

        # Resolutions: each its own card, numbered after the meeting; refused ones open none.
        res = {**_ids(case), "title": "年度重点工作任务清单落实", "content": "各成员单位按清单分工落实",
               "matter": "TASK_LIST", "responsibleUnitIds": [a, b], "leadUnitId": proc,
               "dueOn": (held_on + timedelta(days=60)).isoformat()}  # fmt: skip
        bad = outcome(await office(RECORD, {"input": res}), "recordMeetingResolution")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "leadUnitId")
        early = {**res, "leadUnitId": a, "dueOn": held_on.isoformat()}
        bad = outcome(await office(RECORD, {"input": early}), "recordMeetingResolution")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "dueOn")
        assert await snapshot(joint_pk) == before
        res["leadUnitId"] = a
        case = outcome(await office(RECORD, {"input": res}), "recordMeetingResolution")["case"]
        assert case["state"] == "HELD"
        assert [c["caseNo"] for c in case["linkedCases"] if c["kind"] == "RESOLUTION"] == [
            "宿府检会〔2026〕1号-1"
        ]

        minutes = {**_ids(case), "minutesNo": "宿府检纪〔2026〕1号",
                   "publishedOn": (held_on - timedelta(days=1)).isoformat(),
                   "minutes": "会议审议通过2026年度重点工作任务清单。"}  # fmt: skip
        bad = outcome(await office(MINUTES, {"input": minutes}), "publishMeetingMinutes")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "publishedOn")
        minutes["publishedOn"] = (held_on + timedelta(days=2)).isoformat()
        case = outcome(await office(MINUTES, {"input": minutes}), "publishMeetingMinutes")["case"]
        assert case["state"] == "MINUTES_PUBLISHED"
        second = {**res, **_ids(case), "title": "公益诉讼配合机制", "leadUnitId": None,
                  "responsibleUnitIds": [b], "matter": "PIL_SUPPORT"}  # fmt: skip
        case = outcome(await office(RECORD, {"input": second}), "recordMeetingResolution")["case"]
        numbers = [c["caseNo"] for c in case["linkedCases"] if c["kind"] == "RESOLUTION"]
        assert numbers == ["宿府检会〔2026〕1号-1", "宿府检会〔2026〕1号-2"]
        sections = {s["title"]: s for s in case["details"]}
        minutes_facts = {f["label"]: f["value"] for f in sections["会议纪要"]["facts"]}
        assert minutes_facts["纪要文号"] == "宿府检纪〔2026〕1号"
        assert sections["议程"]["items"][0]["heading"].startswith("1. 审议")

        first = await Case.get(case_no="宿府检会〔2026〕1号-1")
        seen = outcome(await office(RESOLUTION, {"id": gid("Resolution", first.id)}), "node")
        due = (held_on + timedelta(days=60)).isoformat()
        assert seen["state"] == "IN_PROGRESS" and seen["dueOn"] == due
        assert seen["leadUnit"] == {"name": world.unit_a.name}
        assert seen["responsibleUnits"] == [{"name": world.unit_b.name}]
        assert seen["sourceCase"] == {"caseNo": new["caseNo"]}
        assert [(c["name"], c["dueOn"], c["status"]) for c in seen["clocks"]] == [
            ("due", due, "RUNNING")
        ]
        case = outcome(await office(STEP, {"input": {**_ids(case), "action": "CLOSE"}}), "takeStep")
        assert case["case"]["state"] == "CLOSED"

    # An attending unit sees the meeting and acts on none of it.
    async with api.as_user("liaison_a") as attendee:
        seen = outcome(await attendee(READ, {"id": case["case"]["id"]}), "node")
        assert seen["state"] == "CLOSED" and seen["availableActions"] == []
    clock_rows = await CaseClock.filter(case_id=joint_pk).count()
    assert clock_rows == 0  # a meeting has no deadline (D16)
    detail = await MeetingDetail.get(case_id=joint_pk)
    assert (detail.held_on, detail.minutes_no) == (held_on, "宿府检纪〔2026〕1号")
    actions: list[Any] = (
        await CaseEvent.filter(case_id=joint_pk).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["create", "prepare", "set_agenda", "hold", "record_resolution",
                       "publish_minutes", "record_resolution", "close"]  # fmt: skip


async def test_a_unit_that_is_no_party_sees_nothing_and_may_do_nothing(api: Api) -> None:
    world = api.world
    other = await police(world)
    a = gid("Unit", world.unit_a.id)
    today = clock.today()
    new = {"caseNo": "宿府检会〔2026〕9号", "title": "食品安全研判会", "meetingType": "ANALYSIS",
           "scheduledOn": today.isoformat(), "attendeeUnitIds": [a]}  # fmt: skip
    async with api.as_user("office") as office:
        case = outcome(await office(CREATE, {"input": new}), "createMeeting")["case"]
        assert [x["action"] for x in case["availableActions"]] == ["SET_AGENDA", "CANCEL"]
    pk = (await Case.get(case_no=new["caseNo"])).id
    lists = """query { cases(filter: {kinds: [MEETING]}) { edges { node { caseNo } } }
      board(kind: MEETING) { cards { caseNo } } }"""
    by_no = "query($no: String!) { caseByNo(caseNo: $no) { caseNo events { action } } }"
    agenda = {**_ids(case), "agenda": [{"topic": "x", "proposerUnitId": a, "matter": "OTHER"}]}
    steps = [
        (AGENDA, "setMeetingAgenda", agenda),
        (HOLD, "holdMeeting", {**_ids(case), "heldOn": today.isoformat(), "chair": "x"}),
        (CANCEL, "cancelMeeting", {**_ids(case), "reason": "x"}),
        (STEP, "takeStep", {**_ids(case), "action": "CLOSE"}),
    ]
    for who in ("liaison_b", "liaison_c"):
        async with api.as_user(who) as user:
            assert outcome(await user(READ, {"id": case["id"]}), "node") is None
            assert outcome(await user(by_no, {"no": new["caseNo"]}), "caseByNo") is None
            body = await user(lists)
            assert body["data"]["cases"]["edges"] == [] and body["data"]["board"]["cards"] == []
            before = await snapshot(pk)
            for query, name, values in steps:
                assert outcome(await user(query, {"input": values}), name)["code"] == "NOT_FOUND"
            assert await snapshot(pk) == before
    assert await visible_events(audience_of(other)).filter(case_id=pk).count() == 0
    async with api.as_user("liaison_a") as attendee:
        assert (
            outcome(await attendee(by_no, {"no": new["caseNo"]}), "caseByNo")["caseNo"]
            == new["caseNo"]
        )
        before = await snapshot(pk)
        refused = outcome(await attendee(AGENDA, {"input": agenda}), "setMeetingAgenda")
        assert refused["code"] == "PERMISSION_DENIED"
        assert await snapshot(pk) == before
    async with api.as_user("office") as office:
        wrong = outcome(await office(HOLD, {"input": steps[1][2]}), "holdMeeting")
        assert wrong["code"] == "INVALID_TRANSITION"
        case = outcome(await office(CANCEL, {"input": steps[2][2]}), "cancelMeeting")["case"]
        assert case["state"] == "CANCELLED"


async def test_the_demo_joint_meeting_of_2022_and_its_resolutions(db: str) -> None:
    units = await load_units()
    users = await load_accounts(units, "demo-password")
    assert await load_demo(units, users) == 6
    joint = await Case.get(case_no="宿府检会〔2022〕2号")
    prep = await Case.get(case_no="宿府检会〔2022〕1号")
    assert (joint.state, prep.state, prep.source_id) == ("closed", "held", joint.id)
    assert (await MeetingDetail.get(case_id=joint.id)).held_on == date(2022, 3, 25)
    assert await MeetingAgendaItem.filter(case_id=joint.id).count() == 5
    resolutions = await Case.filter(kind=CaseKind.RESOLUTION, source_id=joint.id).order_by("id")
    assert [(r.case_no, r.state) for r in resolutions] == [
        ("宿府检会〔2022〕2号-1", "done"), ("宿府检会〔2022〕2号-2", "pending_check"),
        ("宿府检会〔2022〕2号-3", "in_progress"), ("宿府检会〔2022〕2号-4", "in_progress"),
    ]  # fmt: skip
    dues = [c.due_on for r in resolutions for c in await CaseClock.filter(case_id=r.id)]
    assert dues == [date(2022, 5, 31), date(2022, 12, 31), date(2022, 8, 31), date(2022, 12, 31)]
