"""The PIL case's own storage: the managed list of domains, its detail row, its consultation
records (诉前磋商) and follow-up investigations (跟进调查)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.pil_case.spec import (
    ClueSource,
    ConsultationForm,
    FollowUpMethod,
    LitigationResult,
    Outcome,
    TerminationReason,
)
from hub.models._fields import nullable_enum

if TYPE_CHECKING:
    from hub.models.case import Case


class PilDomain(Model):
    """A field of public interest (领域, domain.md §7), statutory or newly explored.

    Administrators add and retire entries, so it is a managed table, not an enum."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=48, unique=True)
    name = fields.CharField(max_length=64)
    statutory = fields.BooleanField(default=False, description="法律明确规定的领域")
    position = fields.IntField(default=0)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "pil_domain"
        ordering = ("position", "id")


class PilDetail(Model):
    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="pil", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    clue_source = fields.CharEnumField(ClueSource, max_length=32)
    clue_received_on = fields.DateField()
    department = fields.CharField(max_length=64, default="", description="承办部门")
    domain: fields.ForeignKeyRelation[PilDomain] = fields.ForeignKeyField(
        "hub.PilDomain", related_name="cases", on_delete=fields.RESTRICT
    )
    domain_id: int
    harm_description = fields.TextField(default="", description="公益受损情况")
    duty_basis = fields.TextField(default="", description="行政机关的法定职责及法律依据")
    urgent = fields.BooleanField(default=False, description="公益损害继续扩大等紧急情形")
    assessment = fields.TextField(default="", description="线索评估意见")
    filed_on = fields.DateField(null=True)
    filing_decision_no = fields.CharField(max_length=64, null=True, unique=True)
    filing_served_on = fields.DateField(null=True)
    outcome = nullable_enum(Outcome, max_length=16)
    termination_reason = nullable_enum(TerminationReason, max_length=32)
    outcome_note = fields.TextField(default="", description="不予立案或终结的理由、诉讼结果说明")
    decided_on = fields.DateField(null=True, description="不予立案、终结或结案的日期")
    court = fields.CharField(max_length=128, default="")
    suit_filed_on = fields.DateField(null=True)
    indictment_no = fields.CharField(max_length=64, default="", description="起诉书文号")
    litigation_result = nullable_enum(LitigationResult, max_length=16)

    class Meta:
        table = "pil_detail"


class PilConsultation(Model):
    """One pre-suit consultation (诉前磋商) record, confirmed by the agency's liaison."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="pil_consultations", on_delete=fields.CASCADE
    )
    case_id: int
    form = fields.CharEnumField(ConsultationForm, max_length=32)
    held_on = fields.DateField()
    participants = fields.TextField()
    agreed_measures = fields.TextField(default="", description="行政机关认可的整改措施")
    minutes = fields.TextField(default="", description="磋商纪要或记录")
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()
    confirmed_by = fields.CharField(max_length=128, default="")
    confirmed_at = fields.DatetimeField(null=True)
    confirmation_note = fields.TextField(default="")

    class Meta:
        table = "pil_consultation"
        ordering = ("id",)


class PilFollowUp(Model):
    """One follow-up investigation (跟进调查) after the recommendation's reply or period."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="pil_follow_ups", on_delete=fields.CASCADE
    )
    case_id: int
    method = fields.CharEnumField(FollowUpMethod, max_length=16)
    investigated_on = fields.DateField()
    finding = fields.TextField()
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "pil_follow_up"
        ordering = ("id",)
