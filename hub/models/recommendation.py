"""The procuratorial recommendation (检察建议) with its replies and objections."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.domain.deadlines import PeriodUnit, ReplyRule
from hub.domain.lifecycle import State
from hub.models._fields import nullable_enum

if TYPE_CHECKING:
    from hub.models.account import User
    from hub.models.unit import Unit


class RecommendationType(StrEnum):
    """The five forms of 《人民检察院检察建议工作规定》."""

    RETRIAL = "retrial"  # 再审检察建议
    CORRECTION = "correction"  # 纠正违法检察建议
    PUBLIC_INTEREST = "public_interest"  # 公益诉讼检察建议
    SOCIAL_GOVERNANCE = "social_governance"  # 社会治理检察建议
    OTHER = "other"


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


class Recommendation(Model):
    id = fields.IntField(primary_key=True)
    doc_no = fields.CharField(
        max_length=64, unique=True, description="文号, e.g. 宿检行建〔2026〕3号"
    )
    title = fields.CharField(max_length=200)
    rec_type = fields.CharEnumField(RecommendationType, max_length=32)
    issuer_unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name="issued_recommendations", on_delete=fields.RESTRICT
    )
    issuer_unit_id: int
    addressee_unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name="received_recommendations", on_delete=fields.RESTRICT
    )
    addressee_unit_id: int
    prosecutor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "hub.User", related_name="handled_recommendations", null=True, on_delete=fields.SET_NULL
    )
    prosecutor_id: int | None
    issues = fields.TextField(default="", description="发现的问题")
    suggestions = fields.TextField(default="", description="建议事项")
    legal_basis = fields.TextField(default="")
    internal_note = fields.TextField(default="", description="检察院内部备注，对被建议单位不可见")
    state = fields.CharEnumField(State, max_length=32, db_index=True)
    urgent = fields.BooleanField(default=False)
    reply_rule = fields.CharEnumField(
        ReplyRule, max_length=32, default=ReplyRule.STATUTORY_2_MONTHS
    )
    custom_period_amount = fields.IntField(null=True)
    custom_period_unit = nullable_enum(PeriodUnit, max_length=16)
    served_on = fields.DateField(null=True)
    service_method = nullable_enum(ServiceMethod, max_length=16)
    reply_due = fields.DateField(null=True, db_index=True)
    due_provisional = fields.BooleanField(default=False)
    due_explanation = fields.TextField(default="")
    deadline_version = fields.IntField(default=0, description="bumped whenever reply_due changes")
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recommendation"
        indexes = (("addressee_unit_id", "state"), ("issuer_unit_id", "state"))


class Reply(Model):
    """An agency's written rectification reply (整改回复) and the procuratorate's review."""

    id = fields.IntField(primary_key=True)
    recommendation: fields.ForeignKeyRelation[Recommendation] = fields.ForeignKeyField(
        "hub.Recommendation", related_name="replies", on_delete=fields.CASCADE
    )
    recommendation_id: int
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
    recommendation: fields.ForeignKeyRelation[Recommendation] = fields.ForeignKeyField(
        "hub.Recommendation", related_name="objections", on_delete=fields.CASCADE
    )
    recommendation_id: int
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
