"""The lead transfer's own storage: direction, subject, materials, the chain's key moments,
and one record per step that carries text (报告, 决定, 理由, 反馈)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.lead_transfer.enums import Direction, LeadOutcome, SanctionResult

if TYPE_CHECKING:
    from hub.models.case import Case


class LeadTransferDetail(Model):
    """What is transferred, to whom and how far the chain has come (domain.md §6 K5)."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="lead_transfer", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    direction = fields.CharEnumField(Direction, max_length=32)
    subject = fields.TextField()
    offence = fields.CharField(max_length=200, default="")
    materials = fields.CharField(max_length=200, default="", description="comma-separated")
    approved_by = fields.CharField(max_length=64, default="")
    approved_at = fields.DatetimeField(null=True)
    transferred_at = fields.DatetimeField(null=True)
    received_on = fields.DateField(null=True)
    decision = fields.CharField(max_length=32, default="", description="filed / not_filed")
    decided_on = fields.DateField(null=True)
    reconsideration_requested_on = fields.DateField(null=True)
    supervision_requested_on = fields.DateField(null=True)
    handed_over_on = fields.DateField(null=True)
    result = fields.CharEnumField(SanctionResult, max_length=32, null=True)
    outcome = fields.CharEnumField(LeadOutcome, max_length=32, null=True)

    class Meta:
        table = "lead_transfer_detail"


class LeadTransferRecord(Model):
    """One step's record: its date or instant, document number and text."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="lead_transfer_records", on_delete=fields.CASCADE
    )
    case_id: int
    action = fields.CharField(max_length=32)
    label = fields.CharField(max_length=64)
    on = fields.DateField()
    at = fields.DatetimeField(null=True)
    doc_no = fields.CharField(max_length=64, default="")
    person = fields.CharField(max_length=64, default="", description="批准负责人等")
    text = fields.TextField(default="")
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "lead_transfer_record"
        ordering = ("id",)
