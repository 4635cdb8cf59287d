"""The lead transfer's clocks: the chain of 《行政执法机关移送涉嫌犯罪案件的规定》 and the result
of a 检察意见. Each is started by the step the rule counts from, with the date that step
records, and alerts the party whose turn it is."""

from __future__ import annotations

from hub.domain.kinds import (
    DEADLINE_WORDING,
    AlertPolicy,
    AlertRecipient,
    ClockSpec,
    PartyRole,
    RuleSet,
)


class Clock:
    DECIDE = "decide"
    TRANSFER = "transfer"
    POLICE_REVIEW = "police_review"
    RECONSIDER_REQUEST = "reconsider_request"
    RECONSIDER_DECIDE = "reconsider_decide"
    SUPERVISION_REQUEST = "supervision_request"
    HANDOVER = "handover"
    RESULT = "result"


_SENDER = AlertRecipient.liaisons(PartyRole.ISSUER)
_RECEIVER = AlertRecipient.liaisons(PartyRole.RECIPIENT)
_HANDLER = AlertRecipient.person(PartyRole.HANDLER)
# A duty of the agency or the police: a day before, when overdue, and after two more days
# to the Linkage Office and the supervising procuratorate's chief (两法衔接监督).
_SUPERVISED = (AlertRecipient.office(), AlertRecipient.approvers(PartyRole.COPIED))


def _duty(*recipients: AlertRecipient) -> AlertPolicy:
    return AlertPolicy(
        due_soon_days=1, escalate_after_days=2, recipients=recipients,
        escalation_recipients=_SUPERVISED, wording=DEADLINE_WORDING,
    )  # fmt: skip


def _right(*recipients: AlertRecipient) -> AlertPolicy:
    """A period for the agency's own remedy (复议, 立案监督): reminded, never escalated."""
    return AlertPolicy(
        due_soon_days=1, escalate_after_days=None, recipients=recipients,
        escalation_recipients=(), wording=DEADLINE_WORDING,
    )  # fmt: skip


def _clock(name: str, label: str, start: str, rule: str, alert: AlertPolicy) -> ClockSpec:
    return ClockSpec(name, label, start, (RuleSet(None, (rule,)),), rule, alert=alert,
                     due_soon_days=1)  # fmt: skip


CLOCKS = (
    _clock(Clock.DECIDE, "批准移送期限", "接到移送报告", "ys_decide_3d", _duty(_SENDER, _HANDLER)),
    _clock(Clock.TRANSFER, "移送期限", "批准移送", "ys_transfer_24h", _duty(_SENDER, _HANDLER)),
    _clock(Clock.POLICE_REVIEW, "立案审查期限", "接受移送", "ys_police_review_3d",
           _duty(_RECEIVER)),
    _clock(Clock.RECONSIDER_REQUEST, "提请复议期限", "接到不予立案通知书",
           "ys_reconsider_request_3d", _right(_SENDER, _HANDLER)),
    _clock(Clock.RECONSIDER_DECIDE, "复议决定期限", "收到提请复议文件", "ys_reconsider_decide_3d",
           _duty(_RECEIVER)),
    _clock(Clock.SUPERVISION_REQUEST, "建议立案监督期限", "收到复议决定通知书",
           "ys_supervision_request_3d", _right(_SENDER, _HANDLER)),
    _clock(Clock.HANDOVER, "移交涉案物品期限", "接到立案通知书", "ys_handover_3d",
           _duty(_SENDER, _HANDLER)),
    ClockSpec(
        Clock.RESULT, "处理结果反馈期限", "检察意见送达",
        (RuleSet(None, ("xs177_result_2m", "xs177_result_custom")),), "xs177_result_2m",
        alert=AlertPolicy(
            due_soon_days=7, escalate_after_days=7, recipients=(_RECEIVER, _HANDLER),
            escalation_recipients=(AlertRecipient.office(), AlertRecipient.approvers(
                PartyRole.ISSUER)), wording=DEADLINE_WORDING,
        ),
    ),
)  # fmt: skip
