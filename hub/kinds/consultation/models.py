"""The consultation's own storage: topic, question, meeting or referral, and the answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.consultation.spec import MeetingType, Topic

if TYPE_CHECKING:
    from hub.models.case import Case
    from hub.models.unit import Unit


class ConsultationDetail(Model):
    """The question, responders are RECIPIENT parties, answers child rows."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="consultation", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    topic = fields.CharEnumField(Topic, max_length=32, description="咨询事项类别")
    question = fields.TextField()
    suggested_units = fields.TextField(default="", description="申请单位建议的答复单位（名称）")
    office_note = fields.TextField(default="", description="分办意见")
    meeting_type = fields.CharEnumField(MeetingType, max_length=16, null=True)
    meeting_on = fields.DateField(null=True)
    meeting_place = fields.CharField(max_length=200, default="")
    meeting_reason = fields.TextField(default="")
    meeting_conclusion = fields.TextField(default="")
    # The MEETING case the coordination meeting becomes, once that kind exists.
    meeting_case_id = fields.IntField(null=True)
    referral_reason = fields.TextField(default="")
    accepted_by = fields.CharField(max_length=128, default="")
    accepted_at = fields.DatetimeField(null=True)
    acceptance_note = fields.TextField(default="")

    class Meta:
        table = "consultation_detail"


class ConsultationAnswer(Model):
    """One responder unit's answer (答复意见)."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="consultation_answers", on_delete=fields.CASCADE
    )
    case_id: int
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT, description="答复单位"
    )
    unit_id: int
    answer = fields.TextField()
    basis = fields.TextField(default="")
    answered_by = fields.CharField(max_length=128)
    answered_at = fields.DatetimeField()

    class Meta:
        table = "consultation_answer"
        ordering = ("id",)
        unique_together = (("case", "unit"),)
