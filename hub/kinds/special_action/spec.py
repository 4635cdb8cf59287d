"""专项行动 (the city document §三(四): 开展专项行动) as a kind spec.

A joint action of the procuratorate and member units on one theme (e.g. 黑臭水体整治, 食品安全),
with a period, participating units, progress reports and a closing summary with its figures.

Choices where domain.md leaves one:

- The unit that opens the action leads it (ISSUER, worded 牵头单位): the Linkage Office, a
  prosecutor of the procuratorate or a member unit's liaison may open one. The person who
  opened it is its handler (HANDLER).
- Participating units (PARTICIPANT) see the action from the start, in every state, and each
  reports its own progress while the action runs; the lead unit reports too.
- Only the lead unit (its liaison or leader, or the procuratorate's prosecutors and chief when
  the procuratorate leads) and the Office launch, summarise or cancel it; a cancelled action
  keeps its history.
- No statutory deadline applies; the period's end date is shown, not alerted.
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
    steps_by,
)
from hub.domain.roles import OFFICE_STAFF as OFFICE
from hub.domain.roles import UNIT_STAFF, Role, Side


class State(StrEnum):
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    SUMMARISED = "summarised"
    CANCELLED = "cancelled"


class Action(StrEnum):
    LAUNCH = "launch"
    REPORT_PROGRESS = "report_progress"
    SUMMARISE = "summarise"
    CANCEL = "cancel"


STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        State.PLANNED: "筹备中",
        State.UNDER_WAY: "开展中",
        State.SUMMARISED: "已总结",
        State.CANCELLED: "已取消",
    }
)


CREATE = Form(
    "createSpecialAction",
    "CreateSpecialActionInput",
    (
        FormField(
            "caseNo", "行动编号", required=True, max_length=64, help="如 宿府检专〔2026〕1号"
        ),
        FormField("title", "行动名称", required=True, max_length=200),
        FormField("theme", "行动内容", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("startsOn", "开始日期", FieldType.DATE, required=True),
        FormField("endsOn", "结束日期", FieldType.DATE, required=True),
        FormField("participantUnitIds", "参加单位", FieldType.UNITS, required=True,
                  unit_scope=UnitScope.ANY),
        FormField("internalNote", "内部备注", FieldType.TEXTAREA, max_length=2000,
                  help="仅检察院一方可见"),
    ),
)  # fmt: skip

REPORT = Form(
    "reportSpecialActionProgress",
    "ReportSpecialActionProgressInput",
    (
        FormField("reportedOn", "报告日期", FieldType.DATE, required=True),
        FormField("progress", "进展情况", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField(
            "casesFound", "发现问题（件）", FieldType.INTEGER, min_value=0, max_value=100_000
        ),
    ),
)
SUMMARISE = Form(
    "summariseSpecialAction",
    "SummariseSpecialActionInput",
    (
        FormField("summary", "总结", FieldType.TEXTAREA, required=True, max_length=10_000),
        FormField("casesFound", "发现问题（件）", FieldType.INTEGER, required=True,
                  min_value=0, max_value=100_000),
        FormField("casesRectified", "整改到位（件）", FieldType.INTEGER, required=True,
                  min_value=0, max_value=100_000),
    ),
)  # fmt: skip
CANCEL = Form(
    "cancelSpecialAction",
    "CancelSpecialActionInput",
    (FormField("reason", "取消原因", FieldType.TEXTAREA, required=True, max_length=2000),),
)

_RUNNING = (State.PLANNED, State.UNDER_WAY)
LEAD_OR_OFFICE = ((PartyRole.ISSUER, UNIT_STAFF), (PartyRole.OFFICE, OFFICE))
TAKING_PART = ((PartyRole.PARTICIPANT, UNIT_STAFF), (PartyRole.ISSUER, UNIT_STAFF))

SPEC = KindSpec(
    kind=CaseKind.SPECIAL_ACTION,
    label="专项行动",
    graphql_type="SpecialAction",
    states=STATE_LABELS,
    initial=State.PLANNED,
    closed=frozenset({State.SUMMARISED, State.CANCELLED}),
    transitions=(
        *steps_by(Action.LAUNCH, [State.PLANNED], State.UNDER_WAY, LEAD_OR_OFFICE, "启动行动"),
        *steps_by(
            Action.REPORT_PROGRESS, [State.UNDER_WAY], None, TAKING_PART, "报告进展", form=REPORT
        ),
        *steps_by(
            Action.SUMMARISE,
            [State.UNDER_WAY],
            State.SUMMARISED,
            LEAD_OR_OFFICE,
            "总结结束",
            form=SUMMARISE,
        ),
        *steps_by(
            Action.CANCEL, _RUNNING, State.CANCELLED, LEAD_OR_OFFICE, "取消行动", form=CANCEL
        ),
    ),
    columns=(
        Column("PLANNED", "筹备中", frozenset({State.PLANNED})),
        Column("UNDER_WAY", "开展中", frozenset({State.UNDER_WAY})),
        Column("SUMMARISED", "已总结", frozenset({State.SUMMARISED})),
        Column("CANCELLED", "已取消", frozenset({State.CANCELLED}), collapsed=True),
    ),
    sees={
        PartyRole.ISSUER: ALL_STATES,
        PartyRole.PARTICIPANT: ALL_STATES,
        PartyRole.HANDLER: ALL_STATES,
    },
    draft_states=frozenset({State.PLANNED}),
    case_no_label="行动编号",
    create_roles=frozenset({Role.OFFICE_ADMIN, Role.PROSECUTOR, Role.UNIT_LIAISON}),
    create_sides=frozenset({Side.PROCURATORATE, Side.GOVERNMENT}),
    create_form=CREATE,
    author_person=PartyRole.HANDLER,
    party_labels={PartyRole.ISSUER: "牵头单位"},
    create_internal=False,  # every party sees a new one arrive
)
