"""Substantive resolution of administrative disputes (行政争议实质性化解, domain.md §5.3).

Choices where domain.md leaves one, as a procuratorate would expect them:

- 受理 is a decision of the procuratorate, not of one prosecutor: the handling prosecutor
  registers the dispute (登记, editable while in intake) and submits it with their opinion; the
  chief (检察长) accepts it, decides not to accept it (不予受理, with reasons) or returns it for
  revision, after which its author edits it again.
- 调查核实 records (date, method, finding), 公开听证 (scheduled, then its result recorded; public
  or not), the 化解方案, 司法救助 applications, the decision that a dispute is resolved and the
  follow-up check are the handling prosecutor's (that one person). Deciding 司法救助 and
  终结审查 is the chief's: the prosecutor declares a dispute not resolved with reasons, the chief
  terminates the review or sends it back to be worked on.
- The respondent agency (the unit whose act is disputed) sees the dispute once accepted and
  never its intake or a rejection; 司法救助 steps and amounts are internal (aid to an applicant
  in hardship is the procuratorate's business). The agency's liaison may submit its materials
  and confirm the resolution plan. The applicants are not users of the hub.
- Resolving starts the 30-day follow-up clock from the resolution date; closing records the
  follow-up: performed closes the case, not performed sends it back to mediation (the clock
  stops and starts again at the next resolution). The overdue column is derived from it.
- A dispute may spawn a recommendation (检察建议, not the public-interest type) addressed to the
  respondent agency, a draft on its own lifecycle linked by ``source_id``; the outcome
  制发检察建议化解 needs one (a case flag), 司法救助化解 an approved aid. While an aid
  application awaits the chief, the dispute is neither resolved nor declared not resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

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
    KindGroup,
    KindSpec,
    Option,
    PartyRole,
    RuleSet,
    step,
)
from hub.domain.roles import Role
from hub.kinds.recommendation.spec import TYPE_LABELS, RecommendationType


class State(StrEnum):
    INTAKE = "intake"
    PENDING_ACCEPTANCE = "pending_acceptance"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    INVESTIGATING = "investigating"
    HEARING = "hearing"
    MEDIATING = "mediating"
    NOT_RESOLVED = "not_resolved"
    RESOLVED = "resolved"
    CLOSED_RESOLVED = "closed_resolved"
    CLOSED_TERMINATED = "closed_terminated"


class Action(StrEnum):
    SUBMIT_FOR_ACCEPTANCE = "submit_for_acceptance"
    ACCEPT = "accept"
    REJECT = "reject"
    RETURN_FOR_REVISION = "return_for_revision"
    RECORD_INVESTIGATION = "record_investigation"
    SUBMIT_MATERIALS = "submit_materials"
    SCHEDULE_HEARING = "schedule_hearing"
    RECORD_HEARING = "record_hearing"
    PROPOSE_PLAN = "propose_plan"
    CONFIRM_PLAN = "confirm_plan"
    APPLY_JUDICIAL_AID = "apply_judicial_aid"
    APPROVE_JUDICIAL_AID = "approve_judicial_aid"
    DENY_JUDICIAL_AID = "deny_judicial_aid"
    RECORD_AID_PAYMENT = "record_aid_payment"
    ISSUE_RECOMMENDATION = "issue_recommendation"
    RESOLVE = "resolve"
    DECLARE_NOT_RESOLVED = "declare_not_resolved"
    TERMINATE = "terminate"
    RESUME_RESOLUTION = "resume_resolution"
    CLOSE_AFTER_FOLLOW_UP = "close_after_follow_up"
    REOPEN_MEDIATION = "reopen_mediation"


class Stage(StrEnum):
    """Where the dispute stands in the legal process when the procuratorate takes it up."""

    RECONSIDERATION = "reconsideration"  # 复议
    LITIGATION = "litigation"  # 诉讼
    JUDGMENT_SUPERVISION = "judgment_supervision"  # 生效裁判监督
    PRE_LITIGATION = "pre_litigation"  # 诉前
    PETITION = "petition"  # 信访


STAGE_LABELS = MappingProxyType(
    {
        Stage.RECONSIDERATION: "行政复议",
        Stage.LITIGATION: "行政诉讼",
        Stage.JUDGMENT_SUPERVISION: "生效裁判监督",
        Stage.PRE_LITIGATION: "诉前",
        Stage.PETITION: "信访",
    }
)


class ActType(StrEnum):
    """The kind of administrative act the dispute is about."""

    APPROVAL = "approval"  # 行政审批
    LICENSING = "licensing"  # 行政许可
    AGREEMENT = "agreement"  # 行政协议
    PENALTY = "penalty"  # 行政处罚
    EXPROPRIATION = "expropriation"  # 征收
    REGISTRATION = "registration"  # 登记
    OTHER = "other"


ACT_TYPE_LABELS = MappingProxyType(
    {
        ActType.APPROVAL: "行政审批",
        ActType.LICENSING: "行政许可",
        ActType.AGREEMENT: "行政协议",
        ActType.PENALTY: "行政处罚",
        ActType.EXPROPRIATION: "征收",
        ActType.REGISTRATION: "登记",
        ActType.OTHER: "其他",
    }
)


class RiskLevel(StrEnum):
    """The petition risk (信访风险) the prosecutor assesses."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_LABELS = MappingProxyType({RiskLevel.LOW: "低", RiskLevel.MEDIUM: "中", RiskLevel.HIGH: "高"})


class ApplicantKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


APPLICANT_KIND_LABELS = MappingProxyType(
    {ApplicantKind.PERSON: "自然人", ApplicantKind.ORGANISATION: "法人或其他组织"}
)


class InvestigationMethod(StrEnum):
    FILE_REVIEW = "file_review"  # 查阅、调取卷宗
    INTERVIEW = "interview"  # 询问当事人
    AGENCY_INQUIRY = "agency_inquiry"  # 向行政机关了解情况
    SITE_VISIT = "site_visit"  # 现场走访、勘查
    EXPERT = "expert"  # 咨询专业人员
    OTHER = "other"


METHOD_LABELS = MappingProxyType(
    {
        InvestigationMethod.FILE_REVIEW: "查阅、调取卷宗",
        InvestigationMethod.INTERVIEW: "询问当事人",
        InvestigationMethod.AGENCY_INQUIRY: "向行政机关了解情况",
        InvestigationMethod.SITE_VISIT: "现场走访、勘查",
        InvestigationMethod.EXPERT: "咨询专业人员",
        InvestigationMethod.OTHER: "其他",
    }
)


class Outcome(StrEnum):
    """How a resolved dispute was resolved (domain.md §5.3 outcome codes)."""

    SETTLED = "settled"
    AGENCY_CORRECTED = "agency_corrected"
    APPLICATION_WITHDRAWN = "application_withdrawn"
    JUDICIAL_AID = "judicial_aid"
    RECOMMENDATION_ISSUED = "recommendation_issued"


OUTCOME_LABELS = MappingProxyType(
    {
        Outcome.SETTLED: "当事人达成和解",
        Outcome.AGENCY_CORRECTED: "行政机关自行纠正",
        Outcome.APPLICATION_WITHDRAWN: "申请人撤回监督申请",
        Outcome.JUDICIAL_AID: "司法救助化解",
        Outcome.RECOMMENDATION_ISSUED: "制发检察建议化解",
    }
)


class AidStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    PAID = "paid"
    DENIED = "denied"


AID_STATUS_LABELS = MappingProxyType(
    {
        AidStatus.APPLIED: "申请中",
        AidStatus.APPROVED: "已批准",
        AidStatus.PAID: "已发放",
        AidStatus.DENIED: "未批准",
    }
)


class AidDecision(StrEnum):
    APPROVED = "approved"
    DENIED = "denied"


class FollowUpResult(StrEnum):
    PERFORMED = "performed"
    NOT_PERFORMED = "not_performed"


FOLLOW_UP_LABELS = MappingProxyType(
    {FollowUpResult.PERFORMED: "已履行", FollowUpResult.NOT_PERFORMED: "未履行"}
)

# The recommendation types a dispute may spawn: a public-interest recommendation belongs to a
# PIL case, never to a dispute.
SPAWNABLE_TYPES = MappingProxyType(
    {t: label for t, label in TYPE_LABELS.items() if t is not RecommendationType.PUBLIC_INTEREST}
)

# Case flags the transitions test.
AID_PENDING = "aid_pending"  # a 司法救助 application awaits the chief
AID_GRANTED = "aid_granted"  # the chief approved 司法救助
AID_PAID = "aid_paid"  # the approved aid was paid
RECOMMENDATION_LINKED = "recommendation_issued"  # a recommendation was opened from the dispute
PLAN_CONFIRMED = "plan_confirmed"  # the agency confirmed the current plan

FOLLOW_UP = "follow_up"
E = TypeVar("E", bound=StrEnum)

S, R, P = State, Role, PartyRole
HP, UNIT = P.HANDLING_PROSECUTOR, (R.UNIT_LIAISON, R.UNIT_LEADER)
CLOSED = frozenset({S.REJECTED, S.CLOSED_RESOLVED, S.CLOSED_TERMINATED})
INTERNAL_STATES = frozenset({S.INTAKE, S.PENDING_ACCEPTANCE, S.REJECTED})
AGENCY_SEES = frozenset(State) - INTERNAL_STATES
WORKING = frozenset({S.INVESTIGATING, S.HEARING, S.MEDIATING})  # where aid may be applied for

_REASONS = FormField("reasons", "理由", FieldType.TEXTAREA, required=True, max_length=20_000)


def _option_list(labels: Mapping[E, str]) -> tuple[Option, ...]:
    """Options named as GraphQL shows enum values (the member names)."""
    return tuple(Option(member.name, label) for member, label in labels.items())


def _date(name: str, label: str, help: str = "") -> FormField:
    return FormField(name, label, FieldType.DATE, required=True, help=help)


def _text(name: str, label: str, required: bool = True) -> FormField:
    return FormField(name, label, FieldType.TEXTAREA, required, max_length=20_000)


def _aid_decision(decision: AidDecision, *fields: FormField) -> Form:
    fixed = (("decision", decision.name),)
    return Form("decideJudicialAid", "DecideJudicialAidInput",
                (_date("decidedOn", "决定日期"), *fields), fixed)  # fmt: skip


def _follow_up(result: FollowUpResult) -> Form:
    return Form("recordDisputeFollowUp", "RecordDisputeFollowUpInput",
                (_date("checkedOn", "核查日期"), _text("finding", "核查情况"), COMMENT),
                (("result", result.name),))  # fmt: skip


_APPLICANT_FIELDS = (
    FormField("name", "姓名或名称", required=True, max_length=100),
    FormField("kind", "类型", FieldType.SELECT, True, _option_list(APPLICANT_KIND_LABELS)),
    FormField("contact", "联系方式", max_length=200),
)

CREATE_FORM = Form("createDispute", "CreateDisputeInput", (
    FormField("caseNo", "案号", required=True, max_length=64),
    FormField("title", "案件名称", required=True, max_length=200),
    FormField("stage", "争议所处阶段", FieldType.SELECT, True, _option_list(STAGE_LABELS)),
    FormField("agencyUnitId", "被申请行政机关", FieldType.UNIT, required=True),
    FormField("actType", "行政行为类型", FieldType.SELECT, True, _option_list(ACT_TYPE_LABELS)),
    FormField("applicants", "申请人", FieldType.LIST, True, fields=_APPLICANT_FIELDS,
              help="至少一人；申请人不是平台用户"),
    FormField("thirdParties", "第三人", FieldType.TEXTAREA, max_length=2000),
    _text("coreDemand", "核心诉求"),
    FormField("amount", "涉案金额（元）", FieldType.NUMBER),
    FormField("petitionRisk", "信访风险等级", FieldType.SELECT, True, _option_list(RISK_LABELS)),
    FormField("reconsiderationNo", "关联行政复议案号", max_length=64),
    FormField("internalNote", "内部备注", FieldType.TEXTAREA, max_length=20_000,
              help="仅检察院可见"),
))  # fmt: skip

TRANSITIONS = (
    step(Action.SUBMIT_FOR_ACCEPTANCE, [S.INTAKE], S.PENDING_ACCEPTANCE, HP, [R.PROSECUTOR],
         "提请受理", internal=True),
    step(Action.ACCEPT, [S.PENDING_ACCEPTANCE], S.ACCEPTED, P.ISSUER, [R.PROCURATOR_APPROVER],
         "批准受理"),
    step(Action.REJECT, [S.PENDING_ACCEPTANCE], S.REJECTED, P.ISSUER, [R.PROCURATOR_APPROVER],
         "不予受理", internal=True, form=Form("rejectDispute", "RejectDisputeInput", (_REASONS,))),
    step(Action.RETURN_FOR_REVISION, [S.PENDING_ACCEPTANCE], S.INTAKE, P.ISSUER,
         [R.PROCURATOR_APPROVER], "退回修改", internal=True),
    step(Action.RECORD_INVESTIGATION, [S.ACCEPTED, S.INVESTIGATING], S.INVESTIGATING, HP,
         [R.PROSECUTOR], "记录调查核实",
         form=Form("recordDisputeInvestigation", "RecordDisputeInvestigationInput", (
             _date("investigatedOn", "调查日期"),
             FormField("method", "调查方式", FieldType.SELECT, True, _option_list(METHOD_LABELS)),
             _text("finding", "调查情况"),
         ))),
    step(Action.SUBMIT_MATERIALS, [S.ACCEPTED, *WORKING], None, P.RESPONDENT, UNIT,
         "提交行政机关材料",
         form=Form("submitDisputeMaterials", "SubmitDisputeMaterialsInput",
                   (_text("content", "材料说明"),))),
    step(Action.SCHEDULE_HEARING, [S.INVESTIGATING], S.HEARING, HP, [R.PROSECUTOR],
         "安排听证", form=Form("scheduleDisputeHearing", "ScheduleDisputeHearingInput", (
             _date("hearingOn", "听证日期"),
             _text("hearingOfficers", "听证员"),
             FormField("public", "公开听证", FieldType.BOOLEAN, help="不公开的须在说明中写明理由"),
             FormField("venue", "听证地点", max_length=200),
             COMMENT,
         ))),
    step(Action.RECORD_HEARING, [S.HEARING], S.INVESTIGATING, HP, [R.PROSECUTOR],
         "记录听证结果", form=Form("recordDisputeHearing", "RecordDisputeHearingInput", (
             _date("heldOn", "举行日期"),
             _text("result", "听证结果（听证员意见）"),
         ))),
    step(Action.PROPOSE_PLAN, [S.INVESTIGATING, S.MEDIATING], S.MEDIATING, HP, [R.PROSECUTOR],
         "制定化解方案", form=Form("proposeDisputePlan", "ProposeDisputePlanInput", (
             _text("content", "化解方案"),
             _text("parties", "参与各方"),
             _date("agreedOn", "商定日期"),
             _text("agreedBy", "同意方案的各方"),
         ))),
    step(Action.CONFIRM_PLAN, [S.MEDIATING], None, P.RESPONDENT, UNIT, "确认化解方案",
         unless={PLAN_CONFIRMED}, sets={PLAN_CONFIRMED},
         form=Form("confirmDisputePlan", "ConfirmDisputePlanInput", (COMMENT,))),
    step(Action.APPLY_JUDICIAL_AID, WORKING, None, HP, [R.PROSECUTOR], "提请司法救助",
         unless={AID_PENDING, AID_GRANTED}, sets={AID_PENDING}, internal=True,
         form=Form("applyJudicialAid", "ApplyJudicialAidInput", (
             FormField("amount", "申请救助金额（元）", FieldType.NUMBER, required=True),
             _date("appliedOn", "申请日期"),
             _text("reason", "救助理由"),
         ))),
    step(Action.APPROVE_JUDICIAL_AID, WORKING, None, P.ISSUER, [R.PROCURATOR_APPROVER],
         "批准司法救助", when={AID_PENDING}, sets={AID_GRANTED}, internal=True,
         form=_aid_decision(AidDecision.APPROVED,
                            FormField("amount", "核定金额（元）", FieldType.NUMBER,
                                      help="不填则按申请金额"), COMMENT)),
    step(Action.DENY_JUDICIAL_AID, WORKING, None, P.ISSUER, [R.PROCURATOR_APPROVER],
         "不予司法救助", when={AID_PENDING}, internal=True,
         form=_aid_decision(AidDecision.DENIED, _REASONS)),
    step(Action.RECORD_AID_PAYMENT, [*WORKING, S.RESOLVED], None, HP, [R.PROSECUTOR],
         "记录救助金发放", when={AID_GRANTED}, unless={AID_PAID}, sets={AID_PAID}, internal=True,
         form=Form("recordJudicialAidPayment", "RecordJudicialAidPaymentInput",
                   (_date("paidOn", "发放日期"), COMMENT))),
    step(Action.ISSUE_RECOMMENDATION, [*WORKING, S.NOT_RESOLVED], None, HP, [R.PROSECUTOR],
         "制发检察建议", sets={RECOMMENDATION_LINKED}, internal=True,
         form=Form("issueDisputeRecommendation", "IssueDisputeRecommendationInput", (
             FormField("recType", "检察建议类型", FieldType.SELECT, True,
                       _option_list(SPAWNABLE_TYPES)),
             FormField("docNo", "检察建议文号", required=True, max_length=64,
                       help="被建议单位为本案被申请行政机关；检察建议另行审批、送达"),
             FormField("title", "标题", required=True, max_length=200),
             _text("issues", "发现的问题", required=False),
             _text("suggestions", "建议事项", required=False),
             _text("legalBasis", "法律依据", required=False),
         ))),
    step(Action.RESOLVE, [S.MEDIATING], S.RESOLVED, HP, [R.PROSECUTOR], "化解成功",
         starts=(FOLLOW_UP,), form=Form("resolveDispute", "ResolveDisputeInput", (
             FormField("outcome", "化解方式", FieldType.SELECT, True, _option_list(OUTCOME_LABELS),
                       help="“制发检察建议化解”须已制发检察建议；“司法救助化解”须已批准司法救助"),
             _date("resolvedOn", "化解日期", help="自次日起30日内跟进核查履行情况"),
             _text("summary", "化解情况"),
         ))),
    step(Action.DECLARE_NOT_RESOLVED, [S.INVESTIGATING, S.MEDIATING], S.NOT_RESOLVED, HP,
         [R.PROSECUTOR], "化解未果，提请终结审查",
         form=Form("declareDisputeNotResolved", "DeclareDisputeNotResolvedInput", (_REASONS,))),
    step(Action.TERMINATE, [S.NOT_RESOLVED], S.CLOSED_TERMINATED, P.ISSUER,
         [R.PROCURATOR_APPROVER], "决定终结审查"),
    step(Action.RESUME_RESOLUTION, [S.NOT_RESOLVED], S.INVESTIGATING, P.ISSUER,
         [R.PROCURATOR_APPROVER], "退回继续化解"),
    step(Action.CLOSE_AFTER_FOLLOW_UP, [S.RESOLVED], S.CLOSED_RESOLVED, HP, [R.PROSECUTOR],
         "跟进核查：已履行，结案", stops=(FOLLOW_UP,),
         form=_follow_up(FollowUpResult.PERFORMED)),
    step(Action.REOPEN_MEDIATION, [S.RESOLVED], S.MEDIATING, HP, [R.PROSECUTOR],
         "跟进核查：未履行，继续化解", stops=(FOLLOW_UP,),
         form=_follow_up(FollowUpResult.NOT_PERFORMED)),
)  # fmt: skip

STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        S.INTAKE: "登记",
        S.PENDING_ACCEPTANCE: "待批准受理",
        S.REJECTED: "不予受理",
        S.ACCEPTED: "已受理",
        S.INVESTIGATING: "调查核实",
        S.HEARING: "听证",
        S.MEDIATING: "协调化解",
        S.NOT_RESOLVED: "未化解·待决定",
        S.RESOLVED: "已化解·跟进核查",
        S.CLOSED_RESOLVED: "化解结案",
        S.CLOSED_TERMINATED: "终结审查",
    }
)


def _column(state: State) -> Column:
    return Column(state.value, STATE_LABELS[state], frozenset({state.value}),
                  collapsed=state in CLOSED)  # fmt: skip


COLUMNS = (
    *(_column(s) for s in (S.INTAKE, S.PENDING_ACCEPTANCE, S.ACCEPTED, S.INVESTIGATING,
                           S.HEARING, S.MEDIATING, S.NOT_RESOLVED, S.RESOLVED)),
    Column("overdue", "逾期未核查", frozenset({S.RESOLVED}), overdue_clock=FOLLOW_UP),
    *(_column(s) for s in (S.CLOSED_RESOLVED, S.CLOSED_TERMINATED, S.REJECTED)),
)  # fmt: skip

FOLLOW_UP_CLOCK = ClockSpec(
    name=FOLLOW_UP,
    label="跟进核查期限",
    start_label="化解",
    rule_sets=(RuleSet(None, ("dispute_follow_up_30d",)),),
    default_rule="dispute_follow_up_30d",
    # The check is the handling prosecutor's own task: nobody else is alerted, nor escalated to.
    alert=AlertPolicy(recipients=(AlertRecipient.person(HP),), escalate_after_days=None,
                      escalation_recipients=(), wording=DEADLINE_WORDING),
    runs_in=frozenset({S.RESOLVED}),
)  # fmt: skip

SPEC = KindSpec(
    kind=CaseKind.DISPUTE,
    label="行政争议实质性化解",
    group=KindGroup.CASE,
    graphql_type="Dispute",
    states=STATE_LABELS,
    initial=S.INTAKE,
    closed=frozenset(CLOSED),
    transitions=TRANSITIONS,
    columns=COLUMNS,
    clocks=(FOLLOW_UP_CLOCK,),
    sees={P.ISSUER: ALL_STATES, P.RESPONDENT: AGENCY_SEES},
    internal_fields=frozenset({"internalNote", "judicialAids", "rejectionReason"}),
    draft_states=frozenset({S.INTAKE}),
    case_no_label="案号",
    create_roles=frozenset({R.PROSECUTOR}),
    create_form=CREATE_FORM,
    action_labels={"create": "登记", "update": "修改登记信息"},
)  # fmt: skip
del S, R, P
