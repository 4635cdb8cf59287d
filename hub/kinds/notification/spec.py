"""通报事项 (the city document §三(二): 成员单位向市检察院、市检察院向成员单位通报、交流的事项)
as a kind spec (domain.md §5.7, K7).

An item goes from a unit (ISSUER, worded 通报单位) to one or more recipient units (RECIPIENT)
through the Linkage Office, which delivers it (转送); each recipient acknowledges (签收) on
its own, and the item is 已签收 once every recipient has.

Choices where domain.md leaves one:

- The category is one of the seed's 14 (8 government→procuratorate, 6 procuratorate→
  government); a government unit may only choose a government→procuratorate category and the
  procuratorate only a procuratorate→government one. A government→procuratorate item must name
  the procuratorate among its recipients (other member units may be added); a procuratorate→
  government item goes to government units only. The issuing unit is never its own recipient.
- Who writes an item: a member unit's liaison or leader, a prosecutor, the chief or the
  Office; the author is its handler (HANDLER). The Office may return a submitted item for
  revision, and may add recipients when it delivers.
- Recipients see an item from its delivery on (not the draft, not before the Office routes it).
- Each recipient acknowledges once (the engine's ``unless_party``: an acknowledging unit also
  becomes a RESPONDED party, worded 已签收单位); the per-recipient records show who has and has
  not. No statutory period applies to the acknowledgement: none is alerted.
- Periodic reports: only the recurring categories (两法衔接, 行政复议受理办理, 诉前检察建议落实,
  行政公益诉讼工作, 行政检察工作, 检察建议整改反馈) may be given a period (按月 / 按季度) and the
  period they report on (所属期). Submitting such an item starts its 下期报送期限 clock, which
  ends on the last day of the following period (rule ``assigned_date``, not moved off rest
  days). Submitting the next period's item of the same unit and category stops the earlier
  item's clock (recorded as a step on it); if it is not submitted by then, the earlier item
  goes to the board's 下期逾期未报 column and the issuing unit's liaisons and the handler are
  alerted, then the Office. The issuer or the Office may end a schedule (停止定期报送).
- A submitted item may be withdrawn by its issuer until the Office delivers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from hub.domain.kinds import (
    ALL_STATES,
    COMMENT,
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
from hub.domain.roles import UNIT_STAFF as ROLES_OF_UNITS
from hub.domain.roles import Side


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return_for_revision"
    DELIVER = "deliver"
    ACKNOWLEDGE = "acknowledge"
    ARCHIVE = "archive"
    END_SCHEDULE = "end_schedule"
    WITHDRAW = "withdraw"
    NEXT_SUBMITTED = "next_submitted"  # recorded on an item when its successor is submitted


class Direction(StrEnum):
    TO_PROCURATORATE = "to_procuratorate"
    TO_GOVERNMENT = "to_government"


DIRECTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        Direction.TO_PROCURATORATE: "成员单位向市检察院通报",
        Direction.TO_GOVERNMENT: "市检察院向成员单位通报",
    }
)


class Category(StrEnum):
    GOV_RULE_OF_LAW = "gov_rule_of_law"
    GOV_NORMATIVE_DOCS = "gov_normative_docs"
    GOV_TWO_LAWS = "gov_two_laws"
    GOV_RECONSIDERATION = "gov_reconsideration"
    GOV_LITIGATION_PROBLEMS = "gov_litigation_problems"
    GOV_COMMON_PROBLEMS = "gov_common_problems"
    GOV_PIL_RECOMMENDATIONS = "gov_pil_recommendations"
    GOV_OTHER = "gov_other"
    PROC_PIL = "proc_pil"
    PROC_ADMIN_PROCURATORIAL = "proc_admin_procuratorial"
    PROC_RECTIFICATION = "proc_rectification"
    PROC_COMMON_PROBLEMS = "proc_common_problems"
    PROC_ENFORCEMENT_OPINIONS = "proc_enforcement_opinions"
    PROC_OTHER = "proc_other"


# The seed's wording of each category, in its order (宿政秘〔2022〕31号 §三(二)).
CATEGORY_TEXT: Mapping[str, str] = MappingProxyType({
    Category.GOV_RULE_OF_LAW: "推进法治政府建设工作部署及依法行政工作的重要事项和重大举措",
    Category.GOV_NORMATIVE_DOCS: "新颁布的与司法相关的行政规范性文件",
    Category.GOV_TWO_LAWS: "行政执法与刑事司法衔接相关情况",
    Category.GOV_RECONSIDERATION: "行政复议案件受理、办理情况",
    Category.GOV_LITIGATION_PROBLEMS: "行政机关在行政诉讼和非诉行政执行工作中存在的问题",
    Category.GOV_COMMON_PROBLEMS:
        "在行政执法或行政复议过程中发现行政行为存在的普遍或突出问题，以及有关新情况、新问题",
    Category.GOV_PIL_RECOMMENDATIONS:
        "行政公益诉讼诉前检察建议落实情况，以及是否存在引发行政争议风险等情况",
    Category.GOV_OTHER: "其他需要及时沟通、交流的事项",
    Category.PROC_PIL: "行政公益诉讼工作相关情况",
    Category.PROC_ADMIN_PROCURATORIAL: "行政检察工作相关情况，包括行政检察与行政执法衔接情况",
    Category.PROC_RECTIFICATION: "行政机关对检察建议的整改落实和反馈情况",
    Category.PROC_COMMON_PROBLEMS: "开展法律监督工作中发现的行政行为存在的普遍性或突出问题",
    Category.PROC_ENFORCEMENT_OPINIONS: "结合司法办案对行政执法工作的意见和建议",
    Category.PROC_OTHER: "其他需要及时沟通、交流的事项",
})  # fmt: skip


def direction_of(category: Category) -> Direction:
    gov = category.value.startswith("gov_")
    return Direction.TO_PROCURATORATE if gov else Direction.TO_GOVERNMENT


def _category_label(category: Category, n: int) -> str:
    side = "政府→检察" if direction_of(category) is Direction.TO_PROCURATORATE else "检察→政府"
    return f"〔{side}〕{n}. {CATEGORY_TEXT[category]}"


CATEGORY_LABELS: Mapping[str, str] = MappingProxyType({
    c.value: _category_label(c, n)
    for group in (list(Category)[:8], list(Category)[8:])
    for n, c in enumerate(group, start=1)
})  # fmt: skip

RECURRING = frozenset({
    Category.GOV_TWO_LAWS, Category.GOV_RECONSIDERATION, Category.GOV_PIL_RECOMMENDATIONS,
    Category.PROC_PIL, Category.PROC_ADMIN_PROCURATORIAL, Category.PROC_RECTIFICATION,
})  # fmt: skip


class Period(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


PERIOD_LABELS: Mapping[str, str] = MappingProxyType(
    {Period.MONTHLY: "按月报送", Period.QUARTERLY: "按季度报送"}
)

STATE_LABELS: Mapping[str, str] = MappingProxyType({
    State.DRAFT: "草稿", State.SUBMITTED: "待办公室转送", State.DELIVERED: "待签收",
    State.ACKNOWLEDGED: "已签收", State.ARCHIVED: "已归档", State.WITHDRAWN: "已撤回",
})  # fmt: skip

UNIT_STAFF = ROLES_OF_UNITS | OFFICE  # the Office may also act for its own unit here
NEXT_REPORT = "next_report"
RECURRING_FLAG = "recurring"
SCHEDULE_CLOSED = "schedule_closed"

CREATE = Form(
    "createNotification",
    "CreateNotificationInput",
    (
        FormField(
            "caseNo", "通报编号", required=True, max_length=64, help="如 宿府检通〔2026〕1号"
        ),
        FormField("title", "标题", required=True, max_length=200),
        choice("category", "通报类别", Category, CATEGORY_LABELS),
        FormField("recipientUnitIds", "接收单位", FieldType.UNITS, required=True,
                  unit_scope=UnitScope.ANY, help="成员单位通报须包含市人民检察院"),
        FormField("body", "通报内容", FieldType.TEXTAREA, required=True, max_length=10_000),
        choice("period", "报送周期", Period, PERIOD_LABELS, required=False,
               help="仅定期通报的类别可选；不选为不定期"),
        FormField("periodOf", "所属期", FieldType.DATE,
                  help="定期通报所报告的月份或季度内的任一日期（如 2026-10-01）"),
    ),
)  # fmt: skip
SUBMIT = Form("submitNotification", "SubmitNotificationInput", (COMMENT,))
DELIVER = Form(
    "deliverNotification",
    "DeliverNotificationInput",
    (
        FormField("addRecipientUnitIds", "增加接收单位", FieldType.UNITS,
                  unit_scope=UnitScope.ANY, help="办公室可增加接收单位；不选则按通报单位所列"),
        FormField("officeNote", "办公室意见", FieldType.TEXTAREA, max_length=2000),
    ),
)  # fmt: skip
ACKNOWLEDGE = Form(
    "acknowledgeNotification",
    "AcknowledgeNotificationInput",
    (FormField("note", "签收意见", FieldType.TEXTAREA, max_length=2000),),
)

_SENT = (State.SUBMITTED, State.DELIVERED, State.ACKNOWLEDGED, State.ARCHIVED)

SPEC = KindSpec(
    kind=CaseKind.NOTIFICATION,
    label="通报事项",
    graphql_type="Notification",
    states=STATE_LABELS,
    initial=State.DRAFT,
    closed=frozenset({State.ARCHIVED, State.WITHDRAWN}),
    transitions=(
        step(
            Action.SUBMIT,
            [State.DRAFT],
            State.SUBMITTED,
            PartyRole.ISSUER,
            UNIT_STAFF,
            "报送办公室",
            form=SUBMIT,
        ),
        step(Action.RETURN, [State.SUBMITTED], State.DRAFT, PartyRole.OFFICE, OFFICE, "退回修改"),
        step(
            Action.DELIVER,
            [State.SUBMITTED],
            State.DELIVERED,
            PartyRole.OFFICE,
            OFFICE,
            "转送接收单位",
            form=DELIVER,
        ),
        step(
            Action.ACKNOWLEDGE,
            [State.DELIVERED],
            None,
            PartyRole.RECIPIENT,
            UNIT_STAFF,
            "签收",
            form=ACKNOWLEDGE,
            unless_party=PartyRole.RESPONDED,
            outcomes=frozenset({State.ACKNOWLEDGED}),
        ),
        step(
            Action.ARCHIVE,
            [State.ACKNOWLEDGED],
            State.ARCHIVED,
            PartyRole.ISSUER,
            UNIT_STAFF,
            "归档",
        ),
        step(
            Action.ARCHIVE, [State.ACKNOWLEDGED], State.ARCHIVED, PartyRole.OFFICE, OFFICE, "归档"
        ),
        step(
            Action.END_SCHEDULE,
            _SENT,
            None,
            PartyRole.ISSUER,
            UNIT_STAFF,
            "停止定期报送",
            when=frozenset({RECURRING_FLAG}),
            unless=frozenset({SCHEDULE_CLOSED}),
            stops=(NEXT_REPORT,),
            sets=frozenset({SCHEDULE_CLOSED}),
        ),
        step(
            Action.END_SCHEDULE,
            _SENT,
            None,
            PartyRole.OFFICE,
            OFFICE,
            "停止定期报送",
            when=frozenset({RECURRING_FLAG}),
            unless=frozenset({SCHEDULE_CLOSED}),
            stops=(NEXT_REPORT,),
            sets=frozenset({SCHEDULE_CLOSED}),
        ),
        step(
            Action.WITHDRAW,
            [State.DRAFT, State.SUBMITTED],
            State.WITHDRAWN,
            PartyRole.ISSUER,
            UNIT_STAFF,
            "撤回",
            stops=(NEXT_REPORT,),
        ),
    ),
    columns=(
        Column("DRAFT", "草稿", frozenset({State.DRAFT})),
        Column("SUBMITTED", "待办公室转送", frozenset({State.SUBMITTED})),
        Column("DELIVERED", "待签收", frozenset({State.DELIVERED})),
        Column("ACKNOWLEDGED", "已签收", frozenset({State.ACKNOWLEDGED})),
        Column("NEXT_OVERDUE", "下期逾期未报", frozenset(_SENT), overdue_clock=NEXT_REPORT),
        Column("ARCHIVED", "已归档", frozenset({State.ARCHIVED}), collapsed=True),
        Column("WITHDRAWN", "已撤回", frozenset({State.WITHDRAWN}), collapsed=True),
    ),
    clocks=(
        ClockSpec(
            NEXT_REPORT,
            "下期报送期限",
            "本期报送",
            (RuleSet(None, ("assigned_date",)),),
            "assigned_date",
            alert=AlertPolicy(
                due_soon_days=3,
                escalate_after_days=5,
                recipients=(
                    AlertRecipient.liaisons(PartyRole.ISSUER, label="通报单位联络员"),
                    AlertRecipient.person(PartyRole.HANDLER),
                ),
                escalation_recipients=(AlertRecipient.office(),),
                wording=DEADLINE_WORDING,
            ),
            due_soon_days=5,
            runs_in=frozenset(_SENT),
        ),
    ),
    sees={
        PartyRole.ISSUER: ALL_STATES,
        PartyRole.HANDLER: ALL_STATES,
        PartyRole.RECIPIENT: frozenset({State.DELIVERED, State.ACKNOWLEDGED, State.ARCHIVED}),
    },
    draft_states=frozenset({State.DRAFT}),
    case_no_label="通报编号",
    create_roles=UNIT_STAFF,
    create_sides=frozenset({Side.PROCURATORATE, Side.GOVERNMENT}),
    create_form=CREATE,
    author_person=PartyRole.HANDLER,
    party_labels={PartyRole.ISSUER: "通报单位", PartyRole.RESPONDED: "已签收单位"},
    action_labels={Action.NEXT_SUBMITTED: "下期通报已报送"},
)
