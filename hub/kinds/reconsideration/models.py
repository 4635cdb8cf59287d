"""The reconsideration participation's own storage (domain.md §6 K4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.reconsideration.spec import DecisionType, Mode, Result, SessionKind

if TYPE_CHECKING:
    from hub.models.case import Case


class ReconsiderationDetail(Model):
    """The invitation, the procuratorate's answer and the body's result."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="reconsideration", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    reconsideration_no = fields.CharField(max_length=64)
    applicant = fields.CharField(max_length=200)
    respondent = fields.CharField(max_length=200)
    matter = fields.TextField()
    accepted_on = fields.DateField(description="复议申请受理日期：60日决定期限自此起算")
    session_at = fields.DatetimeField(null=True)
    requested_mode = fields.CharEnumField(Mode, max_length=32)
    mode = fields.CharEnumField(Mode, max_length=32, null=True)
    decline_reason = fields.TextField(default="")
    attended_at = fields.DatetimeField(null=True)
    session_kind = fields.CharEnumField(SessionKind, max_length=32, null=True)
    attendance_notes = fields.TextField(default="")
    opinion = fields.TextField(default="")
    opinion_on = fields.DateField(null=True)
    result = fields.CharEnumField(Result, max_length=32, null=True)
    decision_type = fields.CharEnumField(DecisionType, max_length=32, null=True)
    decided_on = fields.DateField(null=True)
    document_no = fields.CharField(max_length=64, default="")
    result_summary = fields.TextField(default="")

    class Meta:
        table = "reconsideration_detail"
