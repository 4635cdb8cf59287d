"""联席会议及其他会议 (the city document §三(一)(二); domain.md §5.8, D16) as a kind spec.

The Linkage Office (府检联动工作办公室) organises every meeting: the annual 全体联席会议, 专题会议,
the 联络员会议 that prepares a joint meeting, and the 通报会 / 协调会 / 座谈会 / 研判会 it convenes.
A meeting is planned, its agenda set (each item with its proposing unit and which of the seven
matters of the document it is), held, its minutes (纪要) published, then archived. Each
resolution (议定事项) it records becomes its own RESOLUTION card (``hub.kinds.resolution``),
linked by ``source`` to the meeting.

Choices where domain.md leaves one:

- Only the Office (``Role.OFFICE_ADMIN``, party ``OFFICE``) opens and moves meetings; the
  Office's unit is the organising unit (ISSUER, worded 组织单位) and the admin who opened it
  its handler (HANDLER). The convenor's chairing is recorded (主持人) when the meeting is
  held, not taken as a step by the mayor: the convenor has no account in the hub.
- The attending units (参会单位, PARTICIPANT) see the meeting in every state; they do not act
  on it. A unit proposing an agenda item that does not attend does not see the meeting.
- The liaison meeting that prepares a 全体联席会议 is opened from the joint meeting (step
  ``prepare``): its own MEETING card of type 联络员会议 whose ``source`` is the joint meeting
  (so the joint meeting lists it among its linked cases), with the joint meeting's attendees.
  A 全体联席会议's agenda can be set only once its liaison meeting has been held (D16:
  "在联席会议召开之前…召开联络员会议"); other types need no preparation.
- The agenda may be set again until the meeting is held (the new list replaces the old).
- Resolutions are recorded one by one (a form per resolution), once the meeting has been held
  and after its minutes are published too. Recording one assigns it: its responsible units
  (one may lead) and its due date (完成时限) come with it, so the resolution card starts in
  progress (§5.8's OPEN → assign is this one step).
- Minutes are text with their document number; attachments (the signed 纪要 file) come with
  the attachments issue.
- No clock: D16 says "原则上每年年初召开一次" and sets no deadline for minutes.
- Archiving (归档) does not wait for the resolutions: each has its own lifecycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from hub.domain.kinds import (
    ALL_STATES,
    CaseKind,
    Column,
    FieldType,
    Form,
    FormField,
    KindSpec,
    PartyRole,
    UnitScope,
    choice,
    step,
)
from hub.domain.roles import OFFICE_STAFF as OFFICE


class State(StrEnum):
    PLANNED = "planned"
    AGENDA_SET = "agenda_set"
    HELD = "held"
    MINUTES_PUBLISHED = "minutes_published"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Action(StrEnum):
    PREPARE = "prepare"
    SET_AGENDA = "set_agenda"
    HOLD = "hold"
    PUBLISH_MINUTES = "publish_minutes"
    RECORD_RESOLUTION = "record_resolution"
    CLOSE = "close"
    CANCEL = "cancel"


class MeetingType(StrEnum):
    JOINT = "joint"
    TOPIC = "topic"
    LIAISON = "liaison"
    BRIEFING = "briefing"
    COORDINATION = "coordination"
    SYMPOSIUM = "symposium"
    ANALYSIS = "analysis"


MEETING_TYPE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        MeetingType.JOINT: "全体联席会议",
        MeetingType.TOPIC: "专题会议",
        MeetingType.LIAISON: "联络员会议",
        MeetingType.BRIEFING: "通报会",
        MeetingType.COORDINATION: "协调会",
        MeetingType.SYMPOSIUM: "座谈会",
        MeetingType.ANALYSIS: "研判会",
    }
)


class Matter(StrEnum):
    """The seven kinds of matter the joint meeting decides (the city document §三(一))."""

    TASK_LIST = "task_list"
    PRIORITY_DISPUTE = "priority_dispute"
    RECONSIDERATION_DISPUTE = "reconsideration_dispute"
    PIL_SUPPORT = "pil_support"
    ENFORCEMENT_SUPPORT = "enforcement_support"
    UNIFY_STANDARDS = "unify_standards"
    OTHER = "other"


MATTER_LABELS: Mapping[str, str] = MappingProxyType(
    {
        Matter.TASK_LIST: "研究确定年度重点工作任务清单",
        Matter.PRIORITY_DISPUTE: "市政府阶段性重点工作推进中可能引发的行政争议",
        Matter.RECONSIDERATION_DISPUTE: "行政复议中需要化解的重大、复杂行政争议",
        Matter.PIL_SUPPORT: "行政公益诉讼办案中需要行政机关配合支持的事项",
        Matter.ENFORCEMENT_SUPPORT: "行政执法中需要检察机关支持保障的问题",
        Matter.UNIFY_STANDARDS: "法律法规适用理解不一致，统一适用标准",
        Matter.OTHER: "其他需要共同研究决定的事项",
    }
)

STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        State.PLANNED: "筹备中",
        State.AGENDA_SET: "议程已定",
        State.HELD: "已召开",
        State.MINUTES_PUBLISHED: "纪要已印发",
        State.CLOSED: "已归档",
        State.CANCELLED: "已取消",
    }
)

JOINT = "joint"  # flag: a 全体联席会议, prepared by a liaison meeting
PREPARED = "prepared"  # flag: its liaison meeting has been opened
HELD_STATES = frozenset({State.HELD, State.MINUTES_PUBLISHED, State.CLOSED})


CREATE = Form(
    "createMeeting",
    "CreateMeetingInput",
    (
        FormField("caseNo", "会议编号", required=True, max_length=64,
                  help="如 宿府检会〔2022〕1号"),
        FormField("title", "会议名称", required=True, max_length=200),
        choice("meetingType", "会议类型", MeetingType, MEETING_TYPE_LABELS),
        FormField("scheduledOn", "拟召开日期", FieldType.DATE, required=True),
        FormField("place", "会议地点", max_length=200),
        FormField("attendeeUnitIds", "参会单位", FieldType.UNITS, required=True,
                  unit_scope=UnitScope.ANY),
        FormField("internalNote", "内部备注", FieldType.TEXTAREA, max_length=2000,
                  help="仅检察院一方可见"),
    ),
)  # fmt: skip
PREPARE = Form(
    "prepareJointMeeting",
    "PrepareJointMeetingInput",
    (
        FormField("caseNo", "联络员会议编号", required=True, max_length=64),
        FormField("title", "联络员会议名称", required=True, max_length=200),
        FormField("scheduledOn", "拟召开日期", FieldType.DATE, required=True),
    ),
)
AGENDA_ITEM = (
    FormField("topic", "议题", required=True, max_length=200),
    FormField(
        "proposerUnitId", "提出单位", FieldType.UNIT, required=True, unit_scope=UnitScope.ANY
    ),
    choice("matter", "事项类别", Matter, MATTER_LABELS),
)
SET_AGENDA = Form(
    "setMeetingAgenda",
    "SetMeetingAgendaInput",
    (FormField("agenda", "议程", FieldType.LIST, required=True, fields=AGENDA_ITEM),),
)
HOLD = Form(
    "holdMeeting",
    "HoldMeetingInput",
    (
        FormField("heldOn", "召开日期", FieldType.DATE, required=True),
        FormField(
            "chair", "主持人", required=True, max_length=100, help="召集人或受委托的副召集人"
        ),
    ),
)
PUBLISH_MINUTES = Form(
    "publishMeetingMinutes",
    "PublishMeetingMinutesInput",
    (
        FormField("minutesNo", "纪要文号", required=True, max_length=64,
                  help="如 宿府检纪〔2022〕1号"),
        FormField("publishedOn", "印发日期", FieldType.DATE, required=True),
        FormField("minutes", "会议纪要", FieldType.TEXTAREA, required=True, max_length=20_000,
                  help="纪要正文；纪要文件附件将随附件功能提供"),
    ),
)  # fmt: skip
RECORD_RESOLUTION = Form(
    "recordMeetingResolution",
    "RecordMeetingResolutionInput",
    (
        FormField("title", "议定事项", required=True, max_length=200),
        FormField("content", "议定内容", FieldType.TEXTAREA, required=True, max_length=5000),
        choice("matter", "事项类别", Matter, MATTER_LABELS),
        FormField("responsibleUnitIds", "责任单位", FieldType.UNITS, required=True,
                  unit_scope=UnitScope.ANY),
        FormField("leadUnitId", "牵头单位", FieldType.UNIT, unit_scope=UnitScope.ANY,
                  help="须为责任单位之一；不选则各责任单位均可申报办结"),
        FormField("dueOn", "完成时限", FieldType.DATE, required=True),
    ),
)  # fmt: skip
CANCEL = Form(
    "cancelMeeting",
    "CancelMeetingInput",
    (FormField("reason", "取消原因", FieldType.TEXTAREA, required=True, max_length=2000),),
)

_O = PartyRole.OFFICE
_BEFORE = (State.PLANNED, State.AGENDA_SET)

SPEC = KindSpec(
    kind=CaseKind.MEETING,
    label="会议",
    graphql_type="Meeting",
    states=STATE_LABELS,
    initial=State.PLANNED,
    closed=frozenset({State.CLOSED, State.CANCELLED}),
    transitions=(
        step(Action.PREPARE, [State.PLANNED], None, _O, OFFICE, "召开联络员会议筹备",
             when=frozenset({JOINT}), unless=frozenset({PREPARED}), sets=frozenset({PREPARED}),
             form=PREPARE),
        step(Action.SET_AGENDA, _BEFORE, State.AGENDA_SET, _O, OFFICE, "确定议程",
             unless=frozenset({JOINT}), form=SET_AGENDA),
        step(Action.SET_AGENDA, _BEFORE, State.AGENDA_SET, _O, OFFICE, "确定议程",
             when=frozenset({JOINT, PREPARED}), form=SET_AGENDA),
        step(Action.HOLD, [State.AGENDA_SET], State.HELD, _O, OFFICE, "召开会议", form=HOLD),
        step(Action.PUBLISH_MINUTES, [State.HELD], State.MINUTES_PUBLISHED, _O, OFFICE,
             "印发会议纪要", form=PUBLISH_MINUTES),
        step(Action.RECORD_RESOLUTION, [State.HELD, State.MINUTES_PUBLISHED], None, _O, OFFICE,
             "记录议定事项", form=RECORD_RESOLUTION),
        step(Action.CLOSE, [State.MINUTES_PUBLISHED], State.CLOSED, _O, OFFICE, "归档"),
        step(Action.CANCEL, _BEFORE, State.CANCELLED, _O, OFFICE, "取消会议", form=CANCEL),
    ),
    columns=(
        Column("PLANNED", "筹备中", frozenset({State.PLANNED})),
        Column("AGENDA_SET", "议程已定", frozenset({State.AGENDA_SET})),
        Column("HELD", "已召开", frozenset({State.HELD})),
        Column("MINUTES_PUBLISHED", "纪要已印发", frozenset({State.MINUTES_PUBLISHED})),
        Column("CLOSED", "已归档", frozenset({State.CLOSED}), collapsed=True),
        Column("CANCELLED", "已取消", frozenset({State.CANCELLED}), collapsed=True),
    ),
    sees={
        PartyRole.ISSUER: ALL_STATES,
        PartyRole.PARTICIPANT: ALL_STATES,
        PartyRole.HANDLER: ALL_STATES,
    },
    draft_states=frozenset({State.PLANNED}),
    case_no_label="会议编号",
    create_roles=OFFICE,
    create_form=CREATE,
    author_person=PartyRole.HANDLER,
    party_labels={PartyRole.ISSUER: "组织单位", PartyRole.PARTICIPANT: "参会单位"},
    create_internal=False,  # every party sees a new one arrive
)  # fmt: skip
