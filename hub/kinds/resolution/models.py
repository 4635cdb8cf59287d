"""The resolution's own storage: what was decided, by when, and its record of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.meeting.spec import Matter
from hub.kinds.resolution.spec import RecordKind

if TYPE_CHECKING:
    from hub.models.case import Case
    from hub.models.unit import Unit


class ResolutionDetail(Model):
    """The decision, its meeting is the case's ``source``, its units LEAD/RESPONSIBLE parties."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="resolution", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    matter = fields.CharEnumField(Matter, max_length=32)
    content = fields.TextField()
    decided_on = fields.DateField()  # the meeting's date
    due_on = fields.DateField()  # 完成时限 as the meeting fixed it

    class Meta:
        table = "resolution_detail"


class ResolutionRecord(Model):
    """One entry of its record: a unit's progress or completion, the Office's check or urge."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="resolution_records", on_delete=fields.CASCADE
    )
    case_id: int
    kind = fields.CharEnumField(RecordKind, max_length=16)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT, description="记录单位"
    )
    unit_id: int
    on = fields.DateField(null=True)  # the date reported (progress, completion)
    text = fields.TextField()
    evidence = fields.TextField(default="")
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "resolution_record"
        ordering = ("id",)
