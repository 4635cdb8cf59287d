"""会议议定事项 (a resolution of a joint or other meeting; domain.md §5.8) as a kind spec.

Each resolution a meeting records (``hub.kinds.meeting``) is its own card, ``source`` = the
meeting: its responsible units (责任单位) report progress, one of them (the lead unit, 牵头单位,
if the meeting named one) claims it done, the Linkage Office checks it (核查) and accepts it
(办结) or returns it to progress; past its due date (完成时限) it shows as overdue and alerts.

Choices where domain.md leaves one:

- A resolution is opened only by recording it on its meeting (no create dialog of its own);
  its responsible units and due date come with it, so it starts 落实中 (§5.8's OPEN → assign
  is the meeting's record step).
- The due date is the date the meeting fixed (rule ``assigned_date``: it does not move off
  rest days), counted from the meeting's date; it counts while the resolution is in progress
  (not while the Office checks it), and stops when the Office accepts it.
- Parties: the Office's unit (ISSUER, worded 督办单位), the lead unit (LEAD) and the other
  responsible units (RESPONSIBLE); all of them see the card in every state. Every
  responsible unit, the lead included, reports progress; only the lead unit claims it done,
  or any responsible unit when there is no lead (flag ``has_lead``).
- Overdue: an overdue column and an alert to the lead and responsible units' liaisons 3 days
  before and the day after the due date, escalated to the Office 7 days after it; the Office
  may urge (督办) an overdue resolution, which is recorded and keeps it in progress.
- Progress and completion are text with a date; evidence is described in words until the
  attachments issue brings files.
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
    step,
)
from hub.domain.roles import OFFICE_STAFF as OFFICE
from hub.domain.roles import UNIT_STAFF


class State(StrEnum):
    IN_PROGRESS = "in_progress"
    PENDING_CHECK = "pending_check"
    DONE = "done"


class Action(StrEnum):
    REPORT_PROGRESS = "report_progress"
    CLAIM_DONE = "claim_done"
    ACCEPT = "accept"
    RETURN = "return"
    URGE = "urge"


class RecordKind(StrEnum):
    PROGRESS = "progress"
    CLAIM = "claim"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    URGED = "urged"


RECORD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        RecordKind.PROGRESS: "落实进展",
        RecordKind.CLAIM: "申报办结",
        RecordKind.ACCEPTED: "核查通过",
        RecordKind.RETURNED: "核查退回",
        RecordKind.URGED: "督办",
    }
)

STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {State.IN_PROGRESS: "落实中", State.PENDING_CHECK: "待核查", State.DONE: "已办结"}
)

DUE = "due"
HAS_LEAD = "has_lead"  # flag: a lead unit was named; only it claims the resolution done


REPORT = Form(
    "reportResolutionProgress",
    "ReportResolutionProgressInput",
    (
        FormField("reportedOn", "报告日期", FieldType.DATE, required=True),
        FormField("progress", "落实进展", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("evidence", "佐证材料", FieldType.TEXTAREA, max_length=2000,
                  help="材料名称或说明；附件将随附件功能提供"),
    ),
)  # fmt: skip
CLAIM = Form(
    "claimResolutionDone",
    "ClaimResolutionDoneInput",
    (
        FormField("completedOn", "完成日期", FieldType.DATE, required=True),
        FormField("summary", "完成情况", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("evidence", "佐证材料", FieldType.TEXTAREA, max_length=2000),
    ),
)  # fmt: skip
ACCEPT = Form(
    "acceptResolution",
    "AcceptResolutionInput",
    (FormField("opinion", "核查意见", FieldType.TEXTAREA, max_length=2000),),
)
RETURN = Form(
    "returnResolution",
    "ReturnResolutionInput",
    (FormField("reason", "退回理由", FieldType.TEXTAREA, required=True, max_length=2000),),
)
URGE = Form(
    "urgeResolution",
    "UrgeResolutionInput",
    (FormField("opinion", "督办意见", FieldType.TEXTAREA, required=True, max_length=2000),),
)

DUE_CLOCK = ClockSpec(
    name=DUE,
    label="完成时限",
    start_label="会议议定",
    rule_sets=(RuleSet(None, ("assigned_date",)),),
    default_rule="assigned_date",
    alert=AlertPolicy(
        due_soon_days=3,
        escalate_after_days=7,
        recipients=(
            AlertRecipient.liaisons(PartyRole.LEAD, PartyRole.RESPONSIBLE, label="责任单位联络员"),
        ),
        escalation_recipients=(AlertRecipient.office(),),
        wording=DEADLINE_WORDING,
    ),
    runs_in=frozenset({State.IN_PROGRESS}),
)

_L, _R, _O = PartyRole.LEAD, PartyRole.RESPONSIBLE, PartyRole.OFFICE
_RUNNING = [State.IN_PROGRESS]

SPEC = KindSpec(
    kind=CaseKind.RESOLUTION,
    label="议定事项",
    graphql_type="Resolution",
    states=STATE_LABELS,
    initial=State.IN_PROGRESS,
    closed=frozenset({State.DONE}),
    transitions=(
        step(Action.REPORT_PROGRESS, _RUNNING, None, _L, UNIT_STAFF, "报告落实进展", form=REPORT),
        step(Action.REPORT_PROGRESS, _RUNNING, None, _R, UNIT_STAFF, "报告落实进展", form=REPORT),
        step(Action.CLAIM_DONE, _RUNNING, State.PENDING_CHECK, _L, UNIT_STAFF, "申报办结",
             form=CLAIM),
        step(Action.CLAIM_DONE, _RUNNING, State.PENDING_CHECK, _R, UNIT_STAFF, "申报办结",
             unless=frozenset({HAS_LEAD}), form=CLAIM),
        step(Action.ACCEPT, [State.PENDING_CHECK], State.DONE, _O, OFFICE, "核查通过",
             stops=(DUE,), form=ACCEPT),
        step(Action.RETURN, [State.PENDING_CHECK], State.IN_PROGRESS, _O, OFFICE, "退回落实",
             form=RETURN),
        step(Action.URGE, _RUNNING, None, _O, OFFICE, "督办", needs_overdue=DUE, form=URGE,
             bulk=True),
    ),
    columns=(
        Column("IN_PROGRESS", "落实中", frozenset({State.IN_PROGRESS})),
        Column("OVERDUE", "逾期未完成", frozenset({State.IN_PROGRESS}), overdue_clock=DUE),
        Column("PENDING_CHECK", "待核查", frozenset({State.PENDING_CHECK})),
        Column("DONE", "已办结", frozenset({State.DONE})),
    ),
    clocks=(DUE_CLOCK,),
    sees={_L: ALL_STATES, _R: ALL_STATES, PartyRole.ISSUER: ALL_STATES},
    case_no_label="事项编号",
    create_roles=OFFICE,
    author_person=PartyRole.HANDLER,
    party_labels={PartyRole.ISSUER: "督办单位"},
    create_internal=False,  # every party sees a new one arrive
)  # fmt: skip
