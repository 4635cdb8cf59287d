"""The notification item's own storage: its category, text, period, and one acknowledgement
record per recipient unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.notification.spec import Category, Direction, Period

if TYPE_CHECKING:
    from hub.models.case import Case
    from hub.models.unit import Unit


class NotificationDetail(Model):
    """What is notified, recipients are RECIPIENT parties, acknowledgements child rows."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="notification", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    category = fields.CharEnumField(Category, max_length=32, description="通报类别")
    direction = fields.CharEnumField(Direction, max_length=32)
    issuer_unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT, description="通报单位"
    )
    issuer_unit_id: int
    body = fields.TextField()
    period = fields.CharEnumField(Period, max_length=16, null=True, description="报送周期")
    period_start = fields.DateField(null=True, description="所属期的第一日")
    next_due_on = fields.DateField(null=True, description="下期报送期限")
    office_note = fields.TextField(default="")
    successor_id = fields.IntField(null=True, description="接续报送的下期通报")

    class Meta:
        table = "notification_detail"
        indexes = (("issuer_unit_id", "category"),)


class NotificationAcknowledgement(Model):
    """One recipient's receipt: delivered when the Office forwards, acknowledged by the unit."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="notification_acknowledgements", on_delete=fields.CASCADE
    )
    case_id: int
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT, description="接收单位"
    )
    unit_id: int
    delivered_at = fields.DatetimeField()
    acknowledged_at = fields.DatetimeField(null=True)
    acknowledged_by = fields.CharField(max_length=128, default="")
    note = fields.TextField(default="")

    class Meta:
        table = "notification_acknowledgement"
        ordering = ("id",)
        unique_together = (("case", "unit"),)
