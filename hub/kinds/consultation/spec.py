"""会商 / 咨询 (the city document §三(二)(三): 成员单位应及时答复咨询；单项业务工作、重大案件处理和
重大紧急事项可申请由府检联动办公室组织协商，必要时提交联席会议) as a kind spec (domain.md §5.6, K6).

A unit (its liaison or leader) or a prosecutor asks a question on a topic; the Linkage Office
routes it to one or more responder units (RECIPIENT, worded 答复单位), each of which answers;
the requester accepts the answers. The Office may instead convene a coordination meeting
(协调会 / 会商会 …) whose conclusion stands as the answer, or refer the matter to the joint
meeting (联席会议).

Choices where domain.md leaves one:

- The requesting unit is the ISSUER (worded 申请单位) and the person who asked its HANDLER; the
  requester may withdraw a consultation until it is answered.
- Only the Office routes (chooses the responders, which may include the procuratorate; never
  the requester itself); the requester may suggest units, shown to the Office as text.
- Each responder answers once (``unless_party``: an answering unit also becomes a RESPONDED
  party, worded 已答复单位). The consultation is 已答复 when every responder has answered; the
  answer clock counts only while answers are awaited (待答复).
- The answer clock (答复期限) is domain.md D17's "应及时答复": 10 working days by default
  (``consultation_answer_10wd``); for the topic 紧急事项 the default is 3 working days
  (``consultation_urgent_3wd``, the platform's default). The Office may pick either rule when
  routing. It alerts the responders' liaisons 2 days before and when overdue, and the Office
  from 3 days after.
- Converting into a coordination meeting (转协调会商, the Office) opens the meeting as a MEETING
  case of its own, in the same transaction (``hub.kinds.meeting.steps.open_meeting``, the step
  is ``together``): its ``source`` is this consultation (so each lists the other: linked cases
  / source case) and its id is kept on ``ConsultationDetail.meeting_case_id``. It is of the
  form's type (协调会 first; a 会商会 is held as the meeting kind's 协调会, the word kept in its
  title 会商会：<事项名称>), on the form's date and at its place; the requester and the
  responders attend (PARTICIPANT, so they see it, and no other unit does); its agenda is set by
  the meeting's own step to one item, this consultation's 事项名称 proposed by the requester
  (法律适用不一致 as 统一适用标准, other topics as 其他). Its number is the consultation's with
  ``-会1`` (``-会2`` if converted again after an answer). The meeting is then prepared, held
  and minuted on the meetings board like any other.
- The conclusion stays this kind's own step (记录会商意见, the Office), not driven from the
  meeting: a meeting step that moved a consultation would make the meeting kind know this one.
  The step refuses while the linked meeting has not been held; its 会商意见 may be left blank
  to take the minutes the meeting published (a cancelled meeting has none: the Office writes
  the conclusion, or refers the matter). Recording it makes the consultation 已答复, for the
  requester to accept.
- Referral to the joint meeting (提交联席会议) closes the consultation here; the joint meeting
  takes it up as an agenda item (K8), the referral reason recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from hub.domain.kinds import (
    ALL_STATES,
    DEADLINE_WORDING,
    AlertPolicy,
    AlertRecipient,
    CaseKind,
    ClockSpec,
    Column,
    FieldType,
    Form,
    FormField,
    KindSpec,
    PartyRole,
    RuleSet,
    UnitScope,
    choice,
    step,
)
from hub.domain.roles import OFFICE_STAFF as OFFICE
from hub.domain.roles import UNIT_STAFF, Side
from hub.kinds.meeting.spec import Matter
from hub.kinds.meeting.spec import MeetingType as MeetingKindType


class State(StrEnum):
    REQUESTED = "requested"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    MEETING = "meeting"
    REFERRED = "referred"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    ROUTE = "route"
    ANSWER = "answer"
    ACCEPT = "accept"
    CONVENE = "convene"
    RECORD_MEETING = "record_meeting"
    REFER = "refer"
    WITHDRAW = "withdraw"


class Topic(StrEnum):
    PROSECUTION_STANDARD = "prosecution_standard"
    EVIDENCE = "evidence"
    ENFORCEMENT_EXPERTISE = "enforcement_expertise"
    LAW_APPLICATION = "law_application"
    MAJOR_CASE = "major_case"
    URGENT = "urgent"


TOPIC_LABELS: Mapping[str, str] = MappingProxyType({
    Topic.PROSECUTION_STANDARD: "立案追诉标准",
    Topic.EVIDENCE: "证据收集固定保全",
    Topic.ENFORCEMENT_EXPERTISE: "执法专业问题",
    Topic.LAW_APPLICATION: "法律适用不一致",
    Topic.MAJOR_CASE: "重大案件",
    Topic.URGENT: "紧急事项",
})  # fmt: skip


class MeetingType(StrEnum):
    COORDINATION = "coordination"
    CONSULTATION = "consultation"
    BRIEFING = "briefing"
    SYMPOSIUM = "symposium"
    ANALYSIS = "analysis"


MEETING_LABELS: Mapping[str, str] = MappingProxyType({
    MeetingType.COORDINATION: "协调会", MeetingType.CONSULTATION: "会商会",
    MeetingType.BRIEFING: "通报会", MeetingType.SYMPOSIUM: "座谈会", MeetingType.ANALYSIS: "研判会",
})  # fmt: skip

# The meeting kind's type each form's type is held as (it has no 会商会: see the docstring).
MEETING_KIND_TYPES: Mapping[str, MeetingKindType] = MappingProxyType({
    MeetingType.COORDINATION: MeetingKindType.COORDINATION,
    MeetingType.CONSULTATION: MeetingKindType.COORDINATION,
    MeetingType.BRIEFING: MeetingKindType.BRIEFING,
    MeetingType.SYMPOSIUM: MeetingKindType.SYMPOSIUM,
    MeetingType.ANALYSIS: MeetingKindType.ANALYSIS,
})  # fmt: skip
# The matter the meeting's agenda item is, by the consultation's topic.
TOPIC_MATTERS: Mapping[str, Matter] = MappingProxyType(
    {t.value: Matter.UNIFY_STANDARDS if t is Topic.LAW_APPLICATION else Matter.OTHER for t in Topic}
)

ANSWER = "answer"
ANSWER_10WD = "consultation_answer_10wd"
URGENT_3WD = "consultation_urgent_3wd"
# The answer clock's default rule per topic (紧急事项 shorter).
TOPIC_RULES: Mapping[str, str] = MappingProxyType(
    {t.value: URGENT_3WD if t is Topic.URGENT else ANSWER_10WD for t in Topic}
)

STATE_LABELS: Mapping[str, str] = MappingProxyType({
    State.REQUESTED: "待办公室分办", State.ASSIGNED: "待答复", State.ANSWERED: "已答复",
    State.MEETING: "会商中", State.REFERRED: "已提交联席会议", State.CLOSED: "已办结",
    State.WITHDRAWN: "已撤回",
})  # fmt: skip


CREATE = Form(
    "createConsultation",
    "CreateConsultationInput",
    (
        FormField(
            "caseNo", "咨询编号", required=True, max_length=64, help="如 宿府检询〔2026〕1号"
        ),
        FormField("title", "事项名称", required=True, max_length=200),
        choice("topic", "咨询事项类别", Topic, TOPIC_LABELS),
        FormField("question", "咨询问题", FieldType.TEXTAREA, required=True, max_length=10_000),
        FormField("suggestedUnitIds", "建议答复单位", FieldType.UNITS, unit_scope=UnitScope.ANY,
                  help="供办公室分办时参考"),
    ),
)  # fmt: skip
ROUTE = Form(
    "routeConsultation",
    "RouteConsultationInput",
    (
        FormField("responderUnitIds", "答复单位", FieldType.UNITS, required=True,
                  unit_scope=UnitScope.ANY),
        FormField("answerRule", "答复期限", FieldType.RULE, clock=ANSWER,
                  help="不选则按事项类别：紧急事项3个工作日，其他10个工作日"),
        FormField("officeNote", "分办意见", FieldType.TEXTAREA, max_length=2000),
    ),
)  # fmt: skip
ANSWER_FORM = Form(
    "answerConsultation",
    "AnswerConsultationInput",
    (
        FormField("answer", "答复意见", FieldType.TEXTAREA, required=True, max_length=10_000),
        FormField("basis", "依据", FieldType.TEXTAREA, max_length=5000,
                  help="法律法规、司法解释或执法标准"),
    ),
)  # fmt: skip
ACCEPT = Form(
    "acceptConsultation",
    "AcceptConsultationInput",
    (FormField("note", "采纳意见", FieldType.TEXTAREA, max_length=2000),),
)
CONVENE = Form(
    "convertConsultationToMeeting",
    "ConvertConsultationToMeetingInput",
    (
        choice("meetingType", "会议形式", MeetingType, MEETING_LABELS,
               help="将在会议看板上新建该会议，申请单位和答复单位参会"),
        FormField("meetingOn", "会议日期", FieldType.DATE, required=True),
        FormField("place", "会议地点", required=True, max_length=200),
        FormField("reason", "转会商理由", FieldType.TEXTAREA, max_length=2000),
    ),
)  # fmt: skip
RECORD_MEETING = Form(
    "recordConsultationMeeting",
    "RecordConsultationMeetingInput",
    (FormField("conclusion", "会商意见（纪要）", FieldType.TEXTAREA, max_length=10_000,
               help="不填则采用协调会已印发的会议纪要"),),
)  # fmt: skip
REFER = Form(
    "referConsultation",
    "ReferConsultationInput",
    (FormField("reason", "提交理由", FieldType.TEXTAREA, required=True, max_length=2000),),
)

SPEC = KindSpec(
    kind=CaseKind.CONSULTATION,
    label="会商咨询",
    graphql_type="Consultation",
    states=STATE_LABELS,
    initial=State.REQUESTED,
    closed=frozenset({State.REFERRED, State.CLOSED, State.WITHDRAWN}),
    transitions=(
        step(
            Action.ROUTE,
            [State.REQUESTED],
            State.ASSIGNED,
            PartyRole.OFFICE,
            OFFICE,
            "分办答复单位",
            form=ROUTE,
            starts=(ANSWER,),
        ),
        step(
            Action.ANSWER,
            [State.ASSIGNED],
            None,
            PartyRole.RECIPIENT,
            UNIT_STAFF,
            "答复",
            form=ANSWER_FORM,
            unless_party=PartyRole.RESPONDED,
            outcomes=frozenset({State.ANSWERED}),
        ),
        step(
            Action.ACCEPT,
            [State.ANSWERED],
            State.CLOSED,
            PartyRole.ISSUER,
            UNIT_STAFF,
            "采纳答复",
            form=ACCEPT,
        ),
        step(
            Action.CONVENE,
            [State.ASSIGNED, State.ANSWERED],
            State.MEETING,
            PartyRole.OFFICE,
            OFFICE,
            "转协调会商",
            form=CONVENE,
            stops=(ANSWER,),
        ),
        step(
            Action.RECORD_MEETING,
            [State.MEETING],
            State.ANSWERED,
            PartyRole.OFFICE,
            OFFICE,
            "记录会商意见",
            form=RECORD_MEETING,
        ),
        step(
            Action.REFER,
            [State.ANSWERED, State.MEETING],
            State.REFERRED,
            PartyRole.OFFICE,
            OFFICE,
            "提交联席会议",
            form=REFER,
            stops=(ANSWER,),
        ),
        step(
            Action.WITHDRAW,
            [State.REQUESTED, State.ASSIGNED],
            State.WITHDRAWN,
            PartyRole.ISSUER,
            UNIT_STAFF,
            "撤回",
            stops=(ANSWER,),
        ),
    ),
    columns=(
        Column("REQUESTED", "待分办", frozenset({State.REQUESTED})),
        Column("ASSIGNED", "待答复", frozenset({State.ASSIGNED})),
        Column("ANSWER_OVERDUE", "答复逾期", frozenset({State.ASSIGNED}), overdue_clock=ANSWER),
        Column("ANSWERED", "已答复", frozenset({State.ANSWERED})),
        Column("MEETING", "会商中", frozenset({State.MEETING})),
        Column("REFERRED", "已提交联席会议", frozenset({State.REFERRED})),
        Column("CLOSED", "已办结", frozenset({State.CLOSED}), collapsed=True),
        Column("WITHDRAWN", "已撤回", frozenset({State.WITHDRAWN}), collapsed=True),
    ),
    clocks=(
        ClockSpec(
            ANSWER,
            "答复期限",
            "分办",
            (RuleSet(None, (ANSWER_10WD, URGENT_3WD)),),
            ANSWER_10WD,
            alert=AlertPolicy(
                due_soon_days=2,
                escalate_after_days=3,
                recipients=(AlertRecipient.liaisons(PartyRole.RECIPIENT, label="答复单位联络员"),),
                escalation_recipients=(AlertRecipient.office(),),
                wording=DEADLINE_WORDING,
            ),
            due_soon_days=3,
            runs_in=frozenset({State.ASSIGNED}),
        ),
    ),
    sees={
        PartyRole.ISSUER: ALL_STATES,
        PartyRole.HANDLER: ALL_STATES,
        PartyRole.RECIPIENT: ALL_STATES,
    },
    case_no_label="咨询编号",
    create_roles=UNIT_STAFF,
    create_sides=frozenset({Side.PROCURATORATE, Side.GOVERNMENT}),
    create_form=CREATE,
    author_person=PartyRole.HANDLER,
    party_labels={
        PartyRole.ISSUER: "申请单位",
        PartyRole.RECIPIENT: "答复单位",
        PartyRole.RESPONDED: "已答复单位",
    },
)
