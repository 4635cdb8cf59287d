"""The lead transfer's forms: what each step records (the board builds its dialogs from them)."""

from __future__ import annotations

from hub.domain.kinds import FieldType, Form, FormField, Option, UnitScope, choice
from hub.kinds.lead_transfer.clocks import Clock
from hub.kinds.lead_transfer.enums import (
    DIRECTION_LABELS,
    MATERIAL_LABELS,
    SANCTION_LABELS,
    Direction,
    Material,
    SanctionResult,
)
from hub.kinds.pil_case.spec import DOMAINS
from hub.kinds.recommendation.spec import RecommendationType

_T = FieldType


def _date(name: str, label: str, help: str = "") -> FormField:
    return FormField(name, label, _T.DATE, required=True, help=help)


def _moment(name: str, label: str, help: str = "") -> FormField:
    return FormField(name, label, _T.DATETIME, required=True, help=help)


def _text(name: str, label: str, required: bool = True, limit: int = 5000) -> FormField:
    return FormField(name, label, _T.TEXTAREA, required, max_length=limit)


def _line(name: str, label: str, required: bool = False, help: str = "") -> FormField:
    return FormField(name, label, required=required, max_length=64, help=help)


def _form(mutation: str, *fields: FormField) -> Form:
    return Form(mutation, f"{mutation[0].upper()}{mutation[1:]}Input", fields)


MATERIALS = choice("materials", "移送材料", Material, MATERIAL_LABELS, multiple=True,
                   help="第六条：应当附有移送书、调查报告、涉案物品清单，"
                        "有检验报告或者鉴定结论的一并附上")  # fmt: skip

CREATE = _form(
    "createLeadTransfer",
    FormField("caseNo", "移送文号", required=True, max_length=64, help="如 宿环移〔2026〕3号"),
    FormField("title", "案件（线索）名称", required=True, max_length=200),
    choice("direction", "移送类型", Direction, DIRECTION_LABELS),
    FormField(
        "recipientUnitId",
        "接收单位",
        _T.UNIT,
        required=True,
        unit_scope=UnitScope.ANY,
        help="涉嫌犯罪案件移送同级公安机关；公益诉讼线索移送检察院",
    ),
    _text("subject", "案件（线索）概要"),
    FormField("offence", "涉嫌罪名或违法行为", max_length=200),
    _text("internalNote", "内部备注", required=False, limit=2000),
)
SUBMIT_REPORT = _form(
    "submitLeadTransferReport",
    _date(
        "reportedOn",
        "报告日期",
        "承办人向本机关负责人报告之日；负责人应当自接到报告之日起3日内作出决定",
    ),
    _text("report", "移送报告要点", required=False),
)
APPROVE = _form(
    "approveLeadTransfer",
    _line("approvedBy", "批准负责人", required=True, help="本机关正职负责人或者主持工作的负责人"),
    _moment("approvedAt", "批准时间", "自批准时起24小时内移送公安机关"),
)
NOT_APPROVE = _form(
    "notApproveLeadTransfer",
    _line("approvedBy", "决定负责人", required=True),
    _date("decidedOn", "决定日期"),
    _text("reason", "不批准移送的理由", limit=2000),
)
TRANSFER = _form(
    "transferLeadTransfer",
    _moment("transferredAt", "移送时间"),
    MATERIALS,
    _text("materialNote", "材料说明", required=False, limit=2000),
)
SIGN_RECEIPT = _form(
    "signLeadTransferReceipt",
    _date("receivedOn", "接受移送日期", "公安机关应当自接受移送之日起3日内审查"),
    _line("receiptNo", "回执编号"),
)
FILE_CASE = _form(
    "fileLeadTransferCase",
    _date("filedOn", "立案通知书送达日期", "移送机关自接到立案通知书之日起3日内移交涉案物品和材料"),
    _line("filingNo", "立案决定书文号"),
)
REFUSE_FILING = _form(
    "refuseLeadTransferFiling",
    _date("notifiedOn", "不予立案通知书送达日期", "移送机关自接到通知书之日起3日内可以提请复议"),
    _text("reasons", "不予立案的理由", limit=2000),
    FormField("materialsReturned", "已退回案卷材料", _T.BOOLEAN),
)
REQUEST_RECONSIDERATION = _form(
    "requestLeadTransferReconsideration",
    _date("requestedOn", "提请复议日期", "公安机关应当自收到提请复议的文件之日起3日内作出决定"),
    _text("grounds", "提请复议的理由", limit=2000),
)
REQUEST_SUPERVISION = _form(
    "requestLeadTransferSupervision",
    _date("requestedOn", "建议立案监督日期"),
    _text("grounds", "建议立案监督的理由", limit=2000),
)
NOTIFY_FILING = _form(
    "notifyLeadTransferFiling",
    _date("notifiedOn", "通知立案日期"),
    _text("opinion", "立案监督意见", limit=2000),
)
UPHOLD_REFUSAL = _form("upholdLeadTransferRefusal", _text("reason", "审查意见", limit=2000))
HAND_OVER = _form(
    "handOverLeadTransferExhibits",
    _date("handedOverOn", "移交日期"),
    _text("items", "移交的涉案物品和材料", limit=2000),
)
ISSUE_OPINION = _form(
    "issueLeadTransferOpinion",
    _line("nonProsecutionNo", "不起诉决定书文号", required=True),
    _date("issuedOn", "检察意见送达日期"),
    _text("opinion", "检察意见"),
    FormField("deadlineRule", "反馈期限", _T.RULE, required=True, clock=Clock.RESULT),
    FormField("customPeriod", "自定义期限", _T.PERIOD, help="最长两个月"),
)
REPORT_RESULT = _form(
    "reportLeadTransferResult",
    choice("result", "处理结果", SanctionResult, SANCTION_LABELS),
    _date("decidedOn", "处理决定日期"),
    _line("decisionNo", "处理决定文号"),
    _text("content", "处理情况"),
)
_SPAWNABLE = (RecommendationType.SOCIAL_GOVERNANCE, RecommendationType.CORRECTION,
              RecommendationType.OTHER)  # fmt: skip
_REC_LABELS = {RecommendationType.SOCIAL_GOVERNANCE: "社会治理检察建议",
               RecommendationType.CORRECTION: "纠正违法检察建议",
               RecommendationType.OTHER: "其他"}  # fmt: skip
OPEN_PIL_CASE = _form(
    "openPilCaseFromLead",
    FormField("pilCaseNo", "公益诉讼案件编号", required=True, max_length=64),
    FormField("agencyUnitId", "被监督行政机关", _T.UNIT, required=True),
    FormField(
        "domainCode",
        "领域",
        _T.SELECT,
        True,
        tuple(Option(code, name) for code, name, _ in DOMAINS),
    ),
    _text("harmDescription", "公益受损情况", required=False),
)
OPEN_RECOMMENDATION = _form(
    "openRecommendationFromLead",
    FormField("docNo", "检察建议书文号", required=True, max_length=64),
    FormField(
        "recType",
        "检察建议类型",
        _T.SELECT,
        True,
        tuple(Option(t.value, _REC_LABELS[t]) for t in _SPAWNABLE),
        enum=RecommendationType,
    ),
    FormField("addresseeUnitId", "被建议单位", _T.UNIT, required=True),
    _text("suggestions", "建议内容", required=False),
)
HANDLE_LEAD = _form("handleLead", _text("measures", "处理措施"))
REJECT_LEAD = _form("rejectLead", _text("reason", "不予受理的理由", limit=2000))
SEND_FEEDBACK = _form(
    "sendLeadFeedback", _date("feedbackOn", "反馈日期"), _text("feedback", "反馈内容")
)
