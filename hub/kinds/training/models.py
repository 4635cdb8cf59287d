"""The training's own storage: what, when and where, the places offered and who took them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from hub.models.case import Case
    from hub.models.unit import Unit


class TrainingDetail(Model):
    """The training, the units places are offered to are RECIPIENT parties."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="training", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    topic = fields.TextField()
    held_on = fields.DateField()
    venue = fields.CharField(max_length=200)
    places = fields.IntField(description="places reserved for other units")
    registration_deadline = fields.DateField()
    attendance = fields.IntField(null=True)
    summary = fields.TextField(default="")
    cancel_reason = fields.TextField(default="")

    class Meta:
        table = "training_detail"


class TrainingEnrolment(Model):
    """Places one unit took (报名), ``returned_at`` once it gave them back."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="training_enrolments", on_delete=fields.CASCADE
    )
    case_id: int
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT
    )
    unit_id: int
    count = fields.IntField()
    attendees = fields.TextField()
    taken_by = fields.CharField(max_length=128)
    taken_at = fields.DatetimeField()
    returned_at = fields.DatetimeField(null=True)
    return_reason = fields.TextField(default="")

    class Meta:
        table = "training_enrolment"
        ordering = ("id",)
