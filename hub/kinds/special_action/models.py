"""The special action's own storage: what it is about, its period, reports and summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from hub.models.case import Case
    from hub.models.unit import Unit


class SpecialActionDetail(Model):
    """The action's theme and period, participants are PARTICIPANT parties."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="special_action", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    theme = fields.TextField()
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    summary = fields.TextField(default="")
    cases_found = fields.IntField(null=True)
    cases_rectified = fields.IntField(null=True)
    cancel_reason = fields.TextField(default="")

    class Meta:
        table = "special_action_detail"


class SpecialActionReport(Model):
    """One progress report (进展报告) of a unit taking part."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="special_action_reports", on_delete=fields.CASCADE
    )
    case_id: int
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT, description="报告单位"
    )
    unit_id: int
    reported_on = fields.DateField()
    progress = fields.TextField()
    cases_found = fields.IntField(null=True)
    reported_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "special_action_report"
        ordering = ("id",)
