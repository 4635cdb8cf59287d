"""The recommendation's own storage: its detail row, replies, objections and escalations."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.recommendation.spec import EscalationTarget, RecommendationType
from hub.models._fields import nullable_enum

if TYPE_CHECKING:
    from hub.models.case import Case


class ServiceMethod(StrEnum):
    WRITTEN = "written"  # 书面送达
    ANNOUNCED = "announced"  # 宣告送达


class Completeness(StrEnum):
    FULL = "full"  # 全部整改
    PARTIAL = "partial"  # 部分整改
    NONE = "none"  # 未整改（说明理由）


class ReplyDecision(StrEnum):
    ADOPTED = "adopted"
    PARTIALLY_ADOPTED = "partially_adopted"


class ObjectionDecision(StrEnum):
    REJECTED = "rejected"
    AMENDED = "amended"
    WITHDRAWN = "withdrawn"


class RecommendationDetail(Model):
    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="recommendation", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    rec_type = fields.CharEnumField(RecommendationType, max_length=32)
    issues = fields.TextField(default="", description="发现的问题")
    suggestions = fields.TextField(default="", description="建议事项")
    legal_basis = fields.TextField(default="")
    served_on = fields.DateField(null=True)
    service_method = nullable_enum(ServiceMethod, max_length=16)

    class Meta:
        table = "recommendation_detail"


class Reply(Model):
    """An agency's written rectification reply (整改回复) and the procuratorate's review."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="replies", on_delete=fields.CASCADE
    )
    case_id: int
    content = fields.TextField()
    measures = fields.TextField(default="")
    completeness = fields.CharEnumField(Completeness, max_length=16)
    submitted_by = fields.CharField(max_length=128)
    submitted_at = fields.DatetimeField()
    decision = nullable_enum(ReplyDecision, max_length=32)
    review_comment = fields.TextField(default="")
    reviewed_by = fields.CharField(max_length=128, default="")
    reviewed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "reply"
        ordering = ("id",)


class Objection(Model):
    """An addressee's objection (异议) and the approver's decision on it."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="objections", on_delete=fields.CASCADE
    )
    case_id: int
    grounds = fields.TextField()
    raised_by = fields.CharField(max_length=128)
    raised_at = fields.DatetimeField()
    decision = nullable_enum(ObjectionDecision, max_length=16)
    reasons = fields.TextField(default="")
    decided_by = fields.CharField(max_length=128, default="")
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "objection"
        ordering = ("id",)


class Escalation(Model):
    """One report or notification the chief decided when a unit did not rectify (D6)."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="escalations", on_delete=fields.CASCADE
    )
    case_id: int
    target = fields.CharEnumField(EscalationTarget, max_length=40)
    decided_on = fields.DateField()
    decided_by = fields.CharField(max_length=128)
    note = fields.TextField(default="")
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "escalation"
        ordering = ("id",)
