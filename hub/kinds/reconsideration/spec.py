"""行政复议陪议 / 旁听 (domain.md §5.4, D15; the city document's task 4) as a kind spec.

The reconsideration body (市司法局 as 行政复议机构) invites the procuratorate to take part in a
reconsideration case; the chief accepts (choosing 陪议 or 旁听) or declines, then assigns the
prosecutor who attends, gives a written opinion when co-deliberating, and the body records the
result of its decision. The 60-day decision clock (行政复议法第六十二条, extendable by at most
30 days through the generic 延长 step) runs from the acceptance date the invitation gives.

Choices where domain.md leaves one (no public rule on 陪议 was found, §10):

- A government unit's liaison or leader opens the invitation; their unit is the inviting body
  (ISSUER, worded 复议机构) and the city's procuratorate is added as the invited party
  (RECIPIENT, worded 受邀检察院). The Linkage Office sees it as it sees every case; it does
  not route it (the invitation goes straight to the procuratorate).
- Both parties see the case in every state; the respondent agency is named in the invitation
  (text), not made a party: the participation is between the body and the procuratorate.
- The chief (PROCURATOR_APPROVER) accepts with the mode, or declines with a reason; then, as
  domain.md's lifecycle has it, assigns (指派) one of the procuratorate's active prosecutors
  (a USER field: the form offers exactly them). The one assigned becomes the case's
  HANDLING_PROSECUTOR; only they attend and give the opinion. While the case is open the chief
  may reassign it (改派) to another prosecutor, who replaces the previous one. (Before this a
  prosecutor took the case on themselves, 承办; those events keep their label.)
- A written opinion is required before the result when the mode is 陪议 and not offered for
  旁听. The result is recorded by the body (or by the handling prosecutor from its document):
  调解书 (Art. 73), 和解后撤回 (Art. 74) or a 复议决定 (Art. 62ff) with its type.
- The decision clock starts when the invitation is opened, from the 受理日期 it states, and
  stops when the result is recorded or the invitation declined; it alerts the body's liaisons
  (who owe the decision) and, once assigned, the handling prosecutor. Only the body extends it.
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
    ClockOp,
    ClockSpec,
    Column,
    FieldType,
    Form,
    FormField,
    KindSpec,
    PartyRole,
    RuleSet,
    choice,
    step,
    user_choice,
)
from hub.domain.roles import Role, Side


class State(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ASSIGNED = "assigned"
    ATTENDED = "attended"
    OPINION_GIVEN = "opinion_given"
    CLOSED = "closed"


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    ASSIGN = "assign"
    REASSIGN = "reassign"
    ATTEND = "attend"
    SUBMIT_OPINION = "submit_opinion"
    RECORD_RESULT = "record_result"
    EXTEND_DECISION = "extend_decision"


class Mode(StrEnum):
    CO_DELIBERATION = "co_deliberation"  # 陪议
    OBSERVATION = "observation"  # 旁听


MODE_LABELS: Mapping[str, str] = MappingProxyType(
    {Mode.CO_DELIBERATION: "陪议", Mode.OBSERVATION: "旁听"}
)


class SessionKind(StrEnum):
    HEARING = "hearing"  # 听证 (Art. 50–51)
    DELIBERATION = "deliberation"  # 案件审理 / 合议
    MEDIATION = "mediation"  # 调解


SESSION_LABELS: Mapping[str, str] = MappingProxyType(
    {SessionKind.HEARING: "听证", SessionKind.DELIBERATION: "审理合议",
     SessionKind.MEDIATION: "调解"}
)  # fmt: skip


class Result(StrEnum):
    MEDIATION = "mediation"  # 调解书 (Art. 73)
    SETTLEMENT_WITHDRAWN = "settlement_withdrawn"  # 和解后撤回申请 (Art. 74)
    DECISION = "decision"  # 行政复议决定 (Art. 62ff)


RESULT_LABELS: Mapping[str, str] = MappingProxyType(
    {Result.MEDIATION: "调解结案（行政复议调解书）", Result.SETTLEMENT_WITHDRAWN: "和解后撤回申请",
     Result.DECISION: "作出行政复议决定"}
)  # fmt: skip


class DecisionType(StrEnum):
    UPHOLD = "uphold"  # 维持
    REVOKE = "revoke"  # 撤销
    CHANGE = "change"  # 变更
    CONFIRM_ILLEGAL = "confirm_illegal"  # 确认违法
    ORDER_PERFORMANCE = "order_performance"  # 责令履行
    DISMISS = "dismiss"  # 驳回


DECISION_LABELS: Mapping[str, str] = MappingProxyType(
    {DecisionType.UPHOLD: "维持", DecisionType.REVOKE: "撤销", DecisionType.CHANGE: "变更",
     DecisionType.CONFIRM_ILLEGAL: "确认违法", DecisionType.ORDER_PERFORMANCE: "责令履行",
     DecisionType.DISMISS: "驳回复议请求"}
)  # fmt: skip

S, R, P = State, Role, PartyRole
CO_DELIBERATION = "co_deliberation"  # the case flag of 陪议
DECISION = "decision"
BODY = frozenset({R.UNIT_LIAISON, R.UNIT_LEADER})
STATE_LABELS: Mapping[str, str] = MappingProxyType({
    S.INVITED: "待答复邀请", S.ACCEPTED: "已接受待指派", S.DECLINED: "已婉拒",
    S.ASSIGNED: "已指派检察官",
    S.ATTENDED: "已参加", S.OPINION_GIVEN: "已提出书面意见", S.CLOSED: "已记录复议结果",
})  # fmt: skip


def _text(name: str, label: str, required: bool = True) -> FormField:
    return FormField(name, label, FieldType.TEXTAREA, required, max_length=5000)


CREATE = Form("createReconsideration", "CreateReconsiderationInput", (
    FormField("caseNo", "邀请函编号", required=True, max_length=64, help="如 宿司复邀〔2026〕5号"),
    FormField("title", "复议案件名称", required=True, max_length=200),
    FormField("reconsiderationNo", "行政复议案号", required=True, max_length=64),
    FormField("applicant", "申请人", required=True, max_length=200),
    FormField("respondent", "被申请人", required=True, max_length=200),
    _text("matter", "复议事项与请求"),
    FormField("acceptedOn", "受理日期", FieldType.DATE, required=True,
              help="行政复议机关自受理申请之日起60日内作出决定"),
    FormField("sessionAt", "拟定审理或听证时间", FieldType.DATETIME),
    choice("requestedMode", "邀请方式", Mode, MODE_LABELS),
    _text("internalNote", "内部备注", required=False),
))  # fmt: skip
ACCEPT = Form("acceptReconsiderationInvitation", "AcceptReconsiderationInvitationInput",
              (choice("mode", "参与方式", Mode, MODE_LABELS),))  # fmt: skip
DECLINE = Form("declineReconsiderationInvitation", "DeclineReconsiderationInvitationInput",
               (_text("reason", "婉拒理由"),))  # fmt: skip


def _assign_form(mutation: str, help: str) -> Form:
    prosecutor = user_choice("prosecutor", "承办检察官", [Role.PROSECUTOR], help=help)
    return Form(mutation, f"{mutation[0].upper()}{mutation[1:]}Input", (prosecutor, COMMENT))


ASSIGN = _assign_form("assignReconsiderationProsecutor",
                      "被指派的检察官参加审理或听证；陪议的还须提出书面意见")  # fmt: skip
REASSIGN = _assign_form("reassignReconsiderationProsecutor", "改由其承办，原承办检察官不再承办")
ATTEND = Form("attendReconsideration", "AttendReconsiderationInput", (
    FormField("attendedAt", "参加时间", FieldType.DATETIME, required=True),
    choice("sessionKind", "参加的程序", SessionKind, SESSION_LABELS),
    _text("notes", "参加情况", required=False),
))  # fmt: skip
OPINION = Form("submitReconsiderationOpinion", "SubmitReconsiderationOpinionInput", (
    FormField("submittedOn", "提出日期", FieldType.DATE, required=True),
    _text("opinion", "书面意见"),
))  # fmt: skip
RESULT = Form("recordReconsiderationResult", "RecordReconsiderationResultInput", (
    choice("result", "复议结果", Result, RESULT_LABELS),
    choice("decisionType", "复议决定类型", DecisionType, DECISION_LABELS, required=False,
           help="结果为“作出行政复议决定”时必填"),
    FormField("decidedOn", "决定（调解、撤回）日期", FieldType.DATE, required=True),
    FormField("documentNo", "文书编号", max_length=64),
    _text("summary", "结果摘要"),
))  # fmt: skip
EXTEND = Form("adjustClock", "AdjustClockInput", (
    FormField("on", "批准延长日期", FieldType.DATE, required=True),
    FormField("reason", "延长理由", FieldType.TEXTAREA, required=True, max_length=2000,
              help="情况复杂，经行政复议机构负责人批准"),
    FormField("period", "延长期间", FieldType.PERIOD, required=True, help="最多不得超过30日"),
))  # fmt: skip

PROC = frozenset({R.PROSECUTOR})
CHIEF = frozenset({R.PROCURATOR_APPROVER})
HP, ISSUER, RECIPIENT = P.HANDLING_PROSECUTOR, P.ISSUER, P.RECIPIENT
_RUNNING = frozenset(S) - {S.DECLINED, S.CLOSED}
TRANSITIONS = (
    step(Action.ACCEPT, [S.INVITED], S.ACCEPTED, RECIPIENT, [R.PROCURATOR_APPROVER], "接受邀请",
         form=ACCEPT),
    step(Action.DECLINE, [S.INVITED], S.DECLINED, RECIPIENT, [R.PROCURATOR_APPROVER], "婉拒邀请",
         stops=(DECISION,), form=DECLINE),
    step(Action.ASSIGN, [S.ACCEPTED], S.ASSIGNED, RECIPIENT, CHIEF, "指派检察官", form=ASSIGN),
    step(Action.REASSIGN, [S.ASSIGNED, S.ATTENDED, S.OPINION_GIVEN], None, RECIPIENT, CHIEF,
         "改派检察官", form=REASSIGN),
    step(Action.ATTEND, [S.ASSIGNED], S.ATTENDED, HP, PROC, "记录参加情况", form=ATTEND),
    step(Action.SUBMIT_OPINION, [S.ATTENDED], S.OPINION_GIVEN, HP, PROC, "提出书面意见",
         when=frozenset({CO_DELIBERATION}), form=OPINION),
    step(Action.RECORD_RESULT, [S.ATTENDED], S.CLOSED, ISSUER, BODY, "记录复议结果",
         unless=frozenset({CO_DELIBERATION}), stops=(DECISION,), form=RESULT),
    step(Action.RECORD_RESULT, [S.ATTENDED], S.CLOSED, HP, PROC, "记录复议结果",
         unless=frozenset({CO_DELIBERATION}), stops=(DECISION,), form=RESULT),
    step(Action.RECORD_RESULT, [S.OPINION_GIVEN], S.CLOSED, ISSUER, BODY, "记录复议结果",
         stops=(DECISION,), form=RESULT),
    step(Action.RECORD_RESULT, [S.OPINION_GIVEN], S.CLOSED, HP, PROC, "记录复议结果",
         stops=(DECISION,), form=RESULT),
    step(Action.EXTEND_DECISION, _RUNNING, None, ISSUER, BODY, "延长复议决定期限",
         clock_op=ClockOp.EXTEND, clock=DECISION, form=EXTEND),
)  # fmt: skip

CLOCK = ClockSpec(
    DECISION, "复议决定期限", "受理", (RuleSet(None, ("fy_decision_60d",)),), "fy_decision_60d",
    alert=AlertPolicy(
        due_soon_days=7, escalate_after_days=None, escalation_recipients=(),
        recipients=(AlertRecipient.liaisons(ISSUER), AlertRecipient.person(HP)),
        wording=DEADLINE_WORDING,
    ),
    extendable=True, due_soon_days=10,
)  # fmt: skip

SPEC = KindSpec(
    kind=CaseKind.RECONSIDERATION,
    label="行政复议陪议旁听",
    graphql_type="Reconsideration",
    states=STATE_LABELS,
    initial=S.INVITED,
    closed=frozenset({S.DECLINED, S.CLOSED}),
    transitions=TRANSITIONS,
    columns=(
        Column("INVITED", "待答复邀请", frozenset({S.INVITED})),
        Column("ACCEPTED", "已接受待指派", frozenset({S.ACCEPTED})),
        Column("ASSIGNED", "待参加", frozenset({S.ASSIGNED})),
        Column("ATTENDED", "已参加", frozenset({S.ATTENDED, S.OPINION_GIVEN})),
        Column(
            "OVERDUE",
            "复议决定逾期",
            frozenset({S.ATTENDED, S.OPINION_GIVEN, S.ASSIGNED, S.ACCEPTED}),
            overdue_clock=DECISION,
        ),
        Column("CLOSED", "已记录结果", frozenset({S.CLOSED})),
        Column("DECLINED", "已婉拒", frozenset({S.DECLINED}), collapsed=True),
    ),
    clocks=(CLOCK,),
    sees={ISSUER: ALL_STATES, RECIPIENT: ALL_STATES, HP: ALL_STATES, P.HANDLER: ALL_STATES},
    case_no_label="邀请函编号",
    create_roles=BODY,
    create_sides=frozenset({Side.GOVERNMENT}),
    create_form=CREATE,
    author_person=P.HANDLER,
    party_labels={ISSUER: "复议机构", RECIPIENT: "受邀检察院", P.HANDLER: "复议机构承办人"},
    draft_states=frozenset({S.INVITED}),
    action_labels={"take_on": "承办"},  # a prosecutor's taking it on, before assignment
)
