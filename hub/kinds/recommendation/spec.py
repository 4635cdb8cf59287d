"""The procuratorial recommendation (检察建议, domain.md §5.2) as a kind spec.

Overdue is not a stored state: the 逾期未回复 column is derived from the reply clock, which
counts only while a reply is awaited (served or rectifying), so an objection under review or a
reply under review stops it and a partial adoption lets it run on to the same last day.
The reply period's rule depends on the recommendation's type: a public-interest (pre-suit)
recommendation follows the PIL interpretation Art. 21 (two months, 15 days when urgent);
every other type follows the 2019 recommendation rules (two months unless otherwise
provided, or a shorter period the procuratorate sets).

Escalation (D6): after the unit was urged and still has not replied, the chief decides one or
more escalations (report up, notify the superior, the party committee and congress, the
government and the supervision commission); each is recorded and shown to the addressee.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from hub.domain.kinds import (
    ALL_STATES,
    COMMENT,
    AlertPolicy,
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


class State(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    SERVED = "served"
    RECTIFYING = "rectifying"
    OBJECTION_REVIEW = "objection_review"
    REPLIED = "replied"
    CLOSED_ADOPTED = "closed_adopted"
    WITHDRAWN = "withdrawn"
    CONVERTED = "converted"


class Action(StrEnum):
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    RETURN_FOR_REVISION = "return_for_revision"
    SERVE = "serve"
    ACKNOWLEDGE = "acknowledge"
    SUBMIT_REPLY = "submit_reply"
    ADOPT_REPLY = "adopt_reply"
    PARTIALLY_ADOPT_REPLY = "partially_adopt_reply"
    RAISE_OBJECTION = "raise_objection"
    REJECT_OBJECTION = "reject_objection"
    AMEND_AND_RESERVE = "amend_and_reserve"
    WITHDRAW = "withdraw"
    URGE = "urge"
    ESCALATE = "escalate"
    CONVERT_TO_LITIGATION = "convert_to_litigation"


class RecommendationType(StrEnum):
    """The five forms of 《人民检察院检察建议工作规定》."""

    RETRIAL = "retrial"  # 再审检察建议
    CORRECTION = "correction"  # 纠正违法检察建议
    PUBLIC_INTEREST = "public_interest"  # 公益诉讼检察建议
    SOCIAL_GOVERNANCE = "social_governance"  # 社会治理检察建议
    OTHER = "other"


TYPE_LABELS = MappingProxyType(
    {
        RecommendationType.RETRIAL: "再审检察建议",
        RecommendationType.CORRECTION: "纠正违法检察建议",
        RecommendationType.PUBLIC_INTEREST: "公益诉讼检察建议",
        RecommendationType.SOCIAL_GOVERNANCE: "社会治理检察建议",
        RecommendationType.OTHER: "其他检察建议",
    }
)


class EscalationTarget(StrEnum):
    """Whom the chief reports to or notifies when a unit does not rectify (D6)."""

    HIGHER_PROCURATORATE = "higher_procuratorate"
    SUPERIOR_AGENCY = "superior_agency"
    PARTY_COMMITTEE_AND_CONGRESS = "party_committee_and_congress"
    GOVERNMENT_AND_SUPERVISION = "government_and_supervision"


ESCALATION_LABELS = MappingProxyType(
    {
        EscalationTarget.HIGHER_PROCURATORATE: "报告上级人民检察院",
        EscalationTarget.SUPERIOR_AGENCY: "通报被建议单位的上级机关、行政主管部门或行业自律组织",
        EscalationTarget.PARTY_COMMITTEE_AND_CONGRESS: "报告同级党委、人大",
        EscalationTarget.GOVERNMENT_AND_SUPERVISION: "通报同级政府、纪检监察机关",
    }
)

# Case flags the transitions test.
PUBLIC_INTEREST = "public_interest"
URGED = "urged"
LINKED_PIL = "linked_pil"

AWAITING_REPLY = frozenset({State.SERVED, State.RECTIFYING})
ISSUED = frozenset(State) - {State.DRAFT, State.PENDING_APPROVAL, State.APPROVED}
CLOSED = frozenset({State.CLOSED_ADOPTED, State.WITHDRAWN, State.CONVERTED})
REPLY = "reply"

S, R, P = State, Role, PartyRole
UNIT = (R.UNIT_LIAISON, R.UNIT_LEADER)
_SERVICE_METHODS = (Option("WRITTEN", "书面送达"), Option("ANNOUNCED", "宣告送达"))
_COMPLETENESS = (
    Option("FULL", "全部整改"),
    Option("PARTIAL", "部分整改"),
    Option("NONE", "未整改（说明理由）"),
)
_SERVE_FIELDS = (
    FormField("servedOn", "送达日期", FieldType.DATE, required=True, help="送达当日不计入期间"),
    FormField("serviceMethod", "送达方式", FieldType.SELECT, True, _SERVICE_METHODS),
    FormField("deadlineRule", "回复期限", FieldType.RULE, True, clock=REPLY),
    FormField("customPeriod", "自定义期限", FieldType.PERIOD, help="仅“检察机关确定的期限”需要"),
)


def _review(decision: str) -> Form:
    return Form("reviewReply", "ReviewReplyInput", (COMMENT,), fixed=(("decision", decision),))


def _decide(decision: str, *extra: FormField) -> Form:
    reasons = FormField("reasons", "理由", FieldType.TEXTAREA, required=True, max_length=20_000)
    return Form(
        "decideObjection", "DecideObjectionInput", (*extra, reasons), (("decision", decision),)
    )


TRANSITIONS = (
    step(Action.SUBMIT_FOR_APPROVAL, [S.DRAFT], S.PENDING_APPROVAL, P.ISSUER, [R.PROSECUTOR],
         "提请审批", internal=True),
    step(Action.APPROVE, [S.PENDING_APPROVAL], S.APPROVED, P.ISSUER, [R.PROCURATOR_APPROVER],
         "批准", internal=True),
    step(Action.RETURN_FOR_REVISION, [S.PENDING_APPROVAL], S.DRAFT, P.ISSUER,
         [R.PROCURATOR_APPROVER], "退回修改", internal=True),
    step(Action.SERVE, [S.APPROVED], S.SERVED, P.ISSUER, [R.PROSECUTOR], "送达", starts=(REPLY,),
         form=Form("serveRecommendation", "ServeRecommendationInput", (*_SERVE_FIELDS, COMMENT))),
    step(Action.ACKNOWLEDGE, [S.SERVED], S.RECTIFYING, P.ADDRESSEE, UNIT, "签收并整改"),
    step(Action.SUBMIT_REPLY, AWAITING_REPLY, S.REPLIED, P.ADDRESSEE, UNIT, "提交整改回复",
         form=Form("submitReply", "SubmitReplyInput", (
             FormField("content", "回复内容", FieldType.TEXTAREA, True, max_length=20_000),
             FormField("measures", "整改措施", FieldType.TEXTAREA, max_length=20_000),
             FormField("completeness", "整改情况", FieldType.SELECT, True, _COMPLETENESS),
         ))),
    step(Action.ADOPT_REPLY, [S.REPLIED], S.CLOSED_ADOPTED, P.ISSUER, [R.PROSECUTOR],
         "采纳回复并结案", stops=(REPLY,), form=_review("ADOPTED")),
    step(Action.PARTIALLY_ADOPT_REPLY, [S.REPLIED], S.RECTIFYING, P.ISSUER, [R.PROSECUTOR],
         "部分采纳，继续整改", form=_review("PARTIALLY_ADOPTED")),
    step(Action.RAISE_OBJECTION, AWAITING_REPLY, S.OBJECTION_REVIEW, P.ADDRESSEE, UNIT, "提出异议",
         form=Form("raiseObjection", "RaiseObjectionInput", (
             FormField("grounds", "异议理由", FieldType.TEXTAREA, True, max_length=20_000),
         ))),
    step(Action.REJECT_OBJECTION, [S.OBJECTION_REVIEW], S.SERVED, P.ISSUER,
         [R.PROCURATOR_APPROVER], "异议不成立", form=_decide("REJECTED")),
    step(Action.AMEND_AND_RESERVE, [S.OBJECTION_REVIEW], S.SERVED, P.ISSUER,
         [R.PROCURATOR_APPROVER], "异议成立，修改后重新送达", starts=(REPLY,),
         form=_decide("AMENDED",
                      FormField("amendedSuggestions", "修改后的建议事项", FieldType.TEXTAREA, True),
                      FormField("servedOn", "重新送达日期", FieldType.DATE, True))),
    step(Action.WITHDRAW, [S.OBJECTION_REVIEW], S.WITHDRAWN, P.ISSUER, [R.PROCURATOR_APPROVER],
         "异议成立，撤回检察建议", stops=(REPLY,), form=_decide("WITHDRAWN")),
    step(Action.URGE, AWAITING_REPLY, None, P.OFFICE, [R.OFFICE_ADMIN], "督促回复",
         needs_overdue=REPLY, sets={URGED}, bulk=True),
    step(Action.URGE, AWAITING_REPLY, None, P.ISSUER, [R.PROSECUTOR], "督促回复",
         needs_overdue=REPLY, sets={URGED}, bulk=True),
    step(Action.ESCALATE, AWAITING_REPLY, None, P.ISSUER, [R.PROCURATOR_APPROVER],
         "决定报告或通报（督促后仍未整改）", needs_overdue=REPLY, when={URGED},
         form=Form("escalateRecommendation", "EscalateRecommendationInput", (
             FormField("targets", "报告或通报对象", FieldType.MULTISELECT, True,
                       tuple(Option(t.name, label) for t, label in ESCALATION_LABELS.items())),
             FormField("decidedOn", "决定日期", FieldType.DATE, True),
             COMMENT,
         ))),
    step(Action.CONVERT_TO_LITIGATION, AWAITING_REPLY | {S.REPLIED}, S.CONVERTED, P.ISSUER,
         [R.PROCURATOR_APPROVER], "转入公益诉讼起诉审查", when={PUBLIC_INTEREST, LINKED_PIL},
         stops=(REPLY,),
         # The PIL kind's mutation moves the PIL case into litigation review in the same
         # transaction; takeStep refuses a step whose form names another mutation.
         form=Form("convertRecommendationToLitigation", "ConvertRecommendationToLitigationInput",
                   (COMMENT,))),
)  # fmt: skip

# The draft's fields (createRecommendation; updateRecommendation edits the text ones).
CREATE_FORM = Form("createRecommendation", "CreateRecommendationInput", (
    FormField("docNo", "文号", required=True, max_length=64, help="如 宿检行建〔2026〕3号"),
    FormField("title", "标题", required=True, max_length=200),
    FormField("type", "检察建议类型", FieldType.SELECT, True,
              tuple(Option(t.name, label) for t, label in TYPE_LABELS.items())),
    FormField("addresseeUnit", "被建议单位", FieldType.UNIT, required=True),
    FormField("issues", "发现的问题", FieldType.TEXTAREA, max_length=20_000),
    FormField("suggestions", "建议事项", FieldType.TEXTAREA, max_length=20_000),
    FormField("legalBasis", "法律依据", FieldType.TEXTAREA, max_length=20_000),
    FormField("internalNote", "内部备注", FieldType.TEXTAREA, help="仅检察院一方可见"),
))  # fmt: skip

STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        S.DRAFT: "草稿",
        S.PENDING_APPROVAL: "待审批",
        S.APPROVED: "已批准",
        S.SERVED: "已送达",
        S.RECTIFYING: "整改中",
        S.OBJECTION_REVIEW: "异议复核",
        S.REPLIED: "已回复",
        S.CLOSED_ADOPTED: "已采纳结案",
        S.WITHDRAWN: "已撤回",
        S.CONVERTED: "已转起诉审查",
    }
)


def _column(state: State) -> Column:
    return Column(state.value, STATE_LABELS[state], frozenset({state.value}),
                  collapsed=state in CLOSED)  # fmt: skip


_ORDER = (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SERVED, S.RECTIFYING)
COLUMNS = (
    *(_column(s) for s in _ORDER),
    Column("overdue", "逾期未回复", frozenset(AWAITING_REPLY), overdue_clock=REPLY),
    *(_column(s) for s in (S.OBJECTION_REVIEW, S.REPLIED, S.CLOSED_ADOPTED, S.WITHDRAWN,
                           S.CONVERTED)),
)  # fmt: skip

REPLY_CLOCK = ClockSpec(
    name=REPLY,
    label="回复期限",
    start_label="送达",
    rule_sets=(
        RuleSet(PUBLIC_INTEREST, ("ji21_2m", "ji21_15d")),
        RuleSet(None, ("jy_2m", "jy_custom")),
    ),
    default_rule="jy_2m",
    alert=AlertPolicy(),
    runs_in=frozenset(AWAITING_REPLY),
)

SPEC = KindSpec(
    kind=CaseKind.RECOMMENDATION,
    label="检察建议",
    group=KindGroup.CASE,
    graphql_type="Recommendation",
    states=STATE_LABELS,
    initial=S.DRAFT,
    closed=frozenset(CLOSED),
    transitions=TRANSITIONS,
    columns=COLUMNS,
    clocks=(REPLY_CLOCK,),
    sees={P.ISSUER: ALL_STATES, P.ADDRESSEE: frozenset(ISSUED), P.COPIED: frozenset(ISSUED)},
    internal_fields=frozenset({"internalNote"}),
    draft_states=frozenset({S.DRAFT}),
    case_no_field="docNo",
    create_form=CREATE_FORM,
    action_labels={"create": "起草", "update": "修改草稿",
                   "recompute_deadline": "节假日安排公布，重新计算期限"},
)  # fmt: skip
del S, R, P
