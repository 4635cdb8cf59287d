"""The administrative public-interest litigation case (行政公益诉讼案件, domain.md §5.1) as a
kind spec.

Choices where domain.md leaves one:

- The agency concerned (the ADDRESSEE party) sees the case from the moment the 立案决定书 is
  served on it (``filing_served``) on, never before: a clue, its assessment, the proposal to
  file, a filed case whose decision is not yet served, and a clue closed without filing stay
  inside the procuratorate. The steps before filing are internal, so the agency's history
  starts with the filing decision it was served.
- The handling prosecutor (the person, not any prosecutor of the unit) assesses the clue,
  proposes filing, rejects a clue, serves the filing decision, records consultations and
  follow-ups, drafts the pre-suit recommendation and records the end of litigation. The chief
  (检察长) of the issuing procuratorate files the case or returns the proposal for revision,
  and decides 终结, 起诉审查, 起诉 and 不起诉 (办案规则: these are 检察长's decisions).
- 诉前磋商 is offered and not required before a recommendation (domain.md §5.1 notes). Each
  record awaits the confirmation of the agency's liaison (case flag ``awaiting_confirmation``
  while any does); the case may be closed after consultation only once every record is
  confirmed, while a recommendation may be drafted without waiting. A late confirmation is
  accepted while the recommendation and its follow-up run.
- The pre-suit recommendation is its own case (kind recommendation, type 公益诉讼, flag
  ``linked_pil``, ``source`` = this case): its approval, service, reply clock, replies and
  objections are the recommendation's. The follow-up investigation may start once it was
  replied to or its reply period expired; the case is closed (终结) only when the
  recommendation is no longer open; entering 起诉审查 converts an open recommendation in the
  same transaction.
- The 起诉审查 clock (two months, practice guidance) counts from the day the
  recommendation's reply period expired, or from the day of the decision when the period has
  not expired yet (the agency replied early and the follow-up found it did not perform).
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
    KindGroup,
    KindSpec,
    Option,
    PartyRole,
    RuleSet,
    options,
    step,
)
from hub.domain.roles import Role


class State(StrEnum):
    CLUE = "clue"
    ASSESSED = "assessed"
    PENDING_FILING = "pending_filing"
    FILED = "filed"
    FILING_SERVED = "filing_served"
    CONSULTING = "consulting"
    RECOMMENDED = "recommended"
    FOLLOW_UP = "follow_up"
    LITIGATION_REVIEW = "litigation_review"
    IN_LITIGATION = "in_litigation"
    CLOSED_NOT_FILED = "closed_not_filed"
    CLOSED_TERMINATED = "closed_terminated"
    CLOSED_LITIGATED = "closed_litigated"


class Action(StrEnum):
    ASSESS = "assess"
    PROPOSE_FILING = "propose_filing"
    RETURN_FOR_REVISION = "return_for_revision"
    REJECT_CLUE = "reject_clue"
    FILE = "file"
    SERVE_FILING_DECISION = "serve_filing_decision"
    RECORD_CONSULTATION = "record_consultation"
    CONFIRM_CONSULTATION = "confirm_consultation"
    DRAFT_RECOMMENDATION = "draft_recommendation"
    TERMINATE = "terminate"
    RECORD_FOLLOW_UP = "record_follow_up"
    START_LITIGATION_REVIEW = "start_litigation_review"
    FILE_SUIT = "file_suit"
    DECIDE_NOT_TO_SUE = "decide_not_to_sue"
    CLOSE_LITIGATION = "close_litigation"


STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        State.CLUE: "线索待评估",
        State.ASSESSED: "线索已评估",
        State.PENDING_FILING: "待批准立案",
        State.FILED: "已立案待送达",
        State.FILING_SERVED: "已送达立案决定书",
        State.CONSULTING: "诉前磋商",
        State.RECOMMENDED: "诉前检察建议",
        State.FOLLOW_UP: "跟进调查",
        State.LITIGATION_REVIEW: "起诉审查",
        State.IN_LITIGATION: "诉讼中",
        State.CLOSED_NOT_FILED: "不予立案",
        State.CLOSED_TERMINATED: "已终结",
        State.CLOSED_LITIGATED: "诉讼结案",
    }
)


class ClueSource(StrEnum):
    """Where a PIL clue came from (domain.md §6)."""

    OWN_DUTY = "own_duty"  # 履职发现
    HOTLINE_12345 = "hotline_12345"
    HOTLINE_12309 = "hotline_12309"
    MEMBER_TRANSFER = "member_transfer"  # 成员单位移送
    PETITION = "petition"  # 信访
    MEDIA = "media"  # 媒体
    ASSIGNED = "assigned"  # 上级交办


CLUE_SOURCE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        ClueSource.OWN_DUTY: "履职发现",
        ClueSource.HOTLINE_12345: "12345政务服务便民热线",
        ClueSource.HOTLINE_12309: "12309检察服务热线",
        ClueSource.MEMBER_TRANSFER: "成员单位移送",
        ClueSource.PETITION: "信访",
        ClueSource.MEDIA: "媒体",
        ClueSource.ASSIGNED: "上级交办",
    }
)


class ConsultationForm(StrEnum):
    MEETING = "meeting"  # 座谈会
    FACT_CONFIRMATION = "fact_confirmation"  # 事实确认书
    OTHER = "other"


CONSULTATION_FORM_LABELS: Mapping[str, str] = MappingProxyType(
    {
        ConsultationForm.MEETING: "座谈会",
        ConsultationForm.FACT_CONFIRMATION: "事实确认书",
        ConsultationForm.OTHER: "其他",
    }
)


class FollowUpMethod(StrEnum):
    ON_SITE = "on_site"  # 现场查看
    INQUIRY = "inquiry"  # 询问
    RECORDS = "records"  # 调取材料
    LOOK_BACK = "look_back"  # 回头看


FOLLOW_UP_METHOD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        FollowUpMethod.ON_SITE: "现场查看",
        FollowUpMethod.INQUIRY: "询问",
        FollowUpMethod.RECORDS: "调取材料",
        FollowUpMethod.LOOK_BACK: "回头看",
    }
)


class Outcome(StrEnum):
    NOT_FILED = "not_filed"  # 线索评估后不予立案
    TERMINATED = "terminated"  # 终结案件 / 终结审查
    LITIGATED = "litigated"  # 提起诉讼后结案


OUTCOME_LABELS: Mapping[str, str] = MappingProxyType(
    {
        Outcome.NOT_FILED: "不予立案",
        Outcome.TERMINATED: "终结",
        Outcome.LITIGATED: "诉讼结案",
    }
)


class TerminationReason(StrEnum):
    FULLY_PERFORMED = "fully_performed"  # 行政机关已全面履职
    PROTECTED = "protected"  # 公益已有效保护
    NO_VIOLATION = "no_violation"  # 不存在违法行为
    OTHER = "other"


TERMINATION_REASON_LABELS: Mapping[str, str] = MappingProxyType(
    {
        TerminationReason.FULLY_PERFORMED: "行政机关已全面履职",
        TerminationReason.PROTECTED: "国家利益或社会公共利益已得到有效保护",
        TerminationReason.NO_VIOLATION: "行政机关不存在违法行为",
        TerminationReason.OTHER: "其他",
    }
)


class LitigationResult(StrEnum):
    UPHELD = "upheld"  # 判决支持诉讼请求（含确认违法）
    PARTLY_UPHELD = "partly_upheld"
    DISMISSED = "dismissed"
    WITHDRAWN = "withdrawn"  # 诉讼请求全部实现，撤回起诉（公益诉讼解释第二十四条）


LITIGATION_RESULT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        LitigationResult.UPHELD: "判决支持诉讼请求",
        LitigationResult.PARTLY_UPHELD: "判决部分支持诉讼请求",
        LitigationResult.DISMISSED: "判决驳回诉讼请求",
        LitigationResult.WITHDRAWN: "诉讼请求全部实现，撤回起诉",
    }
)


# The managed list of fields (pil_domain) as migration 0004 seeds it: code, name, statutory.
DOMAINS: tuple[tuple[str, str, bool], ...] = (
    ("ecology_resources", "生态环境和资源保护", True),
    ("food_drug", "食品药品安全", True),
    ("state_property", "国有财产保护", True),
    ("land_grant", "国有土地使用权出让", True),
    ("heroes_martyrs", "英烈保护", True),
    ("minors", "未成年人保护", True),
    ("work_safety", "安全生产", True),
    ("military_rights", "军人权益保护", True),
    ("personal_information", "个人信息保护", True),
    ("cultural_heritage", "文物和文化遗产保护", False),
    ("cyberspace", "网络空间治理", False),
    ("platform_competition", "平台反垄断和不正当竞争", False),
    ("intellectual_property", "知识产权", False),
    ("new_forms_workers", "新业态劳动者权益保障", False),
    ("other", "其他", False),
)

# Case flags.
AWAITING_CONFIRMATION = "awaiting_confirmation"  # a consultation record awaits the agency

FILING_SERVICE = "filing_service"
LITIGATION_REVIEW = "litigation_review"

S, R, P = State, Role, PartyRole
HP, ISSUER = P.HANDLING_PROSECUTOR, P.ISSUER
CLOSED = frozenset({S.CLOSED_NOT_FILED, S.CLOSED_TERMINATED, S.CLOSED_LITIGATED})
BEFORE_SERVICE = frozenset({S.CLUE, S.ASSESSED, S.PENDING_FILING, S.FILED, S.CLOSED_NOT_FILED})
AGENCY_SEES = frozenset(S) - BEFORE_SERVICE
DRAFTS = frozenset({S.CLUE, S.ASSESSED})


def _choices(labels: Mapping[str, str]) -> tuple[Option, ...]:
    """An enum's options as GraphQL takes them: the member's upper-case name."""
    return tuple(Option(value.upper(), label) for value, label in labels.items())


def _date(name: str, label: str, help: str = "") -> FormField:
    return FormField(name, label, FieldType.DATE, required=True, help=help)


def _text(name: str, label: str, required: bool = False) -> FormField:
    return FormField(name, label, FieldType.TEXTAREA, required, max_length=20_000)


_DOMAIN = FormField(
    "domainCode", "领域", FieldType.SELECT, True,
    options({code: name for code, name, _ in DOMAINS}),
    help="领域清单由管理员维护，可查询 pilDomains",
)  # fmt: skip
CREATE_FORM = Form("createPilCase", "CreatePilCaseInput", (
    FormField("caseNo", "案件编号", required=True, max_length=64),
    FormField("title", "案件名称", required=True, max_length=200),
    FormField("agencyUnitId", "被监督行政机关", FieldType.UNIT, required=True),
    FormField("clueSource", "线索来源", FieldType.SELECT, True, _choices(CLUE_SOURCE_LABELS)),
    _date("clueReceivedOn", "线索受理日期"),
    _DOMAIN,
    FormField("department", "承办部门", max_length=64),
    _text("harmDescription", "公益受损情况", required=True),
    _text("dutyBasis", "行政机关的法定职责及法律依据"),
    FormField("urgent", "紧急情形（公益损害继续扩大等）", FieldType.BOOLEAN,
              help="检察建议回复期限可适用15日"),
    _text("internalNote", "内部备注"),
))  # fmt: skip
_TERMINATE_FIELDS = (
    FormField("reason", "终结理由", FieldType.SELECT, True, _choices(TERMINATION_REASON_LABELS)),
    _date("decidedOn", "决定日期"),
    _text("note", "说明（理由为“其他”时必填）"),
)

TRANSITIONS = (
    step(Action.ASSESS, [S.CLUE], S.ASSESSED, HP, [R.PROSECUTOR], "评估线索", internal=True,
         form=Form("assessPilClue", "AssessPilClueInput",
                   (_text("assessment", "评估意见", True),))),
    step(Action.PROPOSE_FILING, [S.ASSESSED], S.PENDING_FILING, HP, [R.PROSECUTOR], "提请立案",
         internal=True),
    step(Action.RETURN_FOR_REVISION, [S.PENDING_FILING], S.ASSESSED, ISSUER,
         [R.PROCURATOR_APPROVER], "退回修改", internal=True),
    step(Action.REJECT_CLUE, [S.CLUE, S.ASSESSED], S.CLOSED_NOT_FILED, HP, [R.PROSECUTOR],
         "不予立案", internal=True, form=Form("rejectPilClue", "RejectPilClueInput", (
             _text("reason", "不予立案理由", True), _date("decidedOn", "决定日期")))),
    step(Action.FILE, [S.PENDING_FILING], S.FILED, ISSUER, [R.PROCURATOR_APPROVER], "决定立案",
         starts=(FILING_SERVICE,), form=Form("filePilCase", "FilePilCaseInput", (
             FormField("filingDecisionNo", "立案决定书文号", required=True, max_length=64),
             _date("filedOn", "立案日期", "立案决定书送达期限自立案之日起算"), COMMENT))),
    step(Action.SERVE_FILING_DECISION, [S.FILED], S.FILING_SERVED, HP, [R.PROSECUTOR],
         "送达立案决定书", stops=(FILING_SERVICE,),
         form=Form("servePilFilingDecision", "ServePilFilingDecisionInput", (
             _date("servedOn", "送达日期"), COMMENT))),
    step(Action.RECORD_CONSULTATION, [S.FILING_SERVED, S.CONSULTING], S.CONSULTING, HP,
         [R.PROSECUTOR], "记录诉前磋商", sets={AWAITING_CONFIRMATION},
         form=Form("recordPilConsultation", "RecordPilConsultationInput", (
             FormField("form", "磋商方式", FieldType.SELECT, True,
                       _choices(CONSULTATION_FORM_LABELS)),
             _date("heldOn", "磋商日期"),
             _text("participants", "参加人员", True),
             _text("agreedMeasures", "行政机关认可的整改措施"),
             _text("minutes", "磋商纪要或记录")))),
    step(Action.CONFIRM_CONSULTATION, [S.CONSULTING, S.RECOMMENDED, S.FOLLOW_UP], None,
         P.ADDRESSEE, [R.UNIT_LIAISON], "确认磋商记录", when={AWAITING_CONFIRMATION},
         form=Form("confirmPilConsultation", "ConfirmPilConsultationInput", (
             _text("note", "确认意见"),))),
    step(Action.DRAFT_RECOMMENDATION, [S.FILING_SERVED, S.CONSULTING], S.RECOMMENDED, HP,
         [R.PROSECUTOR], "起草诉前检察建议",
         form=Form("draftPilRecommendation", "DraftPilRecommendationInput", (
             FormField("docNo", "检察建议书文号", required=True, max_length=64),
             FormField("title", "检察建议名称", required=True, max_length=200),
             _text("issues", "发现的问题", True),
             _text("suggestions", "建议事项", True),
             _text("legalBasis", "法律依据")))),
    step(Action.TERMINATE, [S.CONSULTING], S.CLOSED_TERMINATED, ISSUER, [R.PROCURATOR_APPROVER],
         "终结案件", unless={AWAITING_CONFIRMATION},
         form=Form("terminatePilCase", "TerminatePilCaseInput", _TERMINATE_FIELDS)),
    step(Action.TERMINATE, [S.FILING_SERVED, S.RECOMMENDED, S.FOLLOW_UP], S.CLOSED_TERMINATED,
         ISSUER, [R.PROCURATOR_APPROVER], "终结案件",
         form=Form("terminatePilCase", "TerminatePilCaseInput", _TERMINATE_FIELDS)),
    step(Action.RECORD_FOLLOW_UP, [S.RECOMMENDED, S.FOLLOW_UP], S.FOLLOW_UP, HP, [R.PROSECUTOR],
         "记录跟进调查", form=Form("recordPilFollowUp", "RecordPilFollowUpInput", (
             FormField("method", "调查方式", FieldType.SELECT, True,
                       _choices(FOLLOW_UP_METHOD_LABELS)),
             _date("investigatedOn", "调查日期"),
             _text("finding", "调查结论", True)))),
    step(Action.START_LITIGATION_REVIEW, [S.FOLLOW_UP], S.LITIGATION_REVIEW, ISSUER,
         [R.PROCURATOR_APPROVER], "转入起诉审查", starts=(LITIGATION_REVIEW,),
         form=Form("startPilLitigationReview", "StartPilLitigationReviewInput", (COMMENT,))),
    step(Action.FILE_SUIT, [S.LITIGATION_REVIEW], S.IN_LITIGATION, ISSUER,
         [R.PROCURATOR_APPROVER], "提起行政公益诉讼", stops=(LITIGATION_REVIEW,),
         form=Form("filePilSuit", "FilePilSuitInput", (
             FormField("court", "受理法院", required=True, max_length=128),
             _date("suitFiledOn", "起诉日期"),
             FormField("indictmentNo", "起诉书文号", required=True, max_length=64),
             COMMENT))),
    step(Action.DECIDE_NOT_TO_SUE, [S.LITIGATION_REVIEW], S.CLOSED_TERMINATED, ISSUER,
         [R.PROCURATOR_APPROVER], "终结审查（不起诉）", stops=(LITIGATION_REVIEW,),
         form=Form("decidePilNotToSue", "DecidePilNotToSueInput", _TERMINATE_FIELDS)),
    step(Action.CLOSE_LITIGATION, [S.IN_LITIGATION], S.CLOSED_LITIGATED, HP, [R.PROSECUTOR],
         "诉讼结案", form=Form("closePilLitigation", "ClosePilLitigationInput", (
             FormField("result", "诉讼结果", FieldType.SELECT, True,
                       _choices(LITIGATION_RESULT_LABELS)),
             _date("decidedOn", "裁判或撤诉日期"),
             _text("note", "说明")))),
)  # fmt: skip


def _column(column_id: str, state: State, collapsed: bool = False) -> Column:
    return Column(column_id, STATE_LABELS[state], frozenset({state}), collapsed=collapsed)


COLUMNS = (
    Column("clue", "线索", frozenset({S.CLUE, S.ASSESSED})),
    _column("pending_filing", S.PENDING_FILING),
    Column("filed", "已立案", frozenset({S.FILED, S.FILING_SERVED})),
    Column("filing_overdue", "立案决定书逾期未送达", frozenset({S.FILED}),
           overdue_clock=FILING_SERVICE),
    _column("consulting", S.CONSULTING),
    _column("recommended", S.RECOMMENDED),
    _column("follow_up", S.FOLLOW_UP),
    _column("litigation_review", S.LITIGATION_REVIEW),
    Column("litigation_review_overdue", "起诉审查逾期", frozenset({S.LITIGATION_REVIEW}),
           overdue_clock=LITIGATION_REVIEW),
    _column("in_litigation", S.IN_LITIGATION),
    *(_column(s.value, s, True) for s in (S.CLOSED_NOT_FILED, S.CLOSED_TERMINATED,
                                                    S.CLOSED_LITIGATED)),
)  # fmt: skip


def _prosecutor_only(due_soon_days: int) -> AlertPolicy:
    return AlertPolicy(
        due_soon_days=due_soon_days,
        escalate_after_days=None,
        recipients=(AlertRecipient.person(HP),),
        escalation_recipients=(),
        wording=DEADLINE_WORDING,
    )


FILING_SERVICE_CLOCK = ClockSpec(
    name=FILING_SERVICE,
    label="立案决定书送达期限",
    start_label="立案",
    rule_sets=(RuleSet(None, ("gz_filing_service_7d",)),),
    default_rule="gz_filing_service_7d",
    alert=_prosecutor_only(2),
    due_soon_days=2,
    runs_in=frozenset({S.FILED}),
)
LITIGATION_REVIEW_CLOCK = ClockSpec(
    name=LITIGATION_REVIEW,
    label="起诉审查期限",
    start_label="起诉审查起算",
    rule_sets=(RuleSet(None, ("zn_litigation_review_2m",)),),
    default_rule="zn_litigation_review_2m",
    alert=_prosecutor_only(7),
    runs_in=frozenset({S.LITIGATION_REVIEW}),
)

SPEC = KindSpec(
    kind=CaseKind.PIL_CASE,
    label="行政公益诉讼案件",
    group=KindGroup.CASE,
    graphql_type="PilCase",
    states=STATE_LABELS,
    initial=S.CLUE,
    closed=CLOSED,
    transitions=TRANSITIONS,
    columns=COLUMNS,
    clocks=(FILING_SERVICE_CLOCK, LITIGATION_REVIEW_CLOCK),
    sees={ISSUER: ALL_STATES, P.ADDRESSEE: AGENCY_SEES},
    internal_fields=frozenset({"internalNote", "assessment"}),
    draft_states=DRAFTS,
    case_no_label="案件编号",
    create_form=CREATE_FORM,
    action_labels={"create": "受理线索", "update": "修改线索"},
)  # fmt: skip
del S, R, P
