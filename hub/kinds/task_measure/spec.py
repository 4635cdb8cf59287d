"""年度重点工作任务清单的一项措施 (domain.md §5.9, D18; the city document §三(五) and its
attachment, ``hub/data/tasklist_2022.json``) as a kind spec.

Each measure of a year's list is one card: its task (任务) and category (类别) are detail
data, its responsible bodies are parties, its deadline (X月底前) a clock ending on the last day
of that month of the list's year, 长期坚持 an ongoing measure without a clock. The list is
imported (``hub tasklist import FILE``) or entered measure by measure by the Office.

Choices where domain.md leaves one:

- Parties: the lead unit (LEAD, 牵头单位) is the body the list marks 牵头, else the first
  responsible body (the Office's create form names it: 牵头单位, then 责任单位); the others are
  RESPONSIBLE (责任单位). 各成员单位 stands for every member
  unit (each a RESPONSIBLE party, no lead); 相关行政执法机关 names no unit and is reported by
  the import and kept as text (``responsible_raw``). The Office (which sits in the
  procuratorate; its unit is the ISSUER party, worded 府检联动办公室) sees every measure; the
  procuratorate's other staff see a measure only when the procuratorate is a lead or
  responsible unit.
- Every responsible unit (its liaison or leader, or the procuratorate's prosecutors and chief)
  starts the measure and reports progress (text, date, evidence); only the lead unit claims
  completion; the Office accepts (takeStep) or returns it with a reason.
- The deadline clock (``due``, rule ``assigned_date``: the date stays as set, not moved off
  rest days) starts on the list's date; a deadline before the list's date (2022 task 2 ②, 4月底
  前, list of 2022-05-10) counts from 1 January of the list's year and is overdue at issuance.
  It counts while the measure is not started or in progress (not while the Office checks a
  claim). Overdue: due-soon reminder 7 days before and the overdue alert to the liaisons of
  the lead and responsible units; escalation to the Office 7 days after the last day.
- A measure that is both dated and ongoing (5月底前完成并长期坚持): its dated part is claimed and
  accepted like any other, then it stays in progress (flag ``milestone_met``) as an ongoing
  measure; a measure that is only ongoing cannot be claimed complete.
- Year-end review (年终评估) by the Office, not before 1 December of the list's year: an ongoing
  measure is carried over (结转下一年度) or closed for the year (本年度办结); a dated measure not
  completed can only be carried over. Its record here is closed.
- Carrying over opens the measure again in the next year's list, in the same step: a new
  measure (its ``source`` this one, so each lists the other) with the same task, category,
  text and lead and responsible units, 长期坚持 (the next year's list may date it again) and not
  started, numbered the way the import numbers that year (``2023-任务05-④``): under its old
  task's number, or, when the next year's list has that number for another task, under the
  task of the same name or the first free number. Refused when that number is taken.
- The year's own list owns the task numbers. Its import maps a measure to a measure carried
  into that year that has its number or the same text: it is not entered again (the report
  lists it; the file's deadline for it is not applied). A carried task moves to the number
  the file (or the Office's entry) gives a task of its name, or, when that number is given
  to another task, past the list's tasks, its measures renumbered (an event ``renumber``,
  调整措施编号); a number held by a task entered with the list is refused before anything
  changes.
- The Office records inspections (督查) and joint supervisory visits (联合督导调研) at any time
  while the measure is open; they do not change its state.
- The board groups the cards of each column by the five categories (``KindSpec.lanes``);
  the viewer may switch the grouping off (按类别分组 / 不分组, the choice kept in the URL).
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
    Lanes,
    PartyRole,
    RuleSet,
    Transition,
    UnitScope,
    choice,
    step,
    steps_by,
)
from hub.domain.roles import OFFICE_STAFF as OFFICE
from hub.domain.roles import UNIT_STAFF, Role, Side


class State(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PENDING_CHECK = "pending_check"
    COMPLETED = "completed"
    CARRIED_OVER = "carried_over"
    CLOSED_FOR_YEAR = "closed_for_year"


class Action(StrEnum):
    START = "start"
    REPORT_PROGRESS = "report_progress"
    CLAIM_COMPLETE = "claim_complete"
    ACCEPT = "accept"
    RETURN = "return_claim"
    INSPECT = "record_inspection"
    JOINT_VISIT = "record_joint_visit"
    CARRY_OVER = "carry_over"
    CLOSE_FOR_YEAR = "close_for_year"


class Category(StrEnum):
    """The five categories of the 2022 list (codes as in the JSON)."""

    REFORM = "reform"
    CONFLICT = "conflict"
    PROJECTS = "projects"
    RISK = "risk"
    INTERESTS = "interests"


CATEGORY_LABELS: Mapping[str, str] = MappingProxyType(
    {
        Category.REFORM: "重大改革推进",
        Category.CONFLICT: "重大矛盾化解",
        Category.PROJECTS: "重大项目建设",
        Category.RISK: "重大风险防控",
        Category.INTERESTS: "重大利益保护",
    }
)

STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        State.NOT_STARTED: "未启动",
        State.IN_PROGRESS: "推进中",
        State.PENDING_CHECK: "待办公室验收",
        State.COMPLETED: "已完成",
        State.CARRIED_OVER: "结转下一年度",
        State.CLOSED_FOR_YEAR: "本年度办结",
    }
)

# Flags: the measure has a deadline / is 长期坚持 / its dated part was accepted.
DATED, ONGOING, MILESTONE_MET = "dated", "ongoing", "milestone_met"
RENUMBER = "renumber"  # the event of a carried measure moved out of its year's list's way

DOERS = (PartyRole.LEAD, PartyRole.RESPONSIBLE)

CREATE = Form(
    "createTaskMeasure",
    "CreateTaskMeasureInput",
    (
        FormField("year", "年度", FieldType.INTEGER, required=True, min_value=2000,
                  max_value=2099),
        FormField("taskNo", "任务序号", FieldType.INTEGER, required=True, min_value=1,
                  max_value=99, help="清单中的第几项任务"),
        FormField("taskTitle", "任务", required=True, max_length=200),
        choice("category", "任务类别", Category, CATEGORY_LABELS),
        FormField("seq", "措施序号", required=True, max_length=8, help="如 ①"),
        FormField("text", "具体措施", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("leadUnitId", "牵头单位", FieldType.UNIT, required=True,
                  unit_scope=UnitScope.ANY),
        FormField("responsibleUnitIds", "责任单位", FieldType.UNITS, unit_scope=UnitScope.ANY,
                  help="牵头单位以外的责任单位"),
        FormField("dueOn", "完成时限", FieldType.DATE, help="如 12月底前 即该年 12 月 31 日"),
        FormField("ongoing", "长期坚持", FieldType.BOOLEAN),
        FormField("deadlineRaw", "时限原文", max_length=64, help="如 5月底前完成并长期坚持"),
    ),
)  # fmt: skip

REPORT = Form(
    "reportTaskMeasureProgress",
    "ReportTaskMeasureProgressInput",
    (
        FormField("reportedOn", "报告日期", FieldType.DATE, required=True),
        FormField("progress", "进展情况", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("evidence", "佐证材料", FieldType.TEXTAREA, max_length=2000,
                  help="文件名称、文号或链接"),
    ),
)  # fmt: skip
CLAIM = Form(
    "claimTaskMeasureComplete",
    "ClaimTaskMeasureCompleteInput",
    (
        FormField("completedOn", "完成日期", FieldType.DATE, required=True),
        FormField("summary", "完成情况", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("evidence", "佐证材料", FieldType.TEXTAREA, required=True, max_length=2000),
    ),
)  # fmt: skip
RETURN = Form(
    "returnTaskMeasureClaim",
    "ReturnTaskMeasureClaimInput",
    (FormField("reason", "退回理由", FieldType.TEXTAREA, required=True, max_length=2000),),
)
INSPECT = Form(
    "recordTaskMeasureInspection",
    "RecordTaskMeasureInspectionInput",
    (
        FormField("heldOn", "督查日期", FieldType.DATE, required=True),
        FormField("findings", "督查情况", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("requirements", "督办意见", FieldType.TEXTAREA, max_length=2000),
    ),
)  # fmt: skip
JOINT_VISIT = Form(
    "recordTaskMeasureJointVisit",
    "RecordTaskMeasureJointVisitInput",
    (
        FormField("heldOn", "调研日期", FieldType.DATE, required=True),
        FormField("participantUnitIds", "参加单位", FieldType.UNITS, unit_scope=UnitScope.ANY),
        FormField("findings", "调研情况", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("requirements", "督办意见", FieldType.TEXTAREA, max_length=2000),
    ),
)  # fmt: skip
YEAR_END = FormField("note", "年终评估意见", FieldType.TEXTAREA, required=True, max_length=2000)
CARRY_OVER = Form("carryOverTaskMeasure", "CarryOverTaskMeasureInput", (YEAR_END,))
CLOSE_FOR_YEAR = Form("closeTaskMeasureForYear", "CloseTaskMeasureForYearInput", (YEAR_END,))

_OPEN = (State.NOT_STARTED, State.IN_PROGRESS, State.PENDING_CHECK)
_WORKING = (State.NOT_STARTED, State.IN_PROGRESS)


def _by_doers(
    action: str, sources: tuple[str, ...], target: str | None, label: str, form: Form
) -> tuple[Transition, ...]:
    """The same step for the lead and for each responsible unit."""
    return steps_by(action, sources, target, ((p, UNIT_STAFF) for p in DOERS), label, form=form)


_TRANSITIONS = (
    *(step(Action.START, [State.NOT_STARTED], State.IN_PROGRESS, p, UNIT_STAFF, "启动")
      for p in DOERS),
    *_by_doers(Action.REPORT_PROGRESS, (State.NOT_STARTED,), State.IN_PROGRESS, "报告进展",
               REPORT),
    *_by_doers(Action.REPORT_PROGRESS, (State.IN_PROGRESS,), None, "报告进展", REPORT),
    step(Action.CLAIM_COMPLETE, [State.IN_PROGRESS], State.PENDING_CHECK, PartyRole.LEAD,
         UNIT_STAFF, "申报完成", form=CLAIM, when=frozenset({DATED}),
         unless=frozenset({MILESTONE_MET})),
    step(Action.ACCEPT, [State.PENDING_CHECK], State.COMPLETED, PartyRole.OFFICE, OFFICE,
         "验收通过", unless=frozenset({ONGOING}), stops=("due",)),
    step(Action.ACCEPT, [State.PENDING_CHECK], State.IN_PROGRESS, PartyRole.OFFICE, OFFICE,
         "验收通过", when=frozenset({ONGOING}), stops=("due",),
         sets=frozenset({MILESTONE_MET})),
    step(Action.RETURN, [State.PENDING_CHECK], State.IN_PROGRESS, PartyRole.OFFICE, OFFICE,
         "退回", form=RETURN),
    step(Action.INSPECT, _OPEN, None, PartyRole.OFFICE, OFFICE, "记录督查", form=INSPECT),
    step(Action.JOINT_VISIT, _OPEN, None, PartyRole.OFFICE, OFFICE, "记录联合督导调研",
         form=JOINT_VISIT),
    step(Action.CARRY_OVER, _WORKING, State.CARRIED_OVER, PartyRole.OFFICE, OFFICE,
         "结转下一年度", form=CARRY_OVER, stops=("due",)),
    step(Action.CLOSE_FOR_YEAR, _WORKING, State.CLOSED_FOR_YEAR, PartyRole.OFFICE, OFFICE,
         "本年度办结", form=CLOSE_FOR_YEAR, when=frozenset({ONGOING}), stops=("due",)),
)  # fmt: skip

DUE = ClockSpec(
    name="due",
    label="完成时限",
    start_label="清单印发",
    rule_sets=(RuleSet(None, ("assigned_date",)),),
    default_rule="assigned_date",
    alert=AlertPolicy(
        due_soon_days=7,
        escalate_after_days=7,
        recipients=(AlertRecipient.liaisons(PartyRole.LEAD, PartyRole.RESPONSIBLE),),
        escalation_recipients=(AlertRecipient.office(),),
        wording=DEADLINE_WORDING,
    ),
    due_soon_days=14,
    runs_in=frozenset(_WORKING),
)

SPEC = KindSpec(
    kind=CaseKind.TASK_MEASURE,
    label="重点工作任务",
    graphql_type="TaskMeasure",
    states=STATE_LABELS,
    initial=State.NOT_STARTED,
    closed=frozenset({State.COMPLETED, State.CARRIED_OVER, State.CLOSED_FOR_YEAR}),
    transitions=_TRANSITIONS,
    columns=(
        Column("NOT_STARTED", "未启动", frozenset({State.NOT_STARTED})),
        Column("IN_PROGRESS", "推进中", frozenset({State.IN_PROGRESS})),
        Column("OVERDUE", "已逾期", frozenset(_WORKING), overdue_clock="due"),
        Column("PENDING_CHECK", "待验收", frozenset({State.PENDING_CHECK})),
        Column("COMPLETED", "已完成", frozenset({State.COMPLETED})),
        Column("CARRIED_OVER", "结转下一年度", frozenset({State.CARRIED_OVER}), collapsed=True),
        Column("CLOSED_FOR_YEAR", "本年度办结", frozenset({State.CLOSED_FOR_YEAR}),
               collapsed=True),
    ),
    clocks=(DUE,),
    sees={PartyRole.LEAD: ALL_STATES, PartyRole.RESPONSIBLE: ALL_STATES},
    case_no_label="措施编号",
    case_no_field="seq",
    create_roles=frozenset({Role.OFFICE_ADMIN}),
    create_sides=frozenset({Side.PROCURATORATE}),
    create_form=CREATE,
    author_person=None,
    party_labels={PartyRole.ISSUER: "府检联动办公室"},
    action_labels={"create": "列入任务清单", RENUMBER: "调整措施编号"},
    lanes=Lanes("任务类别", CATEGORY_LABELS, switch="按类别分组"),
    create_internal=False,
)  # fmt: skip
