"""线索移送 (domain.md §5.5, D13, D14) as a kind spec: five directions on one lifecycle table.

(a) 涉嫌犯罪案件移送 follows 《行政执法机关移送涉嫌犯罪案件的规定》 step by step, each step starting
the clock of the next: 3 days for the head's decision (Art. 5), 24 hours to transfer (Art. 5),
3 days for the police review (Art. 8), 3 days to ask for reconsideration and 3 days to decide it
(Art. 9), 3 days to ask the procuratorate for 立案监督 (Art. 9), 3 days to hand over the exhibits
after filing (Art. 12). (b) 反向衔接: the procuratorate's 检察意见 after non-prosecution and the
agency's result (刑事诉讼法第一百七十七条第三款). (c)–(e) plain leads: submitted, acknowledged,
assessed (a PIL case or a recommendation may be opened from it), answered with feedback.

Choices where domain.md leaves one:

- The author's unit sends (ISSUER, 移送单位); the unit chosen receives (RECIPIENT, 接收单位):
  the police for (a), the competent agency for (b), the procuratorate for (c), either side
  for (d), the supervision commission (or the procuratorate) for (e). The author is the handler.
- For (a) and (e) the city's procuratorate is added as a party (COPIED, worded 立案监督检察院):
  检察机关 supervises 两法衔接, so it sees the case from the moment the report goes to the head
  (待批准移送) — 应移不移 is what it watches — never the agency's draft. In (a) it decides a
  request for 立案监督 (通知立案 or 不立案理由成立).
- The receiving unit sees a case once it has been sent (移送, 检察意见送达, 线索报送), not the
  sender's draft or the head's decision before it.
- The head's decision is recorded by the unit's liaison or leader with the head's name and the
  time of approval (the 24-hour clock runs from that instant); a refusal records its reasons.
- The police's forwarding to another jurisdiction within 24 hours (Art. 8) is not modelled.
- Dates a clock starts from are the dates the rules name as entered by the acting unit (e.g.
  the day the agency received the 不予立案通知书); the request for reconsideration is taken as
  received by the police the day it is recorded.
- (b): the result clock defaults to two months (law: 及时); the prosecutor may set a shorter
  period (at most two months). (c)–(e) have no statutory clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from hub.domain.kinds import (
    ALL_STATES,
    TAKE_STEP,
    CaseKind,
    Column,
    KindSpec,
    PartyRole,
    Transition,
    step,
)
from hub.domain.roles import UNIT_STAFF, Role, Side
from hub.kinds.lead_transfer import forms as F
from hub.kinds.lead_transfer.clocks import CLOCKS, Clock
from hub.kinds.lead_transfer.enums import Direction


class State(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    TRANSFERRED = "transferred"
    RECEIVED = "received"
    NOT_FILED = "not_filed"
    RECONSIDERING = "reconsidering"
    NOT_FILED_FINAL = "not_filed_final"
    SUPERVISION = "supervision"
    FILING_NOTIFIED = "filing_notified"
    FILED = "filed"
    CLOSED_TRANSFERRED = "closed_transferred"
    CLOSED_NOT_FILED = "closed_not_filed"
    OPINION_ISSUED = "opinion_issued"
    OPINION_RECEIVED = "opinion_received"
    RESULT_REPORTED = "result_reported"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    ASSESSED = "assessed"
    FEEDBACK_SENT = "feedback_sent"
    CLOSED = "closed"


class Action(StrEnum):
    SUBMIT_REPORT = "submit_report"
    APPROVE = "approve"
    NOT_APPROVE = "not_approve"
    TRANSFER = "transfer"
    SIGN_RECEIPT = "sign_receipt"
    FILE_CASE = "file_case"
    REFUSE_FILING = "refuse_filing"
    REQUEST_RECONSIDERATION = "request_reconsideration"
    ACCEPT_REFUSAL = "accept_refusal"
    REQUEST_SUPERVISION = "request_supervision"
    NOTIFY_FILING = "notify_filing"
    UPHOLD_REFUSAL = "uphold_refusal"
    HAND_OVER = "hand_over"
    ISSUE_OPINION = "issue_opinion"
    RECEIVE_OPINION = "receive_opinion"
    REPORT_RESULT = "report_result"
    SUBMIT_LEAD = "submit_lead"
    ACKNOWLEDGE = "acknowledge"
    OPEN_PIL_CASE = "open_pil_case"
    OPEN_RECOMMENDATION = "open_recommendation"
    HANDLE_LEAD = "handle_lead"
    REJECT_LEAD = "reject_lead"
    SEND_FEEDBACK = "send_feedback"
    CLOSE = "close"


S = State
STATE_LABELS: Mapping[str, str] = MappingProxyType({
    S.DRAFT: "草稿", S.PENDING_APPROVAL: "待批准移送", S.APPROVED: "已批准待移送",
    S.NOT_APPROVED: "不批准移送", S.TRANSFERRED: "已移送待签收", S.RECEIVED: "公安机关审查中",
    S.NOT_FILED: "不予立案", S.RECONSIDERING: "提请复议中", S.NOT_FILED_FINAL: "复议维持不立案",
    S.SUPERVISION: "立案监督中", S.FILING_NOTIFIED: "已通知立案", S.FILED: "已立案待移交",
    S.CLOSED_TRANSFERRED: "已移交办结", S.CLOSED_NOT_FILED: "不立案办结",
    S.OPINION_ISSUED: "检察意见已送达", S.OPINION_RECEIVED: "主管机关处理中",
    S.RESULT_REPORTED: "已反馈处理结果", S.SUBMITTED: "线索已报送", S.ACKNOWLEDGED: "线索已签收",
    S.ASSESSED: "线索已评估", S.FEEDBACK_SENT: "已反馈", S.CLOSED: "已办结",
})  # fmt: skip

R = Role
AGENCY = frozenset({R.UNIT_LIAISON, R.UNIT_LEADER})
PROC = frozenset({R.PROSECUTOR, R.PROCURATOR_APPROVER})
ISSUER, RECIPIENT, SUPERVISOR = PartyRole.ISSUER, PartyRole.RECIPIENT, PartyRole.COPIED
CRIME = frozenset({Direction.CRIME_TO_POLICE.value})
REVERSE = frozenset({Direction.REVERSE.value})
C = Clock

_CRIME: tuple[Transition, ...] = (
    step(Action.SUBMIT_REPORT, [S.DRAFT], S.PENDING_APPROVAL, ISSUER, AGENCY, "报请批准移送",
         when=CRIME, form=F.SUBMIT_REPORT),
    step(Action.APPROVE, [S.PENDING_APPROVAL], S.APPROVED, ISSUER, AGENCY, "批准移送",
         stops=(C.DECIDE,), form=F.APPROVE),
    step(Action.NOT_APPROVE, [S.PENDING_APPROVAL], S.NOT_APPROVED, ISSUER, AGENCY, "不批准移送",
         stops=(C.DECIDE,), form=F.NOT_APPROVE),
    step(Action.TRANSFER, [S.APPROVED], S.TRANSFERRED, ISSUER, AGENCY, "移送公安机关",
         stops=(C.TRANSFER,), form=F.TRANSFER),
    step(Action.SIGN_RECEIPT, [S.TRANSFERRED], S.RECEIVED, RECIPIENT, AGENCY, "签收回执",
         form=F.SIGN_RECEIPT),
    step(Action.FILE_CASE, [S.RECEIVED, S.RECONSIDERING, S.FILING_NOTIFIED], S.FILED, RECIPIENT,
         AGENCY, "决定立案", stops=(C.POLICE_REVIEW, C.RECONSIDER_DECIDE), form=F.FILE_CASE),
    step(Action.REFUSE_FILING, [S.RECEIVED], S.NOT_FILED, RECIPIENT, AGENCY, "不予立案",
         stops=(C.POLICE_REVIEW,), form=F.REFUSE_FILING),
    step(Action.REFUSE_FILING, [S.RECONSIDERING], S.NOT_FILED_FINAL, RECIPIENT, AGENCY,
         "不予立案", stops=(C.RECONSIDER_DECIDE,), form=F.REFUSE_FILING),
    step(Action.REQUEST_RECONSIDERATION, [S.NOT_FILED], S.RECONSIDERING, ISSUER, AGENCY,
         "提请复议", stops=(C.RECONSIDER_REQUEST,), form=F.REQUEST_RECONSIDERATION),
    step(Action.REQUEST_SUPERVISION, [S.NOT_FILED_FINAL], S.SUPERVISION, ISSUER, AGENCY,
         "建议检察院立案监督", stops=(C.SUPERVISION_REQUEST,), form=F.REQUEST_SUPERVISION),
    step(Action.ACCEPT_REFUSAL, [S.NOT_FILED, S.NOT_FILED_FINAL], S.CLOSED_NOT_FILED, ISSUER,
         AGENCY, "接受不立案决定", stops=(C.RECONSIDER_REQUEST, C.SUPERVISION_REQUEST),
         form=TAKE_STEP),
    step(Action.NOTIFY_FILING, [S.SUPERVISION], S.FILING_NOTIFIED, SUPERVISOR, PROC,
         "通知公安机关立案", form=F.NOTIFY_FILING),
    step(Action.UPHOLD_REFUSAL, [S.SUPERVISION], S.CLOSED_NOT_FILED, SUPERVISOR, PROC,
         "不立案理由成立", form=F.UPHOLD_REFUSAL),
    step(Action.HAND_OVER, [S.FILED], S.CLOSED_TRANSFERRED, ISSUER, AGENCY, "移交涉案物品和材料",
         stops=(C.HANDOVER,), form=F.HAND_OVER),
)  # fmt: skip

_REVERSE: tuple[Transition, ...] = (
    step(Action.ISSUE_OPINION, [S.DRAFT], S.OPINION_ISSUED, ISSUER, PROC, "送达检察意见",
         when=REVERSE, form=F.ISSUE_OPINION),
    step(Action.RECEIVE_OPINION, [S.OPINION_ISSUED], S.OPINION_RECEIVED, RECIPIENT, AGENCY,
         "签收检察意见"),
    step(Action.REPORT_RESULT, [S.OPINION_ISSUED, S.OPINION_RECEIVED], S.RESULT_REPORTED,
         RECIPIENT, AGENCY, "反馈处理结果", stops=(C.RESULT,), form=F.REPORT_RESULT),
    step(Action.CLOSE, [S.RESULT_REPORTED], S.CLOSED, ISSUER, PROC, "审查办结"),
)  # fmt: skip

_LEADS: tuple[Transition, ...] = (
    step(Action.SUBMIT_LEAD, [S.DRAFT], S.SUBMITTED, ISSUER, UNIT_STAFF, "报送线索",
         unless=CRIME | REVERSE),
    step(Action.ACKNOWLEDGE, [S.SUBMITTED], S.ACKNOWLEDGED, RECIPIENT, UNIT_STAFF, "签收线索"),
    step(Action.OPEN_PIL_CASE, [S.ACKNOWLEDGED], S.ASSESSED, RECIPIENT, [R.PROSECUTOR],
         "转为公益诉讼案件", form=F.OPEN_PIL_CASE),
    step(Action.OPEN_RECOMMENDATION, [S.ACKNOWLEDGED], S.ASSESSED, RECIPIENT, [R.PROSECUTOR],
         "制发检察建议", form=F.OPEN_RECOMMENDATION),
    step(Action.HANDLE_LEAD, [S.ACKNOWLEDGED], S.ASSESSED, RECIPIENT, UNIT_STAFF, "依职权处理",
         form=F.HANDLE_LEAD),
    step(Action.REJECT_LEAD, [S.ACKNOWLEDGED], S.ASSESSED, RECIPIENT, UNIT_STAFF, "不予受理",
         form=F.REJECT_LEAD),
    step(Action.SEND_FEEDBACK, [S.ASSESSED], S.FEEDBACK_SENT, RECIPIENT, UNIT_STAFF, "反馈移送单位",
         form=F.SEND_FEEDBACK),
    step(Action.CLOSE, [S.FEEDBACK_SENT], S.CLOSED, ISSUER, UNIT_STAFF, "确认办结"),
)  # fmt: skip

UNSENT = frozenset({S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.NOT_APPROVED})
CLOSED = frozenset({S.NOT_APPROVED, S.CLOSED_TRANSFERRED, S.CLOSED_NOT_FILED, S.CLOSED})


def _col(column_id: str, label: str, *states: State, clock: str | None = None,
         collapsed: bool = False) -> Column:  # fmt: skip
    return Column(column_id, label, frozenset(states), overdue_clock=clock, collapsed=collapsed)


COLUMNS = (
    _col("DRAFT", "草稿", S.DRAFT),
    _col("PENDING_APPROVAL", "待批准移送", S.PENDING_APPROVAL),
    _col("APPROVED", "已批准待移送", S.APPROVED),
    _col("TRANSFER_OVERDUE", "逾期未移送", S.APPROVED, clock=C.TRANSFER),
    _col("TRANSFERRED", "已移送待签收", S.TRANSFERRED),
    _col("RECEIVED", "公安机关审查中", S.RECEIVED),
    _col("REVIEW_OVERDUE", "逾期未作立案决定", S.RECEIVED, clock=C.POLICE_REVIEW),
    _col("NOT_FILED", "不予立案·复议", S.NOT_FILED, S.RECONSIDERING, S.NOT_FILED_FINAL),
    _col("SUPERVISION", "立案监督", S.SUPERVISION, S.FILING_NOTIFIED),
    _col("FILED", "已立案待移交", S.FILED),
    _col("OPINION", "检察意见待反馈", S.OPINION_ISSUED, S.OPINION_RECEIVED),
    _col("RESULT_OVERDUE", "逾期未反馈结果", S.OPINION_ISSUED, S.OPINION_RECEIVED, clock=C.RESULT),
    _col("RESULT_REPORTED", "已反馈处理结果", S.RESULT_REPORTED),
    _col("LEADS", "线索待评估", S.SUBMITTED, S.ACKNOWLEDGED),
    _col("ASSESSED", "已评估·反馈", S.ASSESSED, S.FEEDBACK_SENT),
    _col("CLOSED", "已办结", *CLOSED, collapsed=True),
)

SPEC = KindSpec(
    kind=CaseKind.LEAD_TRANSFER,
    label="线索移送",
    graphql_type="LeadTransfer",
    states=STATE_LABELS,
    initial=S.DRAFT,
    closed=frozenset(CLOSED),
    transitions=(*_CRIME, *_REVERSE, *_LEADS),
    columns=COLUMNS,
    clocks=CLOCKS,
    sees={
        ISSUER: ALL_STATES,
        PartyRole.HANDLER: ALL_STATES,
        RECIPIENT: frozenset(STATE_LABELS) - UNSENT,
        SUPERVISOR: frozenset(STATE_LABELS) - {S.DRAFT},
    },
    draft_states=frozenset({S.DRAFT}),
    case_no_label="移送文号",
    create_roles=UNIT_STAFF,
    create_sides=frozenset({Side.PROCURATORATE, Side.GOVERNMENT}),
    create_form=F.CREATE,
    author_person=PartyRole.HANDLER,
    party_labels={ISSUER: "移送单位", RECIPIENT: "接收单位", SUPERVISOR: "立案监督检察院"},
)
