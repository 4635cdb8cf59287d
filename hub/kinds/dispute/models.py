"""The dispute's own storage: its detail row, applicants and the records of its handling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.dispute.spec import (
    ActType,
    AidStatus,
    ApplicantKind,
    InvestigationMethod,
    Outcome,
    RiskLevel,
    Stage,
)
from hub.models._fields import nullable_enum

if TYPE_CHECKING:
    from hub.models.case import Case


class DisputeDetail(Model):
    """What a dispute is about. The agency whose act is disputed is the RESPONDENT party."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="dispute", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    stage = fields.CharEnumField(Stage, max_length=32)
    act_type = fields.CharEnumField(ActType, max_length=32)
    third_parties = fields.TextField(default="")
    core_demand = fields.TextField()
    amount = fields.DecimalField(
        max_digits=14, decimal_places=2, null=True, description="涉案金额（元）"
    )
    petition_risk = fields.CharEnumField(RiskLevel, max_length=16)
    reconsideration_no = fields.CharField(max_length=64, default="", description="关联复议案号")
    rejection_reason = fields.TextField(default="")
    outcome = nullable_enum(Outcome, max_length=32)
    resolved_on = fields.DateField(null=True)
    resolution_summary = fields.TextField(default="")
    not_resolved_reason = fields.TextField(default="")

    class Meta:
        table = "dispute_detail"


class DisputeApplicant(Model):
    """An applicant (申请人), who is not a user of the hub."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="dispute_applicants", on_delete=fields.CASCADE
    )
    case_id: int
    name = fields.CharField(max_length=100)
    kind = fields.CharEnumField(ApplicantKind, max_length=16)
    contact = fields.CharField(max_length=200, default="")

    class Meta:
        table = "dispute_applicant"
        ordering = ("id",)


class DisputeInvestigation(Model):
    """One 调查核实 record."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="dispute_investigations", on_delete=fields.CASCADE
    )
    case_id: int
    investigated_on = fields.DateField()
    method = fields.CharEnumField(InvestigationMethod, max_length=32)
    finding = fields.TextField()
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "dispute_investigation"
        ordering = ("id",)


class DisputeHearing(Model):
    """A hearing (听证), scheduled and then, once held, its result."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="dispute_hearings", on_delete=fields.CASCADE
    )
    case_id: int
    hearing_on = fields.DateField(description="scheduled date")
    hearing_officers = fields.TextField(description="听证员")
    public = fields.BooleanField()
    venue = fields.CharField(max_length=200, default="")
    held_on = fields.DateField(null=True)
    result = fields.TextField(default="")
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "dispute_hearing"
        ordering = ("id",)


class DisputePlan(Model):
    """A resolution plan (化解方案). The latest one is current."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="dispute_plans", on_delete=fields.CASCADE
    )
    case_id: int
    content = fields.TextField()
    parties = fields.TextField()
    agreed_on = fields.DateField()
    agreed_by = fields.TextField()
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()
    confirmed_by = fields.CharField(max_length=128, default="", description="the agency's")
    confirmed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "dispute_plan"
        ordering = ("id",)


class DisputeJudicialAid(Model):
    """A 司法救助 application and the chief's decision on it."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="dispute_aids", on_delete=fields.CASCADE
    )
    case_id: int
    amount = fields.DecimalField(max_digits=14, decimal_places=2, description="申请金额（元）")
    approved_amount = fields.DecimalField(
        max_digits=14, decimal_places=2, null=True, description="核定金额（元）"
    )
    reason = fields.TextField()
    applied_on = fields.DateField()
    status = fields.CharEnumField(AidStatus, max_length=16)
    decided_on = fields.DateField(null=True)
    decided_by = fields.CharField(max_length=128, default="")
    decision_note = fields.TextField(default="")
    paid_on = fields.DateField(null=True)
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "dispute_judicial_aid"
        ordering = ("id",)


class DisputeFollowUp(Model):
    """A follow-up check (跟进核查) of a resolved dispute."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="dispute_follow_ups", on_delete=fields.CASCADE
    )
    case_id: int
    checked_on = fields.DateField()
    finding = fields.TextField()
    performed = fields.BooleanField()
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "dispute_follow_up"
        ordering = ("id",)


class DisputeMaterial(Model):
    """Materials the respondent agency submitted (说明、证据)."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="dispute_materials", on_delete=fields.CASCADE
    )
    case_id: int
    content = fields.TextField()
    submitted_by = fields.CharField(max_length=128)
    submitted_at = fields.DatetimeField()

    class Meta:
        table = "dispute_material"
        ordering = ("id",)
